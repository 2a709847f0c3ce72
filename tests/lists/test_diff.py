"""Differences between stored versions of a source."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from riskcheck.errors import DataError
from riskcheck.lists.diff import diff_versions, pick_versions
from riskcheck.lists.store import VersionMeta, open_store
from riskcheck.model import Alias, ListEntity


def ent(key: str, name: str, **changes: object) -> ListEntity:
    return ListEntity(**{"source": "us_csl", "source_id": key, "lists": ("EL",), "name": name,
                         "aliases": (Alias(f"{name} Ltd"),), **changes})  # type: ignore[arg-type]


def store_versions(data_dir: Path, *versions: tuple[str, list[ListEntity]]):  # type: ignore[no-untyped-def]
    store = open_store(data_dir)
    for index, (fetched, entities) in enumerate(versions):
        store.add_version("us_csl", entities, VersionMeta(title="CSL", sha256=f"{index:064d}",
                                                          fetched_at=fetched))
    return store


def test_added_removed_and_changed(data_dir: Path) -> None:
    old = [ent("1", "Alpha"), ent("2", "Beta"), ent("3", "Gamma"), ent("4", "Delta")]
    new = [ent("1", "Alpha", addresses=("moved",)),            # address only: not a change
           ent("2", "Beta", aliases=(Alias("Beta Ltd"), Alias("B Corp"))),
           ent("3", "Gamma", removed_on="2026-11-01"),
           ent("5", "Epsilon")]
    with store_versions(data_dir, ("2026-11-01T00:00:00Z", old), ("2026-11-08T00:00:00Z", new)) as store:
        before, after = pick_versions(store, "us_csl")
        result = diff_versions(store, before, after)
    assert [e.name for e in result.added] == ["Epsilon"]
    assert [e.name for e in result.removed] == ["Delta"]
    assert [(c.new.name, c.fields) for c in result.changed] == [
        ("Beta", ("aliases",)), ("Gamma", ("removed_on",))]


def test_since_picks_the_newest_version_on_or_before_the_date(data_dir: Path) -> None:
    with store_versions(data_dir,
                        ("2026-10-01T00:00:00Z", [ent("1", "A")]),
                        ("2026-10-15T12:00:00Z", [ent("1", "A"), ent("2", "B")]),
                        ("2026-11-01T00:00:00Z", [ent("1", "A"), ent("2", "B"), ent("3", "C")])) as store:
        old, new = pick_versions(store, "us_csl", since=date(2026, 10, 15))
        assert old.fetched_at == "2026-10-15T12:00:00Z" and new.current
        assert [e.name for e in diff_versions(store, old, new).added] == ["C"]
        oldest, _ = pick_versions(store, "us_csl", since=date(2020, 1, 1))
        assert oldest.fetched_at == "2026-10-01T00:00:00Z"


def test_nothing_to_compare_is_explained(data_dir: Path) -> None:
    with open_store(data_dir) as store, pytest.raises(DataError, match="no stored version"):
        pick_versions(store, "us_csl")
    with store_versions(data_dir, ("2026-10-01T00:00:00Z", [ent("1", "A")])) as store:
        with pytest.raises(DataError, match="only one version stored"):
            pick_versions(store, "us_csl")
