"""Redaction of credentials in URLs: one rule for errors, stored versions and every report."""

from __future__ import annotations

import pytest

from riskcheck.redact import redact, redact_webhook


@pytest.mark.parametrize("text,expected", [
    # A token passed as the user part, alone: the whole user part is the secret.
    ("http://ghp_TOKEN@host/", "http://***@host/"),
    ("fetch https://glpat-abc123@mirror.example/SDN.CSV failed",
     "fetch https://***@mirror.example/SDN.CSV failed"),
    # A password holding '@' or '/' is masked to its end, not cut at its first '@'.
    ("http://user:p@ss/word@host/x", "http://user:***@host/x"),
    ("https://bob:hunter2@host/x", "https://bob:***@host/x"),
    # Query keys that carry secrets, webhook codes included.
    ("https://hook.example/api?code=KEY&a=1", "https://hook.example/api?code=***&a=1"),
    ("https://h/x?access_token=T&format=xml&api_key=K&sig=S",
     "https://h/x?access_token=***&format=xml&api_key=***&sig=***"),
    ("two http://u:p@h:80/f and http://t@h2/", "two http://u:***@h:80/f and http://***@h2/"),
])
def test_secrets_in_urls_are_masked(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "https://host/a.csv",
    "https://host/@scope/pkg",          # an '@' in the path is not a user part
    "https://host:8443/@scope/pkg",
    "https://[::1]:8080/a@b",
    "see https://example.com. and mail someone@example.com",
    "https://h/x?format=xml&encode=1",
])
def test_urls_without_secrets_are_unchanged(text: str) -> None:
    assert redact(text) == text


def test_secret_text_never_survives() -> None:
    for url in ("http://SECRET@h/", "http://u:SECRET@x/y@h/", "https://h/?code=SECRET",
                "https://h/?token=SECRET#frag", "ftp://u:SE@CRET@h"):
        assert "SECRET" not in redact(url) and "CRET" not in redact(url), url


def test_webhook_path_secrets_and_codes() -> None:
    assert redact_webhook("https://hooks.slack.com/services/T0/B0/XYZ") == \
        "https://hooks.slack.com/services/***"
    shown = redact_webhook("https://x.example/api/hook?code=K1")
    assert "K1" not in shown and shown.startswith("https://x.example/api/")


def test_store_masks_urls_written_before_these_rules(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from riskcheck.lists.store import open_store

    store = open_store(tmp_path, create=True)
    try:
        row = (1, "ofac_sdn", "SDN", "2026-12-01T00:00:00+00:00", "2026-12-01T00:00:00+00:00",
               "https://ghp_SECRET@mirror.example/SDN.CSV", "0" * 64, 10, None, 1, "[]")
        assert store._version(row).url == "https://***@mirror.example/SDN.CSV"
    finally:
        store.close()
