"""File names that are not UTF-8 reach every output as U+FFFD, never as an error or bad bytes.

Python decodes such a name with surrogate escapes (b"\\xff" becomes "\\udcff"), which UTF-8
cannot encode: writing JSON or SARIF with -o raised UnicodeEncodeError (exit 70) and the
same on stdout produced invalid UTF-8.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from riskcheck.formats.sarif import _uri

CODE = ('from transformers import AutoModel\n'
        'AutoModel.from_pretrained("deepseek-ai/DeepSeek-V3")\n')


def command() -> list[str]:
    exe = shutil.which("riskcheck")
    return [exe] if exe else [sys.executable, "-m", "riskcheck"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(command() + list(args), capture_output=True, cwd=cwd,
                          env=os.environ.copy(), timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    folder = os.path.join(os.fsencode(root), b"d\xff\xfe")
    os.makedirs(folder)
    with open(os.path.join(folder, b"x\xe9.py"), "w", encoding="utf-8") as handle:
        handle.write(CODE)
    return root


def _valid(data: bytes, what: str) -> str:
    text = data.decode("utf-8")  # strict: raises on the raw bytes of the name
    # SARIF gives the file as a URI, where U+FFFD is percent-encoded.
    assert "\ufffd" in text or "%EF%BF%BD" in text, f"{what}: the file name is missing"
    return text


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("format_name", ["json", "sarif", "markdown", "csv", "table", "pdf"])
def test_check_writes_every_format_as_utf8(project: Path, format_name: str) -> None:
    out = project.parent / f"out.{format_name}"
    to_file = run("check", str(project), "-f", format_name, "-o", str(out), cwd=project.parent)
    assert to_file.returncode in (0, 1), to_file.stderr.decode("utf-8", "replace")
    assert to_file.stderr.decode("utf-8").count("error") == 0
    if format_name == "pdf":
        assert out.read_bytes().startswith(b"%PDF")
        return
    written = _valid(out.read_bytes(), f"-o {format_name}")
    to_stdout = run("check", str(project), "-f", format_name, cwd=project.parent)
    assert to_stdout.returncode == to_file.returncode
    shown = _valid(to_stdout.stdout, f"stdout {format_name}")
    if format_name in ("json", "sarif"):
        json.loads(written)
        json.loads(shown)


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_sarif_location_of_such_a_file_is_a_valid_uri(project: Path) -> None:
    out = project.parent / "r.sarif"
    result = run("check", str(project), "-f", "sarif", "-o", str(out), cwd=project.parent)
    assert result.returncode in (0, 1), result.stderr
    uris = [loc["physicalLocation"]["artifactLocation"]["uri"]
            for run_ in json.loads(out.read_bytes())["runs"] for r in run_["results"]
            for loc in r["locations"]]
    assert "d%EF%BF%BD%EF%BF%BD/x%EF%BF%BD.py" in uris


def test_uri_of_a_surrogate_escaped_path() -> None:
    assert _uri("d\udcff/x.py")["uri"] == "d%EF%BF%BD/x.py"
    assert _uri("/abs/\ud800.py")["uri"] == "file:///abs/%EF%BF%BD.py"


@pytest.mark.parametrize("args", [["scan"], ["scan", "-f", "json"], ["init", "-o", "-"]])
def test_scan_and_init_print_utf8(project: Path, args: list[str]) -> None:
    result = run(*args[:1], str(project), *args[1:], cwd=project.parent)
    assert result.returncode == 0, result.stderr
    _valid(result.stdout, " ".join(args))


def test_error_naming_such_a_path_is_utf8(tmp_path: Path) -> None:
    missing = os.path.join(os.fsencode(tmp_path), b"n\xffo.yaml")
    result = subprocess.run([*map(os.fsencode, command()), b"check", missing],
                            capture_output=True, env=os.environ.copy(), timeout=120)
    assert result.returncode == 2
    line = _valid(result.stderr, "stderr")
    assert line.startswith("riskcheck: error:") and "not found" in line
