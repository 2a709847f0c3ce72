"""``lists update`` and ``lists import``: fetch, parse, check and store each source.

Sources are independent: one that fails (download, parse, implausible record count) is
reported in one line and keeps its previous version in force, and the others go on.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from riskcheck.errors import InputError, RiskcheckError
from riskcheck.lists.catalogue import Catalogue, FileSpec, SourceSpec, load_catalogue
from riskcheck.lists.download import Fetched, fetch_file, make_session
from riskcheck.redact import redact
from riskcheck.lists.interface import ListParser
from riskcheck.lists.interface import ListDataError
from riskcheck.lists.store import (
    ListStore,
    ShrinkRefused,
    StoredFile,
    StoredVersion,
    VersionMeta,
    iso,
    open_store,
    utc_now,
)
from riskcheck.model import ListEntity, ListVersion
from riskcheck.progress import NULL_PROGRESS, Progress

if TYPE_CHECKING:
    import requests

ParserFactory = Callable[[str, str], ListParser]
Status = Literal["updated", "unchanged", "failed", "offline"]


@dataclass(frozen=True)
class SourceOutcome:
    """What happened to one source in an update or import."""

    source: str
    title: str
    status: Status
    message: str
    """One line: what happened and, for failures, what to do."""
    version: ListVersion | None = None
    """The version in force after the run (the previous one when the update failed)."""
    previous_count: int | None = None

    @property
    def failed(self) -> bool:
        """True when the source could not be brought up to date."""
        return self.status == "failed"


def default_parser_factory(format_id: str, source_id: str) -> ListParser:
    """The real parsers (imported on first use)."""
    from riskcheck.lists.parsers import get_parser

    return get_parser(format_id, source_id)


def update_lists(source_ids: Iterable[str] | None = None, *, data_dir: Path | None = None,
                 catalogue: Catalogue | None = None, store: ListStore | None = None,
                 session: requests.Session | None = None, progress: Progress = NULL_PROGRESS,
                 offline: bool = False, parser_factory: ParserFactory | None = None,
                 now: datetime | None = None, accept_shrink: bool = False,
                 timeout: float | None = None,
                 on_new_version: Callable[[Progress], None] | None = None) -> list[SourceOutcome]:
    """Update the named sources (every enabled one by default); one outcome per source.

    ``accept_shrink`` stores a version even when it has far fewer records than the stored
    one; ``timeout`` is the total seconds allowed per file (default: see download.py);
    ``on_new_version`` runs once after a new version was stored in the user's store (the
    CLI builds the name index there, so the next run does not).
    """
    catalogue = catalogue or load_catalogue(data_dir)
    selected = catalogue.select(source_ids)
    own_store = store is None
    store = store or open_store(data_dir)
    try:
        if offline:
            return [_offline(spec, store) for spec in selected]
        session = session or make_session()
        factory = parser_factory or default_parser_factory
        outcomes = [_update_source(spec, store, session, progress, factory, now or utc_now(),
                                   accept_shrink=accept_shrink, timeout=timeout)
                    for spec in selected]
    finally:
        if own_store:
            store.close()
    _after_store(outcomes, progress, own_store, on_new_version)
    return outcomes


def _after_store(outcomes: Sequence[SourceOutcome], progress: Progress, own_store: bool,
                 on_new_version: Callable[[Progress], None] | None) -> None:
    """A new version stored in the user's store: run the caller's follow-up (the name index
    build) now, so the first check or screen after the update does not pay for it."""
    if on_new_version is not None and own_store and any(o.status == "updated" for o in outcomes):
        on_new_version(progress)


def _offline(spec: SourceSpec, store: ListStore) -> SourceOutcome:
    current = _current(store, spec.id)
    if current is None:
        return SourceOutcome(spec.id, spec.title, "failed",
                             f"{spec.id}: nothing stored and --offline forbids downloading; run "
                             "'riskcheck lists update' online or 'riskcheck lists import'")
    return SourceOutcome(spec.id, spec.title, "offline",
                         f"{spec.id}: offline, keeping version fetched {current.fetched_at}",
                         current.to_list_version(), current.record_count)


def _current(store: ListStore, source_id: str) -> StoredVersion | None:
    found = store.current(source_id)
    return found[0] if found else None


def combined_digest(fetched: Sequence[Fetched]) -> str:
    """One digest for a version: the file's own sha256, or a digest over role=sha256 lines."""
    if len(fetched) == 1:
        return fetched[0].sha256
    lines = "".join(f"{item.role}={item.sha256}\n" for item in sorted(fetched, key=lambda f: f.role))
    return hashlib.sha256(lines.encode()).hexdigest()


