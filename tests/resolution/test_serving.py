"""The serving party: first party vs third-party host, legal entity and data country."""

from __future__ import annotations

import pytest

from riskcheck.resolution.references import parse_ref
from riskcheck.resolution.registry import Registry
from riskcheck.resolution.serving import determine_serving, is_local_host


def _serving(registry: Registry, text: str, vendor: str | None, **kwargs: str):  # type: ignore[no-untyped-def]
    parsed = parse_ref(text, registry=registry, **kwargs)
    return determine_serving(parsed, vendor, registry, api_usage=True)


@pytest.mark.parametrize(("base_url", "entity", "country"), [
    ("https://open.bigmodel.cn/api/paas/v4/", "zhipu", "CN"),
    ("https://api.z.ai/api/paas/v4", "zai-sg", "SG"),
])
def test_zhipu_entity_depends_on_the_host(registry: Registry, base_url: str, entity: str,
                                          country: str) -> None:
    outcome = _serving(registry, "glm-4.5", "zhipu", base_url=base_url)
    assert outcome.serving is not None
    assert outcome.serving.organisation.id == entity
    assert outcome.serving.data_country == country
    assert outcome.serving.first_party  # Z.ai's Singapore company serves Zhipu's own models


@pytest.mark.parametrize(("base_url", "entity", "country"), [
    ("https://api.moonshot.cn/v1", "moonshot", "CN"),
    ("https://api.moonshot.ai/v1", "moonshot-sg", "SG"),
])
def test_moonshot_entity_depends_on_the_host(registry: Registry, base_url: str, entity: str,
                                             country: str) -> None:
    outcome = _serving(registry, "moonshot-v1-8k", "moonshot", base_url=base_url)
    assert outcome.serving is not None
    assert (outcome.serving.organisation.id, outcome.serving.data_country) == (entity, country)


def test_litellm_default_region(registry: Registry) -> None:
    outcome = _serving(registry, "moonshot/moonshot-v1-8k", "moonshot")
    assert outcome.serving is not None and outcome.serving.organisation.id == "moonshot-sg"
    assert any("api.moonshot.ai" in note for note in outcome.notes)


def test_third_party_host(registry: Registry) -> None:
    outcome = _serving(registry, "together_ai/deepseek-ai/DeepSeek-R1", "deepseek")
    assert outcome.serving is not None
    assert outcome.serving.organisation.id == "together-ai"
    assert outcome.serving.first_party is False


def test_first_party_api(registry: Registry) -> None:
    outcome = _serving(registry, "deepseek-chat", "deepseek", base_url="https://api.deepseek.com")
    assert outcome.serving is not None
    assert (outcome.serving.organisation.id, outcome.serving.host, outcome.serving.data_country,
            outcome.serving.first_party) == ("deepseek", "api.deepseek.com", "CN", True)


def test_openrouter_serves_slugs(registry: Registry) -> None:
    outcome = _serving(registry, "deepseek/deepseek-r1:free", "deepseek")
    assert outcome.serving is not None and outcome.serving.organisation.id == "openrouter"
    assert outcome.serving.first_party is False


@pytest.mark.parametrize("base_url", ["http://localhost:8000/v1", "http://127.0.0.1:11434",
                                      "http://10.0.3.7:8080", "http://vllm:8000/v1",
                                      "http://ollama.svc.cluster.local:11434",
                                      "http://[::1]:8000"])
def test_local_hosts_mean_self_hosting(registry: Registry, base_url: str) -> None:
    outcome = _serving(registry, "Qwen/Qwen2.5-7B-Instruct", "alibaba-cloud", base_url=base_url)
    assert outcome.serving is None and outcome.self_hosted


def test_unknown_public_host_is_unknown_not_clean(registry: Registry) -> None:
    outcome = _serving(registry, "my-model", None, base_url="https://llm.example.com/v1")
    assert outcome.serving is None and not outcome.self_hosted
    assert "not in the vendor registry" in outcome.notes[0]


def test_openai_protocol_prefix_does_not_mean_openai(registry: Registry) -> None:
    outcome = _serving(registry, "openai/deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", "deepseek")
    assert outcome.serving is None
    assert "base URL" in outcome.notes[0]
    outcome = _serving(registry, "openai/gpt-4o", "openai")
    assert outcome.serving is not None and outcome.serving.organisation.id == "openai"


def test_local_runtime_provider(registry: Registry) -> None:
    outcome = _serving(registry, "ollama/qwen2.5", "alibaba-cloud")
    assert outcome.serving is None and outcome.self_hosted


def test_declared_provider_names(registry: Registry) -> None:
    for provider in ("together", "together_ai", "groq", "fireworks"):
        outcome = _serving(registry, "meta-llama/Llama-3.3-70B-Instruct", "meta",
                           provider=provider)
        assert outcome.serving is not None, provider
        assert outcome.serving.first_party is False


def test_is_local_host() -> None:
    assert is_local_host("localhost") and is_local_host("192.168.1.20")
    assert not is_local_host("api.deepseek.com") and not is_local_host("8.8.8.8")


def test_unexpanded_base_url_template_is_unknown(registry: Registry) -> None:
    outcome = _serving(registry, "openai/deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", "deepseek",
                       base_url="${vllm_service_url}")
    assert outcome.serving is None and not outcome.self_hosted
    assert "template" in outcome.notes[0]


def test_declared_local_providers(registry: Registry) -> None:
    for provider in ("vllm", "ollama", "llama.cpp", "tgi", "local"):
        outcome = _serving(registry, "Qwen/Qwen2.5-7B-Instruct", "alibaba-cloud",
                           provider=provider)
        assert outcome.serving is None and outcome.self_hosted, provider


def test_litellm_spelling_variants_of_one_provider(registry: Registry) -> None:
    for text, entity in (("azure_text/my-deployment", "microsoft"),
                         ("vertex_ai_beta/gemini-1.5-pro", "google"),
                         ("cohere_chat/command-r", "cohere")):
        outcome = _serving(registry, text, None)
        assert outcome.serving is not None and outcome.serving.organisation.id == entity, text


def test_hf_id_called_as_api_without_host_is_unknown(registry: Registry) -> None:
    parsed = parse_ref("deepseek-ai/DeepSeek-V3", registry=registry)
    outcome = determine_serving(parsed, "deepseek", registry, api_usage=True)
    assert outcome.serving is None and not outcome.self_hosted
    assert "serving party unknown" in outcome.notes[0]
