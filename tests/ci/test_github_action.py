"""The composite action's shell steps, run in order as a runner would run them."""

from __future__ import annotations

import json
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
        "INPUT_POLICY": "",
        "INPUT_MARKDOWN_BUDGET": "60000",
        "INPUT_PDF": "false",
        "INPUT_ARTIFACT_NAME": "riskcheck-reports",
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
@pytest.mark.slow  # over half a second: left out of the fast loop
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
    markdown = (workspace / "riskcheck.md").read_text(encoding="utf-8")
    assert markdown in summary
    # The job summary is the comment body: marker, budgeted report, where the full reports are.
    assert summary == (workspace / "riskcheck-comment.md").read_text(encoding="utf-8")
    assert summary.startswith("<!-- riskcheck -->\n")
    assert "Full reports (JSON, SARIF): artifact `riskcheck-reports` of [this run](" in summary
    assert int(outputs["comment-chars"]) == len(summary) <= 65_536
    verdict = _run_step(_steps()["verdict"], dict(env, EXIT_CODE=outputs["exit-code"]), workspace)
    assert verdict.returncode == code


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_policy_input_governs_a_loosening_manifest(tmp_path: Path) -> None:
    """The operator's policy input wins over a pull request that switches severities off."""
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "riskcheck.yaml").write_text(
        "version: 1\nproject:\n  name: pr\npolicy:\n  fail_on: critical\n"
        "  severity: {EL: none}\nmodels:\n  - id: BAAI/bge-m3\n", encoding="utf-8")
    operator = tmp_path / "org-policy.yaml"
    operator.write_text("policy:\n  fail_on: high\n", encoding="utf-8")
    results = {}
    for policy in ("", str(operator)):
        env = _env(tmp_path, INPUT_MANIFEST="riskcheck.yaml", INPUT_POLICY=policy)
        env.pop("CI", None)
        check = _run_step(_steps()["check"], env, workspace)
        assert check.returncode == 0, check.stderr
        results[policy] = _outputs(tmp_path)["exit-code"]
    assert results == {"": "0", str(operator): "1"}
    assert "severity EL none ignored" in (workspace / "riskcheck.md").read_text(encoding="utf-8")


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_update_step_keeps_going_when_downloads_fail(tmp_path: Path, httpserver) -> None:
    httpserver.expect_request("").respond_with_data("not here", status=404)
    env = _env(tmp_path, RISKCHECK_MIRROR_URL=httpserver.url_for("/mirror"))
    env.pop("RISKCHECK_OFFLINE", None)
    result = _run_step(_steps()["update"], env, tmp_path)
    assert result.returncode == 0
    assert "::warning::riskcheck lists update failed" in result.stdout


def _gitlab_coverage_script() -> str:
    template = yaml.safe_load((REPO / "ci" / "gitlab" / "riskcheck.gitlab-ci.yml").read_text(
        encoding="utf-8"))
    scripts = [s for s in template[".riskcheck"]["script"] if "required_for_fresh" in s]
    assert len(scripts) == 1
    return scripts[0]