def _update_source(spec: SourceSpec, store: ListStore, session: requests.Session,
                   progress: Progress, factory: ParserFactory, now: datetime, *,
                   accept_shrink: bool = False, timeout: float | None = None) -> SourceOutcome:
    current = _current(store, spec.id)
    previous_count = current.record_count if current else None
    kept = current.to_list_version() if current else None
    workdir = _workdir(store)
    try:
        fetched = _fetch_all(spec, session, workdir, current, progress, timeout)
        if fetched is None:
            assert current is not None
            store.touch(current.id, iso(now))
            store.note_refusal(spec.id, None)  # the publisher is back to the stored version
            return SourceOutcome(spec.id, spec.title, "unchanged",
                                 f"{spec.id}: not modified since {current.fetched_at} (HTTP 304)",
                                 current.to_list_version(), previous_count)
        digest = combined_digest(fetched)
        if current is not None and current.sha256 == digest:
            store.touch(current.id, iso(now))
            store.note_refusal(spec.id, None)  # the publisher is back to the stored version
            return SourceOutcome(spec.id, spec.title, "unchanged",
                                 f"{spec.id}: same content as the version fetched {current.fetched_at}",
                                 current.to_list_version(), previous_count)
        version = _parse_and_store(spec, store, factory, fetched, digest, now,
                                   previous_count=previous_count, accept_shrink=accept_shrink)
        change = "" if previous_count is None else f" (was {previous_count})"
        return SourceOutcome(spec.id, spec.title, "updated",
                             f"{spec.id}: stored {version.record_count} records{change}",
                             version, previous_count)
    except RiskcheckError as exc:
        return SourceOutcome(spec.id, spec.title, "failed", _failure(spec, str(exc), kept),
                             kept, previous_count)
    except (ValueError, LookupError, OSError, UnicodeError, TypeError, AttributeError) as exc:
        # A parser bug or an unforeseen file shape must not stop the other sources.
        detail = redact(f"{type(exc).__name__}: {exc}".splitlines()[0])[:200]
        return SourceOutcome(spec.id, spec.title, "failed",
                             _failure(spec, f"could not read the {spec.format} files ({detail}); "
                                      "report this with RISKCHECK_DEBUG=1", kept),
                             kept, previous_count)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _failure(spec: SourceSpec, reason: str, kept: ListVersion | None) -> str:
    reason = reason if reason.startswith((f"{spec.id}:", f"{spec.id} ")) else f"{spec.id}: {reason}"
    if kept is None:
        return f"{reason} (nothing stored yet for this list)"
    return f"{reason} (keeping version fetched {kept.fetched_at})"


STALE_TEMP_S = 24 * 3600


def _workdir(store: ListStore) -> Path:
    base = store.data_dir / "tmp"
    base.mkdir(parents=True, exist_ok=True)
    # A killed update cannot clean up after itself; the next one does (a day later, so a
    # concurrent update's folder is never touched).
    cutoff = time.time() - STALE_TEMP_S
    for leftover in base.glob("update-*"):
        try:
            if leftover.stat().st_mtime < cutoff:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            continue
    return Path(tempfile.mkdtemp(prefix="update-", dir=base))


def _fetch_all(spec: SourceSpec, session: requests.Session, workdir: Path,
               current: StoredVersion | None, progress: Progress,
               timeout: float | None = None) -> list[Fetched] | None:
    """Fetch every file; None when the publisher says none of them changed (all 304)."""
    before = {item.role: item for item in current.files} if current else {}

    def previous(file: FileSpec) -> StoredFile | None:
        known = before.get(file.role)
        # A validator only means something for the URL it came from (a variant switch or
        # a config override changes the URL).
        return known if known is not None and known.url == redact(file.url) else None

    results = [fetch_file(session, file, workdir, format_id=spec.format,
                          previous=previous(file), progress=progress,
                          label=f"{spec.id} {file.filename}", deadline=timeout)
               for file in spec.files]
    if all(item.not_modified for item in results):
        return None
    by_role = {file.role: file for file in spec.files}
    # Some files changed and some did not: the unchanged ones are not kept locally, so
    # fetch them again in full to parse a coherent set.
    return [fetch_file(session, by_role[item.role], workdir, format_id=spec.format,
                       progress=progress, label=f"{spec.id} {by_role[item.role].filename}",
                       deadline=timeout)
            if item.not_modified else item for item in results]


