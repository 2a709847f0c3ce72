"""Format lookup and the --report FORMAT=PATH grammar."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from riskcheck.errors import InputError
from riskcheck.formats.interface import ReportFormat
from riskcheck.formats.registry import (
    format_class,
    BINARY_FORMATS,
    FORMATS,
    TEXT_FORMATS,
    get_format,
    is_binary,
    parse_report_specs,
)


def test_every_format_is_registered():
    assert list(FORMATS) == ["table", "json", "markdown", "sarif", "csv", "pdf", "cyclonedx"]
    assert BINARY_FORMATS == {"pdf"}
    assert TEXT_FORMATS == ("table", "json", "markdown", "sarif", "csv", "cyclonedx")
    for name in FORMATS:
        cls = format_class(name)
        assert issubclass(cls, ReportFormat) and cls.name == name
        assert is_binary(name) is cls.binary


def test_get_format_passes_options_it_accepts():
    table = get_format("TABLE", color=True, width=120)
    assert table.color is True and table.width == 120
    assert get_format("json", color=True).name == "json"


def test_unknown_format():
    with pytest.raises(InputError) as caught:
        get_format("xml")
    assert str(caught.value) == ("unknown format 'xml' (choose one of: table, json, markdown, "
                                 "sarif, csv, pdf, cyclonedx)")


def test_parse_report_specs():
    assert parse_report_specs(["sarif=out/r.sarif", " PDF = audit.pdf "]) == [
        ("sarif", Path("out/r.sarif")), ("pdf", Path("audit.pdf"))]
    assert parse_report_specs([]) == []


@pytest.mark.parametrize("spec, message", [
    ("sarif", "write FORMAT=PATH"),
    ("=x.sarif", "write FORMAT=PATH"),
    ("sarif=", "write FORMAT=PATH"),
    ("xml=r.xml", "unknown format 'xml'"),
    ("json=-", "needs a file path"),
])
def test_bad_report_specs(spec, message):
    with pytest.raises(InputError, match=message):
        parse_report_specs([spec])


def test_same_path_twice_is_refused():
    with pytest.raises(InputError, match="same file"):
        parse_report_specs(["json=r.out", "csv=r.out"])


def test_registry_import_stays_light():
    code = ("import sys, riskcheck.formats.registry\n"
            "print(','.join(m for m in ('reportlab', 'rich', 'jsonschema') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""


def test_lazy_table_agrees_with_the_classes() -> None:
    from riskcheck.formats.registry import BINARY_FORMATS, FORMATS, format_class

    assert {name for name in FORMATS if format_class(name).binary} == BINARY_FORMATS
    for name in FORMATS:
        assert format_class(name).name == name
