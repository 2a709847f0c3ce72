"""The bad-input corpus (corpus/corpus.yaml): every file through the installed CLI.

Each row says which command reads the file, the documented exit code, and a fragment of the
one-line error. Every run must end with exactly one ``riskcheck: error:`` line (no traceback)
naming the file, and leave the list store exactly as it was. The cases run concurrently in
subprocesses (each with its own copy of the store), one group at a time (manifests, policies, lists: the
first case of a group runs the whole group, about 20-60 s); each test then checks its own
result. Marked slow for that set-up time; pytest still runs it by default.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.hardening.conftest import (
    CORPUS,
    assert_one_line_error,
    cli_env,
    copy_store,
    riskcheck_executable,
    store_state,
)

ROWS: list[dict[str, Any]] = yaml.safe_load((CORPUS / "corpus.yaml").read_text("utf-8"))
WORKERS = (os.cpu_count() or 2) + 1


def _huge_manifest(path: Path) -> None:
    # Just over the 5 MiB limit: comments, so only the size check can reject it.
    line = "# " + "x" * 1021 + "\n"
    path.write_text("models:\n  - id: a\n" + line * (5 * 1024 + 8), encoding="utf-8")


def _alias_bomb(path: Path, top: str = "models") -> None:
    # "Billion laughs" in YAML: 10 levels of 10 aliases = 10^10 leaves if expanded.
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    path.write_text("\n".join(lines) + f"\n{top}: *a9\n", encoding="utf-8")


def _many_nodes(path: Path) -> None:
    # Small on disk (~0.5 MB) but 250k nodes: over the node budget without any alias.
    path.write_text("models: [" + ",".join(["1"] * 250_000) + "]\n", encoding="utf-8")


def _big_bad_list(path: Path) -> None:
    # 10 MB of CSV without the expected header: the parser must fail fast, in one line.
    row = ",".join(f"value{i}" for i in range(29)) + "\n"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(10 * 1024 * 1024 // len(row)):
            handle.write(row)


GENERATORS = {
    "huge_manifest.yaml": _huge_manifest,
    "alias_bomb.yaml": _alias_bomb,
    "alias_bomb_policy.yaml": functools.partial(_alias_bomb, top="policy"),
    "many_nodes.yaml": _many_nodes,
    "missing.yaml": lambda path: None,
    "missing_policy.yaml": lambda path: None,
    "missing_list.csv": lambda path: None,
    "big_bad_list.csv": _big_bad_list,
}

# A policy file has no CLI option yet: until ``check --policy`` exists, a subprocess loads it
# through the same code and prints failures the way the CLI's one error path does.
POLICY_DRIVER = """\
import sys
from pathlib import Path
from riskcheck.cli import console
from riskcheck.errors import RiskcheckError
from riskcheck.project.policy import load_policy_file
try:
    load_policy_file(Path(sys.argv[1]))
except RiskcheckError as failure:
    console.error(str(failure))
    sys.exit(int(failure.exit_code))
