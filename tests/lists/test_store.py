"""The SQLite list store: round trips, atomic versions, crashes, concurrency, bad locations."""

from __future__ import annotations

import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from riskcheck.errors import DataError
from riskcheck.lists.interface import ListDataError
from riskcheck.lists.catalogue import load_catalogue
from riskcheck.lists.store import (
    KEEP_VERSIONS,
    StoreMissingError,
    VersionMeta,
    open_store,
    parse_iso,
)
from riskcheck.model import Alias, Identifier, ListEntity

from .conftest import REPO


def entity(i: int, source: str = "us_csl", **changes: object) -> ListEntity:
    base = ListEntity(source=source, source_id=f"id-{i}", lists=("EL", "MEU"),
                      programs=("EAR",), entity_type="organisation", name=f"Company {i}",
                      aliases=(Alias(f"Co {i}", "aka", "strong"), Alias(f"公司{i}", "native")),
                      countries=("CN",), addresses=("1 Road, Beijing",),
                      identifiers=(Identifier("USCC", f"91{i}"),), listed_on="2025-01-16",
                      remarks="r", citation="90 FR 1", url="https://example.org")
    return ListEntity(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def meta(sha: str = "a" * 64, fetched_at: str = "2026-11-01T00:00:00Z") -> VersionMeta:
    return VersionMeta(title="Test list", sha256=sha, fetched_at=fetched_at,
                       url="https://example.org/list.csv", published="2026-10-31")


def test_round_trip_keeps_every_field(data_dir: Path) -> None:
    originals = [entity(i) for i in range(3)]
    with open_store(data_dir) as store:
        version = store.add_version("us_csl", originals, meta())
        stored = store.current("us_csl")[0]
        assert list(store.entities(stored.id)) == originals
    assert version.record_count == 3 and version.origin == "store"
    assert version.version == "a" * 64 and version.published == "2026-10-31"


def test_snapshot_and_json_rows_give_the_same_entities(data_dir: Path) -> None:
    originals = [entity(i) for i in range(50)]
    with open_store(data_dir) as store:
        store.add_version("us_csl", originals, meta())
        fast = store.entity_set(max_age_days=9999).entities
        store._db.execute("DELETE FROM snapshots")  # a store written before snapshots
        slow = store.entity_set(max_age_days=9999).entities
    assert list(fast) == list(slow) == originals
    assert all(hash(a) == hash(b) for a, b in zip(fast, originals))


def test_tampered_snapshot_cannot_run_code(data_dir: Path) -> None:
    class Evil:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (os.system, ("echo pwned",))

    with open_store(data_dir) as store:
        store.add_version("us_csl", [entity(1)], meta())
        store._db.execute("UPDATE snapshots SET data = ?", (pickle.dumps(Evil()),))
        with pytest.raises(ListDataError, match="unexpected object"):
            store.entity_set(max_age_days=9999)


def test_new_version_becomes_current_and_old_ones_are_kept_then_pruned(data_dir: Path) -> None:
    with open_store(data_dir) as store:
        for n in range(KEEP_VERSIONS + 2):
            store.add_version("us_csl", [entity(i) for i in range(n + 1)], meta(sha=f"{n:064d}"))
        versions = store.versions("us_csl")
        assert len(versions) == KEEP_VERSIONS
        assert [v.current for v in versions] == [True] + [False] * (KEEP_VERSIONS - 1)
        assert versions[0].record_count == KEEP_VERSIONS + 2
        for table in ("entities", "snapshots"):
            orphans = store._db.execute(f"SELECT COUNT(*) FROM {table} WHERE version_id NOT IN "
                                        "(SELECT id FROM versions)").fetchone()[0]
            assert orphans == 0


def test_too_few_records_leave_the_old_version_in_force(data_dir: Path) -> None:
    with open_store(data_dir) as store:
        store.add_version("us_csl", [entity(i) for i in range(10)], meta())
        with pytest.raises(ListDataError, match="only 2 records parsed, expected at least 5"):
            store.add_version("us_csl", [entity(i) for i in range(2)], meta("b" * 64),
                              min_records=5)
        assert [v.record_count for v in store.versions("us_csl")] == [10]
        with pytest.raises(ListDataError, match="only 0 records"):
            store.add_version("us_csl", [], meta("c" * 64), min_records=0)


def test_failure_mid_insert_rolls_back_everything(data_dir: Path) -> None:
    def exploding():  # type: ignore[no-untyped-def]
        for i in range(500):
            if i == 300:
                raise ListDataError("bad row 300")
            yield entity(i)

    with open_store(data_dir) as store:
        store.add_version("us_csl", [entity(1)], meta())
        with pytest.raises(ListDataError):
            store.add_version("us_csl", exploding(), meta("b" * 64))
        assert len(store.versions("us_csl")) == 1
        assert store._db.execute("SELECT COUNT(*) FROM entities").fetchone()[0] == 1
        assert store.entity_set().entities[0].source_id == "id-1"


def test_entity_set_flags_stale_versions_and_filters_sources(data_dir: Path) -> None:
    with open_store(data_dir) as store:
        store.add_version("us_csl", [entity(1)], meta(fetched_at="2026-11-01T00:00:00Z"))
        store.add_version("un_sc", [entity(2, source="un_sc")], meta(fetched_at="2026-11-20T00:00:00Z"))
        now = datetime(2026, 11, 25, tzinfo=timezone.utc)
        everything = store.entity_set(max_age_days=10, now=now)
        assert not everything.bundled
        assert {v.source: v.stale for v in everything.versions} == {"us_csl": True, "un_sc": False}
        only_un = store.entity_set(["un_sc"], max_age_days=10, now=now)
        assert [e.source for e in only_un.entities] == ["un_sc"]
        assert [v.source for v in only_un.versions] == ["un_sc"]


def test_staleness_uses_catalogue_max_age_and_checked_time(data_dir: Path) -> None:
    with open_store(data_dir) as store:
        store.add_version("ofac_sdn", [entity(1, source="ofac_sdn")],
                          meta(fetched_at="2026-11-01T00:00:00Z"))
        now = datetime(2026, 11, 10, tzinfo=timezone.utc)  # 9 days > ofac_sdn's 7
        ages = load_catalogue(data_dir).max_ages()
        assert ages["ofac_sdn"] == 7
        assert store.current_versions(now=now, max_ages=ages)[0].stale
        version = store.current("ofac_sdn")[0]
        store.touch(version.id, "2026-11-09T00:00:00Z")  # the publisher said "not modified"
        assert not store.current_versions(now=now, max_ages=ages)[0].stale
        assert store.current("ofac_sdn")[0].fetched_at == "2026-11-01T00:00:00Z"


def test_missing_store_without_create_says_what_to_do(data_dir: Path) -> None:
    with pytest.raises(StoreMissingError, match="lists update"):
        open_store(data_dir, create=False)
    assert not data_dir.exists()


def test_unwritable_data_dir_is_a_one_line_data_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(DataError) as caught:
        open_store(blocker / "data")
    message = str(caught.value)
    assert "cannot create data directory" in message and "--data-dir" in message
    assert "\n" not in message


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_data_dir_is_a_data_error(tmp_path: Path) -> None:  # pragma: no cover - root CI
    directory = tmp_path / "ro"
    directory.mkdir()
    directory.chmod(0o500)
    with pytest.raises(DataError, match="not writable"):
        open_store(directory)


def test_corrupt_store_is_a_data_error(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "store.sqlite").write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(DataError, match="corrupt or not a riskcheck store.*delete it"):
        open_store(data_dir)


def test_store_from_a_newer_riskcheck_is_refused(data_dir: Path) -> None:
    open_store(data_dir).close()
    db = sqlite3.connect(data_dir / "store.sqlite")
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with pytest.raises(DataError, match="newer riskcheck"):
        open_store(data_dir)


_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from riskcheck.lists.store import open_store, VersionMeta
    from riskcheck.model import ListEntity
    data_dir, tag, count, delay = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    def rows():
        for i in range(count):
            if i == count // 2:
                print("halfway", flush=True)
                time.sleep(delay)
            yield ListEntity(source="us_csl", source_id=f"{tag}-{i}", lists=("EL",), name=f"{tag} {i}")
    with open_store(data_dir) as store:
        store.add_version("us_csl", rows(), VersionMeta(title=tag, sha256=tag * 8,
                          fetched_at="2026-11-01T00:00:00Z"))
    print("done", flush=True)
""")


def _writer(data_dir: Path, tag: str, count: int, delay: float) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", _WRITER, str(data_dir), tag, str(count),
                             str(delay)], stdout=subprocess.PIPE, text=True, cwd=REPO)


def test_sigkill_mid_update_leaves_the_old_version(data_dir: Path) -> None:
    with open_store(data_dir) as store:
        store.add_version("us_csl", [entity(i) for i in range(5)], meta())
    process = _writer(data_dir, "killed", 20000, 30)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "halfway"  # 10,000 rows written, uncommitted
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    with open_store(data_dir) as store:
        versions = store.versions("us_csl")
        assert [(v.record_count, v.current) for v in versions] == [(5, True)]
        assert len(store.entity_set().entities) == 5
        assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_two_concurrent_updates_serialise_and_leave_one_consistent_current(data_dir: Path) -> None:
    open_store(data_dir).close()
    first = _writer(data_dir, "first", 4000, 0.5)
    time.sleep(0.1)
    second = _writer(data_dir, "second", 3000, 0.0)
    outputs = [p.communicate(timeout=60)[0] for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    with open_store(data_dir) as store:
        versions = store.versions("us_csl")
        assert sorted(v.record_count for v in versions) == [3000, 4000]
        current = [v for v in versions if v.current]
        assert len(current) == 1
        loaded = store.entity_set().entities
        assert len(loaded) == current[0].record_count
        assert {e.source_id.split("-")[0] for e in loaded} == {current[0].title}


def test_timestamps_parse() -> None:
    assert parse_iso("2026-11-01T00:00:00Z") + timedelta(days=1) == datetime(
        2026, 11, 2, tzinfo=timezone.utc)
