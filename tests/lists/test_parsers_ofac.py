"""OFAC legacy CSV set and Enhanced XML (plain and zipped)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.lists.parser_helpers import asset, by_name, parse, parse_error

SDN_FILES = {"main": asset("ofac", "sdn.csv"), "add": asset("ofac", "add.csv"),
             "alt": asset("ofac", "alt.csv"), "comments": asset("ofac", "sdn_comments.csv")}


def test_sdn_set_joins_addresses_aliases_and_comments():
    entities, parser = parse("ofac_legacy_csv", "ofac_sdn", **SDN_FILES)
    assert len(entities) == 12  # the trailing 0x1A byte is not a record
    assert all(entity.lists == ("SDN",) for entity in entities)
    bank = by_name(entities, "ZELENOGRAD PRECISION HOLDING JSC")
    assert bank.programs == ("RUSSIA-EO14024", "UKRAINE-EO13662")
    assert bank.countries == ("RU", "HK")
    # remarks continued in sdn_comments.csv start mid-word: concatenated without a separator
    assert ("tax-id", "7702004567") in [(i.scheme, i.value) for i in bank.identifiers]
    assert ("linked-to", "NORTHWIND MACHINE TOOLS LLC") in [(i.scheme, i.value)
                                                            for i in bank.identifiers]
    assert [(a.name, a.strength) for a in bank.aliases] == [("ZELENOGRAD PRECISION", "strong"),
                                                            ("ZPH", "weak")]
    assert bank.listed_on == "2022-02-24"
    assert "Directive 1" in (bank.remarks or "")
    assert parser.orphans == 4
    assert parser.orphans_by_role == {"add": 1, "alt": 2, "comments": 1}


def test_sdn_types_nulls_and_person_names():
    entities, _ = parse("ofac_legacy_csv", "ofac_sdn", **SDN_FILES)
    person = by_name(entities, "KOVALENKO, Arkady Petrovich")
    assert person.entity_type == "person"
    assert person.aliases[0].name == "Arkady Petrovich KOVALENKO"
    assert person.countries == ("RU",)
    assert ("passport", "7512345678") in [(i.scheme, i.value) for i in person.identifiers]
    assert "Title: Director General" in (person.remarks or "")
    vessel = by_name(entities, "SEA PEARL")
    assert vessel.entity_type == "vessel"
    assert [(i.scheme, i.value) for i in vessel.identifiers] == [("imo", "9123456"),
                                                                 ("mmsi", "355123000")]
    assert by_name(entities, "EP-XYZ").entity_type == "aircraft"
    plain = by_name(entities, "ORIENT SHIPPING LINES")
    assert plain.entity_type == "organisation" and plain.remarks is None  # "-0- " is null
    linked = by_name(entities, "BLUE CRESCENT TRADING CO., LTD.")
    assert by_name(entities, "AL-RASHIDI, Samir").identifiers[0].value == linked.name
    assert by_name(entities, "HAN DAE-SONG").countries == ("KP",)


def test_main_file_alone_is_enough():
    entities, parser = parse("ofac_legacy_csv", "ofac_sdn", main=asset("ofac", "sdn.csv"))
    assert len(entities) == 12 and parser.orphans == 0


def test_consolidated_list_codes_come_from_programs():
    entities, _ = parse("ofac_legacy_csv", "ofac_cons", main=asset("ofac", "cons_prim.csv"),
                        alt=asset("ofac", "cons_alt.csv"))
    codes = {entity.name: entity.lists for entity in entities}
    assert codes["HUAWEI TECHNOLOGIES CO., LTD."] == ("CMIC",)
    assert codes["VOLGA SAVINGS BANK"] == ("SSI",)
    assert codes["NAJJAR, Khalil"] == ("PLC",)
    assert codes["NORTHERN STAR BANK"] == ("MBS",)
    assert codes["EASTERN RIVER BANK"] == ("CAP",)
    assert codes["DESERT ROSE TRADING"] == ("FSE",)
    assert codes["YANGON GEMS ENTERPRISE"] == ("MBS",)
    huawei = by_name(entities, "HUAWEI TECHNOLOGIES CO., LTD.")
    assert huawei.listed_on == "2021-06-03"
    assert ("uscc", "914403001922038216") in [(i.scheme, i.value) for i in huawei.identifiers]
    holding = by_name(entities, "HUAWEI INVESTMENT & HOLDING CO., LTD.")
    assert holding.identifiers[-1].value == "HUAWEI TECHNOLOGIES CO., LTD."


def test_wrong_column_count_names_file_line_and_format(tmp_path: Path):
    bad = tmp_path / "sdn.csv"
    bad.write_bytes(b'1,"A","B"\r\n')
    parse_error("ofac_legacy_csv", "sdn.csv", "expected 12 columns, found 3 on line 1",
                "not an OFAC", main=bad)


def test_header_row_is_rejected(tmp_path: Path):
    bad = tmp_path / "sdn.csv"
    bad.write_text("ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,"
                   "Vess_flag,Vess_owner,Remarks\r\n", encoding="ascii")
    parse_error("ofac_legacy_csv", "ent_num", "not a number", main=bad)


def test_truncated_csv_is_an_error_not_a_partial_list(tmp_path: Path):
    data = asset("ofac", "sdn.csv").read_bytes()
    cut = tmp_path / "sdn.csv"
    cut.write_bytes(data[: data.index(b"Director General") + 5])
    parse_error("ofac_legacy_csv", "sdn.csv", "truncated", main=cut)


def test_bad_side_file_is_reported_by_its_name(tmp_path: Path):
    alt = tmp_path / "alt.csv"
    alt.write_text("101,1,aka\r\n", encoding="ascii")
    parse_error("ofac_legacy_csv", "alt.csv", "expected 5 columns", main=asset("ofac", "sdn.csv"),
                alt=alt)


# --- Enhanced XML ---------------------------------------------------------------------------

def test_enhanced_xml_entities_lists_and_names():
    entities, parser = parse("ofac_enhanced_xml", "ofac_cons",
                             main=asset("ofac", "cons_enhanced.xml"))
    assert len(entities) == 10
    assert parser.published({"main": asset("ofac", "cons_enhanced.xml")}) == "2025-01-10"
    huawei = by_name(entities, "HUAWEI TECHNOLOGIES CO., LTD.")
    assert huawei.lists == ("CMIC",) and huawei.listed_on == "2021-06-03"
    assert huawei.countries == ("CN",)
    assert ("华为技术有限公司", "native") in [(a.name, a.kind) for a in huawei.aliases]
    bank = by_name(entities, "VOLGA SAVINGS BANK")
    assert set(bank.lists) == {"SSI", "SDN"}
    assert ("VSB", "weak") in [(a.name, a.strength) for a in bank.aliases]
    assert ("VOLGA OJSC", "fka") in [(a.name, a.kind) for a in bank.aliases]
    assert ("linked-to", "NORTHERN STAR BANK") in [(i.scheme, i.value) for i in bank.identifiers]
    assert ("tax-id", "6300000001") in [(i.scheme, i.value) for i in bank.identifiers]
    assert by_name(entities, "NAJJAR, Khalil").aliases[0].name == "Khalil NAJJAR"
    assert by_name(entities, "ARCTIC DAWN").entity_type == "vessel"
    assert by_name(entities, "EASTERN RIVER BANK").lists == ("CAP",)


def test_enhanced_xml_inside_a_zip(tmp_path: Path):
    archive = tmp_path / "CONS_ENHANCED.ZIP"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(asset("ofac", "cons_enhanced.xml"), "CONS_ENHANCED.XML")
    entities, parser = parse("ofac_enhanced_xml", "ofac_cons", main=archive)
    assert len(entities) == 10
    assert parser.published({"main": archive}) == "2025-01-10"


@pytest.mark.parametrize("member", ["../evil.xml", "/abs/evil.xml", "dir/../../evil.xml"])
def test_zip_with_unsafe_member_is_refused(tmp_path: Path, member: str):
    archive = tmp_path / "SDN_ENHANCED.ZIP"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(member, "<sanctionsData/>")
    parse_error("ofac_enhanced_xml", "SDN_ENHANCED.ZIP", "unsafe", main=archive)


def test_zip_with_two_members_or_no_xml_is_refused(tmp_path: Path):
    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as zipped:
        zipped.writestr("a.xml", "<a/>")
        zipped.writestr("b.xml", "<b/>")
    parse_error("ofac_enhanced_xml", "2 files", main=two)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zipped:
        zipped.writestr("readme.txt", "hello")
    parse_error("ofac_enhanced_xml", "not an XML file", main=other)


def test_zip_bomb_ratio_is_refused(tmp_path: Path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("SDN_ENHANCED.XML", "<a>" + " " * 5_000_000 + "</a>")
    parse_error("ofac_enhanced_xml", "compression ratio", main=bomb)


def test_truncated_zip_and_truncated_xml(tmp_path: Path):
    data = asset("ofac", "cons_enhanced.xml").read_bytes()
    cut = tmp_path / "cons.xml"
    cut.write_bytes(data[: len(data) // 2])
    parse_error("ofac_enhanced_xml", "cons.xml", "malformed XML", main=cut)
    archive = tmp_path / "cons.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(asset("ofac", "cons_enhanced.xml"), "CONS_ENHANCED.XML")
    short = tmp_path / "short.zip"
    short.write_bytes(archive.read_bytes()[:300])
    parse_error("ofac_enhanced_xml", "short.zip", "zip", main=short)


def test_other_xml_is_not_taken_for_enhanced_xml():
    parse_error("ofac_enhanced_xml", "expected <sanctionsData>",
                main=asset("un", "consolidated.xml"))
