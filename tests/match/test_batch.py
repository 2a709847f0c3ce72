"""Batch screening: worker processes give the same answers as one process."""

from __future__ import annotations

import pytest

from riskcheck.match import batch
from riskcheck.match.batch import NameQuery, screen_names, screening_pool
from riskcheck.match.engine import MatchEngine

from .conftest import ENTITIES

NAMES = ["Huawei Technologies", "Sensetime", "Megvii Technology Ltd", "Sberbank of Russia",
         "Mistral AI", "Beijing Technology Co., Ltd.", "Tactical Missiles Corp", "Bank of China"]


def _records(results: list[batch.NameResult]) -> list[tuple]:
    return [(r.query, [(h.entity.source_id, h.score, h.band, h.status, h.explanation) for h in r.hits])
            for r in results]


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, float]] = []

    def start(self, key: str, description: str, total: float | None = None) -> None:
        self.events.append(("start", total or 0))

    def advance(self, key: str, amount: float) -> None:
        self.events.append(("advance", amount))

    def finish(self, key: str) -> None:
        self.events.append(("finish", 0))


def test_workers_give_the_same_results_in_the_same_order(engine: MatchEngine) -> None:
    queries = [NameQuery(name, country, line) for line, (name, country) in enumerate(
        ((NAMES[i % len(NAMES)], ("CN", None, "RU")[i % 3]) for i in range(300)), start=2)]
    alone = screen_names(engine, queries, threshold=0.7)
    progress = Recorder()
    with screening_pool(engine, 2, len(queries)) as pool:
        if pool is None:
            pytest.skip("this platform has no fork start method")
        together = screen_names(engine, queries, threshold=0.7, pool=pool, progress=progress)
    assert _records(together) == _records(alone)
    assert any(r.hits for r in together) and any(not r.hits for r in together)
    # Results carry the engine's own entity objects, not copies.
    hit = next(h for r in together for h in r.hits)
    assert any(hit.entity is e for e in ENTITIES)
    assert progress.events[0] == ("start", 300) and progress.events[-1] == ("finish", 0)
    assert sum(amount for kind, amount in progress.events if kind == "advance") == 300


def test_screening_makes_no_reference_cycles_for_the_paused_collector(engine: MatchEngine) -> None:
    """Batch screening pauses the cyclic garbage collector: only sound while a search leaves
    nothing that reference counting cannot free. A collection after a batch (names that hit,
    miss, carry a country, several aliases) must find nothing; the collector is on again after."""
    import gc

    queries = [NameQuery(name, country) for name in (*NAMES, "Nothing Like It Ltd", "ПАО Сбербанк", "华为")
               for country in (None, "CN", "RU")]
    screen_names(engine, queries[:3], threshold=0.7)  # the first search's one-off objects
    gc.collect()
    with screening_pool(engine, 1, len(queries)) as pool:
        assert not gc.isenabled()
        results = screen_names(engine, queries, threshold=0.7, pool=pool)
    assert gc.isenabled()
    assert any(r.hits for r in results)
    assert gc.collect() == 0


def test_small_batches_and_one_job_stay_in_process(engine: MatchEngine) -> None:
    with screening_pool(engine, 2, 10) as pool:
        assert pool is None
    with screening_pool(engine, 1, 10_000) as pool:
        assert pool is None


def test_threshold_drops_lower_hits(engine: MatchEngine) -> None:
    low = screen_names(engine, [NameQuery("Megvii")], threshold=0.7)[0].hits
    high = screen_names(engine, [NameQuery("Megvii")], threshold=0.95)[0].hits
    assert all(h.score >= 0.95 for h in high)
    assert {h.entity.source_id for h in high} <= {h.entity.source_id for h in low}
    assert engine.search("Megvii", min_score=0.95) == list(high)


def test_index_key_changes_when_a_bundled_entry_changes_under_the_same_label(tmp_path) -> None:
    """An alias added to the bundled snapshot without a new label must not reuse the index
    built for the old names (that used to end in an internal error)."""
    from dataclasses import replace

    from riskcheck.lists.snapshot import load_snapshot
    from riskcheck.match.batch import engine_for, entity_set_key
    from riskcheck.model import Alias

    bundled = load_snapshot()
    first = bundled.entities[0]
    edited = replace(first, aliases=(*first.aliases, Alias("An Added Alias Holding")))
    changed = replace(bundled, entities=(edited, *bundled.entities[1:]))
    assert entity_set_key(changed) != entity_set_key(bundled)
    engine_for(bundled, tmp_path).search("Sberbank", limit=3)
    hits = engine_for(changed, tmp_path).search("An Added Alias Holding", limit=3)
    assert hits and hits[0].entity.source_id == first.source_id


@pytest.mark.parametrize(("cores", "load", "expected"),
                         [(2, 0.1, 2), (2, 0.7, 1), (2, 3.0, 1), (8, 2.2, 6), (1, 0.0, 1), (4, 9.0, 1)])
def test_default_jobs_leave_busy_cores_to_the_work_already_on_them(
        monkeypatch: pytest.MonkeyPatch, cores: int, load: float, expected: int) -> None:
    monkeypatch.setattr(batch, "usable_cores", lambda: cores)
    monkeypatch.setattr(batch.os, "getloadavg", lambda: (load, load, load))
    assert batch.default_jobs() == expected


def test_default_jobs_without_a_load_average_use_every_core(monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable() -> tuple[float, float, float]:
        raise OSError("no load average")

    monkeypatch.setattr(batch, "usable_cores", lambda: 4)
    monkeypatch.setattr(batch.os, "getloadavg", unavailable)
    assert batch.default_jobs() == 4
