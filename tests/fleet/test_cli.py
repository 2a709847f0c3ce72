"""`riskcheck fleet` in a subprocess: exit codes, one-line errors, every format."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fleet.conftest import FLEET, write_result

HOSTILE = '<img src=x onerror=alert(1)>|`**x**`'


def riskcheck(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskcheck", *args], capture_output=True,
                          text=True, env=os.environ.copy(), timeout=300)


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("riskcheck: error: ")
    return lines[0]


def test_folder_of_results_exits_1_when_a_project_fails(fleet_results) -> None:
    folder, _ = fleet_results
    result = riskcheck("fleet", str(folder), "-f", "json")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == "1.0"
    assert data["summary"]["failing_projects"] == ["gigachat-support"]
    assert data["summary"]["projects"] == 5


def test_passing_projects_exit_0(fleet_results) -> None:
    folder, _ = fleet_results
    result = riskcheck("fleet", str(folder / "qwen-chat.json"),
                       str(folder / "llama-assistant.json"))
    assert result.returncode == 0, result.stderr
    assert "Fleet: 2 projects" in result.stdout


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_checkouts_are_checked_now() -> None:
    result = riskcheck("fleet", str(FLEET / "llama-assistant"),
                       str(FLEET / "qwen-chat" / "riskcheck.yaml"), "--bundled", "--offline",
                       "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert sorted(p["name"] for p in data["projects"]) == ["llama-assistant", "qwen-chat"]
    assert all("bundled" in p["flags"] for p in data["projects"])


def test_since_reports_changes(fleet_results, tmp_path: Path) -> None:
    folder, _ = fleet_results
    previous = tmp_path / "previous.json"
    riskcheck("fleet", str(folder / "qwen-chat.json"), "-f", "json", "-o", str(previous))
    result = riskcheck("fleet", str(folder / "qwen-chat.json"), str(folder / "baai-search.json"),
                       "--since", str(previous), "-f", "json")
    items = json.loads(result.stdout)["changes"]["items"]
    assert {"kind": "project-added", "project": "baai-search", "model": "", "detail": "",
            "before": "", "after": "medium"} in items


@pytest.mark.parametrize("make, expected", [
    (lambda d: d / "missing.json", "missing.json: no such file or folder"),
    (lambda d: (d / "bad.json").write_text("{", encoding="utf-8") and d / "bad.json",
     "bad.json:1:2: not JSON"),
    (lambda d: write_result(d / "other.json", {"schema_version": "1.0"}), "other.json: invalid"),
    (lambda d: d / "nowhere", "nowhere: no such file or folder"),
])
def test_bad_input_is_one_line_naming_the_file(tmp_path: Path, make, expected: str) -> None:
    result = riskcheck("fleet", str(make(tmp_path)))
    assert result.returncode == 2
    assert expected in one_error_line(result)


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_bad_since_and_options_are_usage_errors(fleet_results, tmp_path: Path) -> None:
    folder, _ = fleet_results
    not_fleet = folder / "qwen-chat.json"
    assert "not a riskcheck fleet result" in one_error_line(
        riskcheck("fleet", str(folder), "--since", str(not_fleet)))
    assert "--level" in one_error_line(riskcheck("fleet", str(folder), "--level", "severe"))
    assert "unknown format" in one_error_line(riskcheck("fleet", str(folder), "-f", "sarif"))
    for result in (riskcheck("fleet", str(folder), "--since", str(not_fleet)),
                   riskcheck("fleet", str(folder), "-f", "xml")):
        assert result.returncode == 2


def _hostile_folder(fleet_results, tmp_path: Path) -> Path:
    _, results = fleet_results
    data = copy.deepcopy(results["gigachat-support"])
    data["project"]["name"] = HOSTILE
    data["models"][0]["ref"]["id"] = "=HYPERLINK(\"http://x\")"
    write_result(tmp_path / "hostile.json", data)
    return tmp_path


def test_markdown_and_csv_keep_hostile_values_inert(fleet_results, tmp_path: Path) -> None:
    folder = _hostile_folder(fleet_results, tmp_path)
    markdown = riskcheck("fleet", str(folder), "-f", "markdown").stdout
    assert "<img" not in markdown and "&lt;img" in markdown
    assert "`**x**`" not in markdown
    rows = list(csv.reader(io.StringIO(riskcheck("fleet", str(folder), "-f", "csv").stdout)))
    assert rows[1][0] == HOSTILE
    assert rows[1][1].startswith("'=HYPERLINK")


def test_html_escapes_every_value_and_fetches_nothing(fleet_results, tmp_path: Path) -> None:
    folder = _hostile_folder(fleet_results, tmp_path)
    page = riskcheck("fleet", str(folder), "-f", "html").stdout
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "default-src 'none'" in page
    for reference in ("src=\"http", "href=\"http", "url(", "@import", "<link"):
        assert reference not in page
    assert page.count("<script>") == 1 and "<svg" in page


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_pdf_prints_every_project_and_hostile_names_as_text(fleet_results,
                                                            tmp_path: Path) -> None:
    import pypdf

    folder = _hostile_folder(fleet_results, tmp_path)
    out = tmp_path / "fleet.pdf"
    result = riskcheck("fleet", str(fleet_results[0]), str(folder), "-f", "pdf", "-o", str(out))
    assert result.returncode == 1, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    for name in ("athene-analytics", "baai-search", "qwen-chat", "<img src=x", "Sberbank"):
        assert name in text


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_a_checkout_without_models_is_skipped_with_a_warning(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(FLEET / "qwen-chat", tmp_path / "qwen-chat")
    (tmp_path / "docs-site").mkdir()
    (tmp_path / "docs-site" / "index.md").write_text("# Nothing to see\n", encoding="utf-8")
    result = riskcheck("fleet", str(tmp_path), "--bundled", "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [p["name"] for p in data["projects"]] == ["qwen-chat"]
    assert any(w.startswith("skipped ") and "docs-site" in w for w in data["warnings"])
    broken = tmp_path / "qwen-chat" / "riskcheck.yaml"
    broken.write_text("version: 1\nmodels: [\n", encoding="utf-8")
    assert "riskcheck.yaml" in one_error_line(riskcheck("fleet", str(tmp_path), "--bundled"))
