"""CycloneDX ML-BOM JSON: components of type ``machine-learning-model``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from riskcheck.scan.interface import Detector, DetectorError, FoundReference
from riskcheck.scan.patterns import looks_like_model_id


def _model_id(component: dict[str, Any]) -> str | None:
    purl = str(component.get("purl") or "")
    if purl.startswith("pkg:huggingface/"):
        return purl[len("pkg:huggingface/"):].split("@", 1)[0].split("?", 1)[0]
    name = str(component.get("name") or "").strip()
    group = str(component.get("group") or "").strip()
    if group and "/" not in name:
        return f"{group}/{name}"
    return name or None


def _components(items: Any) -> Iterator[dict[str, Any]]:
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            yield item
            yield from _components(item.get("components"))


class CycloneDxDetector(Detector):
    """Models declared in a CycloneDX BOM (spec 1.5+)."""

    name = "cyclonedx"

    def claims(self, path: PurePosixPath) -> bool:
        """``*.cdx.json``, ``bom.json``, ``*.bom.json``, ``sbom.json``, ``*aibom*.json``."""
        name = path.name.casefold()
        return name.endswith((".cdx.json", ".bom.json")) or name in ("bom.json", "sbom.json") \
            or (name.endswith(".json") and ("aibom" in name or "mlbom" in name))

    def detect(self, path: PurePosixPath, text: str) -> Iterator[FoundReference]:
        """Read the BOM and locate each model component's name in the text."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DetectorError(f"invalid JSON on line {exc.lineno}") from None
        if not isinstance(data, dict) or data.get("bomFormat") != "CycloneDX":
            return
        lines = text.splitlines()
        for component in _components(data.get("components")):
            if component.get("type") != "machine-learning-model":
                continue
            model = _model_id(component)
            if not model or not looks_like_model_id(model):
                continue
            needle = str(component.get("purl") or component.get("name") or model)
            line = next((i for i, text_line in enumerate(lines, 1) if needle in text_line), 1)
            column = max(lines[line - 1].find(needle), 0) + 1 if lines else 1
            yield FoundReference(id=model, path=str(path), line=line, column=column,
                                 detector=self.name, confidence="high",
                                 text=lines[line - 1].strip()[:200] if lines else "",
                                 usage="self-hosted")