def _parse_and_store(spec: SourceSpec, store: ListStore, factory: ParserFactory,
                     fetched: Sequence[Fetched], digest: str, now: datetime,
                     url: str | None = None, *, previous_count: int | None = None,
                     accept_shrink: bool = False) -> ListVersion:
    parser = factory(spec.format, spec.id)
    files: Mapping[str, Path] = {item.role: item.path for item in fetched if item.path}
    published = parser.published(files)
    meta = VersionMeta(
        title=spec.title, sha256=digest, fetched_at=iso(now),
        url=url or redact(spec.main_url), published=published,
        files=tuple(StoredFile(role=item.role, url=item.url, sha256=item.sha256, size=item.size,
                               etag=item.etag, last_modified=item.last_modified)
                    for item in fetched))
    entities = parser.parse(files)
    if spec.format in OFAC_LEGACY_FORMATS:
        # Checked once every row parsed: a file of the wrong layout gets the parser's own
        # message, and an error raised here still rolls the whole version back.
        entities = _then_check_eof(entities, [item.path for item in fetched if item.path],
                                   spec.id)
    try:
        version = store.add_version(spec.id, entities, meta,
                                    min_records=spec.min_records, previous_count=previous_count,
                                    max_shrink=None if accept_shrink else spec.max_shrink)
    except ShrinkRefused as exc:
        store.note_refusal(spec.id, str(exc))
        raise
    store.note_refusal(spec.id, None)
    return version


OFAC_LEGACY_FORMATS = {"ofac_legacy_csv"}
EOF_MARKER = b"\x1a"
"""OFAC's legacy CSVs (SDN.CSV, ADD.CSV, ALT.CSV, SDN_COMMENTS.CSV) end with a line holding 0x1A."""


def _then_check_eof(entities: Iterable[ListEntity], paths: Sequence[Path],
                    source_id: str) -> Iterator[ListEntity]:
    yield from entities
    for path in paths:
        check_eof_marker(path, f"{source_id} {path.name}")


def check_eof_marker(path: Path, label: str) -> None:
    """Refuse an OFAC legacy CSV whose last line is not the end-of-file marker (truncated)."""
    with path.open("rb") as reader:
        reader.seek(0, 2)
        reader.seek(max(0, reader.tell() - 16))
        tail = reader.read()
    if tail.rstrip(b"\r\n \t")[-1:] != EOF_MARKER:
        raise ListDataError(f"{label}: no end-of-file marker (0x1A) at the end; the file is "
                            "truncated", hint="retry; the previous version stays in force")


def infer_role(spec: SourceSpec, path: Path) -> str:
    """Which file role of ``spec`` a local file plays, from its name (``SDN.CSV`` -> main)."""
    roles = spec.file_map()
    if len(roles) == 1:
        return "main"
    name = path.name.lower()
    for suffix in (".gz", ".zip"):
        name = name.removesuffix(suffix)
    for role, file in roles.items():
        if file.filename.lower() == name:
            return role
    stem = name.rsplit(".", 1)[0]
    for role in roles:
        if stem == role or stem.endswith((f"_{role}", f"-{role}")):
            return role
    expected = ", ".join(f"{role}={file.filename}" for role, file in roles.items())
    raise InputError(f"cannot tell which file of {spec.id} this is", path=str(path),
                     hint=f"name it as published or pass ROLE=FILE ({expected})")


IMPORT_HINT = "check that the file is the list as its publisher publishes it"


def import_error(exc: ListDataError, spec: SourceSpec, roles: Mapping[str, Path],
                 catalogue: Catalogue) -> ListDataError:
    """A parse failure of an import, said about the files the user gave.

    The parser reads a copy named as the source's download (``UK-Sanctions-List.xml``); the
    message names the given file instead. When the file is recognisably another official file
    (the OFSI ConList.csv given to the UK Sanctions List source), the one line says what it
    looks like and the command that imports it: with the source's variant for that format,
    without ``--variant``, or under the source it belongs to.
    """
    from riskcheck.lists.catalogue import shipped_formats
    from riskcheck.lists.identify import identify

    known = spec.file_map()
    message = exc.message
    for role, path in roles.items():
        copy = known[role].filename if role in known else None
        if copy and Path(path).name != copy:
            for prefix in (f"{copy}:", f"{spec.id} {copy}:"):
                if message.startswith(prefix):
                    message = f"{Path(path).name}:" + message[len(prefix):]
    for path in roles.values():
        kind = identify(Path(path))
        if kind is None or kind.format == spec.format:
            continue
        name = Path(path).name
        formats = shipped_formats(spec.id)
        variant = next((v for v, f in formats.items() if f == kind.format), "absent")
        what = f"{name} looks like {kind.what}, not the file {spec.id} reads"
        if variant is None:
            return ListDataError(f"{what} with --variant {spec.variant}",
                                 hint=f"import it without --variant: riskcheck lists import "
                                      f"{spec.id} {name}")
        if variant != "absent":
            return ListDataError(f"{what} by default",
                                 hint=f"import it with its {variant} variant: riskcheck lists "
                                      f"import {spec.id} {name} --variant {variant}")
        for other in catalogue.sources:
            if other.id == spec.id:
                continue
            if other.format == kind.format:
                return ListDataError(what, hint=f"it is a file of {other.id}: riskcheck lists "
                                                f"import {other.id} {name}")
            named = next((v for v, f in shipped_formats(other.id).items()
                          if v is not None and f == kind.format), None)
            if named is not None:
                return ListDataError(what, hint=f"it is a file of {other.id}: riskcheck lists "
                                                f"import {other.id} {name} --variant {named}")
    hint = exc.hint
    if hint is None or "lists update" in hint:
        hint = f"{IMPORT_HINT} ({spec.title})"
    return ListDataError(message, hint=hint)


