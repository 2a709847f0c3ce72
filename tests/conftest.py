"""Shared test set-up: every test runs with its own data directory and no colour."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REAL_LISTS = REPO.parent / "shared" / "lists-real"
SCHEMAS = REPO.parent / "shared" / "schemas"


@pytest.fixture(autouse=True)
def _isolation(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's real store, cache or network settings."""
    home = tmp_path_factory.mktemp("riskcheck-data")
    monkeypatch.setenv("RISKCHECK_DATA_DIR", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("RISKCHECK_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("RISKCHECK_MIRROR_URL", raising=False)
    # The suite runs in CI and on laptops alike: CI-only rules (stale lists fail the run) are
    # switched on by the tests that check them, never by the machine running the suite.
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("RISKCHECK_HTTP_BACKOFF", "0")  # retries at once: no test sleeps
    from riskcheck import paths

    paths.use_data_dir(None)  # a --data-dir given in an earlier in-process CLI run
    monkeypatch.delenv("RISKCHECK_FORMAT", raising=False)
    monkeypatch.delenv("RISKCHECK_FAIL_ON", raising=False)
