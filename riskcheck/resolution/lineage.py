"""Lineage: which vendors' weights a model is built from, read from names and ``lists/lineage.yaml``.

Three sources, strongest first: the Hugging Face Hub's ``base_model`` metadata (``hub.py``),
the curated derivatives and aliases of ``lists/lineage.yaml`` (:class:`Lineage`), and the
model name itself: re-upload suffixes (``-GGUF``, ``-AWQ``, ``-bnb-4bit``, ``-Q4_K_M`` ...) are
stripped by :func:`strip_variant_suffixes`, and every model family the registry recognises in
what remains is a vendor the model may inherit from (``DeepSeek-R1-Distill-Llama-8B`` names
DeepSeek and Llama). :func:`relation_hint` reads how (distillation, merge, adapter, fine-tune).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


from riskcheck.errors import DataError
from riskcheck.resolution.name_patterns import NamePattern

RELATIONS = ("finetune", "quantized", "adapter", "merge", "distilled-from", "reupload")

_SEP = r"[-_.]"
# Suffixes that re-uploaders append to the original name; applied repeatedly from the end, so
# "Qwen2.5-7B-Instruct-abliterated-i1-GGUF" loses "-GGUF" then "-i1" (not "-abliterated").
_VARIANT_SUFFIXES = tuple(NamePattern(_SEP + pattern + "$") for pattern in (
    r"i1", r"imatrix", r"GGUFs?", r"GGML", r"GPTQ(?:[-_]Int[2348])?(?:[-_]\d+g)?",
    r"AWQ(?:[-_]INT4)?", r"EXL[23](?:[-_][\d.]+bpw)?", r"[\d.]+bpw(?:[-_]h\d+)?(?:[-_]exl[23])?",
    r"HQQ(?:[-_]\d+bit)?", r"(?:unsloth[-_])?bnb[-_]\d+bit", r"\d+[-_]?bits?", r"MLX",
    r"I?Q\d(?:_[A-Z0-9]+)*", r"(?:F|FP|BF)(?:8|16|32)(?:[-_](?:dynamic|KV|block))?",
    r"int[48](?:[-_]ov)?", r"W\d+A\d+(?:[-_]G\d+)?", r"quantized\.w\d+a\d+", r"NF4", r"dynamic",
    r"ONNX", r"ov", r"OpenVINO", r"MLC", r"q\d+f\d+(?:_\d)?", r"ct2", r"ctranslate2",
    r"llamafile", r"marlin", r"unsloth", r"safetensors", r"quantized",
)) + (NamePattern(r"(?<=instruct)[-_]Turbo$"),)  # Together's FP8 serving copies
_DISTILL = NamePattern(r"distill")
_MERGE = NamePattern(r"merge|slerp|chimera|frankenmerge|dare[-_]ties|(?:^|[-_])ties(?:$|[-_])")
_ADAPTER = NamePattern(r"(?:^|[-_.])(?:q?lora|adapter|peft)(?:$|[-_.])")


@dataclass(frozen=True)
class StrippedName:
    """A model name without re-upload suffixes, and the suffixes that were removed."""

    base: str
    removed: tuple[str, ...] = ()

    @property
    def quantized(self) -> bool:
        """True when a removed suffix names a quantisation or conversion format."""
        return bool(self.removed)


def strip_variant_suffixes(name: str) -> StrippedName:
    """Remove quantisation/conversion suffixes from the end of a model name, repeatedly."""
    base = name.strip()
    removed: list[str] = []
    changed = True
    while changed and base:
        changed = False
        for pattern in _VARIANT_SUFFIXES:
            found = pattern.search(base)
            if found and found.start() > 0:
                removed.insert(0, base[found.start() + 1:])
                base = base[: found.start()]
                changed = True
                break
    return StrippedName(base or name, tuple(removed))


def relation_hint(name: str) -> str:
    """How a model whose name mentions another vendor's family derives from it."""
    if _DISTILL.search(name):
        return "distilled-from"
    if _MERGE.search(name):
        return "merge"
    if _ADAPTER.search(name):
        return "adapter"
    return "finetune"


@dataclass(frozen=True)
class Derivative:
    """A curated derived model: its upstream models and how it was derived from them."""

    id: str
    relation: str
    upstream: tuple[str, ...]
    citation: str


@dataclass(frozen=True)
class LineageStep:
    """One edge of a model's ancestry: ``model`` derives from ``upstream`` by ``relation``."""

    model: str
    upstream: str
    relation: str
    source: str
    """``lineage.yaml`` or ``hub`` (who said so)."""


