"""One hostile corpus through every report format.

Model ids and file names come from the pull request, listed names from downloaded lists,
exception reasons and the project name from policy files. Whatever they hold, each format
stays what it is: the terminal table carries no control character, Markdown renders inert,
JSON and SARIF parse (SARIF against its schema) and keep the values, CSV defuses formulas,
the PDF renders.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace

import jsonschema
import pytest
from markdown_it import MarkdownIt

from riskcheck.formats.registry import get_format
from riskcheck.model import Report

CORPUS = [
    "a``<a href=\"https://evil.example\">x</a>``b",
    "x\r### PASS\x1b[2J\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "@org/admins [link](https://evil.example) <img src=x>",
    "=HYPERLINK(\"https://evil.example\",\"x\")",
    "+cmd|' /C calc'!A0",
    "[/] [link=https://evil.example]markup[/link]",
    "\u202eevil\u202c \u200f\u2066bidi\u2069 a\u2028b\x85c",
    "bad\udcffname/\udc80.py",
    "x" * 3000,
]


def _hostile(report: Report, value: str) -> Report:
    first = report.models[0]
    ref = replace(first.resolution.ref, id=value,
                  location=replace(first.resolution.ref.location, path=value)
                  if first.resolution.ref.location else None)
    match = first.matches[0]
    entity = replace(match.entity, name=value, remarks=value)
    matches = (replace(match, entity=entity), *first.matches[1:])
    findings = tuple(replace(f, summary=value, match=matches[0] if f.match is match else f.match)
                     for f in first.findings)
    model = replace(first, resolution=replace(first.resolution, ref=ref), matches=matches,
                    findings=findings, verdict=value)
    return replace(report, models=(model, *report.models[1:]), warnings=(value,),
                   project=replace(report.project, name=value))


CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("index", range(len(CORPUS)))
def test_every_format_survives_the_corpus(report: Report, sarif_schema_path, index: int) -> None:
    value = CORPUS[index]
    hostile = _hostile(report, value)

    table = get_format("table", color=False).render(hostile)
    assert not CONTROLS.search(table), repr(CONTROLS.search(table))

    html = MarkdownIt("commonmark").enable("table").render(
        get_format("markdown").render(hostile))
    own = MarkdownIt("commonmark").enable("table").render(
        get_format("markdown").render(_hostile(report, "plain")))
    assert html.count("<a ") == own.count("<a "), "a value became a link"
    assert "<img" not in html and "<script" not in html
    assert not re.search(r"@org/admins", html), "a live mention"

    data = json.loads(get_format("json").render(hostile))
    assert data["project"]["name"] == value  # the value kept, as data
    sarif = json.loads(get_format("sarif").render(hostile))
    jsonschema.Draft7Validator(json.loads(sarif_schema_path.read_text(encoding="utf-8"))) \
        .validate(sarif)
    from riskcheck.encoding import utf8

    for text in (get_format("json").render(hostile), get_format("sarif").render(hostile)):
        json.loads(utf8(text).decode("utf-8"))  # what is written is valid UTF-8 JSON

    rows = list(csv.reader(io.StringIO(get_format("csv").render(hostile))))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")) or cell[:1] == "'" or \
                re.fullmatch(r"-?\d+(\.\d+)?", cell), cell

    pdf = get_format("pdf").render(hostile)
    assert pdf.startswith(b"%PDF-")
