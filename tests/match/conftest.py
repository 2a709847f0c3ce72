"""Synthetic list entities for the matching tests (real lists are used by test_real_lists.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from riskcheck.match.engine import MatchEngine
from riskcheck.model import Alias, ListEntity


def org(source_id: str, name: str, *aliases: str, lists: tuple[str, ...] = ("EL",),
        countries: tuple[str, ...] = ("CN",), entity_type: str = "organisation",
        removed_on: str | None = None) -> ListEntity:
    """A list entity with the given names."""
    return ListEntity(source="test", source_id=source_id, lists=lists, name=name,
                      aliases=tuple(Alias(a) for a in aliases), countries=countries,
                      entity_type=entity_type, removed_on=removed_on)  # type: ignore[arg-type]


ENTITIES = (
    org("1", "Beijing Sensetime Technology Development Co., Ltd.", "Sense Time"),
    org("2", "IFLYTEK"),
    org("3", "Megvii Technology Limited", "Beijing Megvii Technology Co., Ltd."),
    org("4", "Public Joint Stock Company Sberbank of Russia", "Sberbank of Russia", "ПАО Сбербанк",
        lists=("SDN",), countries=("RU",)),
    org("5", "Huawei Technologies Co., Ltd.", "华为技术有限公司"),
    org("6", "Beijing Zhongguancun Technology Co., Ltd."),
    org("7", "Beijing Institute of Technology"),
    org("8", "SBERBANK, Ivan", entity_type="person", lists=("SDN",), countries=("RU",)),
    org("9", "SENSETIME", entity_type="vessel", lists=("SDN",)),
    org("10", "Megvii Technology Limited", lists=("1260H",), removed_on="2025-01-07"),
    org("11", "Bank of China (Hong Kong) Limited", countries=("HK",), lists=("SDN",)),
    org("12", "Tactical Missiles Corporation JSC", lists=("SDN",), countries=("RU",)),
    org("13", "Shanghai Fund 2", lists=("SDN",)),
    org("14", "Huawei Technologies Deutschland GmbH", countries=("DE",)),
)


REPO = Path(__file__).resolve().parents[2]
REAL = REPO.parent / "shared" / "lists-real"


def real_lists_loader():  # type: ignore[no-untyped-def]
    """bench/real_lists.py, which loads the real list snapshots through riskcheck's parsers."""
    spec = importlib.util.spec_from_file_location("real_lists", REPO / "bench" / "real_lists.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def real_engine(tmp_path_factory: pytest.TempPathFactory) -> MatchEngine:
    """An engine over every real list snapshot beside the repository (skips without them)."""
    if not REAL.is_dir():
        pytest.skip("real list snapshots not present (../shared/lists-real beside the repository)")
    loader = real_lists_loader()
    if not loader.available():
        pytest.skip("list parsers not available")
    entities = loader.load_real_entities()
    return MatchEngine(entities, cache_dir=tmp_path_factory.mktemp("index"), cache_key="real")


@pytest.fixture(scope="session")
def engine() -> MatchEngine:
    """An engine over the synthetic entities (no disk cache)."""
    return MatchEngine(ENTITIES)
