"""JavaScript/TypeScript and JSON app configs: model ids in config objects, enums and constants.

Only two shapes are taken, so arbitrary strings are not mistaken for models: the value of a
model-named key (``model:``, ``modelId:`` ...), and an ``org/name`` slug whose org is a known
OpenRouter vendor prefix (``{ id: 'z-ai/glm-4.5-air' }``, ``GLM = "z-ai/glm-4.5-air:free"``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath

from riskcheck.scan.interface import Detector, FoundReference
from riskcheck.scan.patterns import looks_like_model_id

SUFFIXES = {".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".json", ".jsonc"}
SKIP_NAMES = {"package.json", "package-lock.json", "tsconfig.json", "composer.json",
              "yarn.lock", "pnpm-lock.yaml"}
MODEL_KEY_VALUE = re.compile(
    r"""["']?\b(model|modelId|model_id|modelName|model_name|defaultModel|default_model|"""
    r"""chatModel|embeddingModel)\b["']?\s*[:=]\s*(["'`])([^"'`\s]+)\2""")
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


class JavaScriptDetector(Detector):
    """Model ids in JS/TS sources and JSON configs."""

    name = "javascript"

    def __init__(self, known_prefix: Callable[[str], bool]) -> None:
        self._known_prefix = known_prefix

    def claims(self, path: PurePosixPath) -> bool:
        """JS/TS sources and JSON files (lockfiles and package manifests excluded)."""
        return path.suffix.casefold() in SUFFIXES and path.name.casefold() not in SKIP_NAMES \
            and not path.name.endswith((".min.js", ".d.ts", ".map"))

    def detect(self, path: PurePosixPath, text: str) -> Iterator[FoundReference]:
        """Scan code (comments removed) line by line; minified bundles are not read."""
        if len(text) > 20_000 and len(text) / (text.count("\n") + 1) > 300:
            return  # built or minified output, not configuration
        in_block = False
        for number, raw in enumerate(text.splitlines(), 1):
            code, in_block = strip_comments(raw, in_block)
            taken: set[int] = set()
            for match in MODEL_KEY_VALUE.finditer(code):
                value = match.group(3)
                if looks_like_model_id(value):
                    taken.add(match.start(3))
                    yield self._found(path, number, match.start(3), value, raw, "high",
                                      f"key {match.group(1)}")
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
