"""The pre-commit hook runs through pre-commit itself, from a local copy of this repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
                            GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com"))


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("example,code", [("clean-stack", 0), ("exposed-stack", 1)])
def test_hook_through_pre_commit(tmp_path: Path, example: str, code: int) -> None:
    pre_commit = shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    shutil.copy(REPO / ".pre-commit-hooks.yaml", hooks / ".pre-commit-hooks.yaml")
    _git(hooks, "init", "-q")
    _git(hooks, "add", ".")
    _git(hooks, "commit", "-q", "-m", "hooks")
    project = tmp_path / "project"
    shutil.copytree(REPO / "examples" / example, project)
    _git(project, "init", "-q")
    _git(project, "add", ".")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    result = subprocess.run([pre_commit, "try-repo", str(hooks), "riskcheck-system", "--all-files"],
                            cwd=project, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == code, result.stdout + result.stderr
    assert ("Passed" if code == 0 else "Failed") in result.stdout
