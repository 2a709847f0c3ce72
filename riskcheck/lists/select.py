"""Which list data a run screens against: the local store when it holds lists, else the snapshot.

Unknown is not clean: when nothing was downloaded the run still screens, against the bundled
snapshot, and the report says so; stale stored lists are flagged, and can fail the run.
"""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

from riskcheck.lists.interface import EntitySet

if TYPE_CHECKING:
    from riskcheck.lists.store import ListStore


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


def _open_existing_store(data_dir: Path | None) -> ListStore | None:
    from riskcheck.lists.store import StoreMissingError, open_store

    try:
        return open_store(data_dir, create=False)
    except StoreMissingError:
        return None
