"""What changed between two stored versions of a source: added, removed and changed entries.

Entries are keyed by the publisher's own id (``ListEntity.source_id``); an entry "changed"
when its names, aliases, lists, programs or removal date differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from riskcheck.errors import DataError, InputError
from riskcheck.lists.store import ListStore, StoredVersion, parse_iso
from riskcheck.model import ListEntity

COMPARED = ("name", "aliases", "lists", "programs", "removed_on")


@dataclass(frozen=True)
class EntityChange:
    """One entry present in both versions whose compared fields differ."""

    old: ListEntity
    new: ListEntity
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ListDiff:
    """The difference between ``old`` and ``new`` versions of one source."""

    source: str
    old: StoredVersion
    new: StoredVersion
    added: tuple[ListEntity, ...]
    removed: tuple[ListEntity, ...]
    changed: tuple[EntityChange, ...]


def _signature(entity: ListEntity, field: str) -> object:
    value = getattr(entity, field)
    if field == "aliases":
        return sorted({alias.name for alias in value})
    if field in ("lists", "programs"):
        return sorted(set(value))
    return value


def _keyed(entities: list[ListEntity]) -> dict[str, ListEntity]:
    keyed: dict[str, ListEntity] = {}
    for entity in entities:
        key = entity.source_id or entity.name
        # Some publishers repeat an id (one row per alias); the first row stands for it.
        keyed.setdefault(key, entity)
    return keyed


def diff_versions(store: ListStore, old: StoredVersion, new: StoredVersion) -> ListDiff:
    """Compare two stored versions of the same source."""
    if old.source != new.source:
        raise InputError(f"cannot compare versions of different sources ({old.source}, {new.source})")
    before = _keyed(list(store.entities(old.id)))
    after = _keyed(list(store.entities(new.id)))
    added = tuple(after[key] for key in after if key not in before)
    removed = tuple(before[key] for key in before if key not in after)
    changed = []
    for key in after.keys() & before.keys():
        fields = tuple(field for field in COMPARED
                       if _signature(before[key], field) != _signature(after[key], field))
        if fields:
            changed.append(EntityChange(before[key], after[key], fields))
    changed.sort(key=lambda change: change.new.name)
    return ListDiff(new.source, old, new, added, removed, tuple(changed))


def pick_versions(store: ListStore, source_id: str,
                  since: date | None = None) -> tuple[StoredVersion, StoredVersion]:
    """The (old, new) pair to compare: the current version against the one before it, or
    against the newest version fetched on or before ``since`` (the oldest stored when none is)."""
    versions = store.versions(source_id)
    current = next((version for version in versions if version.current), None)
    if current is None:
        raise DataError(f"{source_id}: no stored version",
                        hint=f"run 'riskcheck lists update {source_id}' first")
    older = [version for version in versions if version.id < current.id]
    if since is not None:
        limit = datetime(since.year, since.month, since.day, 23, 59, 59, tzinfo=timezone.utc)
        candidates = [version for version in older if parse_iso(version.fetched_at) <= limit]
        older = candidates or older[-1:]
    if not older:
        raise DataError(f"{source_id}: only one version stored (fetched {current.fetched_at}), "
                        "nothing to compare", hint="run 'riskcheck lists update' again after the "
                                                   "publisher changes the list")
    return older[0], current
