"""Every command's --help ends with a real example, and every command has --format/--output."""

from __future__ import annotations

import pytest
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


@pytest.mark.parametrize(("command", "formats"), [
    (["check"], "table, json, markdown, sarif, csv, pdf, cyclonedx"),
    (["report"], "table, json, markdown, sarif, csv, pdf, cyclonedx"),
    (["screen"], "table, json, csv"),
    (["scan"], "table, json"),
    (["lists", "status"], "table, json"),
    (["watch"], "table, json"),
])
def test_help_lists_exactly_the_formats_a_command_writes(command, formats) -> None:
    from typer.testing import CliRunner

    from riskcheck.cli import app

    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert f"Output format: {formats} (default" in " ".join(result.output.split())


def test_report_formats_are_the_registry_formats() -> None:
    from riskcheck.cli.options import REPORT_FORMATS
    from riskcheck.formats.registry import FORMATS

    assert REPORT_FORMATS == tuple(FORMATS)


def test_a_format_a_command_does_not_write_is_one_usage_error() -> None:
    from typer.testing import CliRunner

    from riskcheck.cli import app
    from riskcheck.errors import InputError

    result = CliRunner().invoke(app, ["screen", "Huawei", "--format", "pdf"])
    assert isinstance(result.exception, InputError)
    assert str(result.exception) == ("--format: unknown format 'pdf' for screen (choose one of: table, "
                                     "json, csv)")
