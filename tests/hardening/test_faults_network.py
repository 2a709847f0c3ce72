"""A misbehaving list server: retries where sensible, then one clear line, previous version kept.

The in-process cases use a short timeout and no backoff (the CLI's are 15 s / 120 s and
1 s backoff; the tests set RISKCHECK_HTTP_BACKOFF=0); the CLI cases prove the same through
``riskcheck lists update``.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from riskcheck.lists import update as update_module
from riskcheck.lists.catalogue import load_catalogue
from riskcheck.lists.download import fetch_file, make_session
from riskcheck.lists.update import update_lists
from tests.hardening.conftest import (
    ASSETS,
    assert_one_line_error,
    cli_env,
    run_cli,
    store_state,
)
from tests.hardening.faultserver import FaultServer

CSL = (ASSETS / "csl" / "consolidated.csv").read_bytes()
FILES = {"consolidated.csv": CSL[: len(CSL) // 2] + CSL[len(CSL) // 2:].replace(b"EXAMPLE", b"SAMPLE")}
"""A different (valid) version, so an update that got through would change the store."""

CASES = {
    "500": ("HTTP 500", True),
    "reset": ("", True),
    "loop": ("redirects", False),
    "html": ("HTML page", False),
    "short": ("", False),
    "drip": ("timed out", False),
    "hang": ("timed out", False),
}


@pytest.fixture
def server() -> FaultServer:
    """A running fault server holding a valid CSL."""
    with FaultServer(dict(FILES)) as running:
        yield running  # type: ignore[misc]


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("mode", sorted(CASES))
def test_update_survives_a_misbehaving_server(mode: str, server: FaultServer, good_store: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Every failure mode: one failed outcome with a one-line message, store unchanged."""
    fragment, retried = CASES[mode]
    monkeypatch.setattr(update_module, "fetch_file", functools.partial(fetch_file, timeout=(2, 2)))
    catalogue = load_catalogue(good_store, env={"RISKCHECK_MIRROR_URL": f"{server.url}/{mode}"})
    before = store_state(good_store)
    [outcome] = update_lists(["us_csl"], data_dir=good_store, catalogue=catalogue,
                             session=make_session(retries=2, backoff_factor=0))
    assert outcome.failed, outcome
    assert "\n" not in outcome.message
    assert fragment.lower() in outcome.message.lower(), outcome.message
    assert "keeping version fetched" in outcome.message
    assert outcome.version is not None and outcome.version.record_count == 13
    assert store_state(good_store) == before
    hits = server.hits[f"/{mode}/consolidated.csv"]
    assert hits >= 2 if retried else hits >= 1, dict(server.hits)


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_ok_server_control(server: FaultServer, good_store: Path) -> None:
    """The same set-up against a well-behaved path does update (so the failures are real)."""
    catalogue = load_catalogue(good_store, env={"RISKCHECK_MIRROR_URL": f"{server.url}/ok"})
    [outcome] = update_lists(["us_csl"], data_dir=good_store, catalogue=catalogue,
                             session=make_session(retries=0, backoff_factor=0))
    assert outcome.status == "updated", outcome.message


@pytest.mark.parametrize("mode,fragment", [("500", "HTTP 500"), ("html", "HTML page"),
                                           ("loop", "redirects"), ("reset", "")])
@pytest.mark.slow  # over half a second: left out of the fast loop
def test_cli_update_failure_is_one_line_exit_3(mode: str, fragment: str, server: FaultServer,
                                               good_store: Path) -> None:
    """``riskcheck lists update`` against a failing mirror: exit 3, one line, store kept."""
    before = store_state(good_store)
    result = run_cli(["lists", "update", "us_csl", "--data-dir", str(good_store)],
                     env=cli_env(RISKCHECK_MIRROR_URL=f"{server.url}/{mode}"), timeout=120)
    assert_one_line_error(result, code=3, fragment=fragment)
    assert "keeping version fetched" in result.stderr
    assert store_state(good_store) == before
