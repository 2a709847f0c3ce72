"""Which list data a run screens against: the local store when it holds lists, else the snapshot.

Unknown is not clean: when nothing was downloaded the run still screens, against the bundled
snapshot, and the report says so; stale stored lists are flagged, and can fail the run.
"""

from __future__ import annotations

from pathlib import Path

from riskcheck.errors import DataError
from riskcheck.lists.interface import EntitySet


def load_entities(
    data_dir: Path | None = None,
    *,
    bundled: bool = False,
    max_age_days: int | None = None,
) -> EntitySet:
    """The entity set for a run.

    ``bundled`` forces the snapshot shipped with riskcheck. Otherwise the stored lists are used
    when the store has any; a store that does not exist yet means "use the snapshot".
    With ``max_age_days``, stored versions older than that are flagged stale.
    """
    from riskcheck.lists.snapshot import load_snapshot

    if bundled:
        return load_snapshot()
    store = _open_existing_store(data_dir)
    if store is None:
        return load_snapshot()
    try:
        if not store.has_data():
            return load_snapshot()
        return store.entity_set(max_age_days=max_age_days)
    finally:
        store.close()


def _open_existing_store(data_dir: Path | None):  # type: ignore[no-untyped-def]
    try:
        from riskcheck.lists.store import open_store
    except ImportError:  # the store is optional at this layer only while it is being built
        return None
    try:
        return open_store(data_dir, create=False)
    except DataError as missing:
        if "not found" in str(missing) or "no store" in str(missing):
            return None
        raise
