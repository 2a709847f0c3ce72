"""Scan results as JSON data and as a manifest draft for ``riskcheck init``."""

from __future__ import annotations

from typing import Any

from riskcheck.scan.interface import FoundReference
from riskcheck.scan.scanner import ScanResult
from riskcheck.local_hosts import is_local_base_url, local_base_url_note

SCAN_SCHEMA_VERSION = "1.0"


def scan_to_dict(result: ScanResult) -> dict[str, Any]:
    """Stable, versioned JSON form of a scan."""
    return {
        "schema_version": SCAN_SCHEMA_VERSION,
        "root": result.root,
        "files_scanned": result.files_scanned,
        "references": [
            {
                "id": ref.id,
                "path": ref.path,
                "line": ref.line,
                "column": ref.column,
                "detector": ref.detector,
                "confidence": ref.confidence,
                "usage": ref.usage,
                "base_url": ref.base_url,
                "provider": ref.provider,
                "text": ref.text,
            }
            for ref in result.references
        ],
        "skipped": [{"path": s.path, "reason": s.reason} for s in result.skipped],
    }


def unique_models(references: tuple[FoundReference, ...]) -> list[FoundReference]:
    """One entry per distinct (id, base URL), at its first location."""
    seen: dict[tuple[str, str], FoundReference] = {}
    for ref in references:
        seen.setdefault((ref.id.casefold(), (ref.base_url or "").casefold()), ref)
    return list(seen.values())


_YAML_BREAKS = {0x85: "\\x85", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def _quote(value: str) -> str:
    """A double-quoted YAML scalar holding exactly ``value``.

    JSON's escapes are YAML's; the line breaks YAML knows beyond JSON's (NEL, U+2028, U+2029)
    are escaped too, so no value can end its line.
    """
    import json

    return json.dumps(value, ensure_ascii=False).translate(_YAML_BREAKS)


def _comment(text: str) -> str:
    """Text for a YAML comment: on one line whatever it holds (file names come from the repo)."""
    from riskcheck.terminal import terminal_safe

    return terminal_safe(text, one_line=True).replace("\x85", " ")


def manifest_draft(result: ScanResult, project_name: str) -> str:
    """A ``riskcheck.yaml`` listing every model found, with where it was found, for review."""
    lines = [
        "# riskcheck manifest drafted by 'riskcheck init' from a scan of the repository.",
        "# Review it: set criticality, fix usage, and remove anything that is not really used.",
        "version: 1",
        "project:",
        f"  name: {_quote(project_name)}",
        "policy:",
        "  fail_on: high",
        "models:",
    ]
    screened, low = screened_and_low(result.references)
    for ref in screened:
        lines.append("  # " + _comment(f"found in {ref.path}:{ref.line} by {ref.detector} "
                                       f"({ref.confidence} confidence)"))
        lines.append(f"  - id: {_quote(ref.id)}")
        if ref.base_url and is_local_base_url(ref.base_url):
            lines.append(f"    # {_comment(local_base_url_note(ref.base_url))}")
            lines.append("    usage: self-hosted")
            lines.append(f"    base_url: {_quote(ref.base_url)}")
        elif ref.base_url:
            lines.append("    usage: api")
            lines.append(f"    base_url: {_quote(ref.base_url)}")
        elif ref.provider:
            lines.append("    usage: api")
            lines.append(f"    provider: {_quote(ref.provider)}")
        elif ref.usage in ("self-hosted", "api"):
            lines.append(f"    usage: {ref.usage}")
        lines.append("    criticality: medium")
    if low:
        lines.append("  # Low confidence, not added (check them; add the ones really used):")
        for ref in low:
            lines.append("  # " + _comment(f"- {ref.id} ({ref.path}:{ref.line}, {ref.detector})"))
    if not screened:
        lines[lines.index("models:")] = ("models: []  # the scan found no model references to "
                                         "screen; add them by hand")
    return "\n".join(lines) + "\n"


def screened_and_low(references: tuple[FoundReference, ...]) -> tuple[list[FoundReference], list[FoundReference]]:
    """Unique models to screen (high and medium confidence), and the low-confidence ones that
    are listed for review but not screened."""
    screened = unique_models(tuple(r for r in references if r.confidence != "low"))
    kept = {r.id.casefold() for r in screened}
    low = [r for r in unique_models(tuple(r for r in references if r.confidence == "low"))
           if r.id.casefold() not in kept]
    return screened, low


def _where(references: list[FoundReference], limit: int = 5) -> str:
    shown = ", ".join(f"{r.id} ({r.path}:{r.line})" for r in references[:limit])
    return shown + (f" and {len(references) - limit} more" if len(references) > limit else "")


def low_confidence_note(low: list[FoundReference]) -> str:
    """The note listing references found but not screened."""
    return (f"not screened, low confidence (review and declare the real ones in riskcheck.yaml): "
            f"{_where(low)}")


def nothing_to_screen(root: str, low: list[FoundReference], docs: list[FoundReference]) -> str:
    """Why a directory without manifest has nothing to screen, saying what was found where."""
    if not low and not docs:
        return "directory has no riskcheck.yaml and its code names no models"
    parts = ["directory has no riskcheck.yaml and no model reference in its code is certain "
             "enough to screen"]
    if low:
        parts.append(f"low-confidence references in the code: {_where(low)}")
    if docs:
        parts.append(f"models named in its documentation: {_where(docs)}")
    return "; ".join(parts)
