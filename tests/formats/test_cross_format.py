"""Every format tells the same facts: models, levels, matched entities, list versions.

Each format is read back with the parser that suits it (JSON and SARIF as data, CSV rows,
text for table/Markdown/PDF) and compared with the JSON result, the reference.
"""

from __future__ import annotations

import csv
import io
import json
import re
import typing
import unicodedata

import pytest
from pypdf import PdfReader

from riskcheck.formats import facts
from riskcheck.formats.markdown import code, esc
from riskcheck.formats.registry import FORMATS, get_format
from riskcheck.formats.sarif import SarifFormat
from riskcheck.model import Finding, FindingKind, Level


@pytest.fixture(scope="module")
def rendered(make) -> dict[str, typing.Any]:
    report = make()
    out: dict[str, typing.Any] = {}
    for name in FORMATS:
        renderer = get_format(name, width=400)  # no wrapping: names stay on one line
        out[name] = renderer.render(report)
    out["pdf_text"] = unicodedata.normalize("NFKC", "\n".join(
        page.extract_text() or "" for page in PdfReader(io.BytesIO(out["pdf"])).pages))
    return out


@pytest.fixture(scope="module")
def reference(rendered) -> dict[str, typing.Any]:
    data = json.loads(rendered["json"])
    return {
        "levels": {m["ref"]["id"]: m["level"] for m in data["models"]},
        "entities": {e["entity"]["name"] for m in data["models"] for e in m["matches"]},
        "versions": [(v["source"], v["published"], v["version"]) for v in data["list_versions"]],
        "flagged": {m["ref"]["id"] for m in data["models"] if m["findings"]},
    }


def test_csv_agrees(rendered, reference):
    rows = [r for r in csv.DictReader(io.StringIO(rendered["csv"])) if r["scope"] == "model"]
    assert {r["model"]: r["model_level"] for r in rows} == reference["levels"]
    assert {r["listed_name"] for r in rows if r["listed_name"]} == reference["entities"]
    # CSV is one row per model and finding; list versions live in the other formats.


def test_sarif_agrees(rendered, reference):
    run = json.loads(rendered["sarif"])["runs"][0]
    levels = {r["properties"]["model"]: r["properties"]["modelLevel"]
              for r in run["results"] if "model" in r["properties"]}
    assert set(levels) == reference["flagged"]
    assert all(levels[m] == reference["levels"][m] for m in levels)
    names = {r["properties"]["listedEntity"]["name"] for r in run["results"]
             if "listedEntity" in r["properties"]}
    assert names == reference["entities"]
    assert [(v["source"], v["published"], v["version"])
            for v in run["properties"]["listVersions"]] == reference["versions"]


def test_table_agrees(rendered, reference):
    text = rendered["table"]
    for model_id, level in reference["levels"].items():
        row = next(line for line in text.splitlines() if line.strip().startswith(model_id))
        assert re.search(rf"\b{level.upper()}\b", row), row
    for name in reference["entities"]:
        assert name in text
    for source, published, _ in reference["versions"]:
        assert f"{source} {published}" in text.splitlines()[1]


def test_markdown_agrees(rendered, reference):
    text = rendered["markdown"]
    for model_id, level in reference["levels"].items():
        # One row per model in the table that opens the comment: model | vendor | country | level
        row = re.search(rf"^\| {re.escape(code(model_id))} \| [^|]* \| [^|]* \| \S+ "
                        rf"{level.upper()} \|", text, re.M)
        assert row, model_id
    for name in reference["entities"]:
        assert esc(name) in text
    data = next(line for line in text.splitlines() if line.startswith("Data: "))
    for source, published, version in reference["versions"]:
        assert f"{esc(source)} {published}" in data  # under "published"
        assert f"{esc(source)} {version[:12]}" in text  # its sha256, as lists status shows it


def test_pdf_agrees(rendered, reference):
    text = rendered["pdf_text"]
    squashed = re.sub(r"\s+", "", text)
    for model_id, level in reference["levels"].items():
        assert re.sub(r"\s+", "", model_id) in squashed
        if model_id in reference["flagged"]:
            assert f"{level.upper()} {model_id}" in text, model_id
    for name in reference["entities"]:
        assert re.sub(r"\s+", "", name) in squashed
    for source, published, version in reference["versions"]:
        assert source in text and published in text and version[:32] in text


def test_every_finding_kind_has_help():
    assert set(typing.get_args(FindingKind)) <= set(facts.KIND_HELP)


def test_unknown_kind_still_reported(report):
    from dataclasses import replace

    novel = Finding("brand-new-kind", Level.HIGH, "a kind this version has no help for")  # type: ignore[arg-type]
    r = replace(report, project_findings=(novel,))
    run = json.loads(SarifFormat().render(r))["runs"][0]
    assert any(rule["id"] == "riskcheck/brand-new-kind" for rule in run["tool"]["driver"]["rules"])
    assert run["results"][-1]["ruleId"] == "riskcheck/brand-new-kind"
    for name in ("table", "markdown", "csv"):
        assert "a kind this version has no help for" in get_format(name, width=300).render(r)
