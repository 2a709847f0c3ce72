"""End-to-end scoring of hand-built resolutions: levels, summaries, verdicts."""

from __future__ import annotations

from riskcheck.model import Level, Policy, ServingParty
from riskcheck.score.exposure import ExposureScorer
from tests.score.builders import (
    ALIBABA_1260H,
    DEEPSEEK,
    SBERBANK_SDN,
    TODAY,
    ZHIPU,
    ZHIPU_EL,
    gigachat,
    llama,
    match,
    org,
    qwen,
    resolution,
    scorer,
)


def test_parent_on_sdn_summary_reads_alone() -> None:
    result = scorer().assess(gigachat(), [match("sberbank", "parent", SBERBANK_SDN)], Policy())
    parent = next(f for f in result.findings if f.kind == "parent-list-match")
    assert parent.summary == (
        "parent company PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA is on the OFAC SDN list "
        "(RUSSIA-EO14024, 2022-04-06) \u2014 dealings prohibited")
    assert parent.match is not None and parent.party_id == "sberbank"
    assert result.verdict.startswith("high: parent company PUBLIC JOINT STOCK COMPANY SBERBANK")


def test_sdn_parent_makes_vendor_blocked_and_api_use_critical() -> None:
    sdn = [match("sberbank", "parent", SBERBANK_SDN)]
    hosted = scorer().assess(gigachat("self-hosted"), sdn, Policy())
    called = scorer().assess(gigachat("api"), sdn, Policy())
    assert hosted.level == Level.HIGH
    assert called.level == Level.CRITICAL
    rule = next(f for f in called.findings if f.kind == "ownership-rule")
    assert "SberDevices is treated as listed under the OFAC 50% rule" in rule.summary
    assert rule.level == Level.CRITICAL


def test_model_level_is_the_worst_finding_level() -> None:
    result = scorer().assess(qwen(), [match("alibaba-group", "parent", ALIBABA_1260H)], Policy())
    assert result.level == max(f.level for f in result.findings)
    assert result.level == Level.MEDIUM


def test_clean_model_has_no_findings_and_a_verdict() -> None:
    result = scorer().assess(llama(), [], Policy())
    assert result.findings == ()
    assert result.level == Level.NONE and result.score == 0.0
    assert result.verdict.startswith("none: meta-llama/Llama-3.1-8B-Instruct")
    assert result.alternatives == ()


def test_unresolved_is_a_finding_never_silently_none() -> None:
    unresolved = resolution("mystery/model", None)
    result = scorer().assess(unresolved, [], Policy())
    assert [f.kind for f in result.findings] == ["unresolved"]
    assert result.level == Level.MEDIUM
    assert "could not be traced to a vendor" in result.findings[0].summary
    assert "tried: huggingface org; family" in result.findings[0].details


def test_unresolved_fails_the_run_when_the_policy_says_so() -> None:
    policy = Policy(fail_on=Level.HIGH, fail_on_unresolved=True)
    result = scorer().assess(resolution("mystery/model", None), [], policy)
    assert result.level == Level.HIGH


def test_unresolved_ignore_keeps_the_finding_at_none() -> None:
    result = scorer().assess(resolution("m/x", None), [],
                             Policy(unresolved_level=Level.NONE))
    assert result.findings[0].level == Level.NONE
    assert "ignored by policy" in result.findings[0].summary


def test_entity_list_vendor_self_hosted_is_medium_api_is_high() -> None:
    el = [match("zhipu", "vendor", ZHIPU_EL)]
    glm = "zai-org/GLM-4-9B-0414"
    hosted = scorer().assess(resolution(glm, ZHIPU, family="glm4"), el, Policy())
    called = scorer().assess(resolution(glm, ZHIPU, usage="api", family="glm4"), el, Policy())
    assert hosted.level == Level.MEDIUM
    assert called.level == Level.HIGH
    summary = next(f for f in called.findings if f.kind == "list-match").summary
    assert "is on the BIS Entity List (2025-01-16) \u2014 export restrictions" in summary
    assert "(registry: Zhipu AI)" in summary


def test_first_party_api_to_tier1_country_is_a_high_data_location_finding() -> None:
    res = resolution("deepseek-chat", DEEPSEEK, usage="api", family="deepseek",
                     serving=ServingParty(DEEPSEEK, host="api.deepseek.com",
                                          data_country="CN", first_party=True))
    result = scorer().assess(res, [], Policy())
    data = next(f for f in result.findings if f.kind == "data-location")
    assert data.level == Level.HIGH
    assert data.summary == ("model inputs sent by API to DeepSeek go to servers in China (CN), a "
                            "country of concern (tier 1)")
    assert result.level == Level.HIGH
    assert result.alternatives, "a high-exposure chat API model gets API alternatives"
    assert all("(openai, US; api;" in a or "api;" in a for a in result.alternatives)


def test_self_hosted_deepseek_is_medium_by_jurisdiction_only() -> None:
    res = resolution("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", DEEPSEEK, family="deepseek")
    result = scorer().assess(res, [], Policy())
    assert {f.kind for f in result.findings} == {"jurisdiction"}
    assert result.level == Level.MEDIUM
    assert not any(f.kind == "data-location" for f in result.findings)


