"""UK Sanctions List (XML and CSV editions) and the legacy OFSI ConList.csv."""

from __future__ import annotations

from pathlib import Path

from tests.lists.parser_helpers import asset, by_name, parse, parse_error


def test_uk_sanctions_list_xml():
    entities, parser = parse("uk_sanctions_list", "uk_sanctions",
                             main=asset("uk", "uk_sanctions_list.xml"))
    assert len(entities) == 10
    assert parser.published({"main": asset("uk", "uk_sanctions_list.xml")}) == "2026-11-20"
    exchange = by_name(entities, "EXAMPLE MONEY EXCHANGE")
    assert exchange.source_id == "AFG9001" and exchange.lists == ("UK",)
    assert [(a.name, a.strength) for a in exchange.aliases[:2]] == [("Example Hawala", "strong"),
                                                                    ("Ex Hawala", "weak")]
    assert exchange.aliases[2].kind == "native"
    assert exchange.countries == ("AF", "AE")
    assert exchange.listed_on == "2012-06-29"
    assert ("un-reference", "TAe.901") in [(i.scheme, i.value) for i in exchange.identifiers]
    person = by_name(entities, "Arkady Petrovich KOVALENKO")
    assert person.entity_type == "person"
    assert "Arkadii KOVALENKO" in person.all_names
    bank = by_name(entities, "VOLGA SAVINGS BANK")
    assert ("parent", "Volga Financial Group") in [(i.scheme, i.value) for i in bank.identifiers]
    ship = by_name(entities, "EXAMPLE STAR")
    assert ship.entity_type == "vessel"
    assert ("imo", "9000003") in [(i.scheme, i.value) for i in ship.identifiers]


def test_uk_sanctions_list_csv_edition():
    entities, parser = parse("uk_sanctions_list", "uk_sanctions",
                             main=asset("uk", "uk_sanctions_list.csv"))
    assert len(entities) == 7  # rows grouped by Unique ID
    assert parser.published({"main": asset("uk", "uk_sanctions_list.csv")}) == "2026-11-20"
    person = by_name(entities, "Arkady Petrovich KOVALENKO")  # primary row listed second
    assert [a.name for a in person.aliases] == ["Arkadii KOVALENKO", "Аркадий Петрович КОВАЛЕНКО"]
    exchange = by_name(entities, "EXAMPLE MONEY EXCHANGE")
    assert [(a.name, a.strength) for a in exchange.aliases] == [("Example Hawala", "strong"),
                                                                ("Ex Hawala", "weak")]
    assert by_name(entities, "EXAMPLE STAR").entity_type == "vessel"


def test_ofsi_conlist_cp1252_grouped_by_group_id():
    entities, parser = parse("ofsi_conlist_csv", "uk_sanctions",
                             main=asset("uk", "conlist_2016.csv"))
    assert len(entities) == 8
    assert parser.published({"main": asset("uk", "conlist_2016.csv")}) == "2016-02-12"
    person = by_name(entities, "Mohamed LAKHAL EXAMPLE")  # Prime Alias row wins over the AKA
    assert person.source_id == "7001" and person.entity_type == "person"
    assert [a.name for a in person.aliases] == ["Mohamed ABU EXAMPLE"]
    assert person.listed_on == "2002-04-24"
    exchange = by_name(entities, "EXAMPLE MONEY EXCHANGE")
    assert exchange.countries == ("AF", "AE") and len(exchange.addresses) == 2
    assert [a.name for a in exchange.aliases] == ["EXAMPLE HAWALA"]
    bank = by_name(entities, "VOLGA SAVINGS BANK")
    assert [(a.name, a.kind) for a in bank.aliases] == [("VOLGA OJSC", "fka")]
    ship = by_name(entities, "EXAMPLE STAR")
    assert ship.entity_type == "vessel"
    assert ship.programs == ("Democratic People\u2019s Republic of Korea",)  # 0x92 decoded


def test_uk_wrong_inputs(tmp_path: Path):
    parse_error("uk_sanctions_list", "expected <Designations>", main=asset("un", "consolidated.xml"))
    parse_error("uk_sanctions_list", "missing column(s)", main=asset("csl", "consolidated.csv"))
    parse_error("ofsi_conlist_csv", "missing column(s)", main=asset("csl", "consolidated.csv"))
    parse_error("uk_sanctions_list", "HTML page", main=asset("broken", "error_page.html"))
