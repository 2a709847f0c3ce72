"""The list use cases: update, status, diff, import and search (``riskcheck lists ...``).

Each returns data (outcomes, status rows, a diff, search hits); rendering is the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from riskcheck.errors import DataError, InputError
from riskcheck.progress import NULL_PROGRESS, Progress


def catalogue(data_dir: Path | None = None, config: Path | None = None) -> Any:
    """The list catalogue: bundled ``sources.yaml`` plus the user's config."""
    from riskcheck.lists.catalogue import load_catalogue

    return load_catalogue(data_dir, config_path=config)


def prepare_index(data_dir: Path | None, progress: Progress = NULL_PROGRESS) -> None:
    """Build and cache the name indexes the next run will load, after ``lists update`` or
    ``lists import`` stored a new version: the one of ``check``/``screen`` (stored lists
    merged with the bundled snapshot) and the one of ``lists search`` (stored lists only).
    A failure only leaves the build to the next run."""
    from riskcheck.errors import RiskcheckError
    from riskcheck.lists.select import load_entities
    from riskcheck.lists.store import open_store
    from riskcheck.match.batch import engine_for
    from riskcheck.paths import cache_dir

    folder = cache_dir("index", data_dir)
    progress.start("name-index", "building the name index", total=2)
    try:
        engine_for(load_entities(data_dir), folder)
        progress.advance("name-index", 1)
        with open_store(data_dir, create=False, read_only=True) as store:
            stored = store.entity_set(max_ages=catalogue(data_dir).max_ages())
        if stored.entities:
            engine_for(stored, folder)
        progress.advance("name-index", 1)
    except (OSError, RiskcheckError):
        pass
    finally:
        progress.finish("name-index")


def update(sources: list[str] | None = None, *, data_dir: Path | None = None,
           config: Path | None = None, offline: bool = False, accept_shrink: bool = False,
           timeout: float | None = None, progress: Progress = NULL_PROGRESS) -> list[Any]:
    """Download the official lists, check them and store new versions; one outcome per source
    (a failed source keeps its previous version; ``outcome.failed`` says so). When a new
    version was stored, the name indexes the next runs load are built too."""
    from functools import partial

    from riskcheck.lists.update import update_lists

    return update_lists(sources or None, data_dir=data_dir, catalogue=catalogue(data_dir, config),
                        progress=progress, offline=offline, accept_shrink=accept_shrink,
                        timeout=timeout, on_new_version=partial(prepare_index, data_dir))


def import_files(source: str, files: list[str], *, role: str | None = None,
                 data_dir: Path | None = None, config: Path | None = None,
                 accept_shrink: bool = False, min_records: int | None = None,
                 variant: str | None = None, progress: Progress = NULL_PROGRESS) -> Any:
    """Store a list version from files fetched by other means. ``files`` are paths (role
    inferred from the file name) or ``ROLE=PATH``; ``role`` names the role of a single file;
    ``variant`` reads them as another edition the source publishes (e.g. ``ofsi_conlist``)."""
    from riskcheck.lists.update import import_files as store_files
    from riskcheck.lists.update import infer_role

    if role is not None and len(files) != 1:
        raise InputError("--role needs exactly one FILE", hint="use ROLE=PATH to name several "
                         "files")
    explicit: dict[str, Path] = {}
    plain: list[Path] = []
    for item in files:
        if role is not None:
            explicit[role] = Path(item)
        elif "=" in item and not Path(item).exists():
            key, _, value = item.partition("=")
            explicit[key.strip()] = Path(value)
        else:
            plain.append(Path(item))
    for path in [*explicit.values(), *plain]:
        if not path.is_file():
            raise InputError("file not found", path=str(path), hint="check the path")
    known = catalogue(data_dir, config)
    if variant is not None:
        from riskcheck.lists.catalogue import with_variant

        known = with_variant(known, source, variant)
    if plain:
        spec = known.get(source)
        for path in plain:
            explicit.setdefault(infer_role(spec, path), path)
    if min_records is not None:
        known = replace(known, sources=tuple(
            replace(spec, min_records=min_records) if spec.id == source else spec
            for spec in known.sources))
    from functools import partial

    return store_files(source, explicit, data_dir=data_dir, catalogue=known,
                       accept_shrink=accept_shrink, progress=progress,
                       on_new_version=partial(prepare_index, data_dir))


