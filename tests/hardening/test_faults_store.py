"""Faults around the list store: SIGKILL mid-update, two updates at once, a full disk and an
unwritable data directory. After every fault the store is consistent and the version in
force for each source is complete (the previous one, or the new one if the kill came after
the commit); nothing stored is lost."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.hardening.bigfiles import big_sdn_set
from tests.hardening.conftest import (
    assert_one_line_error,
    cli_env,
    riskcheck_executable,
    run_cli,
    store_state,
)
from tests.hardening.faultserver import FaultServer

KILL_RUNS = int(os.environ.get("RISKCHECK_HARDENING_KILL_RUNS", "20"))
OLD_SDN = 12
KNOWN = "NORTHWIND MACHINE TOOLS"
"""An entity of both the old and the new ofac_sdn version."""


def _others(state):  # type: ignore[no-untyped-def]
    return [entry for entry in state.current if entry[0] != "ofac_sdn"]


def _sdn(state):  # type: ignore[no-untyped-def]
    return next(entry for entry in state.current if entry[0] == "ofac_sdn")


def _assert_consistent(data_dir: Path, before, new_count: int) -> None:  # type: ignore[no-untyped-def]
    state = store_state(data_dir)
    assert state.integrity == "ok"
    assert _others(state) == _others(before), "another source changed"
    source, _, records, rows = _sdn(state)
    assert records == rows, "the version in force is incomplete"
    assert records == OLD_SDN or new_count <= records <= new_count + 1, records


def _cli_answers(data_dir: Path) -> None:
    status = run_cli(["lists", "status", "--format", "json", "--data-dir", str(data_dir)])
    assert status.returncode == 0, status.stderr
    sources = {entry["source"]: entry for entry in json.loads(status.stdout)["sources"]}
    assert sources["ofac_sdn"]["record_count"] == OLD_SDN or \
        sources["ofac_sdn"]["record_count"] >= 18000
    search = run_cli(["lists", "search", KNOWN, "--format", "json", "--data-dir", str(data_dir)])
    assert search.returncode == 0, search.stderr
    assert any(r["name"] == f"{KNOWN} LLC" for r in json.loads(search.stdout)["results"])


@pytest.mark.slow
def test_sigkill_during_update_never_loses_the_previous_version(good_store: Path) -> None:
    """``lists update`` killed at random points, many times, on the same store."""
    files = big_sdn_set()
    rng = random.Random(20261129)
    before = store_state(good_store)
    outcomes = {"killed": 0, "finished": 0}
    with FaultServer(dict(files)) as server:
        env = cli_env(RISKCHECK_MIRROR_URL=f"{server.url}/ok")
        # Kill points spread over one uninterrupted update as long as this machine takes
        # for it (a fixed window would let a faster machine finish most runs unharmed).
        started = time.monotonic()
        timing = subprocess.run([*riskcheck_executable(), "lists", "update", "ofac_sdn",
                                 "--data-dir", str(good_store)], env=env, capture_output=True,
                                text=True, timeout=120)
        duration = time.monotonic() - started
        assert timing.returncode == 0, timing.stderr
        _assert_consistent(good_store, before, 18000)
        for run in range(KILL_RUNS):
            # A new version every run (one extra entry): an unchanged file would be
            # recognised by its digest and the run would end before storing anything.
            server.files["SDN.CSV"] = files["SDN.CSV"].replace(
                b"\r\n\x1a", f'\r\n{9_000_000 + run},"HARDENING RUN {run} LLC",-0- ,"SDGT",'
                f'-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'.encode())
            process = subprocess.Popen(
                [*riskcheck_executable(), "lists", "update", "ofac_sdn", "--data-dir",
                 str(good_store)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.05, 1.2) * duration)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                outcomes["killed"] += 1
            else:
                outcomes["finished"] += 1
            process.wait(timeout=60)
            _assert_consistent(good_store, before, 18000)
            if run % 7 == 0:
                _cli_answers(good_store)
        # The store is still usable: a normal update completes.
        finished = subprocess.run([*riskcheck_executable(), "lists", "update", "ofac_sdn",
                                   "--data-dir", str(good_store)], env=env, capture_output=True,
                                  text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    _assert_consistent(good_store, before, 18000)
    _cli_answers(good_store)
    assert outcomes["killed"] >= KILL_RUNS // 2, outcomes


@pytest.mark.slow
def test_two_updates_at_once_leave_one_complete_version(good_store: Path) -> None:
    """Two concurrent ``lists update`` runs: both end, one complete version in force."""
    files = big_sdn_set()
    with FaultServer(files) as server:
        env = cli_env(RISKCHECK_MIRROR_URL=f"{server.url}/ok")
        argv = [*riskcheck_executable(), "lists", "update", "ofac_sdn", "--data-dir",
                str(good_store), "--format", "json"]
        first = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        second = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        results = [first.communicate(timeout=180), second.communicate(timeout=180)]
    for process, (_, stderr) in zip((first, second), results):
        assert "Traceback" not in stderr
        assert process.returncode in (0, 3), stderr  # 3 only for "store busy", one line
    state = store_state(good_store)
    assert state.integrity == "ok"
    db = sqlite3.connect(f"file:{good_store / 'store.sqlite'}?mode=ro", uri=True)
    try:
        current = db.execute("SELECT COUNT(*) FROM versions WHERE source = 'ofac_sdn' "
                             "AND current = 1").fetchone()[0]
    finally:
        db.close()
    assert current == 1
    assert _sdn(state)[2] == _sdn(state)[3] == 18000
    _cli_answers(good_store)


def test_full_disk_during_store_write_keeps_the_previous_version(
        good_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC while the new version is written (in-process fault injection): clear error,
    previous version intact."""
    from riskcheck.lists import store as store_module
    from riskcheck.lists.catalogue import load_catalogue
    from riskcheck.lists.update import import_files
    from riskcheck.errors import RiskcheckError
    from tests.hardening.conftest import ASSETS

    real_encode = store_module.encode_snapshot

    def full_disk(rows):  # type: ignore[no-untyped-def]
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store_module, "encode_snapshot", full_disk)
    before = store_state(good_store)
    with pytest.raises((RiskcheckError, sqlite3.OperationalError)) as caught:
        import_files("us_csl", {"main": ASSETS / "csl" / "consolidated_dup_header.csv"},
                     data_dir=good_store, catalogue=load_catalogue(good_store))
    monkeypatch.setattr(store_module, "encode_snapshot", real_encode)
    assert store_state(good_store) == before
    # What the user sees: a documented one-line error, not a raw sqlite exception.
    assert isinstance(caught.value, RiskcheckError), (
        f"ENOSPC surfaced as {type(caught.value).__name__}: {caught.value}")


