"""The one place riskcheck opens HTTP sessions: retries, timeouts, User-Agent, proxies.

Three callers, three needs, one factory: list downloads (GET/HEAD, retried on connection errors
and 429/5xx, ``Retry-After`` honoured up to a cap), Hugging Face Hub look-ups (a connection that
cannot be made at all means no network, so connects are not retried and ``Retry-After`` is not
waited for), and ``watch`` webhooks (POST, never following a redirect). Proxy variables
(``HTTPS_PROXY``, ``NO_PROXY``) are honoured because ``trust_env`` stays on. Credentials in URLs
never reach a message: callers report URLs through :func:`riskcheck.redact.redact`.

``RISKCHECK_HTTP_BACKOFF`` (seconds, a float) overrides every backoff factor: ``0`` makes
retries immediate, for tests and for sites that would rather fail fast.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import requests

RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_RETRY_AFTER_S = 60.0
"""Longest ``Retry-After`` waited for, when a caller honours it."""


def user_agent(purpose: str | None = None) -> str:
    """``riskcheck/<version>``, with what the request is for in brackets."""
    from riskcheck import __version__

    return f"riskcheck/{__version__}" + (f" ({purpose})" if purpose else "")


def backoff(default: float) -> float:
    """The backoff factor to use: ``RISKCHECK_HTTP_BACKOFF`` when set and valid, else ``default``."""
    raw = os.environ.get("RISKCHECK_HTTP_BACKOFF", "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value >= 0 else default


def session(*, purpose: str, retries: int = 3, connect_retries: int | None = None,
            read_retries: int | None = None, backoff_factor: float = 1.0,
            methods: frozenset[str] = frozenset({"GET", "HEAD"}),
            respect_retry_after: bool = True, max_redirects: int = 5) -> requests.Session:
    """A :class:`requests.Session` retrying connection errors, reads and 429/5xx with backoff.

    4xx other than 429 are never retried (they will not get better); redirects are followed by
    requests itself up to ``max_redirects``, never by the retry logic.
    """
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    class _CappedRetry(Retry):
        def parse_retry_after(self, retry_after: str) -> float:
            return min(super().parse_retry_after(retry_after), MAX_RETRY_AFTER_S)

    retry = _CappedRetry(
        total=retries,
        connect=retries if connect_retries is None else connect_retries,
        read=retries if read_retries is None else read_retries,
        status=retries, other=0, redirect=False, status_forcelist=RETRY_STATUSES,
        allowed_methods=methods, backoff_factor=backoff(backoff_factor),
        respect_retry_after_header=respect_retry_after, raise_on_status=False)
    made = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    made.mount("https://", adapter)
    made.mount("http://", adapter)
    made.max_redirects = max_redirects
    made.headers["User-Agent"] = user_agent(purpose)
    return made