def import_files(source_id: str, files: Sequence[Path] | Mapping[str, Path], *,
                 data_dir: Path | None = None, catalogue: Catalogue | None = None,
                 store: ListStore | None = None, parser_factory: ParserFactory | None = None,
                 now: datetime | None = None, accept_shrink: bool = False,
                 progress: Progress = NULL_PROGRESS,
                 on_new_version: Callable[[Progress], None] | None = None) -> SourceOutcome:
    """Store a version of ``source_id`` from local files (an air-gapped update).

    ``files`` maps roles to paths, or lists paths whose role is inferred from the file name.
    Unlike an update, a failure raises (the caller asked for exactly this import).
    """
    outcome = _import_files(source_id, files, data_dir=data_dir, catalogue=catalogue, store=store,
                            parser_factory=parser_factory, now=now, accept_shrink=accept_shrink)
    _after_store([outcome], progress, store is None, on_new_version)
    return outcome


def _import_files(source_id: str, files: Sequence[Path] | Mapping[str, Path], *,
                  data_dir: Path | None, catalogue: Catalogue | None, store: ListStore | None,
                  parser_factory: ParserFactory | None, now: datetime | None,
                  accept_shrink: bool) -> SourceOutcome:
    catalogue = catalogue or load_catalogue(data_dir)
    spec = catalogue.get(source_id)
    if isinstance(files, Mapping):
        roles = dict(files)
    else:
        roles = {}
        for path in files:
            role = infer_role(spec, path)
            if role in roles:
                raise InputError(f"two files for role {role!r} of {spec.id}", path=str(path),
                                 hint="pass each file of the set once")
            roles[role] = path
    known = spec.file_map()
    for role, path in roles.items():
        if role not in known:
            raise InputError(f"{spec.id} has no file role {role!r}", path=str(path),
                             hint=f"roles: {', '.join(known)}")
    missing = [role for role in known if role not in roles and role == "main"]
    if missing:
        raise InputError(f"{spec.id} needs its main file ({known['main'].filename})",
                         hint="pass it with the others")
    own_store = store is None
    store = store or open_store(data_dir)
    workdir = _workdir(store)
    try:
        current = _current(store, spec.id)
        fetched = []
        for role, path in roles.items():
            local = FileSpec(role=role, url=str(Path(path).resolve()),
                             filename=known[role].filename, local=True)
            item = fetch_file(None, local, workdir, format_id=spec.format,  # type: ignore[arg-type]
                              label=f"{spec.id} {Path(path).name}")
            fetched.append(Fetched(role=role, url=f"import:{Path(path).name}", not_modified=False,
                                   path=item.path, sha256=item.sha256, size=item.size))
        digest = combined_digest(fetched)
        if current is not None and current.sha256 == digest:
            return SourceOutcome(spec.id, spec.title, "unchanged",
                                 f"{spec.id}: same content as the stored version "
                                 f"fetched {current.fetched_at}", current.to_list_version(),
                                 current.record_count)
        try:
            version = _parse_and_store(spec, store, parser_factory or default_parser_factory,
                                       fetched, digest, now or utc_now(),
                                       url=redact(spec.main_url),
                                       previous_count=current.record_count if current else None,
                                       accept_shrink=accept_shrink)
        except ListDataError as exc:
            raise import_error(exc, spec, roles, catalogue) from None
        return SourceOutcome(spec.id, spec.title, "updated",
                             f"{spec.id}: imported {version.record_count} records",
                             version, current.record_count if current else None)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if own_store:
            store.close()
