"""`riskcheck scan`, `riskcheck init` and `riskcheck check DIR` through the installed CLI."""

from __future__ import annotations

import pytest
import json
import shutil
from pathlib import Path

import yaml

from tests.cli.test_check_cli import one_error_line, riskcheck

CORPUS = Path(__file__).resolve().parents[1] / "scan" / "corpus"


def test_scan_json_lists_references_with_locations() -> None:
    result = riskcheck("scan", str(CORPUS / "python-llm-apps"), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == "1.0"
    glm = next(r for r in data["references"] if r["id"] == "glm-4.5")
    assert (glm["path"], glm["line"], glm["base_url"]) == ("agents.py", 24, "https://api.z.ai/api/paas/v4")


def test_scan_table_names_skipped_files() -> None:
    result = riskcheck("scan", str(CORPUS / "mixed"))
    assert result.returncode == 0
    assert "app/main.py:3" in result.stdout
    assert "skipped app/broken.py" in result.stdout


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_init_writes_a_valid_manifest_and_refuses_to_overwrite(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(CORPUS / "dotenv-openrouter", project)
    first = riskcheck("init", str(project))
    assert first.returncode == 0, first.stderr
    manifest = yaml.safe_load((project / "riskcheck.yaml").read_text(encoding="utf-8"))
    ids = {m["id"]: m for m in manifest["models"]}
    assert ids["deepseek-chat"]["base_url"] == "https://api.deepseek.com"
    assert ids["deepseek/deepseek-r1-0528:free"]["usage"] == "api"
    again = riskcheck("init", str(project))
    assert again.returncode == 2 and "already exists" in one_error_line(again)
    checked = riskcheck("check", str(project / "riskcheck.yaml"), "--fail-on", "none")
    assert checked.returncode == 0, checked.stderr


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_check_directory_reports_undeclared_models(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(CORPUS / "ollama-stack", project)
    (project / "riskcheck.yaml").write_text("models:\n  - id: qwen2.5\n", encoding="utf-8")
    result = riskcheck("check", str(project), "--format", "json", "--fail-on", "none")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    undeclared = {f["summary"].split(" ")[0] for f in data["project_findings"]
                  if f["kind"] == "undeclared-model"}
    assert undeclared == {"bge-m3", "gemma3:12b", "deepseek-r1:8b",
                          "hf.co/Qwen/Qwen3-VL-8B-Instruct-GGUF:Q4_K_M"}
    checked_ids = {m["ref"]["id"] for m in data["models"]}
    assert undeclared | {"qwen2.5"} == checked_ids  # undeclared models are screened too
    strict = riskcheck("check", str(project), "--fail-on", "none", "--fail-on-undeclared")
    assert strict.returncode == 1


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_check_directory_without_manifest_checks_found_models(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(CORPUS / "python-hf", project)
    result = riskcheck("check", str(project), "--format", "json", "--fail-on", "none")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["models"]) == 8
    assert any("no riskcheck.yaml" in w for w in data["warnings"])
