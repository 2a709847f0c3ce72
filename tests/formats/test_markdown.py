"""Markdown for pull-request comments."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from riskcheck.formats.markdown import MarkdownFormat, code, esc
from riskcheck.model import ListEntity, Policy


def test_summary_and_sections(report):
    text = MarkdownFormat().render(report)
    lines = text.splitlines()
    assert lines[0] == "## riskcheck: 🟥 CRITICAL — ❌ FAIL at fail-on high"
    assert "6 models: 2 critical, 1 high, 1 medium, 1 low, 1 none; 1 unresolved" in text
    for model_id in ("qwen2.5:7b", "zai/glm-4.6", "ai-sage/GigaChat-20B-A3B-instruct",
                     "tiiuae/Falcon3-7B-Instruct", "acme-internal/summarizer-v2"):
        assert f"### {code(model_id)}" in text
    assert "### Models without findings" in text
    assert code("mistralai/Mistral-7B-Instruct-v0.3") in text
    assert "### List versions screened" in text
    assert text.count("| <code>us&#95;") == 2 and "⚠️ stale" in text
    assert "### Warnings" in text


def test_details_block_per_explained_finding(report):
    text = MarkdownFormat().render(report)
    explained = sum(1 for a in report.models for f in a.findings if f.match or f.details)
    explained += sum(1 for f in report.project_findings if f.match or f.details)
    assert text.count("<details>") == explained == text.count("</details>")
    assert "- Alignment: " in text and "- Qualifiers: country agrees (CN) +0.05" in text
    assert "[90 FR 4617](https://www.federalregister.gov/d/2025-00704)" in text


def test_exceptions_in_force(report):
    text = MarkdownFormat().render(report)
    section = text.split("### Exceptions in force", 1)[1]
    assert code("EXC-2026-004") in section and code("tiiuae/Falcon3-7B-Instruct") in section


def test_policy_exceptions_rendered_defensively(report):
    @dataclass(frozen=True)
    class Approved:
        id: str
        model: str
        lists: tuple[str, ...]
        approver: str
        created: str
        expires: str
        reason: str

    @dataclass(frozen=True)
    class PolicyWithExceptions(Policy):
        exceptions: tuple = field(default=())  # type: ignore[assignment]

    policy = PolicyWithExceptions(exceptions=(Approved(
        "EXC-1", "qwen2.5:7b", ("1260H",), "A. Auditor", "2026-10-01", "2027-01-01",
        "contract review | legal <ok>"),))
    text = MarkdownFormat().render(replace(report, project=replace(report.project,
                                                                   policy=policy)))
    assert "| EXC-1 | qwen2.5:7b | 1260H | A. Auditor | 2026-10-01 | 2027-01-01 |" in text
    assert "contract review &#124; legal &lt;ok&gt;" in text


def test_names_cannot_break_tables_or_inject_html(report):
    evil = "Evil | Corp <script>alert(1)</script> [x](http://e.vil) *b*"
    match = report.models[0].matches[0]
    entity: ListEntity = replace(match.entity, name=evil)
    bad_match = replace(match, entity=entity)
    finding = replace(report.models[0].findings[0], match=bad_match)
    model = replace(report.models[0], matches=(bad_match,),
                    findings=(finding,) + report.models[0].findings[1:])
    text = MarkdownFormat().render(replace(report, models=(model,)))
    assert "<script>" not in text and "Evil | Corp" not in text
    assert "Evil &#124; Corp &lt;script&gt;" in text
    assert "](http://e.vil)" not in text
    table_rows = [line for line in text.splitlines() if "Evil" in line and line.startswith("|")]
    assert table_rows and all(row.count(" | ") == 5 for row in table_rows)


def test_bundled_notice(bundled_report):
    text = MarkdownFormat().render(bundled_report)
    assert "> [!WARNING]" in text and "bundled snapshot as of 2026-11-01" in text


def test_esc():
    assert esc("a|b\nc") == "a&#124;b c"
    assert esc("<b>") == "&lt;b&gt;"
