"""Which list data a run screens against: per source, the stored version, else the snapshot.

Unknown is not clean: when nothing was downloaded the run still screens, against the bundled
snapshot, and the report says so; stale stored lists are flagged, and can fail the run.
"""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

from riskcheck.lists.interface import EntitySet
from riskcheck.model import ListVersion, SourceCoverage

if TYPE_CHECKING:
    from riskcheck.lists.catalogue import Catalogue
    from riskcheck.lists.store import ListStore


def load_entities(
    data_dir: Path | None = None,
    *,
    bundled: bool = False,
    max_age_days: int | None = None,
) -> EntitySet:
    """The entity set for a run, with its coverage per catalogue source.

    ``bundled`` forces the snapshot shipped with riskcheck. Otherwise each catalogue source is
    screened from its stored version when it has one, else from the snapshot's entries for that
    source (a stored source replaces only its own bundled entries; custom lists replace none).
    With ``max_age_days``, stored versions older than that are flagged stale.
    """
    from riskcheck.lists.catalogue import load_catalogue
    from riskcheck.lists.snapshot import load_snapshot

    snapshot = load_snapshot()
    catalogue = load_catalogue(data_dir)
    store = None if bundled else _open_existing_store(data_dir)
    if store is None:
        stored = EntitySet(entities=(), versions=(), bundled=False)
    else:
        try:
            stored = (store.entity_set(max_age_days=max_age_days,
                                       max_ages=catalogue.max_ages()) if store.has_data()
                      else EntitySet(entities=(), versions=(), bundled=False))
        finally:
            store.close()
    return merge_with_snapshot(stored, snapshot, catalogue)


def snapshot_owner(code: str, catalogue: Catalogue) -> str | None:
    """The catalogue source a snapshot list code belongs to: the first source listing it
    (SDN -> ofac_sdn, CMIC -> ofac_cons, EL -> us_csl, EU -> eu_fsf ...)."""
    for source in catalogue.sources:
        if code in source.lists:
            return source.id
    return None


def merge_with_snapshot(stored: EntitySet, snapshot: EntitySet,
                        catalogue: Catalogue) -> EntitySet:
    """Stored entities plus the snapshot's entries of every catalogue source not stored."""
    stored_ids = {v.source for v in stored.versions}
    by_owner: dict[str, list[ListVersion]] = {}
    for version in snapshot.versions:
        code = version.source.split(":", 1)[-1]
        owner = snapshot_owner(code, catalogue)
        if owner is not None:
            by_owner.setdefault(owner, []).append(version)
    kept_codes = {v.source.split(":", 1)[-1] for owner, vs in by_owner.items()
                  if owner not in stored_ids for v in vs}
    entities = list(stored.entities)
    entities.extend(e for e in snapshot.entities if e.lists and e.lists[0] in kept_codes)
    versions = list(stored.versions)
    versions.extend(v for v in snapshot.versions if v.source.split(":", 1)[-1] in kept_codes)
    # A stored version older than a bundled entry cannot know of that listing: the entry is
    # newer information and is screened too (an archived file imported today, an old mirror).
    newer: dict[str, list] = {}
    as_of = stored_as_of(stored)
    for owner, vs in by_owner.items():
        if owner not in stored_ids or as_of.get(owner) is None:
            continue
        codes = {v.source.split(":", 1)[-1] for v in vs}
        found = [e for e in snapshot.entities if e.lists and e.lists[0] in codes
                 and e.listed_on and e.listed_on > as_of[owner]]
        if found:
            newer[owner] = found
            entities.extend(found)
            versions.extend(v for v in vs if v.source.split(":", 1)[-1]
                            in {e.lists[0] for e in found} and v not in versions)
    coverage: list[SourceCoverage] = []
    stored_by_id = {v.source: v for v in stored.versions}
    known = [s for s in catalogue.sources if s.enabled or s.id in stored_ids]
    for spec in known:
        source_id, required = spec.id, bool(spec.required_for_fresh and spec.enabled)
        if source_id in stored_by_id:
            v = stored_by_id[source_id]
            extra = newer.get(source_id, [])
            coverage.append(SourceCoverage(source=source_id, state="stored", version=v.version,
                                           published=v.published, fetched_at=v.fetched_at,
                                           record_count=v.record_count, required=required,
                                           as_of=as_of.get(source_id),
                                           newer_bundled=len(extra),
                                           newer_bundled_until=max(
                                               (e.listed_on or "" for e in extra),
                                               default="") or None))
        elif source_id in by_owner:
            vs = by_owner[source_id]
            coverage.append(SourceCoverage(
                source=source_id, state="bundled", version=vs[0].version,
                record_count=sum(v.record_count for v in vs),
                snapshot_date=max((v.fetched_at or "" for v in vs), default="") or None,
                required=required))
        else:
            coverage.append(SourceCoverage(source=source_id, state="missing", required=required))
    only_bundled = not stored.versions
    return EntitySet(entities=tuple(entities), versions=tuple(versions), bundled=only_bundled,
                     coverage=tuple(coverage))


def stored_as_of(stored: EntitySet) -> dict[str, str | None]:
    """How current each stored version is: its publication date, else the newest listing
    date among its records, else None (unknown)."""
    newest: dict[str, str] = {}
    for entity in stored.entities:
        if entity.listed_on and entity.listed_on > newest.get(entity.source, ""):
            newest[entity.source] = entity.listed_on
    return {v.source: (v.published or newest.get(v.source)) for v in stored.versions}


def _open_existing_store(data_dir: Path | None) -> ListStore | None:
    from riskcheck.lists.store import StoreMissingError, open_store

    try:
        return open_store(data_dir, create=False, read_only=True)
    except StoreMissingError:
        return None