def test_full_disk_while_downloading_keeps_the_previous_version(
        good_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC on write() while the file is copied into the work folder: one DataError."""
    from riskcheck.errors import RiskcheckError
    from riskcheck.lists.catalogue import load_catalogue
    from riskcheck.lists.update import import_files
    from tests.hardening.conftest import ASSETS

    real_open = Path.open

    class FullDisk:
        def __init__(self, handle):  # type: ignore[no-untyped-def]
            self.handle = handle

        def write(self, data):  # type: ignore[no-untyped-def]
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc):  # type: ignore[no-untyped-def]
            self.handle.close()

    def open_full(self, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        handle = real_open(self, mode, *args, **kwargs)
        if "w" in mode and "update-" in str(self):
            return FullDisk(handle)
        return handle

    monkeypatch.setattr(Path, "open", open_full)
    before = store_state(good_store)
    with pytest.raises(RiskcheckError) as caught:
        import_files("us_csl", {"main": ASSETS / "csl" / "consolidated_dup_header.csv"},
                     data_dir=good_store, catalogue=load_catalogue(good_store))
    monkeypatch.setattr(Path, "open", real_open)
    assert "No space left" in str(caught.value) and "\n" not in str(caught.value)
    assert store_state(good_store) == before


@pytest.mark.parametrize("command", [
    ["lists", "update", "us_csl"],
    ["lists", "import", "us_csl"],
    ["lists", "status"],
])
def test_unwritable_data_dir_is_one_line_error(command: list[str], tmp_path: Path) -> None:
    """--data-dir under a regular FILE (mkdir fails even as root): one line, no traceback."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file, not a directory\n")
    data_dir = blocker / "data"
    args = [*command, "--data-dir", str(data_dir)]
    if command[1] == "import":
        from tests.hardening.conftest import ASSETS
        args.insert(3, str(ASSETS / "csl" / "consolidated.csv"))
    result = run_cli(args, env=cli_env(RISKCHECK_OFFLINE="1"))
    if command[1] == "status":
        # Nothing stored and nothing to create: status reports every list missing.
        assert result.returncode == 0, result.stderr
        return
    line = assert_one_line_error(result, code=3)
    assert str(blocker) in line
    assert blocker.read_text() == "a file, not a directory\n"
