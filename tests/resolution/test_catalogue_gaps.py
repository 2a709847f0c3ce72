"""The reference classes of issue 18 that catalogue references exposed, each as a class:
gateways in front of known ids, cloud id forms, renamed re-hosts, fine-tunes named after their
base, misspellings, did-you-mean, ambiguous and cloud serving parties, and the provider tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from riskcheck.cli import app, main
from riskcheck.errors import DataError
from riskcheck.model import ModelRef, Resolution
from riskcheck.resolution.lineage import load_lineage
from riskcheck.resolution.providers import load_providers, parse_providers
from riskcheck.resolution.registry import load_registry
from riskcheck.resolution.resolver import RegistryResolver


def _vendors(res: Resolution, role: str = "vendor") -> list[str]:
    return [p.organisation.id for p in res.parties if p.role == role]


def _serving(res: Resolution) -> str | None:
    return res.serving.organisation.id if res.serving else None


# --- <gateway>/<known id> ---------------------------------------------------------------------

@pytest.mark.parametrize(("ref", "vendor"), [
    ("someproxy/Qwen/Qwen3-8B", "alibaba-cloud"),
    ("my-gateway/deepseek-ai/DeepSeek-V3", "deepseek"),
    ("tensormesh/moonshotai/Kimi-K2.6", "moonshot"),
    ("acme.router/meta-llama/Llama-3.3-70B-Instruct", "meta"),
])
def test_unknown_gateway_falls_back_to_the_known_id(resolver: RegistryResolver, ref: str,
                                                    vendor: str) -> None:
    res = resolver.resolve(ModelRef(ref))
    assert res.status == "resolved" and res.vendor is not None and res.vendor.id == vendor
    # The gateway is named as the provider; nobody vouches for who runs it.
    gateway = ref.split("/", 1)[0]
    assert any(gateway in line for line in res.tried), res.tried
    assert res.serving is None


def test_unknown_gateway_in_front_of_an_unknown_org_stays_unresolved(
        resolver: RegistryResolver) -> None:
    assert resolver.resolve(ModelRef("someproxy/nobody-knows/model-x")).status == "unresolved"


# --- cloud id forms ---------------------------------------------------------------------------

@pytest.mark.parametrize(("ref", "vendor"), [
    ("anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic"),
    ("us.anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic"),
    ("meta.llama3-8b-instruct-v1:0", "meta"),
    ("eu.meta.llama3-2-1b-instruct-v1:0", "meta"),
    ("zai.glm-4.7", "zhipu"),
    ("bedrock/us.deepseek.r1-v1:0", "deepseek"),
])
def test_bedrock_ids_are_the_vendor_served_by_aws(resolver: RegistryResolver, ref: str,
                                                  vendor: str) -> None:
    res = resolver.resolve(ModelRef(ref))
    assert res.vendor is not None and res.vendor.id == vendor
    assert _serving(res) == "aws" and res.serving is not None and not res.serving.first_party
    assert "amazon" in _vendors(res, "serving-parent")


def test_a_declared_base_url_beats_the_bedrock_default(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("anthropic.claude-3-5-sonnet-20240620-v1:0",
                                    base_url="https://proxy.example.net/v1"))
    assert res.vendor is not None and res.vendor.id == "anthropic" and res.serving is None


@pytest.mark.parametrize(("ref", "vendor"), [
    ("@cf/meta/llama-3.2-1b-instruct", "meta"),
    ("@cf/qwen/qwq-32b", "alibaba-cloud"),
    ("@cf/mistralai/mistral-small-3.1-24b-instruct", "mistral-ai"),
    ("@cf/zai-org/glm-5.2", "zhipu"),
    ("cloudflare/@cf/meta/llama-3.3-70b-instruct-fp8-fast", "meta"),
])
def test_cloudflare_namespaced_ids(resolver: RegistryResolver, ref: str, vendor: str) -> None:
    res = resolver.resolve(ModelRef(ref))
    assert res.vendor is not None and res.vendor.id == vendor
    assert _serving(res) == "cloudflare"


def test_a_declared_provider_beats_the_slug_reading(resolver: RegistryResolver) -> None:
    # Vertex Model Garden names look like OpenRouter slugs; the manifest says Vertex.
    res = resolver.resolve(ModelRef("qwen/qwen3-235b-a22b-instruct-2507-maas",
                                    provider="vertex_ai"))
    assert res.vendor is not None and res.vendor.id == "alibaba-cloud"
    assert _serving(res) == "google"


# --- a cloud's name in front of another vendor's model ----------------------------------------

@pytest.mark.parametrize(("ref", "vendor", "server"), [
    ("cloudflare/kimi-k2", "moonshot", "cloudflare"),
    ("databricks/databricks-gemini-3-flash", "google", "databricks"),
    ("databricks/databricks-claude-sonnet-4", "anthropic", "databricks"),
])
def test_cloud_prefix_before_another_family(resolver: RegistryResolver, ref: str, vendor: str,
                                            server: str) -> None:
    res = resolver.resolve(ModelRef(ref))
    assert res.vendor is not None and res.vendor.id == vendor, res.tried
    assert _serving(res) == server
    assert res.confidence != "high" or vendor in ref.split("/", 1)[1]


# --- family names, renamed re-hosts and fine-tunes named after their base ---------------------

def test_a_model_named_after_another_family_inherits_it(resolver: RegistryResolver) -> None:
    # Not in lists/lineage.yaml: only the family name says where it comes from.
    res = resolver.resolve(ModelRef("Snowflake/Llama-3-Arctic-Finetune-Test"))
    assert _vendors(res) == ["snowflake"] and "meta" in _vendors(res, "upstream")
    assert res.confidence == "medium"


def test_renamed_rehost_by_a_known_company(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("Snowflake/snowflake-bge-large-en"))
    assert _vendors(res) == ["snowflake"] and _vendors(res, "upstream") == ["baai"]
    assert res.confidence == "medium"
    assert set(res.countries) == {"US", "CN"}


def test_renamed_rehost_by_an_unknown_company_is_the_base_not_high(
        resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("acme/acme-bge-large-en"))
    assert res.vendor is not None and res.vendor.id == "baai"
    assert res.confidence == "medium"
    assert any("acme" in line and "not in the registry" in line for line in res.tried)


def test_a_company_s_own_model_stays_high(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("Snowflake/snowflake-arctic-embed-m"))
    assert _vendors(res) == ["snowflake"] and res.confidence == "high"


@pytest.mark.parametrize(("ref", "tuner", "base"), [
    ("llama3-groq-tool-use", "groq", "meta"),
    ("llama3-groq-tool-use:70b", "groq", "meta"),
    ("mistral-openorca", "open-orca", "mistral-ai"),
])
def test_ollama_finetunes_named_after_their_base(resolver: RegistryResolver, ref: str,
                                                 tuner: str, base: str) -> None:
    res = resolver.resolve(ModelRef(ref))
    assert _vendors(res) == [tuner] and base in _vendors(res, "upstream")
    assert res.confidence == "medium"


def test_unknown_finetuner_beside_a_base_is_not_high(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("zorblax-mistral"))
    assert res.vendor is not None and res.vendor.id == "mistral-ai"
    assert res.confidence != "high"
    assert any("zorblax" in line and "fine-tuner" in line for line in res.tried)


def test_plain_library_names_are_unchanged(resolver: RegistryResolver) -> None:
    for ref, vendor in (("llama3.1:8b", "meta"), ("qwen2.5-coder:7b", "alibaba-cloud"),
                        ("mistral-small:24b", "mistral-ai")):
        res = resolver.resolve(ModelRef(ref))
        assert _vendors(res) == [vendor] and res.confidence == "high", ref


# --- vendor APIs, misspellings, did-you-mean -------------------------------------------------

@pytest.mark.parametrize(("ref", "vendor"), [("meta/muse-spark-1.3", "meta"),
                                             ("gigachat/EmbeddingsGigaR", "sber-devices")])
def test_unknown_model_on_a_vendor_s_own_api(resolver: RegistryResolver, ref: str,
                                             vendor: str) -> None:
    res = resolver.resolve(ModelRef(ref))
    assert res.vendor is not None and res.vendor.id == vendor and res.confidence == "medium"


def test_unknown_name_on_a_multi_vendor_cloud_stays_unresolved(
        resolver: RegistryResolver) -> None:
    assert resolver.resolve(ModelRef("azure/prod-chat-deployment")).status == "unresolved"


def test_misspelt_id_resolved_by_its_org_says_so(resolver: RegistryResolver) -> None:
    typo = resolver.resolve(ModelRef("Qwen/Qwen2.5-7B-Instrcut"))
    assert typo.vendor is not None and typo.vendor.id == "alibaba-cloud"
    assert typo.confidence == "medium"
    assert any("misspelt" in line and "Qwen2.5-7B-Instruct" in line for line in typo.tried)
    for right in ("Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-14B-Instruct"):
        assert resolver.resolve(ModelRef(right)).confidence == "high", right


@pytest.mark.parametrize(("ref", "guess"), [("claud-3-5-sonnet", "claude-3-5-sonnet"),
                                            ("lama3.1:8b", "llama3.1:8b"),
                                            ("deepsek-r1", "deepseek-r1")])
def test_did_you_mean(resolver: RegistryResolver, ref: str, guess: str) -> None:
    res = resolver.resolve(ModelRef(ref))
    assert res.status == "unresolved" and res.hint is not None
    assert res.hint.startswith("did you mean") and guess in res.hint, res.hint
    assert "vendor: <registry id>" in res.hint


def test_no_suggestion_for_nonsense(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("zzqx-unknown-thing"))
    assert res.status == "unresolved" and res.hint is not None
    assert "did you mean" not in res.hint


# --- serving ----------------------------------------------------------------------------------

def test_litellm_or_openrouter_slug_is_ambiguous(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("openai/gpt-4o"))
    assert [o.id for o in res.serving_candidates] == ["openai", "openrouter"]
    assert any("serving ambiguous" in line for line in res.tried)
    pinned = resolver.resolve(ModelRef("openai/gpt-4o", base_url="https://openrouter.ai/api/v1"))
    assert _serving(pinned) == "openrouter" and pinned.serving_candidates == ()


def test_hf_id_that_is_also_a_slug_is_ambiguous() -> None:
    result = CliRunner().invoke(app, ["resolve", "google/gemma-3-27b-it", "--format", "json",
                                      "--offline"])
    row = json.loads(result.output)["resolutions"][0]
    assert row["vendor"] == "google" and row["serving"] is None
    assert row["serving_status"] == "ambiguous"
    assert [c["id"] for c in row["serving_candidates"]] == ["openrouter"]
    declared = CliRunner().invoke(app, ["resolve", "google/gemma-3-27b-it", "--usage",
                                        "self-hosted", "--format", "json", "--offline"])
    row = json.loads(declared.output)["resolutions"][0]
    assert row["serving_status"] == "self-hosted" and row["serving_candidates"] == []


def test_a_gateway_provider_says_it_passes_calls_on(resolver: RegistryResolver) -> None:
    res = resolver.resolve(ModelRef("vercel_ai_gateway/xai/grok-4"))
    assert res.vendor is not None and res.vendor.id == "xai" and _serving(res) == "vercel"
    assert any("gateway" in line and "upstream host" in line for line in res.tried)


def test_three_part_litellm_string_with_usage_api(resolver: RegistryResolver) -> None:
    for ref, vendor, server in (("together_ai/meta-llama/Llama-3-70b-chat-hf", "meta",
                                 "together-ai"),
                                ("deepinfra/Qwen/Qwen2.5-72B-Instruct", "alibaba-cloud",
                                 "deepinfra"),
                                ("openrouter/deepseek/deepseek-chat", "deepseek", "openrouter")):
        res = resolver.resolve(ModelRef(ref, usage="api"))
        assert res.vendor is not None and res.vendor.id == vendor and _serving(res) == server


@pytest.mark.parametrize(("base_url", "server", "parent"), [
    ("https://api.modelarts-maas.com/v1", "huawei-cloud", "huawei"),
    ("https://wishub-x1.ctyun.cn/v1", "tianyi-cloud", "china-telecom-group"),
    ("https://qianfan.baidubce.com/v2", "baidu", "baidu-inc"),
    ("https://ark.cn-beijing.volces.com/api/v3", "volcengine", "bytedance"),
])
def test_chinese_clouds_serving_deepseek_are_screened_parties(
        resolver: RegistryResolver, base_url: str, server: str, parent: str) -> None:
    res = resolver.resolve(ModelRef("deepseek-r1", base_url=base_url))
    assert _vendors(res) == ["deepseek"]
    assert _serving(res) == server and res.serving is not None and not res.serving.first_party
    assert parent in _vendors(res, "serving-parent")


def _doc(org_id: str, **extra: object) -> dict:
    doc: dict = {"id": org_id, "name": org_id.title(), "kind": "publisher", "verified": True,
                 "country": "CN", "citations": [{"url": f"https://example.org/{org_id}",
                                                 "as_of": "2026-01-01", "verified": True}]}
    doc.update(extra)
    return doc


def test_cloud_serving_party_in_a_registry_of_our_own(tmp_path: Path) -> None:
    folder = tmp_path / "vendors"
    folder.mkdir()
    docs = [
        _doc("modelco", hf_orgs=["modelco-ai"], families=[{"pattern": "^mc-", "family": "MC"}]),
        _doc("bigtel", kind="parent"),
        _doc("telcloud", kind="host", litellm=["telcloud"],
             parents=[{"id": "bigtel", "relation": "subsidiary", "verified": True}],
             api=[{"host": "maas.telcloud.example", "entity": "telcloud", "data_country": "CN",
                   "verified": True}]),
    ]
    for doc in docs:
        (folder / f"{doc['id']}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    resolver = RegistryResolver(load_registry(folder), load_lineage(), None)
    by_host = resolver.resolve(ModelRef("mc-chat-7b", base_url="https://maas.telcloud.example/v1"))
    by_provider = resolver.resolve(ModelRef("telcloud/mc-chat-7b"))
    for res in (by_host, by_provider):
        assert _vendors(res) == ["modelco"], res.tried
        assert _serving(res) == "telcloud" and _vendors(res, "serving-parent") == ["bigtel"]


# --- provider tables --------------------------------------------------------------------------

def test_provider_tables_are_read_from_data() -> None:
    providers = load_providers()
    assert {"bedrock", "together_ai", "openrouter", "ollama"} <= providers.litellm
    assert "ollama" in providers.self_hosted and "openai_like" in providers.protocol
    assert "openrouter" in providers.gateways
    assert providers.default_hosts["zai"] == "api.z.ai"
    assert ("@cf/", "cloudflare") in providers.cloud_namespaces
    assert "anthropic" in providers.own_models and "azure" not in providers.own_models


@pytest.mark.parametrize("document", [
    {"litellm": [{"name": "x", "serves": "api", "as_of": "2026-01-01"}]},
    {"litellm": [{"name": "x", "serves": "teleport", "source": "s", "as_of": "2026-01-01"}]},
    {"litellm": "not a list"},
    ["not", "a", "mapping"],
])
def test_malformed_provider_tables_are_one_line_errors(document: object) -> None:
    with pytest.raises(DataError):
        parse_providers(document, Path("providers.yaml"))


# --- the command line -------------------------------------------------------------------------

def test_resolve_base_url_applies_to_every_model() -> None:
    result = CliRunner().invoke(app, ["resolve", "openai/gpt-4o", "Qwen/Qwen3-8B", "deepseek-r1",
                                      "--base-url", "https://api.modelarts-maas.com/v1",
                                      "--format", "json", "--offline"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["resolutions"]
    assert [r["serving"]["id"] for r in rows] == ["huawei-cloud"] * 3
    assert {r["serving_status"] for r in rows} == {"third-party"}


def test_resolve_json_names_ambiguous_candidates() -> None:
    result = CliRunner().invoke(app, ["resolve", "openai/gpt-4o", "--format", "json",
                                      "--offline"])
    row = json.loads(result.output)["resolutions"][0]
    assert row["serving_status"] == "ambiguous"
    assert [c["id"] for c in row["serving_candidates"]] == ["openai", "openrouter"]
    table = CliRunner().invoke(app, ["resolve", "openai/gpt-4o", "--offline"])
    assert "AMBIGUOUS" in table.output


def test_vendors_lists_organisations_with_their_lists() -> None:
    result = CliRunner().invoke(app, ["vendors", "huawei", "--bundled", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.output)["organisations"]}
    assert {"huawei", "huawei-investment", "huawei-cloud"} <= set(rows)
    assert "EL" in rows["huawei"]["lists"] and rows["huawei"]["country"] == "CN"
    assert rows["huawei"]["hf_orgs"] == ["huawei-noah"]


def test_vendors_query_matches_hf_orgs_and_table_output() -> None:
    result = CliRunner().invoke(app, ["vendors", "Qwen", "--no-lists"])
    assert result.exit_code == 0, result.output
    assert "alibaba-cloud" in result.output and "Lists" not in result.output
    assert "organisation(s)" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["vendors", "zzqx-nobody"], "no registry organisation matches"),
    (["vendors", "--format", "csv"], "unknown format 'csv'"),
    (["vendors", "  "], "QUERY is empty"),
])
def test_vendors_bad_input_is_exit_2(args: list[str], message: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(args)
    err = capsys.readouterr().err
    assert done.value.code == 2 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
