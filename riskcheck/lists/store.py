"""The local list store: every downloaded version of every source, in one SQLite file.

Each version is written in ONE transaction (``BEGIN IMMEDIATE``) that inserts the version and
its entities and flips the source's ``current`` pointer last, so a crash or SIGKILL at any point
leaves the previous version in force, and a second concurrent update waits (busy timeout)
instead of interleaving. WAL mode lets ``check`` read while an update writes.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from riskcheck.errors import DataError, RiskcheckError
from riskcheck.lists.interface import EntitySet, ListDataError
from riskcheck.model import Alias, Identifier, ListEntity, ListVersion
from riskcheck.redact import redact

SCHEMA_VERSION = 2
STORE_NAME = "store.sqlite"
KEEP_VERSIONS = 5
"""Versions kept per source (the current one included), for ``lists diff`` and audits."""
BUSY_TIMEOUT_S = 60.0
"""How long a second writer waits for the first (a big list takes seconds to store)."""
DEFAULT_MAX_AGE_DAYS = 30
"""Staleness limit for stored sources the catalogue no longer knows (removed custom lists)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, current_version INTEGER);
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, title TEXT NOT NULL,
    fetched_at TEXT NOT NULL, checked_at TEXT NOT NULL, url TEXT, etag TEXT,
    last_modified TEXT, sha256 TEXT NOT NULL, record_count INTEGER NOT NULL DEFAULT 0,
    published TEXT, files TEXT NOT NULL DEFAULT '[]', current INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX IF NOT EXISTS versions_one_current ON versions (source) WHERE current = 1;
