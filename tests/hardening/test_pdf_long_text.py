"""PDF: very long text anywhere wraps or is cut with a note, never a LayoutError.

A 2,000-character exception reason made a table row taller than a page; reportlab cannot split
a row and raised LayoutError (exit 70, after -o r.json of the same run was written).
"""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from riskcheck.formats.registry import get_format

FIXTURE = Path(__file__).resolve().parents[1] / "formats" / "conftest.py"

LONG = {
    "words": " ".join(["sanctioned"] * 400),          # 4,399 characters with spaces
    "one_word": "x" * 2500,                           # nothing to break at
    "cjk": "华为技术有限公司" * 300,                    # wide glyphs, no spaces
    "lines": "\n".join(f"line {i}" for i in range(600)),
}


def _report():
    spec = importlib.util.spec_from_file_location("format_fixture_pdf_long", FIXTURE)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module.make_report(6)


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())  # the note may wrap onto a second line


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("kind", sorted(LONG))
def test_long_model_id_listed_name_and_warning_render(kind: str) -> None:
    text = LONG[kind]
    report = _report()
    first = report.models[0]
    matched = next(a for a in report.models if a.matches)
    match = matched.matches[0]
    long_match = replace(match, entity=replace(match.entity, name=text, remarks=text))
    models = list(report.models)
    models[0] = replace(first, resolution=replace(
        first.resolution, ref=replace(first.resolution.ref, id=text[:2000])))
    index = report.models.index(matched)
    models[index] = replace(matched, matches=(long_match, *matched.matches[1:]),
                            findings=tuple(replace(f, match=long_match, summary=text)
                                           if f.match is not None else f
                                           for f in matched.findings))
    report = replace(report, models=tuple(models), warnings=(text, *report.warnings),
                     project=replace(report.project, name=text[:2000]))
    pdf = get_format("pdf").render(report)
    assert pdf.startswith(b"%PDF")
    assert "more characters; the JSON report has the full text" in _text(pdf)


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_cli_exception_reason_of_2500_characters(tmp_path: Path) -> None:
    reason = "approved because " + "x" * 2500
    manifest = tmp_path / "riskcheck.yaml"
    manifest.write_text(f"""version: 1
project:
  name: long-reason
models:
  - id: Qwen/Qwen2.5-7B-Instruct
    usage: self-hosted
exceptions:
  - id: EX-1
    model: Qwen/Qwen2.5-7B-Instruct
    list: 1260H
    name: Alibaba Group Holding Limited
    reason: {reason}
    approver: a@example.com
    created: 2026-01-01
    expires: 2099-12-01
""", encoding="utf-8")
    exe = shutil.which("riskcheck")
    command = [exe] if exe else [sys.executable, "-m", "riskcheck"]
    result = subprocess.run(command + ["check", str(manifest), "--fail-on", "none", "-f", "json",
                                       "-o", "r.json", "--report", "pdf=r.pdf"],
                            capture_output=True, text=True, cwd=tmp_path,
                            env=os.environ.copy(), timeout=120)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr
    assert reason in (tmp_path / "r.json").read_text(encoding="utf-8")
    assert "the JSON report has the full text" in _text((tmp_path / "r.pdf").read_bytes())
