"""`lists import` (and `lists update`) build the name index the next run loads."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

from typer.testing import CliRunner

from riskcheck.cli.lists import app as lists_app

from riskcheck.lists.catalogue import load_catalogue
from riskcheck.lists.select import load_entities
from riskcheck.lists.store import open_store
from riskcheck.lists.update import import_files
from riskcheck.app.lists import prepare_index
from riskcheck.match.batch import engine_for, entity_set_key
from riskcheck.match.index import NameIndex

ASSETS = Path(__file__).resolve().parents[1] / "lists" / "assets"


class Recorder:
    def __init__(self) -> None:
        self.started: list[str] = []

    def start(self, key: str, description: str, total: float | None = None) -> None:
        self.started.append(description)

    def advance(self, key: str, amount: float) -> None:
        pass

    def finish(self, key: str) -> None:
        pass


def test_import_builds_the_index_of_check_and_of_lists_search(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    catalogue = load_catalogue(data_dir, env={})
    catalogue = replace(catalogue, sources=tuple(replace(s, min_records=1) for s in catalogue.sources))
    progress = Recorder()
    outcome = import_files("us_csl", {"main": ASSETS / "csl" / "consolidated.csv"},
                           data_dir=data_dir, catalogue=catalogue, progress=progress,
                           on_new_version=partial(prepare_index, data_dir))
    assert outcome.status == "updated"
    assert any("name index" in d for d in progress.started)
    _assert_indexes_built(data_dir)


def test_the_lists_import_command_builds_the_index(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = CliRunner().invoke(lists_app, ["import", "us_csl", str(ASSETS / "csl" / "consolidated.csv"),
                                            "--data-dir", str(data_dir), "--min-records", "1"])
    assert result.exit_code == 0, result.output
    _assert_indexes_built(data_dir)


def test_nothing_is_built_when_no_version_was_stored(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    calls: list[object] = []
    catalogue = load_catalogue(data_dir, env={})
    catalogue = replace(catalogue, sources=tuple(replace(s, min_records=1) for s in catalogue.sources))
    for _ in range(2):
        outcome = import_files("us_csl", {"main": ASSETS / "csl" / "consolidated.csv"},
                               data_dir=data_dir, catalogue=catalogue, on_new_version=calls.append)
    assert outcome.status == "unchanged" and len(calls) == 1


def _assert_indexes_built(data_dir: Path) -> None:
    cache = data_dir / "cache" / "index"
    # The index `check`/`screen` open (stored lists merged with the snapshot) is on disk and
    # loads as it is, with no build.
    merged = load_entities(data_dir)
    path = cache / f"name-index-{entity_set_key(merged)}.bin"
    assert NameIndex.load(path, merged.entities, entity_set_key(merged)) is not None
    # ... and so is the one of `lists search` (stored lists only).
    with open_store(data_dir, create=False, read_only=True) as store:
        stored = store.entity_set(max_ages=load_catalogue(data_dir).max_ages())
    path = cache / f"name-index-{entity_set_key(stored)}.bin"
    assert NameIndex.load(path, stored.entities, entity_set_key(stored)) is not None
    before = sorted(p.name for p in cache.iterdir())
    engine_for(merged, cache)
    assert sorted(p.name for p in cache.iterdir()) == before
