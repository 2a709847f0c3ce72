"""``riskcheck report RESULT.json``: re-render a saved result in any format."""

from __future__ import annotations

import inspect
import io
import json
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from riskcheck.cli.report import report as report_command
from riskcheck.errors import InputError
from riskcheck.formats.json_format import JsonFormat
from riskcheck.formats.registry import get_format


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer()
    application.command("report")(report_command)
    application.command("noop")(lambda: None)  # two commands, so 'report' is a subcommand
    return application


@pytest.fixture
def saved(tmp_path: Path, report) -> Path:
    path = tmp_path / "result.json"
    path.write_text(JsonFormat().render(report), encoding="utf-8")
    return path


def _invoke(app, *args: str):
    return CliRunner().invoke(app, ["report", *args], catch_exceptions=True)


@pytest.mark.parametrize("name", ["table", "json", "markdown", "sarif", "csv"])
def test_text_formats_to_stdout(app, saved, report, name, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    result = _invoke(app, str(saved), "--format", name)
    assert result.exit_code == 0, result.output
    expected = get_format(name).render(report)
    assert result.stdout_bytes.decode("utf-8") == expected


def test_json_round_trips_byte_for_byte(app, saved):
    result = _invoke(app, str(saved), "--format", "json")
    assert result.stdout == saved.read_text(encoding="utf-8")


def test_pdf_to_file_and_extra_reports(app, saved, tmp_path: Path):
    pdf, sarif, csv_path = tmp_path / "r.pdf", tmp_path / "r.sarif", tmp_path / "r.csv"
    result = _invoke(app, str(saved), "--format", "pdf", "-o", str(pdf),
                     "--report", f"sarif={sarif}", "--report", f"csv={csv_path}")
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert csv_path.read_text(encoding="utf-8").startswith("scope,model,")


def test_errors_write_nothing(app, saved, tmp_path: Path):
    out = tmp_path / "never.md"
    result = _invoke(app, str(saved), "--format", "markdown", "-o", str(out),
                     "--report", "xml=r.xml")
    assert isinstance(result.exception, InputError) and not out.exists()
    result = _invoke(app, str(tmp_path / "missing.json"), "--format", "nope")
    assert isinstance(result.exception, InputError)
    assert "unknown format 'nope'" in str(result.exception)
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": "1.0"}', encoding="utf-8")
    result = _invoke(app, str(bad), "-o", str(out))
    assert isinstance(result.exception, InputError) and "invalid result" in str(result.exception)
    assert not out.exists()


def test_pdf_refused_on_a_terminal(report, monkeypatch):
    from riskcheck.cli.outputs import emit

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Terminal())
    with pytest.raises(InputError, match="binary"):
        emit(report, "pdf", None)


def test_docstring_ends_with_example():
    assert inspect.cleandoc(report_command.__doc__).splitlines()[-1] == (
        "Example: riskcheck report result.json --format pdf -o report.pdf")
