"""Names people type: a brand for its listed name, legal forms reordered or misspelt, place +
generic word, transliteration variants, a distinctive word replaced (docs/matching.md)."""

from __future__ import annotations

import pytest

from riskcheck.lists.snapshot import load_snapshot
from riskcheck.match.align import AlignParams, compare_names
from riskcheck.match.engine import MatchEngine
from riskcheck.match.tokens import ORG, TokenWeights, analyze_org

WEIGHTS = TokenWeights()
PARAMS = AlignParams()


def score(query: str, listed: str) -> float:
    return compare_names(analyze_org(query), analyze_org(listed), WEIGHTS, PARAMS).score


@pytest.fixture(scope="module")
def bundled() -> MatchEngine:
    return MatchEngine(load_snapshot().entities)


def _band(engine: MatchEngine, query: str, listed: str, source_list: str) -> str | None:
    hits = engine.search(query, limit=50)
    bands = [h.band for h in hits if h.entity.name == listed and source_list in h.entity.lists]
    return max(bands, key=("possible", "review", "match").index) if bands else None


@pytest.mark.parametrize("query, listed", [
    ("Megvii", "Megvii Technology"),
    ("Yitu", "Yitu Technologies"),
    ("Dahua", "Dahua Technology"),
    ("CloudWalk", "CloudWalk Technology"),
    ("Beijing Sensetime Technology", "Beijing Sensetime Technology Development Co., Ltd."),
    # The brand first in a trade name after a place (the Entity List's Zhipu subsidiaries).
    ("Zhipu", "Beijing Zhipu Future Technology Co., Ltd."),
])
def test_a_brand_finds_its_entity_list_name_in_the_bundled_data(bundled: MatchEngine, query: str,
                                                                  listed: str) -> None:
    # The Entity List entry, not only a formerly-listed 1260H entry carrying the brand.
    assert _band(bundled, query, listed, "EL") in ("review", "match")


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_a_brand_finds_its_entity_list_name_in_the_real_lists(real_engine: MatchEngine) -> None:
    for query, listed in (("Megvii", "Megvii Technology"),
                          ("Beijing Sensetime Technology",
                           "Beijing Sensetime Technology Development Co., Ltd."),
                          ("Yitu", "Yitu Technologies")):
        hits = [h for h in real_engine.search(query, limit=50) if h.entity.name == listed]
        assert hits and hits[0].band in ("review", "match"), (query, [(h.score, h.band) for h in hits])


def test_a_brand_that_begins_a_trade_name_after_a_place_is_found_at_review() -> None:
    # The Entity List entry as the real list file prints it, without the bundled "Zhipu AI"
    # alias: place, trade name ("Zhipu Huazhang"), industry, legal form.
    from tests.match.conftest import org

    engine = MatchEngine([org("z", "Beijing Zhipu Huazhang Technology Co., Ltd."),
                          org("h", "Hangzhou Huanfang Technology Co., Ltd."),
                          org("g", "Beijing Zhongguancun Technology Co., Ltd.")])
    hits = {h.entity.source_id: h for h in engine.search("Zhipu", limit=50)}
    assert hits["z"].band == "review", hits["z"].explanation
    assert "h" not in hits
    # A common word is never a brand here.
    assert not [h for h in engine.search("Technology", limit=50) if h.band in ("review", "match")]


def test_generic_extras_lift_to_review_only_for_a_rare_distinctive_word() -> None:
    # Words naming a business of their own ("trading", "investments") are not generic.
    assert score("Dolphin", "Dolphin Trading Company Limited") < 0.8
    assert score("Sberbank", "Sberbank Investments") < 0.8
    # A short word agreeing only fuzzily is not a brand ("Runway" / "Sunway Tech").
    assert score("Runway", "Sunway Tech Co., Ltd.") < 0.8
    # Never `match` on this alone.
    assert score("Megvii", "Megvii Technology Limited") < 0.9


def test_place_and_generic_word_with_a_legal_form() -> None:
    # SAL, the Lebanese joint-stock company, is a legal form: "BEIRUT TRADE" is the name.
    assert analyze_org("BEIRUT TRADE SAL")[-1].kind == ORG
    assert score("BEIRUT TRADE", "BEIRUT TRADE SAL") >= 0.9


def test_legal_forms_in_another_word_order_and_misspelt() -> None:
    assert score("Company Limited Liability Unimatik", "Limited Liability Company Unimatik") >= 0.9
    assert score("Unimatik Stock Company Joint", "Joint Stock Company Unimatik") >= 0.9
    assert score("Tactical Missiles Corporation Joynt Stock Company",
                 "Tactical Missiles Corporation Joint Stock Company") >= 0.9
    # Only limited-liability and joint-stock forms are reordered: "enterprise state" is words.
    assert [t.kind for t in analyze_org("battery enterprise state")][-1] != ORG
    # A five-letter word is read as a misspelt form word only inside a long form.
    assert analyze_org("Joynt Ventures")[0].kind != ORG


def test_transliteration_variants_of_one_word_agree() -> None:
    assert score("Al Qaeda", "Al-Qa'ida") >= 0.95
    assert score("Hezbollah", "HIZBALLAH") >= 0.95
    assert score("Lashkar e Toiba", "LASHKAR-E-TAYYIBA") >= 0.95
    # Another word is still another word.
    assert score("Al Qaeda", "Al-Shabaab") < 0.7


def test_a_replaced_distinctive_word_caps_a_long_name_below_review() -> None:
    assert score("Ayman Al Ganufu Trading and any successor, sub-unit, or subsidiary thereof",
                 "Ayman Al Sabbagh Trading and any successor, sub-unit, or subsidiary thereof") < 0.8
    # A typo of the word is not a replacement.
    assert score("Ayman Al Sabbag Trading and any successor, sub-unit, or subsidiary thereof",
                 "Ayman Al Sabbagh Trading and any successor, sub-unit, or subsidiary thereof") >= 0.9
