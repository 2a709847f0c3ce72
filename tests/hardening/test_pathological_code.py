"""A scanned Python file that CPython cannot parse (10 KB of ``x = ----...-1``, thousands of
nested brackets) is skipped with a warning naming it; the run completes and writes its outputs.

It used to raise MemoryError out of ``ast.parse``: exit 70 and no SARIF or Markdown written.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest

from riskcheck.scan.interface import DetectorError
from riskcheck.scan.python_code import PythonDetector

# Each names a model-loading call in a comment, so the scanner does not skip it as a file
# without model references and has to parse it.
_CALL = "# AutoModel.from_pretrained(model)\n"
PATHOLOGICAL = {
    "minus.py": _CALL + "x = " + "-" * 10_000 + "1\n",
    "brackets.py": _CALL + "x = " + "[" * 5_000 + "]" * 5_000 + "\n",
    "parens.py": _CALL + "x = " + "(" * 3_000 + "1" + ")" * 3_000 + "\n",
    "calls.py": _CALL + "x = " + "f(" * 3_000 + ")" * 3_000 + "\n",
}
MANIFEST = """version: 1
project:
  name: pathological
models:
  - id: BAAI/bge-small-en-v1.5
    usage: self-hosted
"""
GOOD = ('from transformers import AutoModel\n'
        'AutoModel.from_pretrained("BAAI/bge-small-en-v1.5")\n'
        'AutoModel.from_pretrained("mistralai/Mistral-7B-v0.1")\n')


def command() -> list[str]:
    exe = shutil.which("riskcheck")
    return [exe] if exe else [sys.executable, "-m", "riskcheck"]


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_detector_reports_a_file_it_cannot_parse(name: str) -> None:
    detector = PythonDetector()
    with pytest.raises(DetectorError, match="nested too deeply|syntax error"):
        list(detector.detect(PurePosixPath(name), PATHOLOGICAL[name]))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "riskcheck.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "app.py").write_text(GOOD, encoding="utf-8")
    for name, text in PATHOLOGICAL.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_check_skips_them_with_a_warning_and_writes_every_output(project: Path) -> None:
    out = project.parent
    result = subprocess.run(command() + ["check", str(project), "-f", "json", "-o", "r.json",
                                         "--report", "sarif=r.sarif", "--report", "markdown=r.md"],
                            capture_output=True, text=True, cwd=out, env=os.environ.copy(),
                            timeout=180)
    assert result.returncode in (0, 1), result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    report = json.loads((out / "r.json").read_text(encoding="utf-8"))
    warning = next(w for w in report["warnings"] if "not scanned" in w)
    for name in PATHOLOGICAL:
        assert name in warning, warning
    # The rest of the code was still scanned: the undeclared model is found.
    assert any(u["id"] == "mistralai/Mistral-7B-v0.1" for u in report["undeclared"])
    assert json.loads((out / "r.sarif").read_text(encoding="utf-8"))["runs"]
    assert "minus.py" in (out / "r.md").read_text(encoding="utf-8")


def test_scan_lists_them_as_skipped(project: Path) -> None:
    result = subprocess.run(command() + ["scan", str(project), "-f", "json"], capture_output=True,
                            text=True, env=os.environ.copy(), timeout=180)
    assert result.returncode == 0, result.stderr
    skipped = {item["path"]: item["reason"] for item in json.loads(result.stdout)["skipped"]}
    assert set(PATHOLOGICAL) <= set(skipped), skipped
