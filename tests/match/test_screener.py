"""NameScreener: every party of a resolution, memoised, deduplicated, sorted."""

from __future__ import annotations

from riskcheck.match.engine import MatchEngine
from riskcheck.match.screener import NameScreener
from riskcheck.model import ModelRef, Organisation, Party, Resolution, ServingParty

from .conftest import ENTITIES

SENSETIME = Organisation(id="sensetime", name="SenseTime", country="CN",
                         legal_names=("Beijing SenseTime Technology Development Co., Ltd.",))
SBER = Organisation(id="sberbank", name="Sberbank", country="RU",
                    legal_names=("Public Joint Stock Company Sberbank of Russia",))
SBER_DEVICES = Organisation(id="sber-devices", name="SberDevices", country="RU")
MISTRAL = Organisation(id="mistral-ai", name="Mistral AI", legal_names=("Mistral AI SAS",), country="FR")


def resolution(*parties: Party, serving: ServingParty | None = None) -> Resolution:
    return Resolution(ref=ModelRef(id="x"), status="resolved", parties=parties, serving=serving)


class CountingEngine(MatchEngine):
    """Counts searches, to check memoisation."""

    calls = 0

    def search(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        CountingEngine.calls += 1
        return super().search(*args, **kwargs)


def test_vendor_and_parent_are_screened_with_roles() -> None:
    screener = NameScreener(ENTITIES)
    matches = screener.screen(resolution(
        Party(SBER_DEVICES, "vendor", "publisher"),
        Party(SBER, "parent", "parent", path=("sber-devices", "sberbank"))))
    assert matches and all(m.party_id == "sberbank" and m.party_role == "parent" for m in matches)
    assert matches[0].entity.source_id == "4" and matches[0].band == "match"
    assert matches[0].explanation.matched_name


def test_unlisted_vendor_has_no_match() -> None:
    assert NameScreener(ENTITIES).screen(resolution(Party(MISTRAL, "vendor", "publisher"))) == ()


def test_memoised_per_organisation_and_deduplicated() -> None:
    engine = CountingEngine(ENTITIES)
    screener = NameScreener(engine)
    both = resolution(Party(SENSETIME, "vendor", "publisher"),
                      Party(SENSETIME, "upstream", "finetune"),
                      serving=ServingParty(SENSETIME))
    first = screener.screen(both)
    screener.screen(both)
    assert CountingEngine.calls == 1
    keys = [(m.party_id, m.entity.source_id) for m in first]
    assert len(keys) == len(set(keys))
    assert {m.party_role for m in first} == {"vendor"}


def test_matches_sorted_by_score() -> None:
    matches = NameScreener(ENTITIES).screen(resolution(
        Party(SENSETIME, "vendor", "publisher"), Party(SBER, "upstream", "finetune")))
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert {m.band for m in matches} <= {"match", "review", "possible"}
