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


def _listed(source: str, source_id: str, name: str, lists: tuple[str, ...],
            programs: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    from riskcheck.model import ListEntity

    return ListEntity(source=source, source_id=source_id, lists=lists, programs=programs,
                      name=name, countries=("RU",))


def test_one_hit_per_listed_organisation_across_sources() -> None:
    """The CSL republishes SDN entries: the same organisation is one hit with every source."""
    entities = [
        _listed("us_csl", "csl-1", "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA", ("SDN",),
                ("RUSSIA-EO14024",)),
        _listed("ofac_sdn", "1234", "Public Joint Stock Company Sberbank of Russia", ("SDN",),
                ("RUSSIA-EO14024",)),
        _listed("eu_fsf", "EU.1", "Public Joint Stock Company Sberbank of Russia", ("EU",)),
    ]
    matches = NameScreener(entities).screen(resolution(Party(SBER, "vendor", "publisher")))
    assert len(matches) == 1, matches
    hit = matches[0]
    assert hit.entity.source != "us_csl"  # a publisher's own record leads, not the copy
    assert {e.source for e in hit.listed_entities} == {"us_csl", "ofac_sdn", "eu_fsf"}
    assert set(hit.all_lists) == {"SDN", "EU"} and hit.all_lists[:len(hit.entity.lists)] == \
        hit.entity.lists


def test_same_name_in_another_country_is_another_organisation() -> None:
    from dataclasses import replace as _replace

    ru = _listed("ofac_sdn", "1", "Joint Stock Company Sberbank", ("SDN",))
    by = _replace(_listed("ofac_cons", "2", "Joint Stock Company Sberbank", ("SSI",)),
                  countries=("BY",))
    matches = NameScreener([ru, by]).screen(resolution(Party(SBER, "vendor", "publisher")))
    assert sorted(m.entity.source for m in matches) == ["ofac_cons", "ofac_sdn"]
    assert all(not m.also_listed for m in matches)


def test_different_organisations_and_roles_stay_apart() -> None:
    from riskcheck.match.screener import merge_same_entity

    entities = [
        _listed("ofac_sdn", "1", "Public Joint Stock Company Sberbank of Russia", ("SDN",)),
        _listed("us_csl", "2", "Public Joint Stock Company Sberbank of Russia Capital", ("EL",)),
    ]
    matches = NameScreener(entities).screen(resolution(Party(SBER, "vendor", "publisher")))
    assert len(matches) == 2 and not any(m.also_listed for m in matches)  # different names
    assert merge_same_entity(()) == ()


def test_merged_hit_survives_json_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from riskcheck.formats.json_format import match_to_dict

    entities = [
        _listed("ofac_sdn", "1", "Public Joint Stock Company Sberbank of Russia", ("SDN",)),
        _listed("us_csl", "2", "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA", ("SDN",)),
    ]
    (match,) = NameScreener(entities).screen(resolution(Party(SBER, "vendor", "publisher")))
    data = match_to_dict(match)
    assert data["also_listed"] == [{"source": "us_csl", "source_id": "2", "lists": ["SDN"],
                                    "programs": [], "listed_on": None, "url": None}]
