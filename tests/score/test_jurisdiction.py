"""Country exposure: embargoes, tiers, policy changes, unknown countries, data location."""

from __future__ import annotations

from pathlib import Path

import yaml

from riskcheck.model import CountryTier, Level, Policy, ServingParty
from riskcheck.score.jurisdiction import JurisdictionTable
from tests.score.builders import DEEPSEEK, org, resolution, scorer

REPO = Path(__file__).resolve().parents[2]


def table() -> JurisdictionTable:
    return JurisdictionTable.bundled()


def kinds(result) -> dict[str, list]:  # type: ignore[no-untyped-def]
    out: dict[str, list] = {}
    for f in result.findings:
        out.setdefault(f.kind, []).append(f)
    return out


def test_comprehensive_embargoes_include_regions() -> None:
    codes = set(table().embargoes)
    assert {"CU", "IR", "KP", "SY", "UA-43", "UA-40", "UA-14", "UA-09"} <= codes
    assert table().standing("IR", Policy()).vendor_level == Level.CRITICAL
    assert table().standing("UA-43", Policy()).kind == "embargo"


def test_tier1_countries_and_sources() -> None:
    raw = yaml.safe_load((REPO / "lists" / "jurisdictions.yaml").read_text())
    tier1 = raw["tiers"]["tier-1"]
    assert {"CN", "RU", "BY", "IR", "KP", "VE", "CU"} <= set(tier1["countries"])
    assert all("https://" in source for source in tier1["sources"])
    standing = table().standing("CN", Policy())
    assert (standing.vendor_level, standing.data_level) == (Level.MEDIUM, Level.HIGH)
    assert standing.reason == "China (CN), a country of concern (tier 1)"
    assert table().standing("US", Policy()) is None


def test_every_country_is_in_one_tier_at_most() -> None:
    seen: dict[str, str] = {}
    for tier in table().tiers:
        for code in tier.countries:
            assert code not in seen, f"{code} in {seen[code]} and {tier.name}"
            seen[code] = tier.name


def test_policy_moves_a_country_and_changes_levels() -> None:
    policy = Policy(country_tiers=(CountryTier("tier-2", ("HK",)),
                                   CountryTier("tier-1", vendor_level=Level.HIGH),
                                   CountryTier("watch", ("SG",), Level.LOW, Level.LOW)))
    assert table().standing("HK", policy).vendor_level == Level.LOW
    assert table().standing("CN", policy).vendor_level == Level.HIGH
    assert table().standing("SG", policy).data_level == Level.LOW
    assert "HK" not in next(t for t in table().effective_tiers(policy) if t.name == "tier-1") \
        .countries


def test_allowed_country_reports_none_but_never_lifts_an_embargo() -> None:
    policy = Policy(allowed_countries=("CN", "IR"))
    assert table().standing("CN", policy).vendor_level == Level.NONE
    assert table().standing("IR", policy).vendor_level == Level.CRITICAL


def test_denied_country_fails_the_run() -> None:
    policy = Policy(denied_countries=("AE",))
    res = resolution("tiiuae/Falcon3-7B-Instruct", org("tii", "TII", "AE"), family="falcon")
    result = scorer().assess(res, [], policy)
    assert result.level == Level.HIGH
    assert "a country your policy denies" in result.findings[0].summary


def test_vendor_and_parent_in_the_same_country_are_one_finding() -> None:
    res = resolution("deepseek-ai/DeepSeek-V3", DEEPSEEK, family="deepseek",
                     parents=((org("high-flyer", "High-Flyer", "CN"), None),))
    (finding,) = kinds(scorer().assess(res, [], Policy()))["jurisdiction"]
    assert finding.summary == ("vendor DeepSeek and parent company High-Flyer are based in "
                               "China (CN), a country of concern (tier 1)")


def test_unknown_vendor_country_is_reported_not_clean() -> None:
    res = resolution("someone/model-7B", org("someone", "Someone", None), family="llama")
    (finding,) = scorer().assess(res, [], Policy()).findings
    assert finding.kind == "jurisdiction" and finding.level == Level.LOW
    assert "is unknown" in finding.summary


def test_unknown_data_location_for_api_use_is_low() -> None:
    host = org("mystery-host", "Mystery Host", None)
    res = resolution("meta-llama/Llama-3.1-8B-Instruct", org("meta", "Meta", "US"), usage="api",
                     serving=ServingParty(host))
    found = kinds(scorer().assess(res, [], Policy()))
    assert found["data-location"][0].level == Level.LOW
    assert "unknown country" in found["data-location"][0].summary


def test_upstream_country_is_inherited_and_weighted_lower() -> None:
    res = resolution("someone/DeepSeek-R1-Distill-Llama-8B-GGUF", org("bartowski", "bartowski"),
                     upstream=(DEEPSEEK,), family="deepseek")
    (finding,) = kinds(scorer().assess(res, [], Policy()))["jurisdiction"]
    assert finding.summary.startswith(
        "inherited: upstream vendor DeepSeek (this model is a fine-tune of deepseek/base-7B)")
    assert finding.level == Level.LOW
    assert any("lineage_weight" in d for d in finding.details)


def test_allowed_vendor_lowers_its_jurisdiction_finding_to_none() -> None:
    res = resolution("deepseek-ai/DeepSeek-V3", DEEPSEEK, family="deepseek")
    result = scorer().assess(res, [], Policy(allowed_vendors=("deepseek",)))
    assert result.level == Level.NONE
    assert result.findings[0].level == Level.NONE
    assert any("allowed_vendors" in d for d in result.findings[0].details)