def test_denied_vendor_fails_at_the_fail_level() -> None:
    res = resolution("deepseek-ai/DeepSeek-V3", DEEPSEEK, family="deepseek")
    result = scorer().assess(res, [], Policy(denied_vendors=("deepseek",)))
    denied = next(f for f in result.findings if f.kind == "denied-vendor")
    assert denied.level == Level.HIGH and result.level == Level.HIGH
    strict = scorer().assess(res, [], Policy(fail_on=Level.MEDIUM, denied_vendors=("deepseek",)))
    assert next(f for f in strict.findings if f.kind == "denied-vendor").level == Level.MEDIUM


def test_criticality_weights_the_score_not_the_level() -> None:
    m = [match("alibaba-group", "parent", ALIBABA_1260H)]
    low = scorer().assess(qwen(criticality="low"), m, Policy())
    critical = scorer().assess(qwen(criticality="critical"), m, Policy())
    assert low.level == critical.level
    assert critical.score > low.score


def test_strict_preset_raises_1260h_and_counts_self_hosting_fully() -> None:
    from riskcheck.project.policy import load_preset

    strict = load_preset("strict")
    result = scorer().assess(qwen(), [match("alibaba-group", "parent", ALIBABA_1260H)], strict)
    finding = next(f for f in result.findings if f.kind == "parent-list-match")
    assert finding.level == Level.HIGH
    assert "policy severity 1260H" in " ".join(finding.details)


def test_every_finding_explains_its_arithmetic() -> None:
    result = scorer().assess(gigachat("api"), [match("sberbank", "parent", SBERBANK_SDN)],
                             Policy())
    for finding in result.findings:
        assert any(line.startswith("= score") for line in finding.details), finding.kind
        assert "\n" not in finding.summary


def test_scorer_today_defaults_to_current_date() -> None:
    assert ExposureScorer().today >= TODAY.replace(year=2020)
    assert scorer().today == TODAY


def test_vendor_screen_removes_flagged_alternatives() -> None:
    res = resolution("zai-org/GLM-4-9B-0414", ZHIPU, usage="api", family="glm4")
    el = [match("zhipu", "vendor", ZHIPU_EL)]
    plain = scorer().assess(res, el, Policy())
    assert any("meta" in a for a in plain.alternatives)
    screened = ExposureScorer(today=TODAY, vendor_screen=lambda v: v == "meta").assess(
        res, el, Policy())
    assert not any("(meta," in a for a in screened.alternatives)
    assert screened.alternatives


def test_third_party_host_is_the_counterparty() -> None:
    host = org("together-ai", "Together AI", "US")
    res = resolution("Qwen/Qwen2.5-72B-Instruct", org("alibaba-cloud", "Alibaba Cloud", "CN"),
                     usage="api", family="qwen2.5",
                     serving=ServingParty(host, host="api.together.xyz", data_country="US"))
    result = scorer().assess(res, [], Policy())
    assert not any(f.kind == "data-location" for f in result.findings)
    vendor = next(f for f in result.findings if f.kind == "jurisdiction")
    assert "third-party host" in " ".join(vendor.details)
    assert vendor.level == Level.MEDIUM


def test_first_party_host_is_scored_once_as_the_vendor() -> None:
    from riskcheck.model import Party, Resolution

    base = gigachat("api")
    vendor = base.parties[0].organisation
    parent = base.parties[1].organisation
    res = Resolution(ref=base.ref, status="resolved", family="gigachat",
                     parties=(*base.parties, Party(vendor, "serving", "api-host"),
                              Party(parent, "serving-parent", "parent",
                                    (vendor.id, parent.id), 1.0)),
                     serving=ServingParty(vendor, data_country="RU", first_party=True))
    matches = [match("sberbank", "parent", SBERBANK_SDN),
               match("sberbank", "serving-parent", SBERBANK_SDN)]
    result = scorer().assess(res, matches, Policy())
    kinds = [f.kind for f in result.findings]
    assert kinds.count("parent-list-match") == 1 and "serving-list-match" not in kinds
    assert kinds.count("ownership-rule") == 1 and kinds.count("jurisdiction") == 1
    assert len(result.matches) == 2, "every match stays on the assessment"


def test_merged_record_scores_at_its_most_severe_list() -> None:
    """An SSI record leading a hit that also carries the SDN record is scored as SDN, and the
    50% rule still reaches the subsidiary through it."""
    from dataclasses import replace

    from tests.score.builders import entity

    ssi = entity("PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA", ("SSI",), source="ofac_cons",
                 source_id="9", programs=("UKRAINE-EO13662",))
    merged = replace(match("sberbank", "parent", ssi), also_listed=(SBERBANK_SDN,))
    alone = scorer().assess(gigachat("api"), [match("sberbank", "parent", ssi)], Policy())
    both = scorer().assess(gigachat("api"), [merged], Policy())
    reference = scorer().assess(gigachat("api"), [match("sberbank", "parent", SBERBANK_SDN)],
                                Policy())
    assert both.level == reference.level == Level.CRITICAL
    assert both.level > alone.level
    assert any(f.kind == "ownership-rule" for f in both.findings)
    parent = next(f for f in both.findings if f.kind == "parent-list-match")
    assert "OFAC SDN list" in parent.summary and "also on SSI" in parent.summary