def _failed_update(tmp_path: Path, httpserver, **inputs: str) -> dict[str, str]:
    """A first update with every download failing: the store holds only what ships with riskcheck."""
    httpserver.expect_request("").respond_with_data("not here", status=404)
    env = _env(tmp_path, RISKCHECK_MIRROR_URL=httpserver.url_for("/mirror"), **inputs)
    env.pop("RISKCHECK_OFFLINE", None)
    assert _run_step(_steps()["update"], env, tmp_path).returncode == 0
    return env


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_coverage_step_fails_when_the_update_stored_no_required_list(tmp_path: Path,
                                                                      httpserver) -> None:
    env = _failed_update(tmp_path, httpserver)
    result = _run_step(_steps()["coverage"], env, tmp_path)
    assert result.returncode == 3
    assert "::error::lists required for a fresh check are not in the store" in result.stdout
    assert "ofac_sdn" in result.stdout and "bundled-only" in result.stdout
    assert _outputs(tmp_path)["exit-code"] == "3"


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_coverage_step_accepts_bundled_only_when_asked(tmp_path: Path, httpserver) -> None:
    env = _failed_update(tmp_path, httpserver, INPUT_BUNDLED_ONLY="true")
    result = _run_step(_steps()["coverage"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::warning::lists not in the store, screened from the bundled snapshot only" in \
        result.stdout
    assert "ofac_sdn" in result.stdout


def test_coverage_step_passes_when_nothing_required_is_missing(tmp_path: Path) -> None:
    # The operator's config marks no source as required: nothing can be missing.
    store = tmp_path / "store"
    store.mkdir()
    from riskcheck.lists.catalogue import load_catalogue  # noqa: PLC0415

    ids = [spec.id for spec in load_catalogue(None).sources]
    (store / "config.yaml").write_text(yaml.safe_dump(
        {"sources": {i: {"required_for_fresh": False} for i in ids}}), encoding="utf-8")
    env = _env(tmp_path, INPUT_BUNDLED_ONLY="false")
    result = _run_step(_steps()["coverage"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::error::" not in result.stdout


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("bundled_only,code", [("false", 3), ("true", 0)])
def test_gitlab_template_applies_the_same_rule(tmp_path: Path, httpserver, bundled_only: str,
                                               code: int) -> None:
    env = _failed_update(tmp_path, httpserver, RISKCHECK_BUNDLED_ONLY=bundled_only)
    result = subprocess.run(["bash", "-e", "-c", _gitlab_coverage_script()], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == code, result.stdout + result.stderr
    assert "ofac_sdn" in result.stdout + result.stderr


def _generated_manifest(size: int) -> str:
    """A manifest of ``size`` models drawn (seeded) from the registry, as bench/bench_markdown.py
    builds them."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_markdown",
                                                  REPO / "bench" / "bench_markdown.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module.manifest(size, 19)


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("budget", ["60000", "8000"])
def test_a_large_project_fits_the_comment_and_points_to_the_artifact(tmp_path: Path,
                                                                     budget: str) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "riskcheck.yaml").write_text(_generated_manifest(500), encoding="utf-8")
    env = _env(tmp_path, INPUT_MANIFEST="riskcheck.yaml", INPUT_MARKDOWN_BUDGET=budget)
    env["RISKCHECK_OFFLINE"] = "1"
    check = _run_step(_steps()["check"], env, workspace)
    assert check.returncode == 0, check.stderr
    markdown = (workspace / "riskcheck.md").read_text(encoding="utf-8")
    assert len(markdown.rstrip("\n")) <= int(budget)
    assert "This comment is shortened" in markdown
    # The folded comment names the full reports of the same run.
    assert "full report in <code>riskcheck.json</code>, <code>riskcheck.sarif</code> has" \
        in markdown
    assert int(_outputs(tmp_path)["comment-chars"]) <= 65_536
    assert json.loads((workspace / "riskcheck.json").read_text(encoding="utf-8"))["models"]


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_pdf_input_adds_the_pdf_to_the_reports(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    shutil.copytree(REPO / "examples" / "rag-app", workspace)
    env = _env(tmp_path, INPUT_MANIFEST="riskcheck.yaml", INPUT_PDF="true")
    check = _run_step(_steps()["check"], env, workspace)
    assert check.returncode == 0, check.stderr
    assert (workspace / "riskcheck.pdf").read_bytes().startswith(b"%PDF-")
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "Full reports (JSON, SARIF, PDF)" in summary


def test_artifact_and_comment_steps() -> None:
    steps = ACTION["runs"]["steps"]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact"))
    assert upload["if"].startswith("always()")
    paths = upload["with"]["path"].split()
    assert {"riskcheck.json", "riskcheck.sarif", "riskcheck.md", "riskcheck.pdf"} <= set(paths)
    assert upload["with"]["name"] == "${{ inputs.artifact-name }}"
    names = [s.get("id") or s.get("uses") for s in steps]
    assert names.index("check") < names.index(upload["uses"]) < names.index("verdict")
    comment = _steps()["comment"]
    assert "inputs.comment == 'true'" in comment["if"]
    assert "pull_request" in comment["if"]
    assert "body=@riskcheck-comment.md" in comment["run"]
    assert 'startswith("<!-- riskcheck -->")' in comment["run"]  # updates its own comment
    assert ACTION["inputs"]["markdown-budget"]["default"] == "60000"


@pytest.mark.parametrize("existing,fails", [("", False), ("4711", False), ("", True)])
def test_comment_step_posts_or_updates_one_comment(tmp_path: Path, existing: str,
                                                   fails: bool) -> None:
    """The comment step with a stand-in ``gh`` that records its calls."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "gh.log"
    (bin_dir / "gh").write_text(
        "#!/bin/bash\n"
        f'echo "$*" >> "{log}"\n'
        + ("exit 1\n" if fails else "")
        + f'if [ "$2" != "-X" ]; then echo "{existing}"; fi\n', encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    (tmp_path / "riskcheck-comment.md").write_text("<!-- riskcheck -->\nreport\n",
                                                   encoding="utf-8")
    env = _env(tmp_path, GH_TOKEN="t", PR_NUMBER="12", GITHUB_REPOSITORY="org/repo")
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    result = _run_step(_steps()["comment"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    if fails:
        assert "::warning::riskcheck could not post the pull-request comment" in result.stdout
        return
    assert calls[0].startswith("api repos/org/repo/issues/12/comments --paginate")
    if existing:
        assert calls[1] == ("api -X PATCH repos/org/repo/issues/comments/4711 "
                            "-F body=@riskcheck-comment.md")
    else:
        assert calls[1] == ("api -X POST repos/org/repo/issues/12/comments "
                            "-F body=@riskcheck-comment.md")
