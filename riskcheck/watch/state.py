"""Watch state, kept in the list store's SQLite file next to the lists it was screened against.

Only a run that completed (screening, report and any webhook) replaces the state, in one
transaction, so a run that fails half-way leaves the previous state in force.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from riskcheck.errors import DataError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS watch_state (
    watch_key TEXT PRIMARY KEY,
    run_at TEXT NOT NULL,
    snapshot TEXT NOT NULL
)
"""


class WatchStateStore:
    """Reads and replaces the snapshot of the previous watch run, per watched project."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self._db.execute("PRAGMA busy_timeout = 30000")
            self._db.execute(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise DataError(f"cannot open watch state in {path}: {exc}",
                            hint="check the data directory (--data-dir) is writable and not corrupt") from None
        except OSError as exc:
            raise DataError(f"cannot create the data directory {path.parent}: {exc.strerror}",
                            hint="pass a writable --data-dir") from None

    def previous(self, key: str) -> dict[str, Any] | None:
        """The last completed run's snapshot, or None before the first run."""
        row = self._db.execute("SELECT snapshot FROM watch_state WHERE watch_key = ?",
                               (key,)).fetchone()
        if row is None:
            return None
        try:
            return json.loads(row[0])
        except json.JSONDecodeError:
            raise DataError(f"watch state for {key} in {self.path} is corrupt",
                            hint="delete it with a fresh --data-dir, or restore a backup") from None

    def save(self, key: str, run_at: str, snapshot: dict[str, Any]) -> None:
        """Replace the snapshot atomically."""
        text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False)
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT INTO watch_state (watch_key, run_at, snapshot) VALUES (?, ?, ?) "
                "ON CONFLICT(watch_key) DO UPDATE SET run_at = excluded.run_at, "
                "snapshot = excluded.snapshot", (key, run_at, text))
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise DataError(f"cannot save watch state in {self.path}: {exc}",
                            hint="check free disk space and permissions") from None

    def close(self) -> None:
        """Close the connection."""
        self._db.close()
