"""The terminal table: content, plain vs colour, width, wide characters."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest
from rich.cells import cell_len

from riskcheck.formats.table import TableFormat
from riskcheck.model import Organisation, Party, Report, Resolution


def test_plain_text_has_every_fact(report):
    text = TableFormat(width=260).render(report)
    assert "\x1b[" not in text
    for expected in ("qwen2.5:7b", "Alibaba Cloud (CN)", "↳ Alibaba Group (CN; inc. KY)",
                     "1260H Alibaba Group Holding Limited (Alibaba) 0.97",
                     "EL Beijing Zhipu Huazhang Technology Co., Ltd. 1.00",
                     "SDN PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA 0.95",
                     "UK Sberbank of Russia 0.93", "exception EXC-2026-004", "possible",
                     "served by Z.ai (Singapore) (SG)", "unresolved", "not screened",
                     "Mistral AI (FR)", "CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE",
                     "OK: no list match (vendor in FR)", "line 8"):
        assert expected in text, expected


def test_header_summary_and_warnings(report, bundled_report):
    text = TableFormat(width=200).render(report)
    lines = text.splitlines()
    assert lines[0].startswith("riskcheck 0.1.0 · rag-app (platform-security@example.com)")
    assert lines[1].startswith("Data: 6 stored lists: published us_csl 2026-11-20")
    assert "(stale: us_dod_1260h)" in lines[1]
    summary = next(line for line in lines if line.startswith("Overall:"))
    assert summary == ("Overall: CRITICAL (score 1.00) · 6 models: 2 critical, 1 high, "
                       "1 medium, 1 low, 1 none; 1 unresolved · FAIL at fail-on high")
    assert lines[-1] == "warning: 1 model unresolved: acme-internal/summarizer-v2"
    assert "Project findings:" in text and "3 of 6 models" in text
    assert "  NONE mistralai/Mistral-7B-Instruct-v0.3: OK: no list match (vendor in FR)" in lines
    assert "  CRITICAL zai/glm-4.6: CRITICAL: vendor on the Entity List (Beijing Zhipu Huazhang)" \
        in lines
    assert "Used in code but not declared in the manifest (assessed above):" in lines
    assert "  deepseek-ai/DeepSeek-R1-Distill-Qwen-7B (src/app/embed.py:22)" in lines
    bundled = TableFormat(width=200).render(bundled_report)
    assert "Data: bundled snapshot compiled 2026-11-28 (newest listing in it 2026-11-01)" in bundled


def test_pass_line(report):
    passing = replace(report, failed=False)
    assert "PASS at fail-on high" in TableFormat(width=100).render(passing)


def test_width_follows_columns_and_ids_are_not_broken(report, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    wide = TableFormat().render(report)
    assert max(cell_len(line) for line in wide.splitlines()) > 100
    monkeypatch.setenv("COLUMNS", "80")
    long_id = "meta-llama/Llama-3.1-8B-Instruct"
    model = report.models[0]
    renamed = replace(model, resolution=replace(
        model.resolution, ref=replace(model.resolution.ref, id=long_id)))
    narrow = TableFormat().render(replace(report, models=(renamed, *report.models[1:])))
    assert max(cell_len(line) for line in narrow.splitlines()) <= 80
    table_part = narrow.split("Verdicts:")[0]
    assert long_id in table_part  # whole on one line of the Model column


def test_colour_only_when_asked(report):
    assert "\x1b[" in TableFormat(color=True).render(report)
    assert "\x1b[" not in TableFormat(color=False).render(report)


def test_lines_fit_width_100_with_wide_characters(report, names):
    # Put native-script vendor names in the table: wide CJK glyphs take two cells each.
    glm = report.models[1]
    vendor = Organisation(id="zhipu", name=names["cjk"], country="CN")
    res = replace(glm.resolution, parties=(Party(vendor, "vendor", "publisher"),))
    wide = replace(report, models=(replace(glm, resolution=res),) + report.models[2:])
    text = TableFormat(width=100).render(wide)
    assert names["cjk"][:4] in text
    for line in text.splitlines():
        assert cell_len(line) <= 100, line


def test_unresolved_without_hint_and_no_vendor(report):
    ref = report.models[4].resolution.ref
    bare = replace(report.models[4], resolution=Resolution(ref=ref, status="unresolved"))
    text = TableFormat().render(replace(report, models=(bare,)))
    assert "unresolved" in text and "not screened" in text


def _rich_layout(fmt: TableFormat, report: Report) -> str:
    """The same cells and paragraphs laid out by rich itself (a plain ``Table``, ``SIMPLE_HEAD``)."""
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    def text(cell: Any) -> Text:
        built = Text()
        for run, style in cell.runs:
            built.append(run, style)
        return built

    buffer = io.StringIO()
    console = Console(file=buffer, width=fmt.width, color_system=None, no_color=True,
                      highlight=False, emoji=False, markup=False, legacy_windows=False)
    for cell in fmt._header(report):
        console.print(text(cell), overflow="fold")
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False)
    # The Model column's width is the table's own choice (the longest id, up to 2/5 of the line).
    table.add_column("Model", overflow="fold", width=fmt._column_widths(report)[0])
    table.add_column("Vendor / parent (country)", ratio=4, overflow="fold")
    table.add_column("List matches (list, listed name, score)", ratio=6, overflow="fold")
    table.add_column("Level", width=8, no_wrap=True)
    for index, assessment in enumerate(report.models):
        if index:
            table.add_row("", "", "", "")
        table.add_row(text(fmt._model_cell(assessment, report.project.path)),
                      text(fmt._vendor_cell(assessment)), text(fmt._matches_cell(assessment)),
                      text(fmt._level(assessment.level)))
    console.print(table)
    for cell in (*fmt._verdicts(report), *fmt._project_findings(report)):
        console.print(text(cell), overflow="fold")
    console.print()
    if report.undeclared:
        console.print("Used in code but not declared in the manifest (assessed above):", overflow="fold")
    for ref in report.undeclared:
        where = f" ({ref.location.path}:{ref.location.line})" if ref.location else ""
        console.print(text(fmt._styled(f"  {ref.id}{where}")), overflow="fold")
    console.print(text(fmt._summary(report)), overflow="fold")
    for warning in report.warnings:
        console.print(text(fmt._styled(f"warning: {warning}")), overflow="fold")
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


@pytest.mark.parametrize("width", [50, 64, 80, 100, 133, 200, 400])
def test_layout_is_the_one_rich_would_draw(report, names, width):
    # The table is laid out without rich's renderables (too slow for every check); rich stays
    # the reference for where lines break, folded words, wide characters and tabs.
    glm = report.models[1]
    vendor = Organisation(id="zhipu", name=names["cjk"] * 3 + "\ttab\x07bell", country="CN")
    res = replace(glm.resolution, parties=(Party(vendor, "vendor", "publisher"),))
    long_id = replace(res.ref, id="an-organisation-with-a-long-name/" + "x" * 90)
    odd = replace(report.models[2], resolution=replace(report.models[2].resolution, ref=long_id))
    tricky = replace(report, models=(replace(glm, resolution=res), odd, *report.models),
                     undeclared=())
    for each in (report, tricky, replace(report, models=())):
        fmt = TableFormat(width=width)
        assert fmt.render(each) == _rich_layout(fmt, each)


def test_colour_marks_levels_and_names(report):
    text = TableFormat(color=True, width=100).render(report)
    assert "\x1b[1;37;41mCRITICAL\x1b[0m" in text
    assert "\x1b[1mqwen2.5:7b\x1b[0m" in text
    for line in text.splitlines():
        assert cell_len(re.sub(r"\x1b\[[0-9;]*m", "", line)) <= 100, line


def test_a_run_failed_by_an_undeclared_model_says_so(report):
    from riskcheck.formats.facts import verdict_phrase
    from riskcheck.model import Level

    passing_level = replace(report, level=Level.LOW, failed=True,
                            project=replace(report.project, policy=replace(
                                report.project.policy, fail_on=Level.CRITICAL,
                                fail_on_unresolved=False)))
    assert report.undeclared
    assert verdict_phrase(passing_level) == (
        "FAIL: 1 model used in the code but not declared (--fail-on-undeclared)")
    assert verdict_phrase(replace(passing_level, failed=False)) == "PASS at fail-on critical"


def test_details_show_every_finding_and_the_short_table_says_how(report):
    several = [a for a in report.models if len(a.findings) > 1]
    assert several
    short = TableFormat(width=120).render(report)
    detailed = " ".join(TableFormat(width=120, details=True).render(report).split())
    assert "--details, -v" in short
    for assessment in several:
        for finding in assessment.findings:
            assert " ".join(finding.summary.split()) in detailed
    assert "more finding" not in detailed.split("Verdicts:")[1].split("Overall:")[0]
