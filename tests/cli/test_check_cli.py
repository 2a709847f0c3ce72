"""`riskcheck check` through the installed entry point, in a subprocess: exit codes and errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def riskcheck(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("riskcheck")
    command = [exe] if exe else [sys.executable, "-m", "riskcheck"]
    return subprocess.run(command + list(args), capture_output=True, text=True, cwd=cwd,
                          env=os.environ.copy(), timeout=120)


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("riskcheck: error: ")
    return lines[0]


def test_version_and_help() -> None:
    version = riskcheck("--version")
    assert version.returncode == 0 and version.stdout.startswith("riskcheck ")
    helped = riskcheck("check", "--help")
    assert helped.returncode == 0
    assert "Example: riskcheck check" in helped.stdout


def test_python_dash_m() -> None:
    result = subprocess.run([sys.executable, "-m", "riskcheck", "--version"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "riskcheck" in result.stdout


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_exit_1_on_findings_and_0_when_threshold_is_none() -> None:
    manifest = str(EXAMPLES / "exposed-stack" / "riskcheck.yaml")
    failed = riskcheck("check", manifest)
    assert failed.returncode == 1, failed.stderr
    assert "bundled snapshot" in failed.stderr + failed.stdout
    relaxed = riskcheck("check", manifest, "--fail-on", "none")
    assert relaxed.returncode == 0, relaxed.stderr


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_exit_0_on_clean_stack() -> None:
    result = riskcheck("check", str(EXAMPLES / "clean-stack" / "riskcheck.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_json_output_to_file(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    result = riskcheck("check", str(EXAMPLES / "rag-app" / "riskcheck.yaml"), "--format", "json",
                       "--output", str(out), "--fail-on", "none")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema_version"]
    assert [m["ref"]["id"] for m in data["models"]][0] == "BAAI/bge-small-en-v1.5"


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_directory_with_manifest(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "clean-stack" / "riskcheck.yaml", tmp_path / "riskcheck.yaml")
    assert riskcheck("check", str(tmp_path)).returncode == 0


@pytest.mark.parametrize("content,expected", [
    ("", "manifest is empty"),
    ("models:\n  - id: a\n    usge: api\n", "riskcheck.yaml:3:5: unknown key 'usge'"),
    ("models:\n  - id: [\n", "YAML syntax error"),
    ("models:\n  - id: 3\n", "models[0].id must be a string"),
    ("models:\n  - id: a\n  - id: a\n", "duplicate model 'a'"),
])
@pytest.mark.slow  # over half a second: left out of the fast loop
def test_bad_manifest_exit_2(tmp_path: Path, content: str, expected: str) -> None:
    manifest = tmp_path / "riskcheck.yaml"
    manifest.write_text(content, encoding="utf-8")
    result = riskcheck("check", str(manifest))
    assert result.returncode == 2
    assert expected in one_error_line(result)
    assert result.stdout == ""


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_missing_file_and_directory_without_manifest(tmp_path: Path) -> None:
    assert "not found" in one_error_line(riskcheck("check", str(tmp_path / "none.yaml")))
    result = riskcheck("check", str(tmp_path))
    assert result.returncode == 2 and "has no riskcheck.yaml" in one_error_line(result)


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    manifest = str(EXAMPLES / "clean-stack" / "riskcheck.yaml")
    bad_level = riskcheck("check", manifest, "--fail-on", "severe")
    assert bad_level.returncode == 2 and "unknown level" in one_error_line(bad_level)
    bad_format = riskcheck("check", manifest, "--format", "docx")
    assert bad_format.returncode == 2 and "unknown format" in one_error_line(bad_format)
    bad_option = riskcheck("check", manifest, "--frobnicate")
    assert bad_option.returncode == 2 and "frobnicate" in one_error_line(bad_option)


def test_failed_run_leaves_no_output_file(tmp_path: Path) -> None:
    manifest = tmp_path / "riskcheck.yaml"
    manifest.write_text("models: 3\n", encoding="utf-8")
    out = tmp_path / "report.json"
    assert riskcheck("check", str(manifest), "--format", "json", "-o", str(out)).returncode == 2
    assert not out.exists()


def test_corrupt_store_exit_3(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "store.sqlite").write_bytes(b"this is not a database" * 100)
    result = riskcheck("check", str(EXAMPLES / "clean-stack" / "riskcheck.yaml"),
                       "--data-dir", str(data_dir))
    assert result.returncode == 3
    one_error_line(result)
    assert (data_dir / "store.sqlite").read_bytes() == b"this is not a database" * 100


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_unreachable_hub_is_one_warning_and_the_run_goes_on(tmp_path: Path) -> None:
    manifest = tmp_path / "riskcheck.yaml"
    manifest.write_text("version: 1\nproject: {name: p}\nmodels:\n"
                        "  - {id: some-org/some-model-a, usage: self-hosted}\n"
                        "  - {id: other-org/some-model-b, usage: self-hosted}\n"
                        "  - {id: BAAI/bge-m3, usage: self-hosted}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if k not in ("RISKCHECK_OFFLINE", "HF_HUB_OFFLINE", "CI")}
    env.update(RISKCHECK_HF_ENDPOINT="http://127.0.0.1:9", RISKCHECK_DATA_DIR=str(tmp_path / "d"))
    result = subprocess.run([sys.executable, "-m", "riskcheck", "check", str(manifest),
                             "--format", "json"], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    warnings = [w for w in report["warnings"] if "Hub not reachable" in w]
    assert len(warnings) == 1 and "went on offline" in warnings[0]
    unresolved = [m for m in report["models"] if m["resolution"]["status"] == "unresolved"]
    assert len(unresolved) == 2
    for model in unresolved:
        assert any("offline: not looked up online" in t for t in model["resolution"]["tried"])
