"""Corrected citations stay correct: in each file the fact and the source cited for it agree.

One test per correction made on 2026-12-04 (issue 18): a verified fact must be printed by a
verified source the same file cites, a source must be about the organisation it is cited for,
and a date that no source gives stays empty with the reason written down. Where the real list
files are beside the repository (../shared/lists-real), the OFAC spellings are also checked
against them.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
VENDORS = REPO / "lists" / "vendors"
SNAPSHOT = REPO / "lists" / "snapshot"
TRANSCRIPTION = REPO / "lists" / "transcriptions" / "dod_1260h.yaml"
REAL = REPO.parent / "shared" / "lists-real"


@cache
def _vendor(vendor_id: str) -> dict:
    return yaml.safe_load((VENDORS / f"{vendor_id}.yaml").read_text(encoding="utf-8"))


@cache
def _snapshot_entries() -> dict[str, dict]:
    out = {}
    for path in SNAPSHOT.glob("*.yaml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict) or "entries" not in document:
            continue
        defaults = document.get("defaults") or {}
        for entry in document["entries"]:
            out[entry["id"]] = {**defaults, **entry, "_file": path.name}
    return out


@cache
def _transcription() -> dict:
    return yaml.safe_load(TRANSCRIPTION.read_text(encoding="utf-8"))


def _verified_citations(doc: dict) -> list[dict]:
    return [c for c in doc["citations"] if c["verified"]]


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()


def _listed_1260h_names() -> set[str]:
    names = set()
    for entity in _transcription()["entities"]:
        names.add(entity["name"])
        names |= set(entity.get("aliases") or [])
        names |= {listing["as_listed"] for listing in entity["listings"]}
    return names


# --- Tencent: 1260H names only the holding company ------------------------------------------


def test_tencent_cites_1260h_only_for_the_holding_company() -> None:
    listed = _listed_1260h_names()
    assert "Tencent Holdings Limited" in listed
    operating = _vendor("tencent")
    for legal in operating["legal_names"]:
        assert legal["name"] not in listed, legal["name"]
    for citation in operating["citations"]:
        if "dod_chinese_milcorps" in citation["url"] or "1260H" in citation.get("about", ""):
            about = citation["about"]
            assert "legal name as listed" not in about
            assert "Tencent Holdings Limited" in about
    holding = _vendor("tencent-holdings")
    verified = {n["name"] for n in holding["legal_names"] if n["verified"]}
    assert verified == {"Tencent Holdings Limited"}


# --- Sberbank: the SDN spellings rest on the OFAC files, not the EU entry --------------------


def test_sberbank_verified_legal_names_are_printed_by_a_verified_ofac_citation() -> None:
    doc = _vendor("sberbank")
    ofac = [c for c in _verified_citations(doc) if "ofac.treasury.gov" in c["url"]]
    assert ofac, "the SDN spellings need the OFAC list as their source"
    for legal in doc["legal_names"]:
        if legal["verified"]:
            assert any(_fold(legal["name"]) in _fold(c["about"]) for c in ofac), legal["name"]
    eu = [c for c in doc["citations"] if "32014R0269" in c["url"]]
    assert eu and all("legal name" not in c["about"] for c in eu)
    for legal in doc["legal_names"]:
        assert not any(_fold(legal["name"]) in _fold(c["about"]) for c in eu), legal["name"]


def _ofac_rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="latin-1").rstrip("\x1a").rstrip()
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


@pytest.mark.realdata
def test_sberbank_sdn_spellings_are_in_the_real_ofac_files() -> None:
    if not REAL.is_dir():
        pytest.skip("real list snapshots not present (../shared/lists-real)")
    names = {row[1].casefold() for row in _ofac_rows(REAL / "ofac_sdn/2024-05-03/sdn.csv")
             if row[0] == "17018"}
    names |= {row[3].casefold() for row in _ofac_rows(REAL / "ofac_sdn/watchman-2025-12/alt.csv")
              if row[0] == "17018"}
    for legal in _vendor("sberbank")["legal_names"]:
        if legal["verified"]:
            assert legal["name"].casefold() in names, legal["name"]


# --- Zhipu: its Hong Kong listing is cited from a page about Zhipu ---------------------------


def test_zhipu_hong_kong_listing_is_cited_from_a_zhipu_source() -> None:
    doc = _vendor("zhipu")
    hk = [c for c in doc["citations"] if "02513" in c.get("about", "")]
    assert hk, "the 股份有限公司 name needs the Hong Kong listing as its source"
    for citation in hk:
        assert "minimax" not in citation["url"].casefold(), citation["url"]
        assert "智譜華章" in citation["about"] or "智谱华章" in citation["about"]
    assert "北京智谱华章科技股份有限公司" in doc["native_names"]


# --- MiniMax: a verified legal name is printed by a verified source ---------------------------


def test_minimax_verified_legal_names_are_printed_by_a_verified_citation() -> None:
    doc = _vendor("minimax")
    cited = " ".join(c["about"] for c in _verified_citations(doc))
    for legal in doc["legal_names"]:
        if legal["verified"]:
            assert legal["name"] in cited, legal["name"]
    shanghai = next(n for n in doc["legal_names"]
                    if n["name"] == "Shanghai Xiyu Technology Co., Ltd.")
    assert shanghai["verified"] is False


# --- 1260H 2026 edition: its Federal Register citation is the transcription's -----------------


def _tranche_citation(tranche_id: str) -> str:
    tranche = next(t for t in _transcription()["tranches"] if t["id"] == tranche_id)
    assert tranche["citation"], tranche_id
    return re.match(r"\d+ FR \d+", tranche["citation"]).group(0)


def test_1260h_2026_entries_cite_the_2026_federal_register_notice() -> None:
    cite = _tranche_citation("2026-06-08")
    assert cite == "91 FR 35189"
    entries = [e for e in _snapshot_entries().values()
               if e["_file"] == "dod_1260h.yaml" and str(e.get("listed_on")) == "2026-06-08"]
    assert {e["id"] for e in entries} >= {"1260h-alibaba", "1260h-baidu", "1260h-unitree",
                                         "1260h-tianyi-cloud"}
    for entry in entries:
        assert cite in entry["citation"], entry["id"]
    assert "FR citation not found" not in (SNAPSHOT / "dod_1260h.yaml").read_text(encoding="utf-8")
    for vendor_id in ("alibaba-group", "baidu-inc"):
        assert any(cite in c.get("about", "") for c in _vendor(vendor_id)["citations"]), vendor_id


# --- T-Bank: SDN date from a dated source; UK date empty with the reason ----------------------


def test_t_bank_sdn_date_agrees_with_its_source_and_uk_date_stays_empty_with_reason() -> None:
    entries = _snapshot_entries()
    sdn = entries["sdn-t-bank"]
    assert str(sdn["listed_on"]) == "2023-07-20"
    assert any("2023-07-20" in line and "(S)" in line for line in sdn["evidence"])
    assert "2023-07-20" in sdn["citation"]
    vendor = _vendor("t-bank")
    assert any("2023-07-20" in c["about"] for c in _verified_citations(vendor))
    assert "20 Jul 2023" in vendor["description"]
    uk = entries["uk-tinkoff-bank"]
    assert uk["listed_on"] is None
    assert any("no UK designation date" in line for line in uk["evidence"])


# --- Inspur Group: the Entity List year has its source ----------------------------------------


def test_inspur_group_entity_list_year_has_its_source() -> None:
    doc = _vendor("inspur-group")
    year = re.search(r"Entity List \((?:early \w+ )?(\d{4})", doc["description"]).group(1)
    sources = [c for c in doc["citations"] if "Entity List" in c.get("about", "")]
    assert sources and all(year in c["about"] for c in sources)
    assert all(not c["verified"] for c in sources), "the year rests on press reporting"
    entry = _snapshot_entries()["el-inspur-group"]
    assert str(entry["as_of"]).startswith(year)
    assert entry["confidence"] == "S"


# --- parent links through which models are flagged --------------------------------------------

FLAGGED_LINKS = [
    ("alibaba-cloud", "alibaba-group"),      # Qwen -> Alibaba (1260H)
    ("alibaba-damo", "alibaba-group"),       # damo-vilab, OFA-Sys -> Alibaba (1260H)
    ("baidu", "baidu-inc"),                  # ERNIE -> Baidu (1260H)
    ("tencent", "tencent-holdings"),         # Hunyuan -> Tencent (1260H)
    ("ieit-systems", "inspur-group"),        # Yuan -> Inspur (1260H, NS-CMIC)
    ("teleai", "china-telecom-group"),       # TeleChat -> China Telecom (1260H)
    ("sber-devices", "sberbank"),            # GigaChat -> Sberbank (SDN, EU, UK)
    ("mts-ai", "mts"), ("mts", "sistema"),   # MTS AI -> MTS -> Sistema (SDN, EU)
    ("hfl", "harbin-institute-of-technology"), ("hfl", "iflytek"),  # HFL -> EL
    ("huawei-cloud", "huawei"),              # ModelArts MaaS -> Huawei (EL, 1260H)
    ("tianyi-cloud", "china-telecom-group"),  # Tianyi Cloud -> China Telecom (1260H)
    ("zai-sg", "zhipu"),                     # api.z.ai -> Zhipu (EL)
    ("alibaba-cloud-sg", "alibaba-group"),   # international DashScope -> Alibaba (1260H)
]


@pytest.mark.parametrize(("child", "parent"), FLAGGED_LINKS,
                         ids=[f"{c}->{p}" for c, p in FLAGGED_LINKS])
def test_flagging_parent_links_are_verified_with_a_source_or_marked_unverified(
        child: str, parent: str) -> None:
    edge = next(e for e in _vendor(child).get("parents", []) if e["id"] == parent)
    if edge["verified"]:
        # A verified link names where it was read, and that source is cited as verified.
        parent_names = {n["name"] for n in _vendor(parent).get("legal_names", [])}
        cited = " ".join(c["about"] for c in _verified_citations(_vendor(child)))
        assert any(name in cited or name in edge.get("note", "") for name in parent_names), edge
    else:
        assert "share" not in edge or edge.get("note"), "an unverified share needs its note"
