"""Usage (transaction vs provenance) and lineage (inherited exposure) weights."""

from __future__ import annotations

import pytest

from riskcheck.model import Level, Party, Policy, ServingParty
from riskcheck.score.lineage import parent_factor, role_factor
from riskcheck.score.usage import usage_factor, usage_view
from tests.score.builders import ALIBABA_1260H, ALIBABA_CLOUD, ALIBABA_GROUP, ZHIPU, ZHIPU_EL, \
    match, org, resolution, scorer


def test_self_hosted_is_provenance_only() -> None:
    view = usage_view(resolution("zai-org/GLM-4-9B", ZHIPU))
    assert view.vendor_dealt_with == "no" and view.sends_data == "no"
    assert "no transaction" in view.statement
    factor, why = usage_factor(view, Party(ZHIPU, "vendor", "publisher"), Policy())
    assert factor == 0.85 and "provenance only" in why


def test_own_api_is_a_transaction_and_sends_data_to_its_country() -> None:
    serving = ServingParty(ZHIPU, host="open.bigmodel.cn", data_country="CN", first_party=True)
    view = usage_view(resolution("glm-4", ZHIPU, usage="api", serving=serving))
    assert (view.vendor_dealt_with, view.data_country, view.data_party) == ("yes", "CN", "zhipu")


def test_unknown_host_is_assumed_to_be_the_vendor() -> None:
    view = usage_view(resolution("glm-4", ZHIPU, usage="api"))
    assert view.vendor_dealt_with == "yes" and view.data_country == "CN"
    assert "unknown host" in view.statement


def test_unknown_usage_means_both_may_apply() -> None:
    view = usage_view(resolution("glm-4", ZHIPU, usage="unknown"))
    assert view.vendor_dealt_with == "maybe" and view.sends_data == "maybe"
    result = scorer().assess(resolution("glm-4", ZHIPU, usage="unknown"),
                             [match("zhipu", "vendor", ZHIPU_EL)], Policy())
    assert any(f.kind == "data-location" and f.summary.startswith("if called by API")
               for f in result.findings)
    assert result.level == Level.HIGH, "unknown usage is weighed like an API call by default"


def test_usage_weights_come_from_the_policy() -> None:
    policy = Policy(usage_weights=(("api", 1.0), ("self-hosted", 0.5), ("unknown", 0.9)))
    hosted = scorer().assess(resolution("glm-4-9b", ZHIPU), [match("zhipu", "vendor", ZHIPU_EL)],
                             policy)
    finding = next(f for f in hosted.findings if f.kind == "list-match")
    assert finding.score == 40.0 and finding.level == Level.LOW


@pytest.mark.parametrize("share, factor", [(1.0, 1.0), (0.5, 1.0), (0.3, 0.6), (None, 0.9)])
def test_parent_weight_follows_ownership(share: float | None, factor: float) -> None:
    party = Party(ALIBABA_GROUP, "parent", "parent", ("alibaba-cloud", "alibaba-group"), share)
    assert parent_factor(party)[0] == factor


def test_upstream_exposure_is_inherited_and_weighted_by_lineage_weight() -> None:
    quant = resolution("bartowski/Qwen2.5-7B-Instruct-GGUF", org("bartowski", "bartowski"),
                       upstream=(ALIBABA_CLOUD,), upstream_parents=((ALIBABA_GROUP, 1.0),),
                       family="qwen2.5")
    m = [match("alibaba-group", "upstream-parent", ALIBABA_1260H)]
    result = scorer().assess(quant, m, Policy())
    finding = next(f for f in result.findings if f.kind == "upstream-list-match")
    assert finding.summary.startswith(
        "inherited: upstream vendor's parent company Alibaba Group Holding")
    assert finding.level == Level.LOW
    heavier = scorer().assess(quant, m, Policy(lineage_weight=1.0))
    assert next(f for f in heavier.findings if f.kind == "upstream-list-match").score > \
        finding.score
    assert role_factor(Party(ALIBABA_CLOUD, "upstream", "quantized"), Policy())[0][0] == 0.5


def test_serving_host_on_a_list_is_a_serving_finding() -> None:
    host = org("shady-host", "Shady Host", "AE")
    res = resolution("meta-llama/Llama-3.1-8B-Instruct", org("meta", "Meta", "US"), usage="api",
                     serving=ServingParty(host, data_country="AE"))
    listed = match("shady-host", "serving", ZHIPU_EL)
    finding = next(f for f in scorer().assess(res, [listed], Policy()).findings
                   if f.kind == "serving-list-match")
    assert finding.summary.startswith("API host ")
    assert finding.level == Level.HIGH
