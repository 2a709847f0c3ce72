"""Whether a base URL points at the project's own machines (self-hosting) or at someone else's.

Loopback, private and link-local addresses, single-label names (``ollama``, ``vllm``) and
intranet suffixes (``.local``, ``.internal``, ``.svc``, ``.cluster.local``, ``.lan``,
``host.docker.internal``) are local. Used by the manifest loader, the resolver, scoring and
``init``, so every stage reaches the same conclusion for the same URL.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

_LOCAL_SUFFIXES = (".local", ".internal", ".localhost", ".lan", ".svc", ".cluster.local")


def is_local_host(host: str) -> bool:
    """True for loopback, private and link-local addresses and single-label/intranet names."""
    name = host.strip("[]").lower().rstrip(".")
    if name in ("localhost", "host.docker.internal", "0.0.0.0") or "." not in name:
        return True
    if name.endswith(_LOCAL_SUFFIXES):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local


def is_local_base_url(url: str | None) -> bool:
    """True when a base URL's host is local or private (see module docstring)."""
    if not url or not url.strip():
        return False
    text = url.strip()
    try:
        host = urlsplit(text if "://" in text else f"//{text}").hostname
    except ValueError:
        return False
    return bool(host) and is_local_host(host)


def local_base_url_note(url: str) -> str:
    """The reason shown wherever a local base URL decides usage."""
    return f"base_url {url} is a local or private host: self-hosted"
