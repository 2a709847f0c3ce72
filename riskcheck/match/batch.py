"""Screening many names at once (supplier audits): read a names file, screen, render CSV/JSON."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from riskcheck.errors import InputError
from riskcheck.lists.interface import EntitySet
from riskcheck.match.engine import MatchEngine, ScoredCandidate
from riskcheck.progress import NULL_PROGRESS, Progress
from riskcheck.spreadsheet import defuse

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class NameQuery:
    """One name to screen, with its optional country and where it was read."""

    name: str
    country: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class NameResult:
    """The hits of one query at or above the reporting threshold."""

    query: NameQuery
    hits: tuple[ScoredCandidate, ...]


def entity_set_key(entity_set: EntitySet) -> str:
    """Cache key of an entity set's name index.

    A stored version's id is the sha256 of the files it was parsed from; riskcheck's version
    stands for the parsers that read them. Bundled snapshot entries carry only a label, which
    an edited entry (a new alias) does not change: their content is part of the key (about a
    hundred entries, well under a millisecond), so the index is never one built for other
    names (which used to fail with an internal error).
    """
    from riskcheck import __version__

    digest = hashlib.sha256(__version__.encode("utf-8"))
    for line in sorted(f"{v.source}:{v.version}:{v.record_count}" for v in entity_set.versions):
        digest.update(line.encode("utf-8") + b"\n")
    for entity in entity_set.entities:
        if entity.source == "bundled":
            digest.update(repr((entity.source_id, entity.name, entity.entity_type,
                                tuple((a.name, a.kind, a.strength) for a in entity.aliases),
                                entity.lists, entity.programs, entity.countries,
                                entity.listed_on, entity.removed_on)).encode("utf-8"))
    return digest.hexdigest()[:24]


def engine_for(entity_set: EntitySet, cache_dir: Path | None) -> MatchEngine:
    """A matching engine over an entity set, its index cached under ``cache_dir``."""
    return MatchEngine(entity_set.entities, cache_dir=cache_dir,
                       cache_key=entity_set_key(entity_set) if cache_dir else None)


def read_names(path: Path) -> list[NameQuery]:
    """Names from a CSV (header with ``name``, optional ``country``) or JSON file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read names file: {exc}", path=str(path),
                         hint="give a UTF-8 CSV or JSON file") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        return _json_names(text, path)
    return _csv_names(text, path)


def _json_names(text: str, path: Path) -> list[NameQuery]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", path=str(path), line=exc.lineno,
                         column=exc.colno, hint="fix the JSON syntax") from None
    if isinstance(data, dict) and isinstance(data.get("names"), list):
        data = data["names"]
    if not isinstance(data, list):
        raise InputError("expected a list of names or of {name, country} objects", path=str(path))
    out: list[NameQuery] = []
    for number, item in enumerate(data, start=1):
        if isinstance(item, str):
            name, country = item, None
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            name, country = item["name"], item.get("country")
        else:
            raise InputError(f"entry {number} is neither a name nor an object with a 'name'",
                             path=str(path), hint="write \"Name\" or {\"name\": ..., \"country\": ...}")
        if name.strip():
            out.append(NameQuery(name.strip(), _country(country, path, number), number))
    return out


def _csv_names(text: str, path: Path) -> list[NameQuery]:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    if "name" in header:
        name_col, country_col, body, first = header.index("name"), (
            header.index("country") if "country" in header else None), rows[1:], 2
    else:  # no header: one name per row, optional country in the second column
        name_col, country_col, body, first = 0, 1 if len(rows[0]) > 1 else None, rows, 1
    out: list[NameQuery] = []
    for line, row in enumerate(body, start=first):
        if not row or name_col >= len(row) or not row[name_col].strip():
            continue
        country = row[country_col] if country_col is not None and country_col < len(row) else None
        out.append(NameQuery(row[name_col].strip(), _country(country, path, line), line))
    return out


def _country(value: object, path: Path, line: int) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    code = _country_code(value)
    if code is None:
        raise InputError(f"country {value!r} is neither an ISO 3166 code nor a country name",
                         path=str(path), line=line,
                         hint="write e.g. CN, China, RU (quote names that contain commas)")
    return code


def _country_code(value: object) -> str | None:
    """ISO alpha-2 code of a country written as an alpha-2 or alpha-3 code (any case) or a
    name ("China", "People's Republic of China"); None when it is neither."""
    from riskcheck.territories import user_code

    return user_code(value) if isinstance(value, str) else None