CREATE TABLE IF NOT EXISTS entities (
    version_id INTEGER NOT NULL, source_id TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entities_version ON entities (version_id);
CREATE TABLE IF NOT EXISTS snapshots (version_id INTEGER PRIMARY KEY, data BLOB NOT NULL);
"""


class ShrinkRefused(ListDataError):
    """A new version has far fewer records than the stored one (likely a partial download)."""



_DAMAGE = (sqlite3.Error, pickle.UnpicklingError, EOFError, ValueError, TypeError, IndexError,
           KeyError, AttributeError, UnicodeError, OverflowError, MemoryError, RecursionError)
"""What damaged bytes in the file, a snapshot or a row raise while being read and decoded."""


def corrupt_store(path: Path, problem: object) -> DataError:
    """The one-line error for a store that cannot be read as it should (exit 3)."""
    detail = str(problem).splitlines()[0][:120] if str(problem) else type(problem).__name__
    return DataError(f"list store {path} is corrupt or not a riskcheck store ({detail})",
                     hint="move it aside or delete it, then run 'riskcheck lists update' "
                          "(or screen with --bundled meanwhile)")


class StoreMissingError(DataError):
    """``open_store(create=False)`` found no store: nothing was downloaded or imported yet."""


def default_data_dir() -> Path:
    """The data folder of this run (:func:`riskcheck.paths.data_dir`)."""
    from riskcheck.paths import data_dir

    return data_dir()


def utc_now() -> datetime:
    """The current time in UTC (one place, so tests can reason about it)."""
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    """A timestamp as ISO 8601 UTC with seconds, e.g. ``2026-11-29T08:00:00Z``."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    """Parse a timestamp written by :func:`iso` (or any ISO 8601 form)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass(frozen=True)
class StoredFile:
    """What was fetched for one file role of a version (for conditional GETs and audits)."""

    role: str
    url: str
    sha256: str
    size: int = 0
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class VersionMeta:
    """Where a version came from; passed to :meth:`ListStore.add_version`."""

    title: str
    sha256: str
    """Digest of the version's files (one file: its sha256; several: sha256 of role=digest lines)."""
    fetched_at: str
    url: str | None = None
    published: str | None = None
    files: tuple[StoredFile, ...] = ()


@dataclass(frozen=True)
class StoredVersion:
    """One stored version of a source."""

    id: int
    source: str
    title: str
    fetched_at: str
    checked_at: str
    url: str | None
    sha256: str
    record_count: int
    published: str | None
    current: bool
    files: tuple[StoredFile, ...]

    def age_days(self, now: datetime | None = None) -> float:
        """Days since the version was last confirmed current (downloaded or answered 304)."""
        return ((now or utc_now()) - parse_iso(self.checked_at)).total_seconds() / 86400

    @property
    def imported(self) -> bool:
        """True for a version stored by ``lists import`` from local files: nothing says the
        files were current when they were imported (they may be an archive)."""
        return any(item.url.startswith("import:") for item in self.files)

    def as_of(self, newest_listing: str | None = None) -> str | None:
        """What the data is as of, when known: the file's publication date, else the newest
        listing date among its records (``newest_listing``)."""
        return self.published or newest_listing

    def data_age_days(self, now: datetime | None = None,
                      newest_listing: str | None = None) -> float:
        """How old the version's data is, for staleness.

        A download from the publisher (``lists update``) is as current as the last time the
        publisher was asked: a file unchanged for weeks is still the current list, so its age
        counts from the last check. An imported file says nothing of when it was current, so
        its age counts from what its data is as of (:meth:`as_of`) when that is known and
        older than the import: a 2016 archive imported today is ten years old, not fresh.
        """
        age = self.age_days(now)
        as_of = self.as_of(newest_listing) if self.imported else None
        if as_of:
            try:
                since = parse_iso(as_of[:10] + "T00:00:00+00:00")
            except ValueError:
                return age
            age = max(age, ((now or utc_now()) - since).total_seconds() / 86400)
        return age

    def to_list_version(self, *, stale: bool = False) -> ListVersion:
        """The citable :class:`ListVersion` of this version."""
        return ListVersion(source=self.source, title=self.title, version=self.sha256,
                           published=self.published, fetched_at=self.fetched_at,
                           record_count=self.record_count, origin="store", url=self.url,
                           stale=stale)


def entity_row(entity: ListEntity) -> tuple[Any, ...]:
    """An entity as a positional tuple of plain values (the source is stored on the version)."""
    return (entity.source_id, entity.lists, entity.programs, entity.entity_type, entity.name,
            tuple((a.name, a.kind, a.strength) for a in entity.aliases), entity.countries,
            entity.addresses, tuple((i.scheme, i.value) for i in entity.identifiers),
            entity.listed_on, entity.removed_on, entity.remarks, entity.citation, entity.url)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""One encoder: ``json.dumps`` with options builds a new encoder on every call."""


def encode_entity(entity: ListEntity) -> str:
    """Compact positional JSON of an entity (the ``entities.data`` column)."""
    return _ENCODER.encode(entity_row(entity))


class _PlainUnpickler(pickle.Unpickler):
    """Unpickles only tuples, strings, numbers and None: no class can be named, so a
    tampered store cannot make loading run code."""

    def find_class(self, module: str, name: str) -> Any:
        raise ListDataError(f"unexpected object {module}.{name} in a stored list snapshot",
                            hint="delete store.sqlite and run 'riskcheck lists update'")


def encode_snapshot(rows: list[tuple[Any, ...]]) -> bytes:
    """The snapshot blob of a version: its entity rows, pickled as plain tuples."""
    return pickle.dumps(tuple(rows), protocol=4)


def decode_snapshot(data: bytes) -> tuple[tuple[Any, ...], ...]:
    """Inverse of :func:`encode_snapshot`."""
    return _PlainUnpickler(io.BytesIO(data)).load()  # type: ignore[no-any-return]


def decode_json_rows(rows: Iterable[str]) -> list[Any]:
    """The JSON ``entities.data`` values of many rows, decoded in one call."""
    # One json.loads over the joined rows: per-call overhead dominates for small documents.
    return json.loads("[" + ",".join(rows) + "]")  # type: ignore[no-any-return]


def build_entities(source: str, rows: Iterable[Any]) -> list[ListEntity]:
    """:class:`ListEntity` objects from rows made by :func:`entity_row` (tuples or JSON lists).

    Loading every current entity (~33k, with ~100k aliases and identifiers) happens on every
    run. Frozen dataclasses pay ``object.__setattr__`` per field in ``__init__``; giving each
    new instance its finished ``__dict__`` builds the identical objects in about half the time.
    """
    new = object.__new__
    assign = object.__setattr__
    out: list[ListEntity] = []
    append = out.append
    for row in rows:
        aliases: tuple[Alias, ...] = ()
        if row[5]:
            built = []
            for item in row[5]:
                alias = new(Alias)
                assign(alias, "__dict__", {"name": item[0], "kind": item[1], "strength": item[2]})
                built.append(alias)
            aliases = tuple(built)
        identifiers: tuple[Identifier, ...] = ()
        if row[8]:
            made = []
            for item in row[8]:
                identifier = new(Identifier)
                assign(identifier, "__dict__", {"scheme": item[0], "value": item[1]})
                made.append(identifier)
            identifiers = tuple(made)
        entity = new(ListEntity)
        assign(entity, "__dict__", {
            "source": source, "source_id": row[0],
            "lists": row[1] if type(row[1]) is tuple else tuple(row[1]),
            "programs": row[2] if type(row[2]) is tuple else tuple(row[2]),
            "entity_type": row[3], "name": row[4], "aliases": aliases,
            "countries": row[6] if type(row[6]) is tuple else tuple(row[6]),
            "addresses": row[7] if type(row[7]) is tuple else tuple(row[7]),
            "identifiers": identifiers, "listed_on": row[9], "removed_on": row[10],
            "remarks": row[11], "citation": row[12], "url": row[13]})
        append(entity)
    return out


class ListStore:
    """An open list store. Use :func:`open_store`; close it (or use ``with``) when done."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self.data_dir = path.parent

    def __enter__(self) -> ListStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise DataError(f"list store {self.path} is busy ({exc})",
                            hint="another riskcheck update is running; retry when it ends") from None
        try:
            yield self._db
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            # Disk full, I/O errors, a lock lost: the transaction is void, the old version stays.
            self._rollback()
            raise DataError(f"cannot write to list store {self.path} ({exc})",
                            hint="check free disk space and permissions; the previous "
                                 "version stays in force") from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite has already rolled back (it does on some I/O errors)

    # --- reading -------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Damage found while reading (flipped bytes, a garbled snapshot or row) is a data
        error naming the store (exit 3), never an internal error. Nothing is changed."""
        try:
            yield
        except RiskcheckError:
            raise
        except _DAMAGE as exc:
            raise corrupt_store(self.path, exc) from None

    def has_data(self) -> bool:
        """True when at least one source has a current version."""
        with self._reading():
            return self._db.execute(
                "SELECT 1 FROM versions WHERE current = 1 LIMIT 1").fetchone() is not None

    def _version(self, row: tuple[Any, ...]) -> StoredVersion:
        with self._reading():
            return self._version_of(row)

    def _version_of(self, row: tuple[Any, ...]) -> StoredVersion:
        files = tuple(StoredFile(**item) for item in json.loads(row[10] or "[]"))
        # Stores written by older releases may hold a URL that today's rules would mask.
        return StoredVersion(id=row[0], source=row[1], title=row[2], fetched_at=row[3],
                             checked_at=row[4], url=redact(row[5]) if row[5] else row[5],
                             sha256=row[6], record_count=row[7],
                             published=row[8], current=bool(row[9]), files=files)

    _COLUMNS = ("id, source, title, fetched_at, checked_at, url, sha256, record_count, "
                "published, current, files")

    def versions(self, source_id: str) -> list[StoredVersion]:
        """Every stored version of a source, newest first."""
        with self._reading():
            rows = self._db.execute(f"SELECT {self._COLUMNS} FROM versions WHERE source = ? "
                                    "ORDER BY id DESC", (source_id,)).fetchall()
        return [self._version(row) for row in rows]

    def version(self, version_id: int) -> StoredVersion:
        """One version by id; :class:`DataError` when it is not stored."""
        with self._reading():
            row = self._db.execute(f"SELECT {self._COLUMNS} FROM versions WHERE id = ?",
                                   (version_id,)).fetchone()
        if row is None:
            raise DataError(f"list version {version_id} is not in the store",
                            hint="see 'riskcheck lists status' for stored versions")
        return self._version(row)

    def current(self, source_id: str | None = None) -> list[StoredVersion]:
        """Current versions (of one source, or all), in source order."""
        sql = f"SELECT {self._COLUMNS} FROM versions WHERE current = 1"
        args: tuple[Any, ...] = ()
        if source_id is not None:
            sql, args = sql + " AND source = ?", (source_id,)
        with self._reading():
            rows = self._db.execute(sql + " ORDER BY source", args).fetchall()
        return [self._version(row) for row in rows]

    def entities(self, version_id: int) -> Iterator[ListEntity]:
        """The entities of one stored version, in stored order."""
        source = self.version(version_id).source
        with self._reading():
            cursor = self._db.execute("SELECT data FROM entities WHERE version_id = ? "
                                      "ORDER BY rowid", (version_id,))
            while batch := cursor.fetchmany(2000):
                built = build_entities(source, decode_json_rows(data for (data,) in batch))
                yield from built

    def current_versions(self, *, max_age_days: int | None = None, now: datetime | None = None,
                         max_ages: Mapping[str, int] | None = None,
                         newest_listings: Mapping[str, str] | None = None,
                         ) -> tuple[ListVersion, ...]:
        """Citable current versions; ``stale`` when their data is older
        (:meth:`StoredVersion.data_age_days`, ``newest_listings`` per source for imported
        files without a publication date) than ``max_age_days`` (e.g. from the policy) when
        given, else than the source's own limit in ``max_ages`` (the catalogue's
        ``max_age_days`` per source), else :data:`DEFAULT_MAX_AGE_DAYS`."""
        ages = max_ages or {}
        newest = newest_listings or {}
        result = []
        for stored in self.current():
            limit = max_age_days if max_age_days is not None else ages.get(
                stored.source, DEFAULT_MAX_AGE_DAYS)
            age = stored.data_age_days(now, newest.get(stored.source))
            result.append(stored.to_list_version(stale=age > limit))
        return tuple(result)

    def entity_set(self, sources: Iterable[str] | None = None, *, max_age_days: int | None = None,
                   now: datetime | None = None,
                   max_ages: Mapping[str, int] | None = None) -> EntitySet:
        """Every entity of the current versions of ``sources`` (all stored sources by default)."""
        wanted = set(sources) if sources is not None else None
        current = {v.source: v.id for v in self.current()
                   if wanted is None or v.source in wanted}
        entities: list[ListEntity] = []
        for source, version_id in current.items():
            with self._reading():
                snapshot = self._db.execute("SELECT data FROM snapshots WHERE version_id = ?",
                                            (version_id,)).fetchone()
                if snapshot is not None:
                    rows: Any = decode_snapshot(snapshot[0])
                else:  # stored before snapshots existed
                    rows = decode_json_rows(data for (data,) in self._db.execute(
                        "SELECT data FROM entities WHERE version_id = ? ORDER BY rowid",
                        (version_id,)))
                entities.extend(build_entities(source, rows))
        # An imported file without a publication date is as of its newest listing.
        newest: dict[str, str] = {}
        for entity in entities:
            if entity.listed_on and entity.listed_on > newest.get(entity.source, ""):
                newest[entity.source] = entity.listed_on
        versions = [v for v in self.current_versions(max_age_days=max_age_days, now=now,
                                                     max_ages=max_ages, newest_listings=newest)
                    if v.source in current]
        return EntitySet(entities=tuple(entities), versions=tuple(versions), bundled=False)

    # --- writing -------------------------------------------------------------------------

    def add_version(self, source_id: str, entities: Iterable[ListEntity], meta: VersionMeta, *,
                    min_records: int = 1, previous_count: int | None = None,
                    max_shrink: float | None = None) -> ListVersion:
        """Store a new version and make it current, atomically.

        ``entities`` is consumed inside the transaction; if it raises, or yields fewer than
        ``min_records`` entities (:class:`ListDataError`), nothing changes. With
        ``previous_count`` and ``max_shrink`` (percent), a version with more than that share
        fewer records than the stored one is refused (:class:`ShrinkRefused`).
        """
        count = 0
        snapshot: list[tuple[Any, ...]] = []

        def rows(version_id: int) -> Iterator[tuple[int, str, str, str]]:
            nonlocal count
            encode = _ENCODER.encode
            for entity in entities:
                count += 1
                row = entity_row(entity)
                snapshot.append(row)
                yield version_id, entity.source_id, entity.name, encode(row)

        files = json.dumps([file.__dict__ for file in meta.files], separators=(",", ":"))
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO versions (source, title, fetched_at, checked_at, url, etag, "
                "last_modified, sha256, published, files) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (source_id, meta.title, meta.fetched_at, meta.fetched_at, meta.url,
                 meta.files[0].etag if meta.files else None,
                 meta.files[0].last_modified if meta.files else None, meta.sha256,
                 meta.published, files))
            version_id = int(cursor.lastrowid or 0)
            db.executemany("INSERT INTO entities (version_id, source_id, name, data) "
                           "VALUES (?, ?, ?, ?)", rows(version_id))
            floor = max(1, min_records)
            if count < floor:
                raise ListDataError(
                    f"{source_id}: only {count} records parsed, expected at least {floor}",
                    hint="the download looks partial or the format changed; the previous "
                         "version stays in force (an archived, smaller edition can be "
                         f"imported with 'riskcheck lists import {source_id} ... "
                         f"--min-records {count}')")
            if previous_count and max_shrink is not None and count < previous_count:
                shrink = 100.0 * (previous_count - count) / previous_count
                if shrink > max_shrink:
                    raise ShrinkRefused(
                        f"{source_id}: refused: {count} records, {shrink:.0f}% fewer than "
                        f"stored {previous_count}; --accept-shrink to take it",
                        hint=f"more than {max_shrink:g}% fewer records looks like a partial "
                             "download; the previous version stays in force (per-source "
                             "setting max_shrink)")
            db.execute("UPDATE versions SET record_count = ? WHERE id = ?", (count, version_id))
            # The whole version as one blob of plain tuples: loading it for every run is
            # several times faster than decoding ~30k JSON rows (see bench/bench_lists.py).
            db.execute("INSERT INTO snapshots (version_id, data) VALUES (?, ?)",
                       (version_id, encode_snapshot(snapshot)))
            # The pointer flips last: until COMMIT, readers keep seeing the old version.
            db.execute("UPDATE versions SET current = 0 WHERE source = ? AND current = 1",
                       (source_id,))
            db.execute("UPDATE versions SET current = 1 WHERE id = ?", (version_id,))
            db.execute("INSERT INTO sources (id, title, current_version) VALUES (?, ?, ?) "
                       "ON CONFLICT(id) DO UPDATE SET title = excluded.title, "
                       "current_version = excluded.current_version",
                       (source_id, meta.title, version_id))
            self._prune(db, source_id)
        return self.version(version_id).to_list_version()

    def note_refusal(self, source_id: str, message: str | None) -> None:
        """Remember (or, with None, forget) why the last new version of a source was refused."""
        with self._write() as db:
            if message is None:
                db.execute("DELETE FROM meta WHERE key = ?", (f"refused:{source_id}",))
            else:
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                           (f"refused:{source_id}", message))

    def refusals(self) -> dict[str, str]:
        """Source id -> the message of its last refused version (see :meth:`note_refusal`)."""
        with self._reading():
            return {key.removeprefix("refused:"): value for key, value in self._db.execute(
                "SELECT key, value FROM meta WHERE key LIKE 'refused:%'")}

    def touch(self, version_id: int, checked_at: str) -> None:
        """Record that the publisher confirmed this version is still current (304 / same digest)."""
        with self._write() as db:
            db.execute("UPDATE versions SET checked_at = ? WHERE id = ?", (checked_at, version_id))

    def _prune(self, db: sqlite3.Connection, source_id: str) -> None:
        old = [row[0] for row in db.execute(
            "SELECT id FROM versions WHERE source = ? AND current = 0 ORDER BY id DESC "
            "LIMIT -1 OFFSET ?", (source_id, KEEP_VERSIONS - 1))]
        for version_id in old:
            db.execute("DELETE FROM entities WHERE version_id = ?", (version_id,))
            db.execute("DELETE FROM snapshots WHERE version_id = ?", (version_id,))
            db.execute("DELETE FROM versions WHERE id = ?", (version_id,))


def open_store(data_dir: Path | None = None, *, create: bool = True,
               read_only: bool = False) -> ListStore:
    """Open (and with ``create``, make) the store in ``data_dir``.

    With ``read_only`` (every command that only reads: check, screen, lists status, search,
    diff) the file is opened read-only and nothing in it changes, not even its journal mode,
    so a pre-seeded store on a read-only mount or without write permission can be read. Only
    a store written by an older riskcheck is then opened for writing, to upgrade it.

    Raises :class:`DataError` with one line when the directory is unwritable, the store is
    missing (``create=False``) or the file is not a riskcheck store.
    """
    directory = (data_dir or default_data_dir()).expanduser()
    path = directory / STORE_NAME
    hint_dir = "choose a writable --data-dir (or set RISKCHECK_DATA_DIR)"
    if read_only and path.is_file():
        store = _open_read_only(path)
        if store is not None:
            return store
        create = False  # older schema: upgraded below, when the file can be written
    if not path.exists():
        if not create:
            raise StoreMissingError(f"list store not found in {directory}",
                            hint="run 'riskcheck lists update' (or 'lists import') first")
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DataError(f"cannot create data directory {directory}: {exc.strerror}",
                            hint=hint_dir) from None
        if not os.access(directory, os.W_OK | os.X_OK):
            raise DataError(f"data directory {directory} is not writable", hint=hint_dir)
    elif path.is_dir():
        raise DataError(f"list store {path} is a directory", hint="remove it or choose another --data-dir")
    try:
        connection = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                     check_same_thread=False)
    except sqlite3.Error as exc:
        raise DataError(f"cannot open list store {path}: {exc}", hint=hint_dir) from None
    try:
        _prepare(connection, path)
    except (sqlite3.DatabaseError, UnicodeError, ValueError) as exc:
        connection.close()
        text = str(exc)
        if "readonly" in text or "unable to open" in text or "disk I/O" in text:
            raise DataError(f"list store {path} is not writable ({text})", hint=hint_dir) from None
        raise corrupt_store(path, text) from None
    except DataError:
        connection.close()
        raise
    return ListStore(connection, path)


def _open_read_only(path: Path) -> ListStore | None:
    """The store opened read-only; None when its schema is older and needs an upgrade."""
    from urllib.parse import quote

    uri = "file:" + quote(str(path.resolve()))
    connection = None
    # mode=ro first; "immutable" when even that needs a file it cannot create (the -shm of a
    # WAL store in a read-only directory): then nobody can be writing to it either.
    for suffix in ("?mode=ro", "?mode=ro&immutable=1"):
        try:
            connection = sqlite3.connect(uri + suffix, uri=True, timeout=BUSY_TIMEOUT_S,
                                         isolation_level=None, check_same_thread=False)
            connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            version = _schema_version(connection, path)
            break
        except sqlite3.OperationalError as exc:
            if connection is not None:
                connection.close()
                connection = None
            if "unable to open" in str(exc) or "readonly" in str(exc):
                continue
            raise corrupt_store(path, exc) from None
        except DataError:
            if connection is not None:
                connection.close()
            raise
        except _DAMAGE as exc:
            if connection is not None:
                connection.close()
            raise corrupt_store(path, exc) from None
    else:
        raise DataError(f"cannot open list store {path} for reading",
                        hint="check its permissions, or choose another --data-dir")
    assert connection is not None
    if version != SCHEMA_VERSION:
        connection.close()
        return None
    return ListStore(connection, path)


def _schema_version(db: sqlite3.Connection, path: Path) -> int | None:
    """The store's schema version; None for an empty database; errors for anything else."""
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "meta" not in tables:
        if tables:
            raise sqlite3.DatabaseError("unexpected tables " + ", ".join(sorted(tables)))
        return None
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    text = row[0] if row else "0"
    try:
        version = int(text)
    except (TypeError, ValueError):
        raise sqlite3.DatabaseError(f"schema_version {str(text)[:20]!r} is not a number") from None
    if version > SCHEMA_VERSION:
        raise DataError(f"list store {path} was written by a newer riskcheck (schema {version})",
                        hint="upgrade riskcheck or use another --data-dir")
    if version < 0:
        raise sqlite3.DatabaseError(f"schema_version {version} is not a version")
    return version


def _prepare(db: sqlite3.Connection, path: Path) -> None:
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    if db.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
        raise sqlite3.DatabaseError("cannot switch to WAL journal mode")
    db.execute("PRAGMA synchronous = NORMAL")
    if _schema_version(db, path) == SCHEMA_VERSION:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        for statement in filter(None, (part.strip() for part in _SCHEMA.split(";"))):
            db.execute(statement)
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                   (str(SCHEMA_VERSION),))
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
