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
