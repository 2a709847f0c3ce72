"""List severity data and severity x match confidence."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from riskcheck.errors import DataError
from riskcheck.model import Level, Policy
from riskcheck.score.severity import SeverityTable
from riskcheck.score.weighing import DEFAULT_SCALE, Weighing
from tests.score.builders import ALIBABA_1260H, SBERBANK_SDN, ZHIPU, ZHIPU_EL, entity, match, \
    resolution, scorer

VOCABULARY = ("SDN", "CMIC", "SSI", "PLC", "FSE", "MBS", "CAP", "EL", "MEU", "MIEU", "UVL",
              "DPL", "ISN", "DTC", "EU", "UK", "UN", "1260H", "FCC", "CUSTOM")


def table() -> SeverityTable:
    return SeverityTable.bundled()


def test_every_list_code_of_the_vocabulary_has_a_severity_effect_and_citation() -> None:
    raw = yaml.safe_load((Path(__file__).resolve().parents[2] / "lists" / "severity.yaml")
                         .read_text())
    assert set(raw["lists"]) == set(VOCABULARY)
    for code, spec in raw["lists"].items():
        assert spec["effect"] and "\n" not in spec["effect"]
        assert code == "CUSTOM" or spec["citation"].startswith("https://"), code


@pytest.mark.parametrize("code, level, effect", [
    ("SDN", Level.CRITICAL, "dealings prohibited"), ("EU", Level.CRITICAL, "dealings prohibited"),
    ("UK", Level.CRITICAL, "dealings prohibited"), ("UN", Level.CRITICAL, "dealings prohibited"),
    ("EL", Level.HIGH, "export restrictions"), ("MEU", Level.HIGH, "export restrictions"),
    ("CMIC", Level.HIGH, "investment ban"), ("1260H", Level.MEDIUM, "procurement"),
    ("FCC", Level.MEDIUM, "authorisation ban"), ("CAP", Level.LOW, "banking")])
def test_bundled_levels(code: str, level: Level, effect: str) -> None:
    severity = table().for_list(code, (), Policy())
    assert severity.level == level and effect in severity.effect


def test_policy_overrides_a_list_and_a_program() -> None:
    policy = Policy(severity_overrides=(("1260H", Level.HIGH), ("SDN:RUSSIA-EO14024", Level.HIGH)))
    assert table().for_list("1260H", (), policy).level == Level.HIGH
    assert table().for_list("SDN", ("RUSSIA-EO14024",), policy).level == Level.HIGH
    assert table().for_list("SDN", ("SDGT",), policy).level == Level.CRITICAL


def test_program_override_in_data() -> None:
    severity = table().for_list("SSI", ("UKRAINE-EO13662 Directive 4",), Policy())
    assert severity.level == Level.HIGH and "Directive 4" in severity.detail


def test_unknown_list_code_is_scored_not_ignored() -> None:
    severity = table().for_list("XYZ", (), Policy())
    assert severity.level == Level.HIGH and severity.title == "list XYZ"


def test_entity_on_several_lists_takes_the_most_severe() -> None:
    listed = entity("X", ("1260H", "EL", "CMIC"))
    found = table().for_entity(listed, Policy())
    assert [s.code for s in found] == ["CMIC", "EL", "1260H"]


def test_scale_round_trip_and_weighing_lines() -> None:
    for level in (Level.LOW, Level.MEDIUM, Level.HIGH, Level.CRITICAL):
        assert DEFAULT_SCALE.level_of(DEFAULT_SCALE.score_of(level)) == level
    assert table().scale == DEFAULT_SCALE
    w = Weighing(80, "EL").times(0.75, "review").times(0.85, "self-hosted")
    assert w.score == 51.0 and w.level(DEFAULT_SCALE) == Level.MEDIUM
    assert w.lines(DEFAULT_SCALE)[-1] == "= score 51 -> medium"
    assert DEFAULT_SCALE.level_of(0) == Level.NONE


@pytest.mark.parametrize("band, level, words", [
    ("match", Level.HIGH, "is on the BIS Entity List"),
    ("review", Level.MEDIUM, "name match needs review"),
    ("possible", Level.LOW, "low-confidence name match")])
def test_band_changes_confidence(band: str, level: Level, words: str) -> None:
    res = resolution("zai-org/GLM-4-9B-0414", ZHIPU, usage="api", family="glm4")
    result = scorer().assess(res, [match("zhipu", "vendor", ZHIPU_EL, band=band)], Policy())
    finding = next(f for f in result.findings if f.kind == "list-match")
    assert finding.level == level
    assert words in finding.summary


def test_possible_sdn_match_stays_low() -> None:
    res = resolution("x/y-7B", ZHIPU, usage="api")
    result = scorer().assess(res, [match("zhipu", "vendor", SBERBANK_SDN, band="possible")],
                             Policy())
    finding = next(f for f in result.findings if f.kind == "list-match")
    assert finding.level == Level.LOW and finding.score <= 30


def test_formerly_listed_is_low_and_never_a_current_listing() -> None:
    gone = entity("Beijing Megvii Technology Co., Ltd.", ("1260H",), source="us_dod_1260h",
                  listed_on="2024-01-31", removed_on="2025-01-07")
    res = resolution("megvii/model-7B", ZHIPU, usage="api")
    result = scorer().assess(res, [match("zhipu", "vendor", gone, status="formerly-listed")],
                             Policy())
    finding = next(f for f in result.findings if f.match is not None)
    assert finding.kind == "formerly-listed" and finding.level == Level.LOW
    assert "until 2025-01-07" in finding.summary and "no longer listed" in finding.summary


def test_bad_severity_file_is_a_data_error(tmp_path: Path) -> None:
    bad = tmp_path / "severity.yaml"
    bad.write_text("lists: {SDN: {level: huge}}\n", encoding="utf-8")
    with pytest.raises(DataError, match="severity table .* is unusable"):
        SeverityTable.load(bad)


def test_1260h_on_a_parent_is_medium_by_default() -> None:
    from tests.score.builders import qwen

    result = scorer().assess(qwen(), [match("alibaba-group", "parent", ALIBABA_1260H)], Policy())
    finding = next(f for f in result.findings if f.kind == "parent-list-match")
    assert finding.level == Level.MEDIUM
    assert "federal procurement ban" in finding.summary
