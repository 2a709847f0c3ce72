"""CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from riskcheck.formats.csv_format import HEADER, CsvFormat, defuse


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_header_is_stable(report):
    text = CsvFormat().render(report)
    assert text.splitlines()[0].split(",") == list(HEADER)
    assert HEADER[:3] == ("scope", "model", "model_level")


def test_one_row_per_model_and_finding(report):
    rows = _rows(CsvFormat().render(report))
    expected = sum(max(1, len(a.findings)) for a in report.models) + len(report.project_findings)
    assert len(rows) == expected + len(report.undeclared)
    assert all(len(row) == len(HEADER) for row in rows)
    mistral = [r for r in rows if r["model"].startswith("mistralai/")]
    assert len(mistral) == 1 and mistral[0]["finding_kind"] == "" and \
        mistral[0]["model_level"] == "none"
    sber = [r for r in rows if r["model"].startswith("ai-sage/")]
    assert {r["lists"] for r in sber} == {"SDN", "EU", "UK"}
    assert rows[-3]["scope"] == "project" and rows[-3]["finding_kind"] == "concentration"
    assert rows[-1]["scope"] == "undeclared"
    assert rows[-1]["model"] == "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"
    assert rows[-1]["location"] == "src/app/embed.py:22:9"
    falcon = next(r for r in rows if r["model"].startswith("tiiuae/"))
    assert falcon["exception_id"] == "EXC-2026-004" and falcon["band"] == "possible"


def test_formula_injection_is_defused(report):
    match = report.models[0].matches[0]
    bad = replace(match, entity=replace(match.entity, name="=HYPERLINK(\"http://e.vil\")"))
    finding = replace(report.models[0].findings[0], match=bad,
                      summary="+cmd|' /C calc'!A0")
    model = replace(report.models[0], matches=(bad,), findings=(finding,))
    rows = _rows(CsvFormat().render(replace(report, models=(model,))))
    assert rows[0]["listed_name"] == "'=HYPERLINK(\"http://e.vil\")"
    assert rows[0]["finding_summary"].startswith("'+cmd")
    assert defuse("-1") == "'-1" and defuse("@x") == "'@x" and defuse("ok") == "ok"
    assert defuse(None) == ""


def test_native_names_survive(report, names):
    text = CsvFormat().render(report)
    assert names["cjk"] in text and names["arabic_alias"] in text


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"https://evil.example\",\"x\")", "@SUM(A1:A2)",
                                  "+1", "-1", " =1", "\uff1dcmd", "\tx", "\rx"])
def test_every_formula_start_is_defused(cell: str) -> None:
    assert defuse(cell) == "'" + cell


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_screen_csv_defuses_names_from_input_and_lists(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import csv
    import io
    import subprocess
    import sys

    names = tmp_path / "suppliers.csv"
    names.write_text('name,country\n"=HYPERLINK(""https://evil.example"",""SenseTime"")",CN\n'
                     "@SUM(1+1),\nSenseTime Group,CN\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "riskcheck", "screen", "--input", str(names),
                             "--format", "csv", "--jobs", "1"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode in (0, 1), result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells and not [c for c in cells if c.lstrip(" ").startswith(("=", "+", "@"))]
    assert any(c.startswith("'=HYPERLINK(") for c in cells)
    assert any(c == "'@SUM(1+1)" for c in cells)


def test_coverage_rows_follow_the_models(report):
    from riskcheck.model import SourceCoverage

    coverage = (SourceCoverage(source="ofac_sdn", state="stored", version="abc123",
                               published="2026-12-01", fetched_at="2026-12-03T10:00:00+00:00",
                               record_count=18000, required=True),
                SourceCoverage(source="us_csl", state="bundled", version="snapshot-2026-11-29",
                               record_count=40, snapshot_date="2026-11-29", required=True),
                SourceCoverage(source="un_sc", state="missing", required=True))
    rows = _rows(CsvFormat().render(replace(report, coverage=coverage)))
    tail = rows[-3:]
    assert [r["scope"] for r in tail] == ["coverage"] * 3
    assert [(r["entity_source"], r["listing_status"]) for r in tail] == [
        ("ofac_sdn", "stored"), ("us_csl", "bundled"), ("un_sc", "missing")]
    assert tail[0]["listed_on"] == "2026-12-01" and tail[1]["listed_on"] == "2026-11-29"
    assert tail[2]["finding_summary"] == "un_sc missing" and tail[2]["verdict"] == "required"
    assert rows[-4]["scope"] == "undeclared"
    assert all(len(r) == len(HEADER) for r in rows)
