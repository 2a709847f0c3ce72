"""Secrets never reach a log line, an error or a report: credentials in URLs are masked here.

Every module that prints or stores a URL (downloads, list status, webhooks, reports) goes
through these two functions, so one rule covers them all. What counts as a secret:

- the user part of a URL: a password (``user:***@host``, even one holding ``@`` or ``/``) and a
  user name standing alone, which is how tokens are usually passed (``https://***@host``);
- the value of a query or matrix parameter whose name says key, token, secret, password,
  signature, auth, credential, session or code (``?code=***``, ``&api_key=***``).
"""

from __future__ import annotations

import re

_SECRET_PARAM = re.compile(
    r"(?i)([?&;](?:[^=&;#\s]*(?:token|key|secret|pass|pwd|sig|auth|credential|session)"
    r"[^=&;#\s]*|code)=)[^&;#\s]*")
_URL = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^\s\"'<>]+)")
_HOST_PORT = re.compile(r"^[\w.-]*(?::\d*)?$|^\[[0-9a-f:.]+\](?::\d*)?$", re.IGNORECASE)
_PATH_AFTER_FIRST = re.compile(r"(?i)^([a-z][a-z0-9+.-]*://[^/?#]+/[^/?#]*)/[^?#]+")


def _mask_userinfo(match: re.Match[str]) -> str:
    scheme, rest = match.group(1), match.group(2)
    # The user part ends at the last '@' before the host: a password may itself hold '@' or
    # '/'. A part with a '/' but no ':' before it is a path ('/@scope/pkg'), not a user part.
    for at in range(len(rest) - 1, -1, -1):
        if rest[at] != "@":
            continue
        userinfo = rest[:at]
        head = userinfo.split("/", 1)[0]
        if "/" in userinfo and (":" not in head or _HOST_PORT.match(head)):
            continue
        user, colon, _ = userinfo.partition(":")
        masked = f"{user}:***" if colon and user and not _HOST_PORT.match(userinfo) else "***"
        return f"{scheme}{masked}@{rest[at + 1:]}"
    return match.group(0)


def redact(text: str) -> str:
    """``text`` with every URL user part and secret-looking query value replaced by ``***``."""
    return _URL.sub(_mask_userinfo, _SECRET_PARAM.sub(r"\1***", text))


def redact_webhook(url: str) -> str:
    """A webhook URL safe to print.

    Chat webhooks (Slack, Teams, Discord ...) carry their secret in the path, so only the first
    path segment is kept: ``https://hooks.slack.com/services/***``.
    """
    return redact(_PATH_AFTER_FIRST.sub(r"\1/***", url))
