"""The provider tables of ``lists/providers.yaml``: LiteLLM provider prefixes and what each one
means for the serving party, self-hosted runtime names, Bedrock publishers, cloud id namespaces
and OpenRouter variants.

The tables are data so that a new gateway or cloud is one reviewed row with its source and date.
They are read once per process; a malformed file is a one-line :class:`DataError`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskcheck.errors import DataError

SERVES = ("api", "self-hosted", "protocol", "gateway")
"""``api``: the provider (or the vendor) serves the call; ``self-hosted``: the weights run on the
caller's machines; ``protocol``: the prefix names only a wire protocol, so whoever runs the base
URL serves the call; ``gateway``: the provider routes each call to one of several upstream hosts,
so without a base URL the serving party is ambiguous."""


@dataclass(frozen=True)
class Providers:
    """Every table of ``lists/providers.yaml``, as look-up sets and maps."""

    litellm: frozenset[str]
    self_hosted: frozenset[str]
    protocol: frozenset[str]
    gateways: frozenset[str]
    own_models: frozenset[str]
    """Providers whose API serves only their own organisation's models."""
    default_hosts: dict[str, str]
    declared_self_hosted: frozenset[str]
    bedrock_publishers: frozenset[str]
    cloud_namespaces: tuple[tuple[str, str], ...]
    """(id prefix, provider) pairs, e.g. ``("@cf/", "cloudflare")``."""
    openrouter_variants: frozenset[str]


def _rows(document: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    rows = document.get(key)
    if not isinstance(rows, list):
        raise DataError(f"{path}: '{key}' must be a list")
    for row in rows:
        if not isinstance(row, dict) or not row.get("source") or not row.get("as_of"):
            raise DataError(f"{path}: every '{key}' row needs its source and as_of date ({row!r})")
    return rows


def parse_providers(document: Any, path: Path) -> Providers:
    """Build :class:`Providers` from the parsed YAML ``document`` (``path`` names errors)."""
    if not isinstance(document, dict):
        raise DataError(f"{path}: expected a mapping of tables")
    litellm = _rows(document, "litellm", path)
    for row in litellm:
        if row.get("serves") not in SERVES or not row.get("name"):
            raise DataError(f"{path}: litellm row {row!r} needs a name and serves: one of "
                            f"{', '.join(SERVES)}")

    def names(serves: str) -> frozenset[str]:
        return frozenset(str(r["name"]) for r in litellm if r["serves"] == serves)

    return Providers(
        litellm=frozenset(str(r["name"]) for r in litellm),
        self_hosted=names("self-hosted"),
        protocol=names("protocol"),
        gateways=names("gateway"),
        own_models=frozenset(str(r["name"]) for r in litellm if r.get("own_models") is True),
        default_hosts={str(r["name"]): str(r["default_host"]) for r in litellm
                       if r.get("default_host")},
        declared_self_hosted=frozenset(str(r["name"]) for r in
                                       _rows(document, "declared_self_hosted", path)),
        bedrock_publishers=frozenset(str(r["name"]) for r in
                                     _rows(document, "bedrock_publishers", path)),
        cloud_namespaces=tuple((str(r["prefix"]), str(r["provider"])) for r in
                               _rows(document, "cloud_namespaces", path)),
        openrouter_variants=frozenset(str(r["name"]) for r in
                                      _rows(document, "openrouter_variants", path)),
    )


@functools.lru_cache(maxsize=1)
def load_providers() -> Providers:
    """The bundled ``lists/providers.yaml`` (read once per process)."""
    from riskcheck.data import lists_dir, read_yaml

    path = lists_dir() / "providers.yaml"
    return parse_providers(read_yaml(path), path)


__all__ = ["SERVES", "Providers", "load_providers", "parse_providers"]
