"""Concentration: shares per vendor and country, HHI, limits from the policy."""

from __future__ import annotations

from riskcheck.model import Level, Policy
from riskcheck.score.concentration import spreads
from tests.score.builders import llama, qwen, resolution, scorer


def assessments(models):  # type: ignore[no-untyped-def]
    s = scorer()
    return [s.assess(m, [], Policy()) for m in models]


def test_spreads_and_hhi() -> None:
    found = assessments([qwen("Qwen/Qwen2.5-7B-Instruct"), qwen("Qwen/Qwen2.5-72B-Instruct"),
                         llama(), resolution("m/x", None)])
    vendor_all = next(s for s in spreads(found) if (s.dimension, s.subset) == ("vendor", "all"))
    assert vendor_all.total == 3, "unresolved models are not counted"
    assert vendor_all.counts == (("alibaba-cloud", 2), ("meta", 1))
    assert vendor_all.hhi == round((2 / 3) ** 2 + (1 / 3) ** 2, 4)


def test_vendor_share_above_the_limit_is_flagged() -> None:
    found = assessments([llama("meta-llama/Llama-3.1-8B-Instruct"),
                         llama("meta-llama/Llama-3.2-1B-Instruct"),
                         llama("meta-llama/Llama-3.3-70B-Instruct")])
    (finding,) = scorer().project_findings(found, Policy())
    assert finding.kind == "concentration" and finding.level == Level.LOW
    assert finding.summary == ("vendor meta carries 3 of 3 resolved models (100%) \u2014 more "
                               "than the 75% your policy allows")
    assert any(d.startswith("HHI of the vendor spread") for d in finding.details)


def test_concentration_in_a_country_of_concern_is_medium() -> None:
    found = assessments([qwen("Qwen/Qwen2.5-7B-Instruct"), qwen("Qwen/Qwen2.5-72B-Instruct"),
                         llama()])
    policy = Policy(max_vendor_share=None, max_country_share=0.5)
    (finding,) = scorer().project_findings(found, policy)
    assert finding.summary.startswith("country CN carries 2 of 3 resolved models (67%)")
    assert finding.level == Level.MEDIUM


def test_critical_models_have_their_own_limits() -> None:
    found = assessments([qwen("Qwen/Qwen2.5-7B-Instruct", criticality="critical"),
                         llama(criticality="critical"), llama("meta-llama/Llama-3.2-1B-Instruct"),
                         qwen("Qwen/Qwen2.5-72B-Instruct")])
    policy = Policy(max_vendor_share=None, max_critical_vendor_share=0.4,
                    concentration_min_models=2)
    summaries = [f.summary for f in scorer().project_findings(found, policy)]
    assert any("of 2 resolved critical models (50%)" in s for s in summaries)


def test_small_projects_and_missing_limits_are_not_judged() -> None:
    two = assessments([llama(), llama("meta-llama/Llama-3.2-1B-Instruct")])
    assert scorer().project_findings(two, Policy()) == ()
    three = assessments([llama(), llama("a/Llama-3.2-1B"), llama("b/Llama-3.3-70B")])
    assert scorer().project_findings(three, Policy(max_vendor_share=None)) == ()