def country_argument(value: str | None, option: str) -> str | None:
    """A ``--country`` value as an ISO alpha-2 code; an unknown one is refused."""
    if value is None or not value.strip():
        return None
    code = _country_code(value)
    if code is None:
        raise InputError(f"{option} {value!r} is neither an ISO 3166 code nor a country name",
                         hint="write e.g. CN, China or \"People's Republic of China\"")
    return code


_CHUNK = 32
"""Names per round trip to a worker: large enough to amortise the transfer, small enough to
keep the work even between processes (and the progress bar moving)."""
_IN_FLIGHT = 4
"""Chunks queued per worker, so a worker never waits for the parent to hand it work."""

# The engine the pool's workers screen with: set before the pool forks, so every worker
# shares the parent's loaded index instead of loading or receiving a copy.
_worker_engine: MatchEngine | None = None
_worker_slots: dict[int, int] = {}


@dataclass(frozen=True)
class Workers:
    """Forked worker processes screening beside the parent process."""

    pool: Pool
    size: int


def usable_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def default_jobs() -> int:
    """Processes for batch screening: one per usable core that other work leaves idle (the
    one-minute load average, rounded), at least one.

    A worker on a core other work already uses does not add speed, it takes it: on a 2-core
    machine with a load average of 3, two processes screened 0.5-0.7 times as many names per
    second as one (2026-12-05), each process needing about 1.4 times the CPU time per name.
    """
    cores = usable_cores()
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # not available on this platform
        busy = 0.0
    return max(1, min(cores, int(cores - busy + 0.5)))


