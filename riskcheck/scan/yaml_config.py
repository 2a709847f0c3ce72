"""YAML that carries models: LiteLLM proxy configs, Docker Compose, Kubernetes and Helm.

Nodes are walked with their marks so every reference keeps its line and column. A Helm
template that is not valid YAML until rendered is read line by line instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

import yaml

from riskcheck.scan.commands import SERVER_WORDS, command_hits
from riskcheck.scan.dotenv import pair_settings
from riskcheck.scan.interface import Confidence, Detector, FoundReference
from riskcheck.scan.patterns import (looks_like_model_id, looks_like_model_reference, model_named,
                                     strip_quotes)

COMMAND_KEYS = {"command", "args", "entrypoint", "cmd"}
MODEL_KEYS = {"model", "model_id", "modelid", "model_name", "modelname", "base_model",
              "storageuri", "storage_uri", "hf_model_id", "model_repo"}
HELM_LINE = re.compile(r"^\s*-?\s*(model|modelId|model_id|modelName|model_name|storageUri)\s*:\s*"
                       r"(['\"]?)([^'\"#\s{]+)\2\s*(#.*)?$")
MAX_DOCUMENTS = 200
MAX_NODES = 200_000


BASE_URL_KEYS = ("api_base", "base_url", "api_base_url", "openai_api_base", "endpoint", "api_url")


def _base_url(mapping: dict[str, yaml.Node]) -> str | None:
    """The base URL given beside a model in the same mapping (``api_base:`` above ``model:``)."""
    for key in BASE_URL_KEYS:
        node = mapping.get(key)
        if isinstance(node, yaml.ScalarNode) and str(node.value).startswith(("http://", "https://")):
            return str(node.value)
    return None


class _Budget(Exception):
    pass


class YamlDetector(Detector):
    """LiteLLM ``model_list``, compose ``models:``/``command:``/``environment:``, Kubernetes
    ``args``/``env``/``storageUri`` and ``model:`` keys, ConfigMaps embedding such YAML."""

    name = "yaml"

    def claims(self, path: PurePosixPath) -> bool:
        """YAML files and Helm templates; not GitHub issue and discussion forms, whose
        placeholders are example text."""
        if {"ISSUE_TEMPLATE", "DISCUSSION_TEMPLATE"}.intersection(path.parts):
            return False
        return path.suffix.casefold() in (".yaml", ".yml") or (
            path.suffix == ".tpl" and "templates" in path.parts)

    def detect(self, path: PurePosixPath, text: str) -> Iterator[FoundReference]:
        """Parse every document; fall back to lines for templated YAML."""
        lines = text.splitlines()
        serving = bool(SERVER_WORDS.search(text))
        try:
            found = list(self._documents(path, text, lines, serving, 0))
        except (yaml.YAMLError, _Budget, RecursionError):
            found = list(self._lines(path, lines, serving))
        yield from found

    def _documents(self, path: PurePosixPath, text: str, lines: list[str], serving: bool,
                   offset: int) -> Iterator[FoundReference]:
        budget = [MAX_NODES]
        for count, document in enumerate(yaml.compose_all(text, Loader=yaml.SafeLoader)):
            if count >= MAX_DOCUMENTS:
                raise _Budget()
            if document is not None:
                yield from self._node(path, document, (), lines, serving, offset, budget)

    def _found(self, path: PurePosixPath, node: yaml.Node, value: str, lines: list[str],
               offset: int, how: str, confidence: Confidence, usage: str = "self-hosted",
               base_url: str | None = None, column: int | None = None) -> FoundReference:
        line = node.start_mark.line + 1 + offset
        text = lines[line - 1 - offset].strip() if 0 < line - offset <= len(lines) else ""
        return FoundReference(id=value, path=str(path), line=line,
                              column=column or node.start_mark.column + 1,
                              detector=f"{self.name}:{how}", confidence=confidence,
                              text=text[:200], usage=usage, base_url=base_url)  # type: ignore[arg-type]

    def _node(self, path: PurePosixPath, node: yaml.Node, keys: tuple[str, ...], lines: list[str],
              serving: bool, offset: int, budget: list[int]) -> Iterator[FoundReference]:
        budget[0] -= 1
        if budget[0] < 0:
            raise _Budget()
        if isinstance(node, yaml.MappingNode):
            pairs = [(k.value if isinstance(k, yaml.ScalarNode) else "", v) for k, v in node.value]
            mapping = {str(k).casefold(): v for k, v in pairs}
            if keys and keys[-1] == "litellm_params" and "model" in mapping:
                yield from self._litellm(path, mapping, lines, offset)
                pairs = [(k, v) for k, v in pairs if str(k).casefold() not in ("model", "api_base")]
            for key, value in pairs:
                lowered = str(key).casefold()
                child = (*keys, lowered)
                if lowered in COMMAND_KEYS:
                    yield from self._command(path, value, lines, serving, offset)
                elif lowered in ("environment", "env") and isinstance(value, (yaml.SequenceNode, yaml.MappingNode)):
                    yield from self._environment(path, value, lines, offset)
                elif lowered == "models" and not keys and isinstance(value, yaml.MappingNode):
                    yield from self._compose_models(path, value, lines, offset)
                elif lowered == "model_name" and "litellm_params" in mapping:
                    continue  # a LiteLLM alias, not a model
                elif lowered in MODEL_KEYS and isinstance(value, yaml.ScalarNode):
                    yield from self._model_value(path, value, lines, offset, lowered,
                                                 _base_url(mapping))
                elif model_named(lowered) and isinstance(value, (yaml.ScalarNode, yaml.SequenceNode)):
                    # ollama_model: llama3, embedding_models: [bge-m3, ...]
                    items = value.value if isinstance(value, yaml.SequenceNode) else [value]
                    base = _base_url(mapping)
                    for item in items:
                        if isinstance(item, yaml.ScalarNode) and isinstance(item.value, str) \
                                and looks_like_model_reference(item.value):
                            yield self._found(path, item, item.value.strip(), lines, offset,
                                              f"key {key}", "medium",
                                              usage="api" if base else "unknown", base_url=base)
                    if isinstance(value, yaml.SequenceNode):
                        yield from self._node(path, value, child, lines, serving, offset, budget)
                elif isinstance(value, yaml.ScalarNode) and isinstance(value.value, str) \
                        and "model_list:" in value.value and value.style in ("|", ">"):
                    # A ConfigMap (or Helm value) embedding a LiteLLM config as text.
                    inner = value.value
                    yield from self._documents(path, inner, inner.splitlines(), serving,
                                               offset + value.start_mark.line + 1)
                else:
                    yield from self._node(path, value, child, lines, serving, offset, budget)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                yield from self._node(path, item, keys, lines, serving, offset, budget)
        elif isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
            value = node.value.strip()
            if value.startswith("hf://") or re.match(r"https?://(huggingface\.co|hf\.co)/[\w.-]+/[\w.-]+$", value):
                yield self._found(path, node, value, lines, offset, "hub URI", "high")

    def _litellm(self, path, mapping, lines, offset):  # type: ignore[no-untyped-def]
        model = mapping["model"]
        base = mapping.get("api_base")
        base_url = base.value if isinstance(base, yaml.ScalarNode) and str(base.value).startswith("http") else None
        if isinstance(model, yaml.ScalarNode) and looks_like_model_id(str(model.value)):
            yield self._found(path, model, str(model.value).strip(), lines, offset,
                              "litellm model_list", "high", usage="api", base_url=base_url)

    def _command(self, path, value, lines, serving, offset):  # type: ignore[no-untyped-def]
        if isinstance(value, yaml.ScalarNode):
            parts, anchor = [str(value.value)], value
        elif isinstance(value, yaml.SequenceNode):
            parts = [str(v.value) for v in value.value if isinstance(v, yaml.ScalarNode)]
            anchor = value
        else:
            return
        line_text = " ".join(parts)
        for hit in command_hits(line_text, serving_context=serving):
            node = anchor
            if isinstance(value, yaml.SequenceNode):
                node = next((v for v in value.value if isinstance(v, yaml.ScalarNode)
                             and hit.value in str(v.value)), anchor)
            yield self._found(path, node, strip_quotes(hit.value), lines, offset,
                              hit.how, "high", usage=hit.usage)

    def _environment(self, path, value, lines, offset):  # type: ignore[no-untyped-def]
        entries: dict[str, tuple[int, int, str]] = {}
        nodes: dict[str, yaml.Node] = {}
        if isinstance(value, yaml.MappingNode):
            for k, v in value.value:
                if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode):
                    entries[str(k.value)] = (0, 0, str(v.value))
                    nodes[str(k.value)] = v
        else:
            for item in value.value:
                if isinstance(item, yaml.ScalarNode) and "=" in str(item.value):
                    key, _, val = str(item.value).partition("=")
                    entries[key] = (0, 0, val)
                    nodes[key] = item
                elif isinstance(item, yaml.MappingNode):
                    fields = {k.value: v for k, v in item.value if isinstance(k, yaml.ScalarNode)}
                    name, val = fields.get("name"), fields.get("value")
                    if isinstance(name, yaml.ScalarNode) and isinstance(val, yaml.ScalarNode):
                        entries[str(name.value)] = (0, 0, str(val.value))
                        nodes[str(name.value)] = val
        for key, _, _, model, base in pair_settings(entries):
            yield self._found(path, nodes[key], model, lines, offset, f"env {key}", "high",
                              usage="api" if base else "self-hosted" if key.upper() in ("MODEL_ID", "HF_MODEL_ID") else "unknown",
                              base_url=base)

    def _compose_models(self, path, value, lines, offset):  # type: ignore[no-untyped-def]
        for _, spec in value.value:
            target = spec
            if isinstance(spec, yaml.MappingNode):
                target = next((v for k, v in spec.value if isinstance(k, yaml.ScalarNode)
                               and k.value == "model"), None)
            if isinstance(target, yaml.ScalarNode) and looks_like_model_id(str(target.value)):
                yield self._found(path, target, str(target.value), lines, offset,
                                  "compose models", "high")

    def _model_value(self, path, value, lines, offset, key, base_url=None):  # type: ignore[no-untyped-def]
        text = str(value.value).strip()
        if not looks_like_model_id(text):
            return
        specific = "/" in text or ":" in text or any(ch.isdigit() for ch in text)
        if specific or looks_like_model_reference(text):
            yield self._found(path, value, text, lines, offset, f"key {key}",
                              "medium" if looks_like_model_reference(text) else "low",
                              usage="api" if base_url else "unknown", base_url=base_url)

    def _lines(self, path: PurePosixPath, lines: list[str], serving: bool) -> Iterator[FoundReference]:
        for number, raw in enumerate(lines, 1):
            if raw.lstrip().startswith("#"):
                continue
            match = HELM_LINE.match(raw)
            if match and looks_like_model_id(match.group(3)) and (
                    "/" in match.group(3) or ":" in match.group(3)):
                yield FoundReference(id=match.group(3), path=str(path), line=number,
                                     column=match.start(3) + 1, detector=f"{self.name}:template",
                                     confidence="low", text=raw.strip()[:200])
                continue
            for hit in command_hits(raw, serving_context=serving):
                yield FoundReference(id=strip_quotes(hit.value), path=str(path), line=number,
                                     column=hit.column, detector=f"{self.name}:template {hit.how}",
                                     confidence="low", text=raw.strip()[:200], usage=hit.usage)  # type: ignore[arg-type]
