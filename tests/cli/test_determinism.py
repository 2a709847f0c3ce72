"""The same inputs and list versions give byte-identical JSON results, run metadata aside."""

from __future__ import annotations

import pytest
import json
from pathlib import Path

from tests.cli.test_check_cli import EXAMPLES, riskcheck


def _without_run_block(text: str) -> str:
    data = json.loads(text)
    assert set(data["run"]) >= {"started_at", "duration_ms", "run_id"}
    del data["run"]
    return json.dumps(data, ensure_ascii=False, indent=2)


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_two_runs_give_identical_json(tmp_path: Path) -> None:
    outputs = []
    for name in ("first.json", "second.json"):
        out = tmp_path / name
        result = riskcheck("check", str(EXAMPLES / "exposed-stack" / "riskcheck.yaml"),
                           "--format", "json", "-o", str(out), "--fail-on", "none")
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_text(encoding="utf-8"))
    first, second = outputs
    assert first != second  # the run block differs (run id, start time) ...
    assert _without_run_block(first) == _without_run_block(second)  # ... nothing else does
    # and the run block is the only place time appears
    assert '"started_at"' not in _without_run_block(first)
