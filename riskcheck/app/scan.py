"""The scan use cases: the model references a checkout names (``scan``), and a manifest drafted
from them (``init``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from riskcheck.progress import NULL_PROGRESS, Progress


def scan(path: Path, *, include_docs: bool = False, progress: Progress = NULL_PROGRESS) -> Any:
    """Every model reference in ``path``'s code and configuration, with file:line (a
    :class:`riskcheck.scan.interface.ScanResult`)."""
    from riskcheck.scan import scan_tree

    return scan_tree(path, include_docs=include_docs, progress=progress)


def manifest_draft(result: Any, project_name: str, *, as_json: bool = False) -> str:
    """A riskcheck.yaml (or its JSON form) listing the models ``result`` found, for review."""
    from riskcheck.scan.render import manifest_draft as draft

    text = draft(result, project_name)
    if as_json:
        import json

        from riskcheck.yamlio import load_yaml

        data, _ = load_yaml(text, "riskcheck.yaml")
        text = json.dumps(data, indent=2, ensure_ascii=False)
    return text


__all__ = ["manifest_draft", "scan"]
