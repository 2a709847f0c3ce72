"""The GitLab template's check script: budgeted Markdown, full reports as artifacts, and the
merge-request note, run as a runner would run it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from werkzeug import Request, Response

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = yaml.safe_load((REPO / "ci" / "gitlab" / "riskcheck.gitlab-ci.yml").read_text(
    encoding="utf-8"))[".riskcheck"]


def _check_script() -> str:
    scripts = [s for s in TEMPLATE["script"] if "--markdown-budget" in s]
    assert len(scripts) == 1
    return scripts[0]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = os.environ.copy()
    env.update({key: str(value) for key, value in TEMPLATE["variables"].items()})
    env.update({"RISKCHECK_MANIFEST": "riskcheck.yaml", "RISKCHECK_DATA_DIR": str(tmp_path / "s"),
                "RISKCHECK_OFFLINE": "1", "CI_JOB_URL": "https://gitlab.example/p/-/jobs/7"})
    for key in ("RISKCHECK_MR_COMMENT_TOKEN", "CI_MERGE_REQUEST_IID"):
        env.pop(key, None)
    env.update(extra)
    return env


def _run(workspace: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-e", "-c", _check_script()], cwd=workspace, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("example,code", [("exposed-stack", 1), ("clean-stack", 0)])
def test_check_script_writes_the_reports_and_keeps_the_exit_code(tmp_path: Path, example: str,
                                                                  code: int) -> None:
    workspace = tmp_path / "w"
    shutil.copytree(REPO / "examples" / example, workspace)
    result = _run(workspace, _env(tmp_path))
    assert result.returncode == code, result.stderr
    for name in ("riskcheck.json", "riskcheck.sarif", "riskcheck.md", "riskcheck-comment.md"):
        assert (workspace / name).stat().st_size > 0
        assert name in TEMPLATE["artifacts"]["paths"]
    assert "riskcheck.pdf" in TEMPLATE["artifacts"]["paths"]
    assert TEMPLATE["artifacts"]["when"] == "always"
    comment = (workspace / "riskcheck-comment.md").read_text(encoding="utf-8")
    assert comment.startswith("<!-- riskcheck -->\n")
    assert (workspace / "riskcheck.md").read_text(encoding="utf-8") in comment
    assert "https://gitlab.example/p/-/jobs/7/artifacts/browse" in comment


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_budget_variable_is_applied(tmp_path: Path) -> None:
    workspace = tmp_path / "w"
    shutil.copytree(REPO / "examples" / "exposed-stack", workspace)
    result = _run(workspace, _env(tmp_path, RISKCHECK_MARKDOWN_BUDGET="3000"))
    assert result.returncode == 1, result.stderr
    markdown = (workspace / "riskcheck.md").read_text(encoding="utf-8")
    assert len(markdown.rstrip("\n")) <= 3000
    assert "<code>riskcheck.json</code>" in markdown  # the pointer to the full report


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_merge_request_note_is_posted_then_updated(tmp_path: Path, httpserver) -> None:
    notes: list[dict] = []
    calls: list[tuple[str, str]] = []

    def handler(request: Request) -> Response:
        calls.append((request.method, request.path))
        assert request.headers.get("PRIVATE-TOKEN") == "secret"
        if request.method == "GET":
            return Response(json.dumps(notes), content_type="application/json")
        body = json.loads(request.get_data())["body"]
        if request.method == "POST":
            notes.append({"id": 41, "body": body})
        else:
            notes[0]["body"] = body
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/api/v4/projects/5/merge_requests/9/notes").respond_with_handler(
        handler)
    httpserver.expect_request("/api/v4/projects/5/merge_requests/9/notes/41").respond_with_handler(
        handler)
    workspace = tmp_path / "w"
    shutil.copytree(REPO / "examples" / "rag-app", workspace)
    env = _env(tmp_path, RISKCHECK_MR_COMMENT_TOKEN="secret", CI_MERGE_REQUEST_IID="9",
               CI_PROJECT_ID="5", CI_API_V4_URL=httpserver.url_for("/api/v4"))
    for _ in range(2):
        result = _run(workspace, env)
        assert result.returncode == 1, result.stderr
        assert "posting the merge-request note failed" not in result.stdout
    assert [m for m, _ in calls] == ["GET", "POST", "GET", "PUT"]
    assert len(notes) == 1 and notes[0]["body"].startswith("<!-- riskcheck -->")
    assert len(notes[0]["body"]) <= 65_536
