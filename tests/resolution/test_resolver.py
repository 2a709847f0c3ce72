"""Resolutions: parties and their order, lineage, serving, confidence, unresolved results."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer

from riskcheck.model import ModelRef, Resolution
from riskcheck.resolution.hub import HubClient
from riskcheck.resolution.lineage import Lineage
from riskcheck.resolution.registry import Registry
from riskcheck.resolution.resolver import RegistryResolver
from tests.resolution.conftest import hub_document


def _ids(resolution: Resolution, *roles: str) -> list[str]:
    return [p.organisation.id for p in resolution.parties if p.role in roles]


def test_publisher_and_parent_chain(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("Qwen/Qwen2.5-7B-Instruct"))
    assert res.status == "resolved"
    assert res.parties[0].role == "vendor" and res.parties[0].relation == "publisher"
    assert res.vendor is not None and res.vendor.id == "alibaba-cloud"
    parents = [p for p in res.parties if p.role == "parent"]
    assert parents and parents[0].path[0] == "alibaba-cloud"
    assert "alibaba-group" in [p.organisation.id for p in parents]
    assert (res.method, res.confidence, res.serving) == ("registry", "high", None)
    assert res.canonical_id == "Qwen/Qwen2.5-7B-Instruct"


def test_reupload_keeps_the_original_publisher_as_vendor(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("bartowski/Qwen2.5-7B-Instruct-GGUF"))
    assert res.parties[0].organisation.id == "alibaba-cloud"
    assert res.canonical_id == "Qwen/Qwen2.5-7B-Instruct"
    reupload = [p for p in res.parties if p.organisation.id == "bartowski"]
    assert len(reupload) == 1
    assert (reupload[0].role, reupload[0].relation) == ("upstream", "quantized")
    assert res.countries == ("CN",)


def test_distillation_names_both_vendors(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("deepseek-ai/DeepSeek-R1-Distill-Llama-8B"))
    assert _ids(res, "vendor") == ["deepseek"]
    upstream = [p for p in res.parties if p.role == "upstream"]
    assert [(p.organisation.id, p.relation, p.upstream_model) for p in upstream] == [
        ("meta", "distilled-from", "meta-llama/Llama-3.1-8B")]
    assert "high-flyer" in _ids(res, "parent")
    assert res.countries == ("CN", "US")


def test_third_party_finetune_and_merge(resolver: RegistryResolver) -> None:
    r1776 = resolver.resolve(ModelRef("perplexity-ai/r1-1776"))
    assert _ids(r1776, "vendor") == ["perplexity"]
    assert [(p.organisation.id, p.relation) for p in r1776.parties if p.role == "upstream"] == [
        ("deepseek", "finetune")]
    assert "high-flyer" in _ids(r1776, "upstream-parent")
    hermes = resolver.resolve(ModelRef("NousResearch/Hermes-3-Llama-3.1-8B"))
    assert _ids(hermes, "vendor", "upstream") == ["nous-research", "meta"]
    chimera = resolver.resolve(ModelRef("tngtech/DeepSeek-R1T2-Chimera"))
    assert [(p.organisation.id, p.relation) for p in chimera.parties if p.role == "upstream"] == [
        ("deepseek", "merge")]


def test_serving_party_and_its_parents(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("deepseek-chat", base_url="https://api.deepseek.com"))
    assert res.serving is not None and res.serving.first_party
    assert _ids(res, "serving") == ["deepseek"]
    assert "high-flyer" in _ids(res, "serving-parent")
    roles = [p.role for p in res.parties]
    assert roles.index("serving") > roles.index("vendor")


def test_zhipu_api_entities(resolver: RegistryResolver) -> None:
    intl = resolver.resolve(ModelRef("glm-4.5", base_url="https://api.z.ai/api/paas/v4"))
    china = resolver.resolve(ModelRef("glm-4.5", base_url="https://open.bigmodel.cn/api/paas/v4"))
    assert intl.serving and china.serving
    assert (intl.serving.organisation.id, intl.serving.data_country) == ("zai-sg", "SG")
    assert (china.serving.organisation.id, china.serving.data_country) == ("zhipu", "CN")
    assert _ids(intl, "vendor") == _ids(china, "vendor") == ["zhipu"]


def test_usage_inference(resolver: RegistryResolver) -> None:
    assert resolver.resolve(ModelRef("qwen2.5-coder:7b")).serving is None
    assert resolver.resolve(ModelRef("z-ai/glm-4.5")).serving is not None
    assert resolver.resolve(ModelRef("gpt-4o-mini")).serving is not None
    # Declared self-hosting wins over a reference that could be an API slug.
    hosted = resolver.resolve(ModelRef("google/gemma-3-27b-it", usage="self-hosted"))
    assert hosted.serving is None
    api = resolver.resolve(ModelRef("moonshotai/kimi-k2", usage="api"))
    assert api.serving is not None and api.serving.organisation.id == "openrouter"


def test_override_wins_where_the_registry_is_not_confident(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("acme-internal/some-model", vendor_override="meta"))
    assert (_ids(res, "vendor"), res.method, res.confidence) == (["meta"], "override", "high")
    assert res.override_conflict is None


def test_override_against_a_confident_identification(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("Qwen/Qwen2.5-7B-Instruct", vendor_override="meta"))
    assert _ids(res, "vendor") == ["alibaba-cloud"] and res.method != "override"
    assert res.override_conflict == "alibaba-cloud"
    honoured = RegistryResolver(resolver.registry, resolver.lineage, resolver.hub,
                                allow_vendor_overrides=True).resolve(
        ModelRef("Qwen/Qwen2.5-7B-Instruct", vendor_override="meta"))
    assert (_ids(honoured, "vendor"), honoured.method) == (["meta"], "override")
    assert honoured.override_conflict == "alibaba-cloud"
    bad = resolver.resolve(ModelRef("x", vendor_override="no-such-vendor"))
    assert bad.status == "unresolved" and "not a registry id" in " ".join(bad.tried)


def test_unknown_is_unresolved_with_hint(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("someuser/model"))
    assert res.status == "unresolved" and res.parties == () and res.confidence == "none"
    assert res.tried and res.hint is not None
    assert "vendor: <registry id>" in res.hint and "online" in res.hint
    azure = resolver.resolve(ModelRef("azure/prod-chat-deployment"))
    assert azure.status == "unresolved" and azure.hint is not None and "Azure" in azure.hint
    assert azure.serving is not None and azure.serving.organisation.id == "microsoft"


def test_heuristics_never_claim_high_confidence(resolver: RegistryResolver) -> None:
    for text in ("someorg/Qwen2.5-7B-Instruct-abliterated", "/models/llama-3.2-3b-q4.gguf",
                 "randomuser/mistral-7b-finetune:latest", "modelscope.cn/models/LLM-Research/x-llama-3-8b"):
        res = resolver.resolve(ModelRef(text))
        assert res.status == "resolved", text
        assert res.confidence in ("low", "medium"), (text, res.confidence)
        assert res.method in ("heuristic", "family-pattern"), (text, res.method)


def test_family_pattern_upstream_lowers_confidence(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("nvidia/Llama-3.1-Nemotron-51B-Instruct"))
    assert _ids(res, "vendor", "upstream") == ["nvidia", "meta"]
    assert res.confidence == "medium"


def test_ollama_tag_with_curated_lineage(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("deepseek-r1:70b"))
    assert _ids(res, "vendor", "upstream") == ["deepseek", "meta"]
    assert res.canonical_id == "deepseek-ai/DeepSeek-R1-Distill-Llama-70B"
    unparsed = resolver.resolve(ModelRef("deepseek-r1:8b-llama-distill-q4_K_M"))
    assert unparsed.confidence == "medium"  # says "distill" but names no family we know


def test_hub_metadata_resolves_what_names_cannot(httpserver: HTTPServer, tmp_path: Path,
                                                 registry: Registry, lineage: Lineage) -> None:
    httpserver.expect_request("/api/models/someone/cool-model-GGUF").respond_with_json(
        hub_document("someone/cool-model-GGUF", base="someone/cool-model",
                     tag_relation="quantized"))
    httpserver.expect_request("/api/models/someone/cool-model").respond_with_json(
        hub_document("someone/cool-model", base="meta-llama/Llama-3.1-8B-Instruct",
                     tag_relation="finetune"))
    httpserver.expect_request("/api/models/meta-llama/Llama-3.1-8B-Instruct").respond_with_json(
        hub_document("meta-llama/Llama-3.1-8B-Instruct", base="meta-llama/Llama-3.1-8B",
                     tag_relation="finetune"))
    httpserver.expect_request("/api/models/meta-llama/Llama-3.1-8B").respond_with_json(
        hub_document("meta-llama/Llama-3.1-8B"))
    hub = HubClient(endpoint=httpserver.url_for("").rstrip("/"), cache_dir=tmp_path,
                    retries=0)
    online = RegistryResolver(registry, lineage, hub)
    res = online.resolve(ModelRef("someone/cool-model-GGUF"))
    assert res.status == "resolved"
    assert _ids(res, "vendor") == ["meta"]
    assert (res.method, res.confidence) == ("hub-metadata", "medium")
    assert res.canonical_id == "meta-llama/Llama-3.1-8B-Instruct"
    offline_hub = HubClient(endpoint=hub.endpoint, cache_dir=tmp_path, offline=True)
    offline = RegistryResolver(registry, lineage, offline_hub)
    requests_before = len(httpserver.log)
    again = offline.resolve(ModelRef("someone/cool-model-GGUF"))
    assert _ids(again, "vendor") == ["meta"]  # from the cache written online
    assert len(httpserver.log) == requests_before


def test_hub_adds_hidden_upstream_to_a_publisher(httpserver: HTTPServer, tmp_path: Path,
                                                 registry: Registry, lineage: Lineage) -> None:
    httpserver.expect_request("/api/models/t-tech/T-lite-it-1.0").respond_with_json(
        hub_document("t-tech/T-lite-it-1.0", base="Qwen/Qwen2.5-7B", tag_relation="finetune"))
    httpserver.expect_request("/api/models/Qwen/Qwen2.5-7B").respond_with_json(
        hub_document("Qwen/Qwen2.5-7B"))
    hub = HubClient(endpoint=httpserver.url_for("").rstrip("/"), cache_dir=tmp_path, retries=0)
    res = RegistryResolver(registry, lineage, hub).resolve(ModelRef("t-tech/T-lite-it-1.0"))
    assert _ids(res, "vendor", "upstream") == ["t-bank", "alibaba-cloud"]
    assert "sberbank" not in _ids(res, "parent")  # T-Bank is not Sber's
    assert set(res.countries) == {"RU", "CN"}


def test_hub_down_degrades_to_names(tmp_path: Path, registry: Registry,
                                    lineage: Lineage) -> None:
    hub = HubClient(endpoint="http://127.0.0.1:9", cache_dir=tmp_path, retries=0,
                    timeout=(0.3, 0.3))
    res = RegistryResolver(registry, lineage, hub).resolve(
        ModelRef("bartowski/Meta-Llama-3.1-8B-Instruct-GGUF"))
    assert _ids(res, "vendor") == ["meta"]
    assert any("not reachable" in line for line in res.tried)


def test_resolve_all_keeps_order(resolver: RegistryResolver) -> None:
    refs = [ModelRef("gpt2"), ModelRef("nothing-known-here"), ModelRef("glm4")]
    results = list(resolver.resolve_all(refs))
    assert [r.ref.id for r in results] == ["gpt2", "nothing-known-here", "glm4"]
    assert [r.status for r in results] == ["resolved", "unresolved", "resolved"]


def test_resolve_all_prefetches_hub_metadata(httpserver: HTTPServer, tmp_path: Path,
                                             registry: Registry, lineage: Lineage) -> None:
    names = [f"someone/model-{i}-GGUF" for i in range(5)]
    for name in names:
        httpserver.expect_request(f"/api/models/{name}").respond_with_json(
            hub_document(name, base="Qwen/Qwen2.5-7B-Instruct", tag_relation="quantized"))
    httpserver.expect_request("/api/models/Qwen/Qwen2.5-7B-Instruct").respond_with_json(
        hub_document("Qwen/Qwen2.5-7B-Instruct"))
    hub = HubClient(endpoint=httpserver.url_for("").rstrip("/"), cache_dir=tmp_path, retries=0)
    results = list(RegistryResolver(registry, lineage, hub).resolve_all(
        [ModelRef(name) for name in names] + [ModelRef("glm4")]))
    assert [r.vendor.id if r.vendor else None for r in results] == (
        ["alibaba-cloud"] * 5 + ["zhipu"])
    assert {r.method for r in results[:5]} == {"hub-metadata"}
    fetched = {entry[0].path for entry in httpserver.log}
    assert fetched == {f"/api/models/{name}" for name in names} | {
        "/api/models/Qwen/Qwen2.5-7B-Instruct"}


def test_api_name_patterns_need_confirmation_for_high_confidence(
        resolver: RegistryResolver) -> None:
    bare = resolver.resolve(ModelRef("gpt-4o"))
    assert (_ids(bare, "vendor"), bare.confidence) == (["openai"], "medium")
    hosted = resolver.resolve(ModelRef("gpt-4o", base_url="https://api.openai.com/v1"))
    assert hosted.confidence == "high"
    prefixed = resolver.resolve(ModelRef("openai/gpt-4o"))
    assert prefixed.confidence == "high"


def test_a_names_own_family_beats_a_broad_api_name_pattern(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("gpt-neo-125m"))
    assert _ids(res, "vendor", "upstream") == ["eleutherai"]
    assert res.confidence != "high"


def test_finetuner_without_known_base_is_not_high(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("NousResearch/Nous-Capybara-7B"))
    assert _ids(res, "vendor") == ["nous-research"]
    assert res.confidence == "medium"
    assert any("upstream vendors may be missing" in line for line in res.tried)
