"""``riskcheck resolve`` through a small typer app (the lead registers it in the real one)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from riskcheck.cli.resolve import resolve


@pytest.fixture()
def app() -> typer.Typer:
    application = typer.Typer()
    application.command("resolve")(resolve)

    @application.callback()
    def _root() -> None:
        """Test root (makes ``resolve`` a sub-command as in the real CLI)."""

    return application


def test_docstring_example_runs(app: typer.Typer) -> None:
    doc = resolve.__doc__ or ""
    example = doc.strip().splitlines()[-1].strip()
    assert example.startswith("Example: riskcheck resolve ")
    args = example.removeprefix("Example: riskcheck ").split()
    result = CliRunner().invoke(app, [*args, "--offline"])
    assert result.exit_code == 0, result.output
    assert "Alibaba" in result.output and "api.deepseek.com" in result.output


def test_json_output(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["resolve", "glm-4.5", "--base-url", "https://api.z.ai",
                                      "--format", "json", "--offline"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["schema_version"] == "1"
    (only,) = document["resolutions"]
    assert only["vendor"] == "zhipu" and only["status"] == "resolved"
    assert only["serving"] == {"id": "zai-sg", "name": only["serving"]["name"],
                               "host": "api.z.ai", "data_country": "SG", "first_party": True}
    assert only["parties"][0]["role"] == "vendor"


def test_unresolved_is_shown_and_exit_is_zero(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["resolve", "someuser/model", "qwen2.5", "--offline"])
    assert result.exit_code == 0
    assert "UNRESOLVED" in result.output
    assert "vendor: <registry id>" in " ".join(result.output.split())  # notes wrap


def test_base_url_applies_to_every_model(app: typer.Typer) -> None:
    # The base URL says where the calls go, whatever each reference looks like.
    result = CliRunner().invoke(app, ["resolve", "Qwen/Qwen2.5-7B-Instruct", "deepseek-chat",
                                      "z-ai/glm-4.5", "--base-url", "https://api.deepseek.com",
                                      "--format", "json", "--offline"])
    rows = json.loads(result.output)["resolutions"]
    assert [r["reference"]["base_url"] for r in rows] == ["https://api.deepseek.com"] * 3
    assert [r["serving"]["id"] for r in rows] == ["deepseek"] * 3
    assert [r["serving"]["first_party"] for r in rows] == [False, True, False]


def test_output_file_and_bad_options(app: typer.Typer, tmp_path: Path) -> None:
    target = tmp_path / "resolution.json"
    result = CliRunner().invoke(app, ["resolve", "bge-m3", "--format", "json", "--offline",
                                      "--output", str(target)])
    assert result.exit_code == 0 and result.output == ""
    assert json.loads(target.read_text(encoding="utf-8"))["resolutions"][0]["vendor"] == "baai"
    bad = CliRunner().invoke(app, ["resolve", "bge-m3", "--usage", "sometimes"])
    assert bad.exit_code != 0


def test_registered_command_runs_as_a_module(tmp_path: Path) -> None:
    """Once the lead registers it, ``python -m riskcheck resolve`` reaches this function."""
    import os
    import subprocess
    import sys

    from riskcheck.cli import app as real_app

    names = {command.name for command in real_app.registered_commands}
    if "resolve" not in names:
        pytest.skip("resolve is not registered in riskcheck.cli yet")
    env = {**os.environ, "RISKCHECK_DATA_DIR": str(tmp_path), "RISKCHECK_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-m", "riskcheck", "resolve", "bge-m3",
                           "dashscope/qwen-max", "--format", "json"],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    vendors = [r["vendor"] for r in json.loads(done.stdout)["resolutions"]]
    assert vendors == ["baai", "alibaba-cloud"]
