"""Every command's --help ends with a real example, and every command has --format/--output."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from riskcheck.cli import app


def _commands(group, prefix=()):  # type: ignore[no-untyped-def]
    for name, command in sorted(getattr(group, "commands", {}).items()):
        if getattr(command, "commands", None):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


COMMANDS = list(_commands(typer.main.get_command(app)))


def test_every_command_help_ends_with_an_example() -> None:
    runner = CliRunner()
    assert len(COMMANDS) >= 11
    for path, _ in COMMANDS:
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, path
        last_paragraph = result.output.strip().split("\n\n")[-1]
        assert last_paragraph.strip().startswith("Example: riskcheck "), (path, last_paragraph)


def test_every_command_takes_format_and_output() -> None:
    for path, command in COMMANDS:
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert "--format" in options, path
        assert "--output" in options, path


def test_command_modules_keep_annotations_evaluated() -> None:
    # typer reads each parameter's annotation; as strings (the __future__ import) they are
    # compiled again on every start, which cost ~25 ms before any command ran.
    from pathlib import Path

    import riskcheck.cli

    folder = Path(riskcheck.cli.__file__).parent
    commands = [path for path in folder.glob("*.py")
                if "typer.Option(" in path.read_text(encoding="utf-8")
                or "typer.Argument(" in path.read_text(encoding="utf-8")]
    assert len(commands) >= 7
    for path in commands:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert "from __future__ import annotations" not in lines, path


def test_top_level_help_needs_no_command_parameters() -> None:
    # For help and unknown words the CLI builds commands without their parameters; what the
    # user sees must be what the whole app prints.
    from riskcheck import cli

    runner = CliRunner()
    for args in (["--help"], [], ["chek"], ["--help", "check"], ["-q", "-h", "lists"]):
        full = runner.invoke(cli.app, args, env={"COLUMNS": "120"})
        light = runner.invoke(cli._listing_only(), args, env={"COLUMNS": "120"})
        assert (light.exit_code, light.output) == (full.exit_code, full.output), args
        assert "Commands:" in full.output or "No such command" in full.output, args
