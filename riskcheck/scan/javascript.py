"""JavaScript/TypeScript and JSON app configs: model ids in config objects, enums and constants.

Only two shapes are taken, so arbitrary strings are not mistaken for models: the value of a
model-named key (``model:``, ``modelId:`` ...), and an ``org/name`` slug whose org is a known
OpenRouter vendor prefix (``{ id: 'z-ai/glm-4.5-air' }``, ``GLM = "z-ai/glm-4.5-air:free"``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath

from riskcheck.scan.cyclonedx import CycloneDxDetector
from riskcheck.scan.interface import Detector, FoundReference
from riskcheck.scan.patterns import looks_like_model_id, looks_like_model_reference, model_named

SUFFIXES = {".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".json", ".jsonc"}
SKIP_NAMES = {"package.json", "package-lock.json", "tsconfig.json", "composer.json",
              "yarn.lock", "pnpm-lock.yaml"}
MODEL_KEY_VALUE = re.compile(
    r"""["']?\b(model|modelId|model_id|modelName|model_name|defaultModel|default_model|"""
    r"""chatModel|embeddingModel)\b["']?\s*[:=]\s*(["'`])([^"'`\s]+)\2""")
ENV_DEFAULT = re.compile(r"""(?:import\.meta\.env|process\.env)\.([A-Za-z_][\w]*)\s*(?:\|\||\?\?)\s*"""
                         r"""(["'`])([^"'`\s]+)\2""")
NAMED_VALUE = re.compile(r"""["']?\b([A-Za-z_$][\w$]*)\b["']?\s*[:=]\s*(["'`])([^"'`\s]+)\2""")
DATA_DIRS = {"data", "datasets", "fixtures", "results", "outputs", "output", "logs", "locales",
             "_locales", "locale", "i18n", "lang", "langs", "translations", "benchmark_results",
             "runs", "responses", "snapshots", "__snapshots__", "mocks", "__mocks__"}
RESPONSE_KEYS = {"choices", "usage", "created", "object", "system_fingerprint", "candidates",
                 "usageMetadata", "stop_reason", "messages", "conversation", "answer", "output"}
SLUG = re.compile(r"""(["'`])([a-z0-9][a-z0-9._-]*)/([A-Za-z0-9][\w.+-]*(?::[a-z]+)?)\1""")


def strip_comments(line: str, in_block: bool) -> tuple[str, bool]:
    """``line`` without ``//`` and ``/* */`` comments (quotes respected); block state carried."""
    out, i, quote = [], 0, ""
    while i < len(line):
        pair = line[i:i + 2]
        if in_block:
            if pair == "*/":
                in_block, i = False, i + 2
            else:
                i += 1
            continue
        char = line[i]
        if quote:
            out.append(char)
            if char == "\\" and i + 1 < len(line):
                out.append(line[i + 1])
                i += 2
                continue
            if char == quote:
                quote = ""
        elif char in "\"'`":
            quote = char
            out.append(char)
        elif pair == "//":
            break
        elif pair == "/*":
            in_block, i = True, i + 2
            continue
        else:
            out.append(char)
        i += 1
    return "".join(out), in_block


def json_is_configuration(path: PurePosixPath, text: str) -> bool:
    """JSON is read as configuration unless its place or shape says data: files under data,
    output, locale or fixture folders; a top-level array (records); an object shaped like an
    API response or a chat transcript (``choices``, ``usage``, ``messages`` ...)."""
    if DATA_DIRS.intersection(part.casefold() for part in path.parts[:-1]):
        return False
    if path.suffix.casefold() == ".jsonc":
        return True
    try:
        data = json.loads(text)
    except ValueError:
        return True  # not JSON after all (a template): read it line by line
    if isinstance(data, list):
        return False
    if isinstance(data, dict):
        return len(RESPONSE_KEYS.intersection(data)) < 2 and "cells" not in data
    return False


class JavaScriptDetector(Detector):
    """Model ids in JS/TS sources and JSON configs."""

    name = "javascript"

    def __init__(self, known_prefix: Callable[[str], bool]) -> None:
        self._known_prefix = known_prefix

    def claims(self, path: PurePosixPath) -> bool:
        """JS/TS sources and JSON files (lockfiles, package manifests and CycloneDX BOMs
        excluded: a BOM's lineage and alternatives are not models the project calls)."""
        return path.suffix.casefold() in SUFFIXES and path.name.casefold() not in SKIP_NAMES \
            and not path.name.endswith((".min.js", ".d.ts", ".map")) \
            and not CycloneDxDetector().claims(path)

    def detect(self, path: PurePosixPath, text: str) -> Iterator[FoundReference]:
        """Scan code (comments removed) line by line; minified bundles are not read, and JSON
        only when its structure says configuration."""
        if len(text) > 20_000 and len(text) / (text.count("\n") + 1) > 300:
            return  # built or minified output, not configuration
        if path.suffix.casefold() in (".json", ".jsonc") and not json_is_configuration(path, text):
            return
        in_block = False
        for number, raw in enumerate(text.splitlines(), 1):
            code, in_block = strip_comments(raw, in_block)
            taken: set[int] = set()
            for match in MODEL_KEY_VALUE.finditer(code):
                value = match.group(3)
                if looks_like_model_id(value):
                    taken.add(match.start(3))
                    # A label under a model key ("Model ID") is not a model: only values that
                    # look like one are reported with confidence.
                    strong = looks_like_model_reference(value)
                    yield self._found(path, number, match.start(3), value, raw,
                                      "high" if strong else "low", f"key {match.group(1)}")
            for match in ENV_DEFAULT.finditer(code):
                # import.meta.env.VITE_MODEL || "default", process.env.LLM_MODEL ?? "default"
                if match.start(3) not in taken and model_named(match.group(1)) \
                        and looks_like_model_reference(match.group(3)):
                    taken.add(match.start(3))
                    yield self._found(path, number, match.start(3), match.group(3), raw, "medium",
                                      f"default of {match.group(1)}")
            for match in NAMED_VALUE.finditer(code):
                if match.start(3) not in taken and model_named(match.group(1)) \
                        and looks_like_model_reference(match.group(3)):
                    taken.add(match.start(3))
                    yield self._found(path, number, match.start(3), match.group(3), raw, "medium",
                                      f"name {match.group(1)}")
            for match in SLUG.finditer(code):
                if match.start(2) in taken or not self._known_prefix(match.group(2)):
                    continue
                value = f"{match.group(2)}/{match.group(3)}"
                if looks_like_model_id(value):
                    yield self._found(path, number, match.start(2), value, raw, "medium",
                                      "vendor slug")

    def _found(self, path: PurePosixPath, line: int, start: int, value: str, raw: str,
               confidence: str, how: str) -> FoundReference:
        return FoundReference(id=value, path=str(path), line=line, column=start + 1,
                              detector=f"{self.name}:{how}", confidence=confidence,  # type: ignore[arg-type]
                              text=raw.strip()[:200], usage="unknown")