@contextmanager
def screening_pool(engine: MatchEngine, jobs: int, names: int) -> Iterator[Workers | None]:
    """``jobs - 1`` worker processes sharing ``engine`` (the parent is the other one), or None
    when one process is as fast; the context of a batch screening, workers or not.

    Workers are forked (they inherit the loaded index for free); where fork is not
    available, or for fewer names than a few rounds of work, screening stays in-process.
    Open the pool before starting threads (a progress bar): fork copies only this thread.
    """
    import gc
    import multiprocessing  # only batch screening pays for it

    global _worker_engine
    # The loaded entities and index (millions of objects) live as long as the run: frozen,
    # the garbage collector stops rescanning them (about a tenth of the screening time), and
    # forked workers keep sharing their memory pages instead of copying them as the
    # collector touches them.
    gc.freeze()
    # A search makes no reference cycles (a collection after screening thousands of names
    # finds nothing to free; tests/match/test_batch.py keeps it so): reference counting frees
    # every object it makes, and the cyclic collector, whose passes over the objects that
    # outlive a search (the engine's caches) cost about 5% of the screening, is paused.
    collecting = gc.isenabled()
    gc.disable()
    try:
        size = min(jobs - 1, names // (4 * _CHUNK))
        if size < 1 or "fork" not in multiprocessing.get_all_start_methods():
            yield None
            return
        _worker_engine = engine
        _worker_slots.clear()
        pool = multiprocessing.get_context("fork").Pool(size)
        try:
            yield Workers(pool, size)
        finally:
            pool.terminate()
            pool.join()
            _worker_engine = None
    finally:
        if collecting:
            gc.enable()
        gc.unfreeze()


def _search_chunk(engine: MatchEngine, names: Sequence[tuple[str, str | None]], threshold: float,
                  limit: int) -> list[list[ScoredCandidate]]:
    return [engine.search(name, country=country, limit=limit, min_score=threshold)
            for name, country in names]


def _screen_chunk(job: tuple[list[tuple[str, str | None]], float, int]) -> list[list[tuple]]:
    """In a worker: the hits of each name, with entities as positions in the engine's
    sequence (an entity is rebuilt from its position, not pickled)."""
    names, threshold, limit = job
    engine = _worker_engine
    assert engine is not None, "screening worker started without an engine"
    if not _worker_slots:
        _worker_slots.update((id(entity), slot) for slot, entity in enumerate(engine.entities))
    return [[(_worker_slots[id(hit.entity)], hit.score, hit.band, hit.status, hit.explanation)
             for hit in hits] for hits in _search_chunk(engine, names, threshold, limit)]


def screen_names(engine: MatchEngine, queries: Sequence[NameQuery], *, threshold: float,
                 limit: int = 10, pool: Workers | None = None,
                 progress: Progress = NULL_PROGRESS) -> list[NameResult]:
    """Screen each query; keep the hits scoring at least ``threshold``.

    With ``pool`` (from :func:`screening_pool`) the workers and this process screen chunks
    of names side by side; the results are the same, in the same order.
    """
    progress.start("screen", "Screening names", total=len(queries))
    try:
        if pool is None:
            results = []
            for query in queries:
                hits = engine.search(query.name, country=query.country, limit=limit, min_score=threshold)
                results.append(NameResult(query, tuple(hits)))
                progress.advance("screen", 1)
            return results
        return _screen_side_by_side(engine, queries, threshold, limit, pool, progress)
    finally:
        progress.finish("screen")


def _screen_side_by_side(engine: MatchEngine, queries: Sequence[NameQuery], threshold: float,
                         limit: int, workers: Workers, progress: Progress) -> list[NameResult]:
    from collections import deque

    chunks = [[(q.name, q.country) for q in queries[i:i + _CHUNK]]
              for i in range(0, len(queries), _CHUNK)]
    found: list[list[list[ScoredCandidate]] | None] = [None] * len(chunks)
    queued: deque = deque()
    entities = engine.entities

    def settle() -> None:
        index, pending = queued.popleft()
        found[index] = [[ScoredCandidate(entities[slot], score, band, status, explanation)
                         for slot, score, band, status, explanation in hits]
                        for hits in pending.get()]
        progress.advance("screen", len(chunks[index]))

    following = 0
    while following < len(chunks) or queued:
        while following < len(chunks) and len(queued) < _IN_FLIGHT * workers.size:
            job = (chunks[following], threshold, limit)
            queued.append((following, workers.pool.apply_async(_screen_chunk, (job,))))
            following += 1
        while queued and queued[0][1].ready():
            settle()
        if following < len(chunks):
            # This process screens a chunk itself rather than wait for the workers.
            found[following] = _search_chunk(engine, chunks[following], threshold, limit)
            progress.advance("screen", len(chunks[following]))
            following += 1
        elif queued:
            settle()
    return [NameResult(query, tuple(hits))
            for query, hits in zip(queries, (hits for chunk in found for hits in chunk or ()))]


def hit_record(hit: ScoredCandidate) -> dict[str, object]:
    """One hit as a flat, stable, snake_case mapping."""
    entity = hit.entity
    return {
        "score": hit.score, "band": hit.band, "status": hit.status,
        "source": entity.source, "source_id": entity.source_id, "lists": list(entity.lists),
        "programs": list(entity.programs), "entity_type": entity.entity_type,
        "listed_name": entity.name, "matched_name": hit.explanation.matched_name,
        "query_name": hit.explanation.query_name, "alignment": hit.explanation.alignment,
        "qualifiers": list(hit.explanation.qualifiers), "countries": list(entity.countries),
        "listed_on": entity.listed_on, "removed_on": entity.removed_on,
    }


def render_json(results: Sequence[NameResult], entity_set: EntitySet, threshold: float) -> str:
    """The results as JSON with a ``schema_version``."""
    payload = {
        "schema_version": SCHEMA_VERSION,
        "threshold": threshold,
        "bundled_data": entity_set.bundled,
        "list_versions": [{"source": v.source, "version": v.version, "published": v.published,
                           "records": v.record_count, "stale": v.stale} for v in entity_set.versions],
        "results": [{"name": r.query.name, "country": r.query.country, "line": r.query.line,
                     "hits": [hit_record(h) for h in r.hits]} for r in results],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


CSV_COLUMNS = ("name", "country", "score", "band", "status", "source", "source_id", "lists",
               "listed_name", "matched_name", "alignment", "qualifiers")


def render_csv(results: Sequence[NameResult]) -> str:
    """One row per hit; a name without hits still gets a row (the audit shows it was screened)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result in results:
        base = [result.query.name, result.query.country or ""]
        if not result.hits:
            writer.writerow([defuse(cell) for cell in (*base, "", "", "", "", "", "", "", "", "",
                                                        "")])
        for hit in result.hits:
            record = hit_record(hit)
            writer.writerow([defuse(cell) for cell in (
                *base, f"{hit.score:.4f}", hit.band or "", hit.status, record["source"],
                record["source_id"], " ".join(hit.entity.lists), record["listed_name"],
                record["matched_name"], record["alignment"],
                "; ".join(hit.explanation.qualifiers))])
    return buffer.getvalue()