"""


@functools.cache
def _check_has_policy_option() -> bool:
    help_text = subprocess.run([*riskcheck_executable(), "check", "--help"], capture_output=True,
                               text=True, env=cli_env(), check=False).stdout
    return "--policy" in help_text


OK_MANIFEST = "version: 1\nmodels:\n  - id: Qwen/Qwen2.5-7B-Instruct\n    usage: self-hosted\n"


def _argv(row: dict[str, Any], file: Path, data: Path, work: Path) -> list[str]:
    command = row["command"]
    if command == "check":
        return [*riskcheck_executable(), "check", str(file), "--offline", "--bundled",
                "--no-scan", "--data-dir", str(data), "--format", "json"]
    if command == "policy":
        if _check_has_policy_option():
            manifest = work / "riskcheck.yaml"
            manifest.write_text(OK_MANIFEST, encoding="utf-8")
            return [*riskcheck_executable(), "check", str(manifest), "--policy", str(file),
                    "--offline", "--bundled", "--no-scan", "--data-dir", str(data)]
        return [sys.executable, "-c", POLICY_DRIVER, str(file)]
    verb, source = command.split()
    assert verb == "import", command
    return [*riskcheck_executable(), "lists", "import", source, f"main={file}", "--data-dir",
            str(data), "--format", "json"]


@dataclass
class Outcome:
    """One corpus run: the process result and the store before and after."""

    result: subprocess.CompletedProcess[str]
    file: Path
    before: Any
    after: Any


def _case_id(row: dict[str, Any]) -> str:
    return row.get("file") or f"generated/{row['generate']}"


def _run(row: dict[str, Any], template: Path, base: Path) -> Outcome:
    work = base / _case_id(row).replace("/", "__")
    work.mkdir(parents=True)
    data = copy_store(template, work / "data")
    if "generate" in row:
        file = work / row["generate"]
        GENERATORS[row["generate"]](file)
    else:
        file = CORPUS / row["file"]
    before = store_state(data)
    result = subprocess.run(_argv(row, file, data, work), capture_output=True, text=True,
                            env=cli_env(), timeout=180, check=False, encoding="utf-8",
                            errors="replace", cwd=work)
    return Outcome(result, file, before, store_state(data))


def _group(row: dict[str, Any]) -> str:
    return {"check": "manifests", "policy": "policies"}.get(row["command"], "lists")


_OUTCOMES: dict[str, Outcome] = {}


@pytest.fixture
def corpus_outcomes(request: pytest.FixtureRequest, good_store_template: Path,
                    tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Runs the selected corpus cases of a group (manifests, policies, lists) once, several at
    a time, when the group's first case asks; later cases read the cached outcomes."""
    row = request.node.callspec.params["row"]
    if row["__id"] not in _OUTCOMES:
        wanted = {item.callspec.params["row"]["__id"] for item in request.session.items
                  if hasattr(item, "callspec") and isinstance(item.callspec.params.get("row"), dict)
                  and "__id" in item.callspec.params["row"]}
        rows = [other for other in ROWS if _group(other) == _group(row)
                and other["__id"] in wanted and other["__id"] not in _OUTCOMES]
        base = tmp_path_factory.mktemp("corpus")
        with ThreadPoolExecutor(WORKERS) as pool:
            outcomes = list(pool.map(lambda one: _run(one, good_store_template, base), rows))
        _OUTCOMES.update({one["__id"]: outcome for one, outcome in zip(rows, outcomes)})
    return _OUTCOMES


for _row in ROWS:
    _row["__id"] = _case_id(_row)


@pytest.mark.slow
@pytest.mark.parametrize("row", ROWS, ids=[row["__id"] for row in ROWS])
def test_corpus_file(row: dict[str, Any], corpus_outcomes: dict[str, Outcome]) -> None:
    """One clear line, the documented exit code, no traceback, and the store untouched."""
    outcome = corpus_outcomes[row["__id"]]
    result = outcome.result
    assert outcome.after.integrity == "ok"
    if row["exit"] == 0:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        if "records" in row:  # an accepted list file becomes the current version
            source = row["command"].split()[1]
            stored = {entry[0]: entry for entry in outcome.after.current}
            assert stored[source][2] == stored[source][3] == row["records"]
            others = [entry for entry in outcome.after.current if entry[0] != source]
            assert others == [entry for entry in outcome.before.current if entry[0] != source]
        else:
            assert outcome.after == outcome.before
        return
    names = outcome.file.name if row["command"] != "check" or outcome.file.exists() else None
    line = assert_one_line_error(result, code=row["exit"], fragment=row.get("message"))
    if row["command"].startswith("import"):
        # The parser sees the file under its published name; either name identifies it.
        assert outcome.file.name in line or ":" in line.split("error:", 1)[1].split()[0], line
    elif names is not None:
        assert names in line, f"the error does not name {names}: {line}"
    assert outcome.after == outcome.before, "a rejected input changed the list store"
