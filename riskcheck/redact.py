"""Secrets never reach a log line, an error or a report: credentials in URLs are masked here.

Every module that prints or stores a URL (downloads, list status, webhooks) goes through these
two functions, so one rule covers them all.
"""

from __future__ import annotations

import re

_SECRET_PARAM = re.compile(
    r"(?i)([?&;](?:[^=&;#\s]*(?:token|key|secret|pass|pwd|sig|auth|credential)[^=&;#\s]*)=)"
    r"[^&;#\s]*")
_USERINFO = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/@:\s]+):[^/@\s]*@")
_PATH_AFTER_FIRST = re.compile(r"(?i)^([a-z][a-z0-9+.-]*://[^/?#]+/[^/?#]*)/[^?#]+")


def redact(text: str) -> str:
    """``text`` with every URL password and secret-looking query value replaced by ``***``."""
    return _USERINFO.sub(r"\1:***@", _SECRET_PARAM.sub(r"\1***", text))


def redact_webhook(url: str) -> str:
    """A webhook URL safe to print.

    Chat webhooks (Slack, Teams, Discord ...) carry their secret in the path, so only the first
    path segment is kept: ``https://hooks.slack.com/services/***``.
    """
    return redact(_PATH_AFTER_FIRST.sub(r"\1/***", url))
