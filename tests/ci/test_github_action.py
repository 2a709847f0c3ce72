"""The composite action's shell steps, run in order as a runner would run them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))


def _steps() -> dict[str, dict]:
    return {step["id"]: step for step in ACTION["runs"]["steps"] if "id" in step}


def _run_step(step: dict, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    assert step["shell"] == "bash"
    script = step["run"]
    assert "${{" not in script, "inputs must reach scripts through env, never by expansion"
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def _env(tmp_path: Path, **inputs: str) -> dict[str, str]:
    env = os.environ.copy()
    env.update({
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "RISKCHECK_DATA_DIR": str(tmp_path / "store"),
        "INPUT_MAX_LIST_AGE": "7",
        "INPUT_FAIL_ON": "",
    })
    env.update(inputs)
    return env


def _outputs(tmp_path: Path) -> dict[str, str]:
    text = (tmp_path / "output.txt").read_text(encoding="utf-8")
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def test_inputs_reach_scripts_only_through_env() -> None:
    for step in ACTION["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"]


@pytest.mark.parametrize("example,fail_on,code", [
    ("exposed-stack", "", 1),
    ("exposed-stack", "none", 0),
    ("clean-stack", "", 0),
])
def test_check_and_verdict_steps(tmp_path: Path, example: str, fail_on: str, code: int) -> None:
    workspace = tmp_path / "workspace"
    shutil.copytree(REPO / "examples" / example, workspace)
    env = _env(tmp_path, INPUT_MANIFEST="riskcheck.yaml", INPUT_FAIL_ON=fail_on)
    day = _run_step(_steps()["day"], env, workspace)
    assert day.returncode == 0
    check = _run_step(_steps()["check"], env, workspace)
    assert check.returncode == 0, check.stderr
    outputs = _outputs(tmp_path)
    assert outputs["exit-code"] == str(code)
    assert outputs["level"] in ("none", "low", "medium", "high", "critical")
    assert len(outputs["day"]) == 10
    for name in ("riskcheck.sarif", "riskcheck.md", "riskcheck.json"):
        assert (workspace / name).stat().st_size > 0
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert (workspace / "riskcheck.md").read_text(encoding="utf-8") in summary
    verdict = _run_step(_steps()["verdict"], dict(env, EXIT_CODE=outputs["exit-code"]), workspace)
    assert verdict.returncode == code


def test_update_step_keeps_going_when_downloads_fail(tmp_path: Path, httpserver) -> None:
    httpserver.expect_request("").respond_with_data("not here", status=404)
    env = _env(tmp_path, RISKCHECK_MIRROR_URL=httpserver.url_for("/mirror"))
    env.pop("RISKCHECK_OFFLINE", None)
    result = _run_step(_steps()["update"], env, tmp_path)
    assert result.returncode == 0
    assert "::warning::riskcheck lists update failed" in result.stdout
