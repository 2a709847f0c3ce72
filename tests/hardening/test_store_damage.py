"""A damaged list store is exit 3 with one line naming it; a read-only store can be read.

Each damaged store runs through every command that reads lists. None may exit 70, print a
traceback, or change a byte of the store. Read commands open the store read-only: its
journal mode stays what it was and no -wal or -shm file appears.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from riskcheck.lists.store import STORE_NAME, open_store
from tests.hardening.conftest import assert_one_line_error, cli_env, run_cli

MANIFEST = Path(__file__).resolve().parents[2] / "examples" / "rag-app" / "riskcheck.yaml"

READERS = [
    ["check", str(MANIFEST), "-f", "json"],
    ["screen", "Huawei Technologies"],
    ["lists", "search", "Huawei"],
    ["lists", "status"],
]


def _sql(*statements: str) -> Callable[[Path], None]:
    def damage(store: Path) -> None:
        db = sqlite3.connect(store)
        for statement in statements:
            db.execute(statement)
        db.commit()
        db.close()
    return damage


def _garble_header(store: Path) -> None:
    data = bytearray(store.read_bytes())
    data[:16] = b"not a database!!"
    store.write_bytes(bytes(data))


DAMAGE = {
    # (how, the commands that must notice it)
    "schema_version_abc": (_sql("UPDATE meta SET value = 'abc' WHERE key = 'schema_version'"),
                           READERS),
    "schema_version_negative": (_sql("UPDATE meta SET value = '-4' "
                                     "WHERE key = 'schema_version'"), READERS),
    "snapshot_truncated": (_sql("UPDATE snapshots SET data = substr(data, 1, length(data) / 2)"),
                           READERS[:3]),
    "snapshot_random_bytes": (_sql("UPDATE snapshots SET data = randomblob(300)"), READERS[:3]),
    "snapshot_wrong_shape": (_sql("UPDATE snapshots SET data = X'800495050000000000000028294e2e'"),
                             READERS[:3]),
    "json_rows_garbled": (_sql("DELETE FROM snapshots", "UPDATE entities SET data = '[1, 2'"),
                          READERS[:3]),
    "json_rows_wrong_shape": (_sql("DELETE FROM snapshots", "UPDATE entities SET data = '{}'"),
                              READERS[:3]),
    "version_files_garbled": (_sql("UPDATE versions SET files = '{not json'"), READERS),
    "title_not_utf8": (_sql("UPDATE versions SET title = CAST(X'ff00fe' AS TEXT)"), READERS),
    "header_garbled": (_garble_header, READERS),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_damaged_store_is_exit_3_naming_it(good_store: Path, case: str) -> None:
    damage, commands = DAMAGE[case]
    store = good_store / STORE_NAME
    damage(store)
    before = _digest(store)
    env = cli_env(RISKCHECK_DATA_DIR=str(good_store), RISKCHECK_OFFLINE="1")
    for args in commands:
        result = run_cli(args, env=env)
        line = assert_one_line_error(result, code=3, fragment="corrupt", names=str(store))
        assert "lists update" in line, line
        assert _digest(store) == before, f"{args} changed the damaged store"


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("seed", range(4))
def test_flipped_bytes_never_crash(good_store: Path, seed: int) -> None:
    """Random damage may hit unused space (the run then works) but never makes an exit 70."""
    store = good_store / STORE_NAME
    data = bytearray(store.read_bytes())
    chance = random.Random(seed)
    for _ in range(150):
        position = chance.randrange(100, len(data))
        data[position] ^= 1 << chance.randrange(8)
    store.write_bytes(bytes(data))
    env = cli_env(RISKCHECK_DATA_DIR=str(good_store), RISKCHECK_OFFLINE="1")
    for args in READERS:
        result = run_cli(args, env=env)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, (
            args, result.stderr)
        if result.returncode not in (0, 1):
            assert_one_line_error(result, code=3, names=str(store))


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_read_commands_leave_the_journal_mode_and_make_no_wal(good_store: Path) -> None:
    """A store prepared elsewhere (rollback journal) and shipped read-only is read as it is."""
    store = good_store / STORE_NAME
    db = sqlite3.connect(store)
    assert db.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    db.close()
    before = _digest(store)
    env = cli_env(RISKCHECK_DATA_DIR=str(good_store), RISKCHECK_OFFLINE="1")
    for args in READERS:
        result = run_cli(args, env=env)
        assert result.returncode in (0, 1), (args, result.stderr)
        assert not any(good_store.glob(STORE_NAME + "-*")), f"{args} made a journal file"
        assert _digest(store) == before, f"{args} changed the store"
    db = sqlite3.connect(store)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    db.close()


def test_read_only_open_cannot_write(good_store: Path) -> None:
    """Tests run as root, so file permissions prove nothing: the connection itself is read-only."""
    with open_store(good_store, create=False, read_only=True) as store:
        assert store.has_data()
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store._db.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_read_only_open_still_upgrades_an_older_schema(good_store: Path) -> None:
    store = good_store / STORE_NAME
    _sql("UPDATE meta SET value = '1' WHERE key = 'schema_version'")(store)
    result = run_cli(READERS[0], env=cli_env(RISKCHECK_DATA_DIR=str(good_store),
                                             RISKCHECK_OFFLINE="1"))
    assert result.returncode in (0, 1), result.stderr
    db = sqlite3.connect(store)
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "2"
    db.close()
