"""Lineage: re-upload suffixes, derivation hints and the curated lists/lineage.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskcheck.errors import DataError
from riskcheck.resolution.lineage import Lineage, load_lineage, relation_hint, strip_variant_suffixes


@pytest.mark.parametrize(("name", "base"), [
    ("Qwen2.5-7B-Instruct-GGUF", "Qwen2.5-7B-Instruct"),
    ("Meta-Llama-3.1-8B-Instruct-bnb-4bit", "Meta-Llama-3.1-8B-Instruct"),
    ("Llama-3.2-3B-Instruct-unsloth-bnb-4bit", "Llama-3.2-3B-Instruct"),
    ("Qwen2.5-7B-Instruct-abliterated-i1-GGUF", "Qwen2.5-7B-Instruct-abliterated"),
    ("Mistral-7B-Instruct-v0.3-4bit", "Mistral-7B-Instruct-v0.3"),
    ("Qwen2.5-72B-Instruct-AWQ", "Qwen2.5-72B-Instruct"),
    ("Qwen2.5-7B-Instruct-GPTQ-Int4", "Qwen2.5-7B-Instruct"),
    ("Mistral-7B-Instruct-v0.2-exl2", "Mistral-7B-Instruct-v0.2"),
    ("Qwen2-7B-Instruct-MLX", "Qwen2-7B-Instruct"),
    ("gemma-2-9b-it-Q4_K_M", "gemma-2-9b-it"),
    ("qwen2.5-3b-instruct-q4_k_m", "qwen2.5-3b-instruct"),
    ("mistral-7b-instruct-v0.2.Q4_K_M", "mistral-7b-instruct-v0.2"),
    ("Llama-3.1-8B-Instruct-FP8", "Llama-3.1-8B-Instruct"),
    ("Llama-3.1-8B-Instruct-quantized.w4a16", "Llama-3.1-8B-Instruct"),
    ("Meta-Llama-3.1-70B-Instruct-Turbo", "Meta-Llama-3.1-70B-Instruct"),
    ("Phi-3-mini-4k-instruct-gguf", "Phi-3-mini-4k-instruct"),
])
def test_strip_variant_suffixes(name: str, base: str) -> None:
    stripped = strip_variant_suffixes(name)
    assert stripped.base == base
    assert stripped.quantized


@pytest.mark.parametrize("name", ["DeepSeek-R1-Distill-Qwen-32B", "Llama-2-7b-hf", "r1-1776",
                                  "gpt2", "Qwen2.5-0.5B", "phi-2", "bge-m3", "GLM-4.5-Air",
                                  "Llama-3.1-Nemotron-70B-Instruct-HF", "t5-small"])
def test_original_names_are_left_alone(name: str) -> None:
    assert strip_variant_suffixes(name) == strip_variant_suffixes(name)
    assert strip_variant_suffixes(name).base == name
    assert not strip_variant_suffixes(name).quantized


@pytest.mark.parametrize(("name", "relation"), [
    ("DeepSeek-R1-Distill-Llama-8B", "distilled-from"),
    ("DeepSeek-TNG-R1T2-Chimera", "merge"),
    ("Mistral-7B-slerp-merge", "merge"),
    ("llama-3-8b-lora", "adapter"),
    ("Hermes-3-Llama-3.1-8B", "finetune"),
    ("Qwen2.5-7B-Instruct-abliterated", "finetune"),
])
def test_relation_hint(name: str, relation: str) -> None:
    assert relation_hint(name) == relation


def test_curated_ancestry_is_followed_through_several_steps(lineage: Lineage) -> None:
    steps = lineage.ancestry("perplexity-ai/r1-1776-distill-llama-70b")
    assert [(s.upstream, s.relation) for s in steps] == [
        ("deepseek-ai/DeepSeek-R1-Distill-Llama-70B", "finetune"),
        ("meta-llama/Llama-3.3-70B-Instruct", "distilled-from"),
    ]
    assert lineage.ancestry("PERPLEXITY-AI/R1-1776")[0].upstream == "deepseek-ai/DeepSeek-R1"


def test_aliases_and_namespaces(lineage: Lineage) -> None:
    assert lineage.alias("ollama", "deepseek-r1:70b") == "deepseek-ai/DeepSeek-R1-Distill-Llama-70B"
    assert lineage.alias("name", "gpt2") == "openai-community/gpt2"
    assert lineage.alias("openrouter", "tngtech/deepseek-r1t2-chimera") == (
        "tngtech/DeepSeek-TNG-R1T2-Chimera")
    assert lineage.namespace_for("all-MiniLM-L6-v2") == "sentence-transformers"
    assert lineage.namespace_for("my-model") is None
    assert lineage.known_id_for_name("deepseek-r1-distill-qwen-32b") == (
        "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B")


def test_cycles_in_curated_data_terminate(tmp_path: Path) -> None:
    path = tmp_path / "lineage.yaml"
    path.write_text(
        "derivatives:\n"
        "  - {id: a/x, relation: merge, upstream: [b/y], citation: 'https://e.org/1', as_of: '2026-01-01'}\n"
        "  - {id: b/y, relation: merge, upstream: [a/x], citation: 'https://e.org/2', as_of: '2026-01-01'}\n",
        encoding="utf-8")
    steps = load_lineage(path).ancestry("a/x")
    assert [s.upstream for s in steps] == ["b/y"]


@pytest.mark.parametrize(("text", "message"), [
    ("derivatives:\n  - {id: nope, relation: finetune, upstream: [a/b], citation: 'https://e', as_of: x}\n",
     "org/name"),
    ("derivatives:\n  - {id: a/b, relation: cloned, upstream: [c/d], citation: 'https://e', as_of: x}\n",
     "relation"),
    ("derivatives:\n  - {id: a/b, relation: finetune, upstream: [c/d]}\n", "citation"),
    ("aliases:\n  - {name: x, ollama: y, id: a/b, citation: 'https://e', as_of: x}\n",
     "exactly one"),
    ("namespaces:\n  - {pattern: '(', org: x, citation: 'https://e', as_of: x}\n", "pattern"),
    ("- just a list\n", "mapping"),
    ("derivatives: [\n", "invalid YAML"),
])
def test_malformed_lineage_files_are_data_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "lineage.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_lineage(path)


def test_every_curated_entry_leads_to_a_registry_vendor(lineage: Lineage, registry) -> None:  # type: ignore[no-untyped-def]
    """An entry whose model and ancestors are all unknown orgs could never be attributed."""
    import yaml

    from riskcheck.data import lists_dir

    doc = yaml.safe_load((lists_dir() / "lineage.yaml").read_text(encoding="utf-8"))
    ids = [d["id"] for d in doc["derivatives"]] + [a["id"] for a in doc["aliases"]]
    useless = []
    for model_id in ids:
        chain = [model_id] + [step.upstream for step in lineage.ancestry(model_id)]
        if not any(registry.by_hf_org(m.split("/", 1)[0]) for m in chain):
            useless.append(model_id)
    assert useless == []
