"""Every command's table fits the terminal's width (COLUMNS) at 80 and 120 columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from riskcheck.cli import app

REPO = Path(__file__).resolve().parents[2]
LONG_ID = "meta-llama/Llama-3.1-8B-Instruct"

COMMANDS = [
    ["check", str(REPO / "examples" / "exposed-stack" / "riskcheck.yaml"), "--offline",
     "--bundled", "--details"],
    ["resolve", LONG_ID, "Qwen/Qwen2.5-7B-Instruct", "deepseek-chat", "--offline"],
    ["screen", "Beijing Megvii Technology Co., Ltd.", "--bundled", "--threshold", "0.7"],
    ["scan", str(REPO / "examples" / "rag-app")],
    ["vendors", "huawei", "--bundled"],
    ["lists", "status"],
    ["whatif", "alibaba-group", str(REPO / "examples" / "fleet"), "--offline", "--bundled"],
    ["fleet", str(REPO / "examples" / "fleet"), "--offline", "--bundled"],
]


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]).split("/")[0])
def test_no_line_is_wider_than_the_terminal(command: list[str], columns: int) -> None:
    result = CliRunner().invoke(app, command, env={"COLUMNS": str(columns), "NO_COLOR": "1"})
    assert result.exit_code in (0, 1), result.output
    widest = max(cell_len(line) for line in result.stdout.splitlines())
    assert widest <= columns, (columns, widest)


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_a_long_model_id_is_not_broken_in_the_resolve_table() -> None:
    result = CliRunner().invoke(app, ["resolve", LONG_ID, "--offline"], env={"COLUMNS": "80"})
    assert LONG_ID in result.stdout
