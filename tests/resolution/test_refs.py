"""Parsing references in every syntax real projects use."""

from __future__ import annotations

import pytest

from riskcheck.resolution.references import hostname, parse_ref
from riskcheck.resolution.registry import Registry


def test_hf_id(registry: Registry) -> None:
    parsed = parse_ref("Qwen/Qwen2.5-7B-Instruct", registry=registry)
    assert (parsed.kind, parsed.org, parsed.name, parsed.tag) == (
        "huggingface", "Qwen", "Qwen2.5-7B-Instruct", None)
    assert parsed.model_id == "Qwen/Qwen2.5-7B-Instruct"


@pytest.mark.parametrize("text", [
    "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct",
    "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/tree/main",
    "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/resolve/main/config.json",
    "huggingface.co/Qwen/Qwen2.5-7B-Instruct",
    "hf.co/Qwen/Qwen2.5-7B-Instruct",
    "hf://Qwen/Qwen2.5-7B-Instruct",
    "pkg:huggingface/Qwen/Qwen2.5-7B-Instruct@a09a354",
    "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct.git",
    "  'Qwen/Qwen2.5-7B-Instruct'  ",
])
def test_hf_spellings_lead_to_the_same_repo(text: str, registry: Registry) -> None:
    parsed = parse_ref(text, registry=registry)
    assert parsed.kind == "huggingface"
    assert parsed.model_id == "Qwen/Qwen2.5-7B-Instruct"


def test_hf_urls_mean_downloaded_weights() -> None:
    assert parse_ref("https://huggingface.co/Qwen/Qwen2.5-7B-Instruct").api is False


def test_hf_dataset_urls_are_not_models() -> None:
    assert parse_ref("https://huggingface.co/datasets/tatsu-lab/alpaca").kind == "unknown"
    assert parse_ref("hf://datasets/tatsu-lab/alpaca").kind == "unknown"


def test_ollama_pull_from_hf_keeps_quant_tag() -> None:
    parsed = parse_ref("hf.co/Qwen/Qwen3-8B-GGUF:Q4_K_M")
    assert (parsed.kind, parsed.org, parsed.name, parsed.tag, parsed.api) == (
        "huggingface", "Qwen", "Qwen3-8B-GGUF", "Q4_K_M", False)


def test_quant_from_gguf_file_url() -> None:
    parsed = parse_ref("https://huggingface.co/bartowski/Meta-Llama-3.1-8B-Instruct-GGUF/resolve/"
                       "main/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf")
    assert parsed.model_id == "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF"
    assert parsed.tag == "Q4_K_M"


@pytest.mark.parametrize("text", [
    "https://www.modelscope.cn/deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B.git",
    "https://modelscope.cn/models/deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B",
    "modelscope.cn/models/deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B/files",
])
def test_modelscope_is_the_same_org_and_name(text: str) -> None:
    parsed = parse_ref(text)
    assert parsed.model_id == "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"
    assert parsed.hub == "modelscope"


@pytest.mark.parametrize(("text", "name", "org", "tag"), [
    ("qwen2.5-coder:7b", "qwen2.5-coder", None, "7b"),
    ("deepseek-r1:8b", "deepseek-r1", None, "8b"),
    ("library/llama3.2:latest", "llama3.2", None, "latest"),
    ("someuser/model:q4", "model", "someuser", "q4"),
    ("Llama3.2:3B", "llama3.2", None, "3B"),
])
def test_ollama_tags(text: str, name: str, org: str | None, tag: str) -> None:
    parsed = parse_ref(text)
    assert (parsed.kind, parsed.name, parsed.org, parsed.tag) == ("ollama", name, org, tag)
    assert parsed.api is False


def test_declared_ollama_source_wins_for_user_namespace() -> None:
    parsed = parse_ref("someuser/model", source="ollama")
    assert (parsed.kind, parsed.org, parsed.name) == ("ollama", "someuser", "model")


def test_bare_names_are_left_open() -> None:
    for text in ("glm4", "bge-m3", "all-MiniLM-L6-v2", "gpt-4o"):
        parsed = parse_ref(text)
        assert parsed.kind == "unknown" and parsed.name == text


@pytest.mark.parametrize("variant", ["free", "nitro", "floor", "online", "extended", "thinking"])
def test_openrouter_variants(variant: str) -> None:
    parsed = parse_ref(f"deepseek/deepseek-r1:{variant}")
    assert (parsed.kind, parsed.org, parsed.name, parsed.tag) == (
        "openrouter", "deepseek", "deepseek-r1", variant)
    assert parsed.provider == "openrouter" and parsed.api is True


def test_openrouter_prefixes_known_to_the_registry(registry: Registry) -> None:
    for text in ("z-ai/glm-4.5", "qwen/qwen3-235b-a22b", "x-ai/grok-4.1-fast"):
        assert parse_ref(text, registry=registry).kind == "openrouter", text


def test_lowercase_slug_of_an_hf_org_stays_hf_but_records_the_alternative(
        registry: Registry) -> None:
    parsed = parse_ref("google/gemma-3-27b-it", registry=registry)
    assert parsed.kind == "huggingface"
    assert parsed.alternative == "openrouter"


def test_lowercase_slug_of_an_org_with_mixed_case_repos_is_openrouter(
        registry: Registry) -> None:
    parsed = parse_ref("moonshotai/kimi-k2", registry=registry)
    assert (parsed.kind, parsed.alternative) == ("openrouter", "huggingface")
    assert parse_ref("moonshotai/Kimi-K2-Instruct", registry=registry).kind == "huggingface"


