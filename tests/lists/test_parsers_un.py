"""UN Security Council consolidated list XML."""

from __future__ import annotations

from tests.lists.parser_helpers import asset, by_name, parse, parse_error


def test_individuals_and_entities():
    entities, parser = parse("un_sc_xml", "un_sc", main=asset("un", "consolidated.xml"))
    assert len(entities) == 11
    assert sum(entity.entity_type == "person" for entity in entities) == 6
    assert parser.published({"main": asset("un", "consolidated.xml")}) == "2026-11-20"
    person = by_name(entities, "ARKADY PETROVICH KOVALENKO")
    assert person.source_id == "RUi.901" and person.lists == ("UN",)
    assert [(a.name, a.strength) for a in person.aliases[:2]] == [("ARKADII KOVALENKO", "strong"),
                                                                  ("A. KOVALENKO", "weak")]
    assert person.aliases[2].kind == "native"
    assert person.countries == ("RU",)
    assert person.listed_on == "2022-03-15"
    assert ("passport", "7512345678") in [(i.scheme, i.value) for i in person.identifiers]
    assert "Designation: Director General" in (person.remarks or "")
    four = by_name(entities, "MOHAMED LAKHAL EXAMPLE BEN ALI")  # FIRST..FOURTH_NAME
    assert four.programs == ("Al-Qaida",)
    assert by_name(entities, "QUSAY EXAMPLE").listed_on is None  # "not a date"
    entity = by_name(entities, "EXAMPLE MONEY EXCHANGE")
    assert entity.entity_type == "organisation"
    assert entity.countries == ("AF", "AE")
    assert by_name(entities, "SEA PEARL SHIPPING COMPANY").countries == ("IR",)
    assert by_name(entities, "KOREA EXAMPLE TRADING CORPORATION").countries == ("KP",)


def test_external_entity_is_refused():
    message = parse_error("un_sc_xml", "xxe.xml", "DTD", main=asset("broken", "xxe.xml"))
    assert "passwd" not in message
