"""Every real list snapshot in ../shared/lists-real parses to the counts SOURCES.md states.

Skipped when the snapshots are not beside the project. Counts are records per SOURCES.md;
where our count differs the reason is asserted explicitly (the 2023 CSL subset ends in a
record cut off mid-field, which the parser refuses rather than half-reading).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from riskcheck.lists.interface import ListDataError
from tests.lists.parser_helpers import parse, real

pytestmark = pytest.mark.realdata


def _sdn_files() -> dict[str, Path]:
    return {"main": real("ofac_sdn", "2024-05-03", "sdn.csv"),
            "add": real("ofac_sdn", "watchman-2025-12", "add.csv"),
            "alt": real("ofac_sdn", "watchman-2025-12", "alt.csv"),
            "comments": real("ofac_sdn", "watchman-2025-12", "sdn_comments.csv")}


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_ofac_sdn_2024():
    entities, parser = parse("ofac_legacy_csv", "ofac_sdn", **_sdn_files())
    assert len(entities) == 14_965
    assert max(int(e.source_id) for e in entities) == 48_907
    # the add/alt/comments files are ~1.5 years newer: rows for later entries are orphans
    assert parser.orphans > 0 and set(parser.orphans_by_role) == {"add", "alt", "comments"}
    programs = Counter(p for e in entities for p in e.programs)
    assert programs["RUSSIA-EO14024"] == 4439 and programs["SDGT"] == 2386
    sberbank = next(e for e in entities if e.name == "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA")
    assert sberbank.lists == ("SDN",) and "RU" in sberbank.countries
    assert ("swift-bic", "SABRRUMM") in [(i.scheme, i.value) for i in sberbank.identifiers]
    assert sum("SBERBANK" in n.upper() for e in entities for n in e.all_names) >= 40
    assert parser.published(_sdn_files()) is None  # the legacy CSV prints no date


def test_ofac_consolidated_csv():
    files = {"main": real("ofac_cons", "cons_prim.csv"), "add": real("ofac_cons", "cons_add.csv"),
             "alt": real("ofac_cons", "cons_alt.csv"),
             "comments": real("ofac_cons", "cons_comments.csv")}
    entities, parser = parse("ofac_legacy_csv", "ofac_cons", **files)
    assert len(entities) == 442 and parser.orphans == 0
    lists = Counter(code for e in entities for code in e.lists)
    assert lists["SSI"] == 286 and lists["PLC"] == 78 and lists["CMIC"] == 68
    huawei = next(e for e in entities if e.name == "HUAWEI TECHNOLOGIES CO., LTD.")
    assert huawei.lists == ("CMIC",) and huawei.listed_on == "2021-06-03"
    cmic_huawei = [e for e in entities if "CMIC" in e.lists and "HUAWEI" in e.name.upper()]
    assert len(cmic_huawei) >= 2
    assert any(e.name == "SENSETIME GROUP LIMITED" and e.lists == ("CMIC",) for e in entities)


def test_ofac_enhanced_zip():
    files = {"main": real("ofac_cons", "CONS_ENHANCED.ZIP")}
    entities, parser = parse("ofac_enhanced_xml", "ofac_cons", **files)
    assert len(entities) == 443
    assert parser.published(files) == "2025-01-10"
    huawei = next(e for e in entities if e.name == "HUAWEI TECHNOLOGIES CO., LTD.")
    assert huawei.lists == ("CMIC",) and huawei.countries == ("CN",)
    sberbank = next(e for e in entities if e.source_id == "17018")
    assert set(sberbank.lists) == {"SSI", "SDN"}
    assert any(a.kind == "native" for a in sberbank.aliases)


def test_csl_2022():
    entities, _ = parse("us_csl_csv", "us_csl", main=real("us_csl", "2022-05",
                                                          "consolidated.csv.gz"))
    assert len(entities) == 14_160
    lists = Counter(e.lists[0] for e in entities)
    assert lists == Counter({"SDN": 10026, "EL": 2001, "DTC": 727, "DPL": 462, "SSI": 290,
                             "UVL": 201, "ISN": 163, "PLC": 78, "MEU": 71, "CMIC": 68, "CAP": 53,
                             "MBS": 17, "FSE": 3})
    el = {e.name: e for e in entities if e.lists == ("EL",)}
    for name in ("Beijing Sensetime Technology Development Co., Ltd.", "IFLYTEK",
                 "Megvii Technology"):
        assert el[name].listed_on == "2019-10-09", name
        assert "84 FR 54002" in (el[name].citation or "")
    assert "Sense Time" in el["Beijing Sensetime Technology Development Co., Ltd."].all_names
    assert sum("huawei" in e.name.lower() for e in el.values()) > 50
    assert max(e.listed_on or "" for e in entities) == "2022-04-21"
    assert any(e.lists == ("CMIC",) and e.name.upper().startswith("HUAWEI") for e in entities)


def test_csl_2023_subset_is_cut_off_mid_record(tmp_path: Path):
    subset = real("us_csl", "watchman-subset-2023-11", "csl.csv")
    with pytest.raises(ListDataError, match="truncated"):
        parse("us_csl_csv", "us_csl", main=subset)
    data = subset.read_bytes()
    whole = tmp_path / "csl.csv"
    whole.write_bytes(data[: data.rstrip(b"\n").rfind(b"\n") + 1])  # drop the cut-off record
    entities, _ = parse("us_csl_csv", "us_csl", main=whole)
    # SOURCES.md counts 4,227 records after the header: the repeated header line is one
    # of them, the final cut-off record another
    assert len(entities) == 4_226
    assert max(e.listed_on or "" for e in entities) == "2023-11-16"


def test_dpl():
    files = {"main": real("us_bis_dpl", "dpl.txt")}
    entities, parser = parse("bis_dpl_tsv", "us_bis_dpl", **files)
    assert len(entities) == 665
    assert parser.published(files) == "2023-11-28"
    assert any(e.name == "I. ASH" for e in entities)
    assert any("3033-09-30" in (e.remarks or "") for e in entities)


def test_eu_legacy_2016():
    files = {"main": real("eu_fsf", "2016-02", "data.xml")}
    entities, parser = parse("eu_fsf_xml", "eu_fsf", **files)
    assert len(entities) == 595
    assert parser.published(files) == "2016-02-11"
    assert all(e.name for e in entities)
    assert sum(1 + len(e.aliases) for e in entities) <= 2_993  # NAME elements, deduplicated


def test_uk_ofsi_2016():
    files = {"main": real("uk_hmt", "2016-02", "data.csv")}
    entities, parser = parse("ofsi_conlist_csv", "uk_sanctions", **files)
    assert len(entities) == 463
    assert parser.published(files) == "2016-02-12"
    assert Counter(e.entity_type for e in entities)["person"] > 300
    assert any("\u2019" in (e.remarks or "") + e.name for e in entities)  # cp1252 0x92


def test_un():
    files = {"main": real("un", "UN_consolidated.xml")}
    entities, parser = parse("un_sc_xml", "un_sc", **files)
    types = Counter(e.entity_type for e in entities)
    assert types == Counter({"person": 730, "organisation": 273})
    assert parser.published(files) == "2026-02-27"
    assert max(e.listed_on or "" for e in entities) == "2026-02-24"
    assert not any("BAIDU" in n.upper().split() for e in entities for n in e.all_names)
