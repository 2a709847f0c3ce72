"""``riskcheck scan`` output: every model reference with file:line (table or JSON)."""

from __future__ import annotations

import json
from typing import Any

from riskcheck.formats.console import render, table


def render_scan(result: Any, format_name: str, width: int) -> str:
    """A :class:`riskcheck.scan.interface.ScanResult` in ``format_name``."""
    from riskcheck.local_hosts import is_local_base_url
    from riskcheck.scan.render import scan_to_dict

    if format_name == "json":
        return json.dumps(scan_to_dict(result), indent=2, ensure_ascii=False)
    rows = []
    for ref in result.references:
        usage = ref.usage if not ref.base_url else (
            f"self-hosted ({ref.base_url})" if is_local_base_url(ref.base_url)
            else f"api ({ref.base_url})")
        rows.append([f"{ref.path}:{ref.line}:{ref.column}", ref.id, usage, ref.detector,
                     ref.confidence])
    parts: list[Any] = [table(["Location", "Model", "Usage", "Detector", "Confidence"], rows,
                              width=width, title=f"Model references in {result.root}",
                              identifiers=["Location", "Model"]),
                        f"{len(result.references)} references in {result.files_scanned} files "
                        "read"]
    parts += [f"skipped {skipped.path}: {skipped.reason}" for skipped in result.skipped]
    return render(*parts, width=width)