class Lineage:
    """The curated lineage of ``lists/lineage.yaml``, indexed for the resolver."""

    def __init__(self, derivatives: tuple[Derivative, ...], aliases: dict[str, dict[str, str]],
                 namespaces: tuple[tuple[re.Pattern[str], str], ...]) -> None:
        self._derivatives = {d.id.casefold(): d for d in derivatives}
        self._aliases = aliases
        self._namespaces = namespaces
        # Every model id the file knows, by repository name alone, to recognise re-uploads
        # (``bartowski/DeepSeek-R1-Distill-Qwen-32B-GGUF``) under another org.
        known = [d.id for d in derivatives] + [u for d in derivatives for u in d.upstream]
        known += [i for table in aliases.values() for i in table.values()]
        self._by_name: dict[str, str] = {}
        for model_id in known:
            self._by_name.setdefault(model_id.split("/", 1)[-1].casefold(), model_id)

    def derivative(self, model_id: str) -> Derivative | None:
        """The curated entry for a Hugging Face id (case-insensitive)."""
        return self._derivatives.get(model_id.casefold())

    def ancestry(self, model_id: str, max_depth: int = 6) -> tuple[LineageStep, ...]:
        """Every upstream edge reachable from ``model_id``, nearest first, each model once."""
        steps: list[LineageStep] = []
        seen = {model_id.casefold()}
        frontier = [model_id]
        for _ in range(max_depth):
            following: list[str] = []
            for current in frontier:
                entry = self.derivative(current)
                for upstream in entry.upstream if entry else ():
                    if upstream.casefold() in seen:
                        continue
                    seen.add(upstream.casefold())
                    steps.append(LineageStep(current, upstream, entry.relation, "lineage.yaml"))
                    following.append(upstream)
            frontier = following
        return tuple(steps)

    def known_id_for_name(self, name: str) -> str | None:
        """The known model id whose repository name is ``name`` (case-insensitive)."""
        return self._by_name.get(name.casefold())

    def known_names(self) -> tuple[str, ...]:
        """Every alias key and known model id (for did-you-mean suggestions)."""
        keys = [key for table in self._aliases.values() for key in table]
        return tuple(dict.fromkeys([*keys, *(i for t in self._aliases.values()
                                               for i in t.values()), *self._by_name.values()]))

    def alias(self, kind: str, key: str) -> str | None:
        """The HF id an alias stands for; ``kind`` is ``name``, ``ollama`` or ``openrouter``."""
        return self._aliases.get(kind, {}).get(key.casefold())

    def namespace_for(self, bare_name: str) -> str | None:
        """The org a library puts before ``bare_name`` (sentence-transformers short names)."""
        for pattern, org in self._namespaces:
            if pattern.match(bare_name):
                return org
        return None


def load_lineage(path: Path | None = None) -> Lineage:
    """Load ``lists/lineage.yaml`` (or ``path``); raises :class:`DataError` on a malformed file."""
    if path is None:
        return _load_default()
    return _load(Path(path))


@functools.lru_cache(maxsize=1)
def _load_default() -> Lineage:
    from riskcheck.data import lists_dir

    return _load(lists_dir() / "lineage.yaml")


def _load(path: Path) -> Lineage:
    from riskcheck.data import read_yaml

    doc = read_yaml(path) or {}
    if not isinstance(doc, dict):
        raise DataError(f"{path}: top level must be a mapping", hint="see the header comment")
    derivatives = tuple(_derivative(item, path, i)
                        for i, item in enumerate(doc.get("derivatives") or ()))
    aliases: dict[str, dict[str, str]] = {"name": {}, "ollama": {}, "openrouter": {}}
    for i, item in enumerate(doc.get("aliases") or ()):
        keys = [k for k in aliases if isinstance(item, dict) and k in item]
        if len(keys) != 1 or not isinstance(item.get("id"), str) or "/" not in item["id"]:
            raise DataError(f"{path}: aliases[{i}] needs exactly one of name/ollama/openrouter "
                            "and an org/name id", hint="see the header comment")
        _require_citation(item, path, f"aliases[{i}]")
        aliases[keys[0]][str(item[keys[0]]).casefold()] = item["id"]
    namespaces = []
    for i, item in enumerate(doc.get("namespaces") or ()):
        if not isinstance(item, dict) or not item.get("pattern") or not item.get("org"):
            raise DataError(f"{path}: namespaces[{i}] needs pattern and org",
                            hint="see the header comment")
        _require_citation(item, path, f"namespaces[{i}]")
        try:
            namespaces.append((re.compile(item["pattern"]), str(item["org"])))
        except re.error as exc:
            raise DataError(f"{path}: namespaces[{i}].pattern: {exc}",
                            hint="fix the regular expression") from None
    return Lineage(derivatives, aliases, tuple(namespaces))


def _derivative(item: Any, path: Path, index: int) -> Derivative:
    where = f"derivatives[{index}]"
    if not isinstance(item, dict):
        raise DataError(f"{path}: {where} must be a mapping", hint="see the header comment")
    model_id, relation, upstream = item.get("id"), item.get("relation"), item.get("upstream")
    if not isinstance(model_id, str) or "/" not in model_id:
        raise DataError(f"{path}: {where}.id must be an org/name id", hint="fix the entry")
    if relation not in RELATIONS:
        raise DataError(f"{path}: {where}.relation must be one of {', '.join(RELATIONS)}",
                        hint="fix the entry")
    if (not isinstance(upstream, list) or not upstream
            or not all(isinstance(u, str) and "/" in u for u in upstream)):
        raise DataError(f"{path}: {where}.upstream must list org/name ids", hint="fix the entry")
    _require_citation(item, path, where)
    return Derivative(model_id, relation, tuple(upstream), item["citation"])


def _require_citation(item: dict[str, Any], path: Path, where: str) -> None:
    if not str(item.get("citation", "")).startswith("https://") or not item.get("as_of"):
        raise DataError(f"{path}: {where} needs an https citation and as_of",
                        hint="every lineage fact must name its public source")