def test_openrouter_url() -> None:
    parsed = parse_ref("https://openrouter.ai/moonshotai/kimi-k2")
    assert (parsed.kind, parsed.model_id) == ("openrouter", "moonshotai/kimi-k2")


@pytest.mark.parametrize(("text", "provider", "syntax", "model_id"), [
    ("dashscope/qwen-max", "dashscope", "api", "qwen-max"),
    ("deepseek/deepseek-chat", "deepseek", "api", "deepseek-chat"),
    ("together_ai/Qwen/Qwen2.5-72B-Instruct-Turbo", "together_ai", "huggingface",
     "Qwen/Qwen2.5-72B-Instruct-Turbo"),
    ("openrouter/moonshotai/kimi-k2", "openrouter", "openrouter", "moonshotai/kimi-k2"),
    ("openrouter/z-ai/glm-4.5-air:free", "openrouter", "openrouter", "z-ai/glm-4.5-air"),
    ("openai/deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", "openai", "huggingface",
     "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"),
    ("hosted_vllm/Qwen/Qwen2.5-7B-Instruct", "hosted_vllm", "huggingface",
     "Qwen/Qwen2.5-7B-Instruct"),
    ("azure/my-deployment", "azure", "api", "my-deployment"),
    ("vertex_ai/gemini-1.5-pro", "vertex_ai", "api", "gemini-1.5-pro"),
    ("groq/llama-3.1-70b-versatile", "groq", "api", "llama-3.1-70b-versatile"),
    ("fireworks_ai/accounts/fireworks/models/llama-v3p1-70b-instruct", "fireworks_ai", "api",
     "llama-v3p1-70b-instruct"),
])
def test_litellm_strings(text: str, provider: str, syntax: str, model_id: str,
                         registry: Registry) -> None:
    parsed = parse_ref(text, registry=registry)
    assert (parsed.kind, parsed.provider, parsed.syntax, parsed.model_id) == (
        "litellm", provider, syntax, model_id)


@pytest.mark.parametrize(("text", "org", "name"), [
    ("bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic",
     "claude-3-5-sonnet-20240620-v1"),
    ("bedrock/us.meta.llama3-1-70b-instruct-v1:0", "meta", "llama3-1-70b-instruct-v1"),
    ("bedrock/converse/eu.amazon.nova-pro-v1:0", "amazon", "nova-pro-v1"),
])
def test_bedrock_ids_name_their_publisher(text: str, org: str, name: str) -> None:
    parsed = parse_ref(text)
    assert (parsed.provider, parsed.syntax, parsed.org, parsed.name) == (
        "bedrock", "bedrock", org, name)


def test_local_runtimes_are_not_api_calls() -> None:
    for text in ("ollama/qwen2.5", "ollama_chat/llama3.1", "hosted_vllm/Qwen/Qwen2.5-7B"):
        assert parse_ref(text).api is False, text
    assert parse_ref("ollama/qwen2.5:7b").name == "qwen2.5"


def test_provider_prefix_that_is_also_an_hf_org(registry: Registry) -> None:
    assert parse_ref("openai/whisper-large-v3", registry=registry).kind == "huggingface"
    assert parse_ref("openai/gpt-4o", registry=registry).kind == "litellm"
    assert parse_ref("cerebras/llama3.1-8b", registry=registry).kind == "litellm"


def test_api_name_with_base_url() -> None:
    parsed = parse_ref("deepseek-chat", base_url="https://api.deepseek.com/v1")
    assert (parsed.kind, parsed.name, parsed.host, parsed.api) == (
        "api", "deepseek-chat", "api.deepseek.com", True)


def test_vendor_resource_paths() -> None:
    assert parse_ref("models/gemini-1.5-flash").name == "gemini-1.5-flash"
    parsed = parse_ref("projects/p/locations/us-central1/publishers/google/models/gemini-1.5-pro")
    assert (parsed.org, parsed.name) == ("google", "gemini-1.5-pro")
    parsed = parse_ref("gpt://b1g0000000000000000/yandexgpt-lite/latest")
    assert (parsed.kind, parsed.name) == ("api", "yandexgpt-lite")


@pytest.mark.parametrize(("text", "name"), [
    ("/srv/ollama/models/qwen2.5-3b-instruct-q4_k_m.gguf", "qwen2.5-3b-instruct-q4_k_m"),
    ("./models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf", "Meta-Llama-3.1-8B-Instruct-Q4_K_M"),
    ("/home/linux/llm/Qwen2.5-7B-Instruct", "Qwen2.5-7B-Instruct"),
    ("/models/Qwen2.5-7B-Instruct/model.safetensors", "Qwen2.5-7B-Instruct"),
    ("C:\\models\\phi-3-mini-4k-instruct-q4.gguf", "phi-3-mini-4k-instruct-q4"),
    ("file:///opt/models/mistral-7b-instruct-v0.2.Q4_K_M.gguf",
     "mistral-7b-instruct-v0.2.Q4_K_M"),
    ("mistral-7b-instruct-v0.2.Q4_K_M.gguf", "mistral-7b-instruct-v0.2.Q4_K_M"),
])
def test_local_files(text: str, name: str) -> None:
    parsed = parse_ref(text)
    assert (parsed.kind, parsed.name, parsed.api) == ("local-file", name, False)


def test_hostname() -> None:
    assert hostname("https://API.DeepSeek.com:443/v1") == "api.deepseek.com"
    assert hostname("open.bigmodel.cn/api/paas/v4") == "open.bigmodel.cn"
    assert hostname("http://[::1]:8000") == "::1"
    assert hostname("") is None and hostname(None) is None


def test_empty_and_garbage_never_raise() -> None:
    for text in ("", "   ", "////", "a/b/c/d", ":", "https://", "hf://"):
        parse_ref(text)
