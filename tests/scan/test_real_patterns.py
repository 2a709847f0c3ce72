"""One fixture per pattern that real repositories use to name their models (and per kind of text
that is not a model). The fixtures are small projects written for these tests."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from riskcheck.scan import scan_tree
from riskcheck.scan.interface import FoundReference


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return tmp_path


def found(root: Path, include_docs: bool = False) -> dict[str, FoundReference]:
    """Screened references (high and medium) by id; first place wins."""
    refs: dict[str, FoundReference] = {}
    for ref in scan_tree(root, include_docs=include_docs).references:
        if ref.confidence != "low":
            refs.setdefault(ref.id, ref)
    return refs


def low(root: Path) -> set[str]:
    return {r.id for r in scan_tree(root).references if r.confidence == "low"}


# -- Python: values that travel --------------------------------------------------------------

def test_constant_imported_from_another_module(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "app/common.py": 'import os\nEMBEDDER = "BAAI/bge-small-en-v1.5"\n'
                         'GENERATOR = os.getenv("GEN", "Qwen/Qwen2.5-3B-Instruct")\n',
        "app/index.py": """
            from sentence_transformers import SentenceTransformer
            from transformers import AutoModelForCausalLM
            from app.common import EMBEDDER
            from .common import GENERATOR as gen

            encoder = SentenceTransformer(EMBEDDER)
            model = AutoModelForCausalLM.from_pretrained(gen)
        """,
    })
    uses = {r.id: r for r in scan_tree(root).references if r.path == "app/index.py"}
    # Located where the model is used, in the module that uses it.
    assert uses["BAAI/bge-small-en-v1.5"].line == 6
    assert uses["BAAI/bge-small-en-v1.5"].detector == "python:call SentenceTransformer"
    assert uses["Qwen/Qwen2.5-3B-Instruct"].line == 7
    assert uses["Qwen/Qwen2.5-3B-Instruct"].detector == "python:call from_pretrained"


def test_module_attribute_of_imported_module(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "cfg.py": 'RERANK = "cross-encoder/ms-marco-MiniLM-L-6-v2"\n',
        "rank.py": "import cfg\nfrom sentence_transformers import CrossEncoder\n"
                   "ranker = CrossEncoder(cfg.RERANK)\n",
    })
    uses = [(r.id, r.line) for r in scan_tree(root).references if r.path == "rank.py"]
    assert uses == [("cross-encoder/ms-marco-MiniLM-L-6-v2", 3)]


def test_settings_object_attribute_from_pydantic_settings(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "settings.py": """
            from pydantic import Field
            from pydantic_settings import BaseSettings

            class Settings(BaseSettings):
                llm_model: str = Field(default="mistral-small-latest")
                summary_engine: str = Field(default="local")

            settings = Settings()
        """,
        "chat.py": """
            from langchain_mistralai import ChatMistralAI
            from settings import settings

            llm = ChatMistralAI(model=settings.llm_model)
        """,
    })
    refs = scan_tree(root).references
    assert ("settings.py", 5) in {(r.path, r.line) for r in refs}  # the field default itself
    uses = [r for r in scan_tree(root).references if r.path == "chat.py"]
    assert [(r.id, r.detector) for r in uses] == [("mistral-small-latest", "python:call ChatMistralAI")]


def test_argparse_default_followed_to_args_attribute(tmp_path: Path) -> None:
    root = project(tmp_path, {"train.py": """
        import argparse
        from transformers import AutoModel

        parser = argparse.ArgumentParser()
        parser.add_argument("--base-model", default="google/gemma-2-2b")
        parser.add_argument("--output-dir", default="runs/out")
        args = parser.parse_args()
        model = AutoModel.from_pretrained(args.base_model)
    """})
    refs = found(root)
    assert set(refs) == {"google/gemma-2-2b"}
    # One model per file, at the place with the strongest evidence: the call, not the option.
    assert [(r.line, r.detector) for r in scan_tree(root).references] == [(8, "python:call from_pretrained")]


def test_click_and_typer_option_defaults(tmp_path: Path) -> None:
    root = project(tmp_path, {"cli.py": """
        import click
        import typer

        @click.command()
        @click.option("--model", default="gpt-4.1-mini", help="Model")
        @click.option("--title", default="Report for GPT users")
        def main(model, title):
            pass

        def run(embedding_model: str = typer.Option("nomic-embed-text", "--embedding-model")):
            pass
    """})
    assert set(found(root)) == {"gpt-4.1-mini", "nomic-embed-text"}


def test_dataclass_and_attrs_field_defaults(tmp_path: Path) -> None:
    root = project(tmp_path, {"config.py": """
        from dataclasses import dataclass, field
        import attr

        @dataclass
        class Config:
            model: str = "claude-3-5-haiku-latest"
            reranker: str = field(default="BAAI/bge-reranker-base")
            model_type: str = "causal-lm"

        @attr.s
        class Other:
            embed_model = attr.ib(default="text-embedding-3-small")
    """})
    assert set(found(root)) == {"claude-3-5-haiku-latest", "BAAI/bge-reranker-base",
                                "text-embedding-3-small"}


def test_init_defaults_of_the_projects_own_client_class(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "client.py": """
            class LLMClient:
                def __init__(self, api_base="https://api.deepseek.com", model="deepseek-chat"):
                    self.api_base = api_base
                    self.model = model
        """,
        "embedder.py": """
            class Embedder:
                def __init__(self, model_name, device="cpu"):
                    self.model_name = model_name
        """,
        "use.py": 'from embedder import Embedder\nembedder = Embedder("intfloat/multilingual-e5-small")\n',
    })
    refs = found(root)
    assert refs["deepseek-chat"].detector == "python:parameter model"
    assert refs["intfloat/multilingual-e5-small"].path == "use.py"
    assert refs["intfloat/multilingual-e5-small"].detector == "python:parameter model_name of Embedder"


def test_provider_table_model_list_and_conditional_reassignment(tmp_path: Path) -> None:
    root = project(tmp_path, {"providers.py": """
        from openai import OpenAI

        DEFAULT_MODELS = {"openai": "gpt-4o-mini", "groq": "llama-3.1-8b-instant", "timeout": "30"}
        FALLBACK_MODELS = ["gemini-2.0-flash", "qwen-plus"]

        def ask(prompt, model="auto"):
            client = OpenAI(base_url="https://openrouter.ai/api/v1")
            if model == "auto":
                model = "anthropic/claude-3.5-sonnet"
            return client.chat.completions.create(model=model, messages=[])

        def each():
            for name in FALLBACK_MODELS:
                yield name
    """})
    refs = found(root)
    assert {"gpt-4o-mini", "llama-3.1-8b-instant", "gemini-2.0-flash", "qwen-plus",
            "anthropic/claude-3.5-sonnet"} <= set(refs)
    assert "30" not in refs and "auto" not in refs


def test_dict_get_default_and_prompt_default(tmp_path: Path) -> None:
    root = project(tmp_path, {"handler.py": """
        def handle(req, setting):
            model = setting.get("model", "gpt-4o-mini")
            embed = safe_get(req, "embedding_model", "bge-m3")
            folder = os.path.join(root, "embed_server", "embed_models")
            model_id = Prompt.ask("Model ID", default="Qwen/Qwen2.5-Coder-7B-Instruct")
    """})
    assert set(found(root)) == {"gpt-4o-mini", "bge-m3", "Qwen/Qwen2.5-Coder-7B-Instruct"}


def test_value_from_another_functions_scope_is_not_taken(tmp_path: Path) -> None:
    root = project(tmp_path, {"export.py": """
        from transformers import AutoModel

        def export():
            name = "exported-weights"
            return name

        def load(name):
            return AutoModel.from_pretrained(name)
    """})
    assert scan_tree(root).references == ()


def test_library_default_model_is_low_confidence(tmp_path: Path) -> None:
    root = project(tmp_path, {"emb.py": """
        from langchain_openai import OpenAIEmbeddings
        plain = OpenAIEmbeddings()
        named = OpenAIEmbeddings(model="text-embedding-3-large")
    """})
    refs = {r.id: r for r in scan_tree(root).references}
    assert refs["text-embedding-ada-002"].confidence == "low"
    assert refs["text-embedding-ada-002"].detector == "python:default model of OpenAIEmbeddings"
    assert refs["text-embedding-3-large"].confidence == "high"


def test_notebook_code_cells_with_file_lines(tmp_path: Path) -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["Uses `gpt2` (not read)\n"]},
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1,
             "source": ["%pip install transformers\n", "from transformers import pipeline\n",
                        "MODEL = \"ai-forever/rugpt3small_based_on_gpt2\"\n"]},
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 2,
             "source": ["gen = pipeline(\"text-generation\", model=MODEL)\n",
                        "!python finetune.py --model_name_or_path sberbank-ai/rugpt3medium_based_on_gpt2"]},
            {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["def broken(:\n"]},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    text = json.dumps(notebook, indent=1)
    root = project(tmp_path, {"demo.ipynb": text})
    refs = found(root)
    assert set(refs) == {"ai-forever/rugpt3small_based_on_gpt2", "sberbank-ai/rugpt3medium_based_on_gpt2"}
    lines = text.splitlines()
    first = refs["ai-forever/rugpt3small_based_on_gpt2"]
    assert "pipeline(" in lines[first.line - 1]
    assert "--model_name_or_path" in lines[refs["sberbank-ai/rugpt3medium_based_on_gpt2"].line - 1]


# -- Other files ----------------------------------------------------------------------------

def test_shell_loop_over_env_list_and_hf_gguf(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "Dockerfile": """
            FROM ollama/ollama
            ENV MODELS="qwen2.5:7b nomic-embed-text"
            RUN ollama serve & sleep 5 && for m in $MODELS; do ollama pull $m; done
        """,
        "pull.sh": """
            #!/bin/bash
            LIST=("llama3.2:3b" "bge-m3")
            for model in "${LIST[@]}"
            do
              ollama pull "$model"
            done
            ollama run hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M
        """,
    })
    refs = found(root)
    assert {(r.path, r.line) for r in refs.values()} >= {("Dockerfile", 3), ("pull.sh", 5)}
    assert {"qwen2.5:7b", "nomic-embed-text", "llama3.2:3b", "bge-m3",
            "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M"} == set(refs)


def test_ini_cfg_and_toml_keys(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "config.ini": "[rag]\nembedding_model = BAAI/bge-m3\nremote_llm_model: qwen-max\nmodel_dir = ./models\n",
        "setup.cfg": "[options]\ninstall_requires =\n    llm-tools\n[app]\nreranker = jina-reranker-v2-base-multilingual\n",
        "pyproject.toml": '[tool.poetry.dependencies]\nllama-index-llms-openai = "^0.1"\n'
                          '[tool.app]\nmodels = ["gpt-4o", "o3-mini"]\nmodel_provider = "openai"\n',
    })
    assert set(found(root)) == {"BAAI/bge-m3", "qwen-max", "jina-reranker-v2-base-multilingual",
                                "gpt-4o", "o3-mini"}


def test_dotenv_keys_beyond_model(tmp_path: Path) -> None:
    root = project(tmp_path, {".env.example": """
        LLM_MODEL_NAME=glm-4-flash
        RERANKER=BAAI/bge-reranker-v2-m3
        OPENAI_EMBEDDING_DEPLOYMENT=text-embedding-3-small
        EMBEDDING_MODEL_DIMENSIONS=1024
        MODEL_PROVIDER=zhipu
    """})
    refs = found(root)
    assert set(refs) == {"glm-4-flash", "BAAI/bge-reranker-v2-m3", "text-embedding-3-small"}
    assert refs["glm-4-flash"].detector == "dotenv:LLM_MODEL_NAME"


def test_js_env_defaults(tmp_path: Path) -> None:
    root = project(tmp_path, {"src/config.ts": """
        export const chatModel = import.meta.env.VITE_CHAT_MODEL || "gpt-4o-mini";
        export const embedder = process.env.EMBEDDING_MODEL ?? 'mxbai-embed-large';
        const title = process.env.APP_TITLE || "Chat with GPT";
    """})
    refs = found(root)
    assert set(refs) == {"gpt-4o-mini", "mxbai-embed-large"}
    assert refs["mxbai-embed-large"].detector == "javascript:default of EMBEDDING_MODEL"


def test_go_constants_and_flag_defaults(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "options.go": """
            package provider

            const (
                defaultModel   = "gemini-1.5-flash"
                defaultTimeout = "30s"
            )
            // previousModel = "gemini-1.0-pro"
        """,
        "cmd/root.go": """
            package cmd

            func init() {
                rootCmd.Flags().StringVar(&model, "model", "gpt-4o", "the model")
                rootCmd.Flags().StringP("lang", "l", "en", "language")
            }
        """,
    })
    assert set(found(root)) == {"gemini-1.5-flash", "gpt-4o"}


def test_yaml_api_base_pairs_with_model_in_the_same_mapping(tmp_path: Path) -> None:
    root = project(tmp_path, {"config.yaml": """
        llm:
          api_base: http://vllm.internal:8000/v1
          api_key: EMPTY
          model: Qwen/Qwen2.5-14B-Instruct
        embedding_models:
          - bge-m3
    """})
    refs = found(root)
    assert refs["Qwen/Qwen2.5-14B-Instruct"].base_url == "http://vllm.internal:8000/v1"
    assert "bge-m3" in refs


# -- What is not a model ----------------------------------------------------------------------

def test_data_and_output_json_is_not_configuration(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "runs/result.json": '{"model": "gpt-4o", "score": 0.9}\n',
        "resources/answers.json": '[{"question": "which model?", "model": "claude-3-opus"}]\n',
        "cache/response.json": '{"id": "x", "object": "chat.completion", "model": "gpt-3.5-turbo-0301",'
                               ' "choices": [], "usage": {}}\n',
        "src/_locales/de/messages.json": '{"modelId": "Modell-ID"}\n',
        "app.config.json": '{"model": "deepseek-chat"}\n',
    })
    assert set(found(root)) == {"deepseek-chat"}


def test_ui_labels_and_framework_names_are_not_screened(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "src/form.ts": 'const field = { modelId: "Model-ID", model: "RISEN" };\n',
        "prompts.py": 'PROMPT_MODEL = "CO-STAR"\nframeworks = {"model": "RACE"}\n',
    })
    assert found(root) == {}
    assert "Model-ID" in low(root)


def test_issue_template_placeholder_is_not_a_config(tmp_path: Path) -> None:
    root = project(tmp_path, {".github/ISSUE_TEMPLATE/bug.yaml": """
        name: Bug
        body:
          - type: textarea
            attributes:
              placeholder: |
                model_list:
                  - model_name: my-model
                    litellm_params:
                      model: openai/gpt-4o
    """})
    assert scan_tree(root).references == ()


@pytest.mark.parametrize("value, expected", [
    ("glm4-chat", True), ("SparkDesk", True), ("org/name-7b", True), ("qwen2:7b", True),
    ("o1", True), ("Model-ID", False), ("LLM", False), ("openai", False), ("text/html", False),
    ("THUDM/chatglm2-6b@localhost@20002", False),
])
def test_model_reference_shape(value: str, expected: bool) -> None:
    from riskcheck.scan.patterns import looks_like_model_reference

    assert looks_like_model_reference(value) is expected