def status(*, data_dir: Path | None = None, config: Path | None = None) -> list[dict[str, Any]]:
    """Each catalogue source's stored version: state (fresh, stale, missing), age, records,
    dates, version digest, and a refused newer version if any."""
    from riskcheck.lists.store import StoreMissingError, open_store, utc_now
    from riskcheck.redact import redact

    known = catalogue(data_dir, config)
    try:
        store = open_store(data_dir, create=False, read_only=True)
    except StoreMissingError:
        store = None
    now = utc_now()
    try:
        stored = {version.source: version for version in store.current()} if store else {}
        refused = store.refusals() if store else {}
        newest = _newest_listings(store, [s for s, v in stored.items() if not v.published])
        # (An imported file's age is judged from what its data is as of: see
        # StoredVersion.data_age_days.)
    finally:
        if store is not None:
            store.close()
    result = []
    for spec in known.sources:
        version = stored.pop(spec.id, None)
        if version is None and not spec.enabled:
            continue
        age = version.data_age_days(now, newest.get(spec.id)) if version else None
        state = "missing" if version is None else (
            "stale" if age is not None and age > spec.max_age_days else "fresh")
        result.append({"source": spec.id, "title": spec.title, "enabled": spec.enabled,
                       "required_for_fresh": spec.required_for_fresh and spec.enabled,
                       "state": state, "max_age_days": spec.max_age_days,
                       "age_days": None if age is None else round(age, 1),
                       "record_count": version.record_count if version else None,
                       "published": version.published if version else None,
                       "newest_listing": newest.get(spec.id),
                       "fetched_at": version.fetched_at if version else None,
                       "checked_at": version.checked_at if version else None,
                       "imported": version.imported if version else None,
                       "sha256": version.sha256 if version else None,
                       "url": version.url if version else redact(spec.main_url),
                       "refused": refused.get(spec.id)})
    for version in stored.values():  # stored sources the catalogue no longer lists
        result.append({"source": version.source, "title": version.title, "enabled": False,
                       "required_for_fresh": False, "state": "not in catalogue",
                       "max_age_days": None,
                       "age_days": round(version.data_age_days(now, newest.get(version.source)), 1),
                       "record_count": version.record_count, "published": version.published,
                       "newest_listing": newest.get(version.source),
                       "fetched_at": version.fetched_at, "checked_at": version.checked_at,
                       "imported": version.imported,
                       "sha256": version.sha256, "url": version.url,
                       "refused": refused.get(version.source)})
    return result


def _newest_listings(store: Any, sources: list[str]) -> dict[str, str]:
    """For stored versions that print no publication date (the CSL), the newest listing date
    among their records: what the data is as of, which the fetch date does not say."""
    if store is None or not sources:
        return {}
    newest: dict[str, str] = {}
    for entity in store.entity_set(sources, max_age_days=36500).entities:
        if entity.listed_on and entity.listed_on > newest.get(entity.source, ""):
            newest[entity.source] = entity.listed_on
    return newest


@dataclass(frozen=True)
class ListDiff:
    """Entries added, removed and changed between two stored versions of one list."""

    source: str
    old: Any
    new: Any
    added: tuple[Any, ...]
    removed: tuple[Any, ...]
    changed: tuple[Any, ...]


def diff(source: str, *, since: str | None = None, data_dir: Path | None = None) -> ListDiff:
    """Compare the current version of ``source`` with the previous one, or with the version
    stored on or before ``since`` (YYYY-MM-DD)."""
    from riskcheck.lists.diff import diff_versions, pick_versions
    from riskcheck.lists.store import open_store

    when = None
    if since is not None:
        try:
            when = date.fromisoformat(since)
        except ValueError:
            raise InputError(f"--since {since!r} is not a date", hint="use YYYY-MM-DD") from None
    with open_store(data_dir, create=False, read_only=True) as store:
        old, new = pick_versions(store, source, when)
        result = diff_versions(store, old, new)
    return ListDiff(source, old, new, tuple(result.added), tuple(result.removed),
                    tuple(result.changed))


@dataclass(frozen=True)
class SearchResult:
    """Hits for one name in the stored lists, and the versions searched."""

    query: str
    country: str | None
    entity_count: int
    versions: tuple[Any, ...]
    hits: tuple[Any, ...]


def search(name: str, *, country: str | None = None, limit: int = 10, people: bool = False,
           data_dir: Path | None = None, config: Path | None = None) -> SearchResult:
    """Look ``name`` up in every stored list (organisations, or every kind with ``people``).
    ``country`` is a code or a name (CN, China)."""
    from riskcheck.lists.store import open_store
    from riskcheck.match.batch import country_argument, engine_for
    from riskcheck.paths import cache_dir

    code = country_argument(country, "--country")
    known = catalogue(data_dir, config)
    with open_store(data_dir, create=False, read_only=True) as store:
        entity_set = store.entity_set(max_ages=known.max_ages())
    if not entity_set.entities:
        raise DataError("no lists stored", hint="run 'riskcheck lists update' first")
    engine = engine_for(entity_set, cache_dir("index", data_dir))
    types = ("organisation", "unknown", "person", "vessel", "aircraft") if people else (
        "organisation", "unknown")
    found = engine.search(name, country=code, entity_types=types, limit=limit)
    return SearchResult(name, code, len(entity_set.entities), tuple(entity_set.versions),
                        tuple(found))


__all__ = ["ListDiff", "SearchResult", "catalogue", "diff", "import_files", "prepare_index",
           "search", "status", "update"]
