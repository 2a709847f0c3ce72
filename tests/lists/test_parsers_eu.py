"""EU Financial Sanctions Files: the current 1.1 export and the legacy 2016 layout."""

from __future__ import annotations

from pathlib import Path

from tests.lists.parser_helpers import asset, by_name, parse, parse_error


def test_current_format():
    entities, parser = parse("eu_fsf_xml", "eu_fsf", main=asset("eu", "fsf_1_1.xml"))
    assert len(entities) == 10
    assert parser.published({"main": asset("eu", "fsf_1_1.xml")}) == "2026-11-20"
    bank = by_name(entities, "Volga Savings Bank")
    assert bank.lists == ("EU",) and bank.programs == ("UKR",)
    assert bank.entity_type == "organisation"
    assert [(a.name, a.kind, a.strength) for a in bank.aliases] == [
        ("Волжский сберегательный банк", "native", "strong"), ("VSB", "aka", "weak")]
    assert bank.countries == ("RU",)
    assert bank.citation == "2022/880 (OJ L153)"
    assert bank.url.endswith("32022R0880")
    assert ("regnumber", "1026300000001") in [(i.scheme, i.value) for i in bank.identifiers]
    assert ("eu-reference", "EU.1001.11") in [(i.scheme, i.value) for i in bank.identifiers]
    person = by_name(entities, "Arkady Petrovich Kovalenko")
    assert person.entity_type == "person"
    assert person.listed_on == "2014-07-31"  # earliest regulation naming the person
    assert person.countries == ("RU",)
    designated = by_name(entities, "Northwind Machine Tools LLC")
    assert designated.listed_on == "2023-02-25"
    assert designated.remarks == "Provides services to the Russian defence sector."
    delisted = by_name(entities, "Ivan Sampleov")
    assert delisted.removed_on == "2024-03-14"
    foundation = by_name(entities, "Example Relief Foundation")
    assert foundation.countries == ()  # "00" / UNKNOWN is not a country
    assert ("un-reference", "QDe.099") in [(i.scheme, i.value) for i in foundation.identifiers]
    assert by_name(entities, "Han Dae-Song").countries == ("KP",)


def test_legacy_format():
    entities, parser = parse("eu_fsf_xml", "eu_fsf", main=asset("eu", "legacy_2016.xml"))
    assert len(entities) == 10
    assert parser.published({"main": asset("eu", "legacy_2016.xml")}) == "2016-02-11"
    person = by_name(entities, "Saddam Example Al-Tikriti")
    assert person.entity_type == "person"
    assert person.listed_on == "2003-07-07"
    assert person.citation == "1210/2003 (OJ L169)"
    assert person.countries == ("IQ",)  # alpha-3 IRQ
    assert [a.name for a in person.aliases] == ["Abu Example", "Abou Example"]
    plant = by_name(entities, "Minsk Example Plant")
    assert plant.entity_type == "organisation"
    assert plant.aliases[0].kind == "native"
    assert plant.countries == ("BY",)
    assert by_name(entities, "Robert Gabriel Sample").identifiers[0].scheme == "passport"


def test_wrong_root_and_truncation(tmp_path: Path):
    parse_error("eu_fsf_xml", "expected <export>", main=asset("un", "consolidated.xml"))
    data = asset("eu", "fsf_1_1.xml").read_bytes()
    cut = tmp_path / "xmlFullSanctionsList_1_1.xml"
    cut.write_bytes(data[: len(data) * 2 // 3])
    parse_error("eu_fsf_xml", "xmlFullSanctionsList_1_1.xml", "malformed XML", main=cut)


def test_entity_expansion_is_refused():
    parse_error("eu_fsf_xml", "billion_laughs.xml", "DTD", main=asset("broken",
                                                                      "billion_laughs.xml"))
