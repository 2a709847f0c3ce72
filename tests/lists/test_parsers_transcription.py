"""riskcheck's transcriptions (DoD 1260H, FCC Covered List) and their format."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tests.lists.parser_helpers import REPO, asset, by_name, parse, parse_error, real

DOD = REPO / "lists" / "transcriptions" / "dod_1260h.yaml"
FCC = REPO / "lists" / "transcriptions" / "fcc_covered.yaml"


def test_history_gives_current_and_removed_entities():
    entities, parser = parse("riskcheck_transcription_yaml", "us_dod_1260h",
                             main=asset("transcription", "mini.yaml"))
    assert parser.published({"main": asset("transcription", "mini.yaml")}) == "2025-01-07"
    removed = by_name(entities, "Example Vision Technology Co., Ltd.")
    assert removed.removed_on == "2025-01-07" and removed.listed_on == "2024-01-31"
    current = by_name(entities, "Example Group Holding Limited")
    assert current.removed_on is None and current.listed_on == "2024-01-31"
    assert current.citation == "90 FR 1105" and current.url == "https://example.invalid/2025.pdf"
    assert [(a.name, a.kind) for a in current.aliases] == [("Example Group", "aka"),
                                                           ("Example Holdings Ltd.", "fka")]
    assert current.identifiers[0].scheme == "parent"
    assert "Indirectly affiliated with the PLA." in (current.remarks or "")


def test_unknown_tranche_is_located():
    parse_error("riskcheck_transcription_yaml", "unknown_tranche.yaml:7", "unknown tranche",
                main=asset("transcription", "unknown_tranche.yaml"))


def test_shipped_1260h_transcription():
    entities, parser = parse("riskcheck_transcription_yaml", "us_dod_1260h", main=DOD)
    assert parser.published({"main": DOD}) == "2026-06-08"
    assert len(entities) > 200
    assert all(entity.lists == ("1260H",) for entity in entities)
    sensetime = by_name(entities, "SenseTime Group, Inc.")
    assert sensetime.removed_on is None and sensetime.listed_on == "2025-01-07"
    assert sensetime.citation.startswith("91 FR 35189")  # the newest edition naming it
    assert by_name(entities, "Tencent Holdings Limited").removed_on is None
    megvii = by_name(entities, "Beijing Megvii Technology Co., Ltd.")
    assert megvii.removed_on == "2025-01-07"
    assert by_name(entities, "Alibaba Group Holding Limited").listed_on == "2026-06-08"
    huawei = by_name(entities, "Huawei Technologies Co., Ltd.")
    assert huawei.listed_on == "2021-06-03" and huawei.removed_on is None
    renamed = by_name(entities, "AVIC Chengdu Aircraft Co., Ltd.")
    assert "Zhonghang Electronic Measuring Instruments Company Limited" in renamed.all_names


def test_shipped_fcc_transcription():
    entities, parser = parse("riskcheck_transcription_yaml", "us_fcc_covered", main=FCC)
    assert parser.published({"main": FCC}) == "2026-07-28"
    names = {entity.name for entity in entities}
    for company in ("Huawei Technologies Company", "ZTE Corporation",
                    "Hytera Communications Corporation",
                    "Hangzhou Hikvision Digital Technology Company", "Dahua Technology Company",
                    "AO Kaspersky Lab", "Kaspersky Lab, Inc.", "China Mobile International USA Inc.",
                    "China Telecom (Americas) Corp.", "Pacific Networks Corp", "ComNet (USA) LLC",
                    "China Unicom (Americas) Operations Limited"):
        assert company in names
    assert by_name(entities, "ZTE Corporation").listed_on == "2021-03-12"
    assert by_name(entities, "Kaspersky Lab, Inc.").listed_on == "2024-07-23"
    for entity in entities:
        assert not re.search(r"[\^£³†#]|Visit -", entity.remarks or ""), entity.remarks


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.realdata
def test_1260h_transcription_covers_every_curated_row():
    rows = list(csv.DictReader(real("opensanctions", "us_dod_chinese_milcorps.sanctions.csv")
                               .open(encoding="utf-8")))
    assert len(rows) == 397
    import yaml
    data = yaml.safe_load(DOD.read_text(encoding="utf-8"))
    listings = [(listing["as_listed"], listing["listed_on"], listing.get("removed_on"))
                for entity in data["entities"] for listing in entity["listings"]]
    assert len(listings) == 397
    expected = sorted((r["Name"].rstrip("*").strip(), r["Start date"], r["End date"] or None)
                      for r in rows)
    assert sorted(listings, key=lambda x: (x[0], x[1], x[2] or "")) == \
        sorted(expected, key=lambda x: (x[0], x[1], x[2] or ""))
    entities, _ = parse("riskcheck_transcription_yaml", "us_dod_1260h", main=DOD)
    def fold(name: str) -> str:  # names differing only in punctuation were merged
        return " ".join(re.sub(r"[^0-9a-z]+", " ", name.casefold()).split())

    names = {fold(name) for entity in entities for name in entity.all_names}
    for row in rows:
        assert fold(row["Clean Name"]) in names, row["Clean Name"]
    current = {r["Clean Name"] for r in rows if not r["End date"]}
    for name in current:
        entity = next(e for e in entities if fold(name) in {fold(n) for n in e.all_names})
        assert entity.removed_on is None, name


@pytest.mark.realdata
def test_fcc_transcription_covers_every_row():
    rows = list(csv.DictReader(real("opensanctions", "us_fcc_covered_list.table.csv")
                               .open(encoding="utf-8")))
    assert len(rows) == 16
    import yaml
    data = yaml.safe_load(FCC.read_text(encoding="utf-8"))
    dates = {entity["listings"][0]["listed_on"] for entity in data["entities"]} | {
        category["listed_on"] for category in data["covered_categories"]}
    from datetime import datetime
    for row in rows:
        first = re.match(r"[A-Z][a-z]+ \d{1,2}, \d{4}", row["date_of_inclusion_on_covered_list"])
        assert datetime.strptime(first.group(0), "%B %d, %Y").date().isoformat() in dates
    entities, _ = parse("riskcheck_transcription_yaml", "us_fcc_covered", main=FCC)
    text = " ".join(r["covered_equipment_or_services"] for r in rows)
    for entity in entities:
        if entity.source_id not in ("dji-technologies", "autel-robotics"):
            assert entity.name in text, entity.name


def test_bad_transcription(tmp_path: Path):
    bad = tmp_path / "t.yaml"
    bad.write_text("list: 1260H\ntranches: []\nentities:\n  - name: X\n    listings: []\n",
                   encoding="utf-8")
    parse_error("riskcheck_transcription_yaml", "t.yaml:4", "no 'listings'", main=bad)
    bad.write_text("list: 1260H\ntranches:\n  - {id: a, date: 2024-02-30}\nentities: []\n",
                   encoding="utf-8")
    parse_error("riskcheck_transcription_yaml", "t.yaml", "invalid value", main=bad)
    bad.write_text("list: 1260H\ntranches:\n  - {id: a, date: 'soon'}\nentities: []\n",
                   encoding="utf-8")
    parse_error("riskcheck_transcription_yaml", "t.yaml:3", "not a date", main=bad)
