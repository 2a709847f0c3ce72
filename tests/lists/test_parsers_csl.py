"""trade.gov Consolidated Screening List CSV and the BIS Denied Persons List."""

from __future__ import annotations

import gzip
from pathlib import Path

from tests.lists.parser_helpers import asset, by_name, parse, parse_error


def test_csl_rows_become_entities_with_list_codes():
    entities, _ = parse("us_csl_csv", "us_csl", main=asset("csl", "consolidated.csv"))
    assert len(entities) == 13
    codes = {entity.name: entity.lists[0] for entity in entities}
    assert codes["Example Vision Technology Co., Ltd."] == "EL"
    assert codes["Aerospace Example Research Institute"] == "MEU"
    assert codes["Example Electronics Trading Ltd."] == "UVL"
    assert codes["AL-EXAMPLE, Hamid"] == "SDN"
    assert codes["EXAMPLE VISION GROUP LIMITED"] == "CMIC"
    assert codes["EXAMPLE SAVINGS BANK"] == "SSI"
    assert codes["NORTHERN EXAMPLE BANK"] == "MBS"
    assert codes["J. EXAMPLE"] == "DPL"  # leading space trimmed
    assert codes["Example Arms Brokerage"] == "DTC"
    assert codes["Example Missile Components Co."] == "ISN"


def test_csl_fields_are_normalised():
    entities, _ = parse("us_csl_csv", "us_csl", main=asset("csl", "consolidated.csv"))
    vision = by_name(entities, "Example Vision Technology Co., Ltd.")
    assert vision.listed_on == "2019-10-09"
    assert vision.citation == "84 FR 54002; 85 FR 44159"
    assert vision.url == "http://bit.ly/example-el"
    assert vision.countries == ("CN",)
    assert vision.entity_type == "unknown"  # BIS rows carry no type: unknown, not guessed
    # BIS writes "A; and B": the "and" is not part of the alias
    assert [a.name for a in vision.aliases] == ["Example Shijue Technology Development Co., Ltd.",
                                                "Example Vision"]
    assert "Presumption of denial" in (vision.remarks or "")
    zhi = by_name(entities, "Zhi Example AI Co.")
    assert [a.name for a in zhi.aliases] == ["Zhi Example Huazhang Technology Co., Ltd.", "ZEAI"]
    assert len(zhi.addresses) == 2
    person = by_name(entities, "AL-EXAMPLE, Hamid")
    assert person.entity_type == "person"
    assert person.programs == ("SDGT", "IRGC")
    assert "Second line of the remarks." in (person.remarks or "")  # embedded newline
    assert [(i.scheme, i.value) for i in person.identifiers] == [("passport", "A1234567")]
    assert person.aliases[0].name == "Hamid AL-EXAMPLE"
    bank = by_name(entities, "PUBLIC JOINT STOCK COMPANY EXAMPLE BANK")
    assert {("swift-bic", "EXAMPLEXX"), ("tax-id", "7707000000")} <= {
        (i.scheme, i.value) for i in bank.identifiers}
    cmic = by_name(entities, "EXAMPLE VISION GROUP LIMITED")
    assert cmic.listed_on == "2021-12-10"  # from "Listing Date (CMIC)" in ids
    assert ("registration", "2162198") in [(i.scheme, i.value) for i in cmic.identifiers]
    assert by_name(entities, "EXAMPLE STAR").entity_type == "vessel"


def test_csl_duplicate_header_and_gzip(tmp_path: Path):
    entities, _ = parse("us_csl_csv", "us_csl", main=asset("csl", "consolidated_dup_header.csv"))
    assert len(entities) == 13
    packed = tmp_path / "consolidated.csv.gz"
    packed.write_bytes(gzip.compress(asset("csl", "consolidated.csv").read_bytes()))
    assert len(parse("us_csl_csv", "us_csl", main=packed)[0]) == 13


def test_csl_truncated_last_record_is_an_error(tmp_path: Path):
    data = asset("csl", "consolidated.csv").read_bytes()
    cut = tmp_path / "consolidated.csv"
    cut.write_bytes(data[: data.index(b"Second line") + 6])
    parse_error("us_csl_csv", "consolidated.csv", "truncated", main=cut)


def test_csl_missing_columns(tmp_path: Path):
    bad = tmp_path / "consolidated.csv"
    bad.write_text("id,title\n1,x\n", encoding="utf-8")
    parse_error("us_csl_csv", "missing column(s) source, name", main=bad)


def test_csl_row_with_wrong_width(tmp_path: Path):
    lines = asset("csl", "consolidated.csv").read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "consolidated.csv"
    bad.write_text(lines[0] + "\nx,Entity List (EL) - Bureau of Industry and Security,y\n",
                   encoding="utf-8")
    parse_error("us_csl_csv", "expected 29 columns, found 3 on line 2", main=bad)


def test_dpl_rows_dates_and_typos():
    entities, parser = parse("bis_dpl_tsv", "us_bis_dpl", main=asset("dpl", "dpl.txt"))
    assert len(entities) == 10
    assert all(entity.lists == ("DPL",) for entity in entities)
    first = by_name(entities, "J. EXAMPLE")
    assert first.listed_on == "2003-06-19"
    assert first.citation == "68 F.R. 38290 6/27/03"
    assert first.countries == ("US",)
    typo = by_name(entities, "JOHN QUINCY SAMPLE")
    assert "Last update: 3033-09-30" in (typo.remarks or "")  # kept verbatim, not a fact
    bad_date = by_name(entities, "DELTA MARINE SERVICES")
    assert bad_date.listed_on is None
    assert "13/45/2020" in (bad_date.remarks or "")
    # the newest plausible Last_Update, the 3033 typo ignored
    assert parser.published({"main": asset("dpl", "dpl.txt")}) == "2023-11-28"
    ids = [entity.source_id for entity in entities]
    assert len(set(ids)) == len(ids)
    again, _ = parse("bis_dpl_tsv", "us_bis_dpl", main=asset("dpl", "dpl.txt"))
    assert [entity.source_id for entity in again] == ids  # stable between runs


def test_dpl_with_csv_instead_of_tabs():
    parse_error("bis_dpl_tsv", "missing column(s)", "Denied Persons",
                main=asset("csl", "consolidated.csv"))


def test_a_lone_and_between_aliases_is_not_an_alias():
    # The trade.gov file of 2022-05 carries "HPSTAR; and; Beijing High Voltage Science
    # Research Center": a one-word alias "and" would meet any query made of stop words.
    from riskcheck.lists.parsers.csl import _alias_names

    assert _alias_names("HPSTAR; and; Beijing High Voltage Science Research Center") == [
        "HPSTAR", "Beijing High Voltage Science Research Center"]
    assert _alias_names("OKB Temp; and ANPP Temp-Avia") == ["OKB Temp", "ANPP Temp-Avia"]
    assert _alias_names("AND Holdings; Andromeda") == ["AND Holdings", "Andromeda"]
