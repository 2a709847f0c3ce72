"""Markdown for pull-request comments: verdict and table first, each explanation once, a
budget that folds the least severe models."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from riskcheck.formats.markdown import (
    DEFAULT_BUDGET, GITHUB_COMMENT_LIMIT, LEVEL_BADGES, MarkdownFormat, code, esc, headline,
)
from riskcheck.model import Finding, Level, ListEntity, Policy, Report


REPO = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| <code>(.*?)</code> \| [^|]* \| [^|]* \| \S+ (\w+) \| (.*) \|$", re.M)


def _rows(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2).lower()) for m in ROW.finditer(text)]


def test_verdict_then_table_of_every_model_most_severe_first(report):
    text = MarkdownFormat().render(report)
    lines = text.splitlines()
    assert lines[0] == "## riskcheck: 🟥 CRITICAL — ❌ FAIL at fail-on high"
    assert "6 models: 2 critical, 1 high, 1 medium, 1 low, 1 none; 1 unresolved" in text
    assert text.index("| Model | Vendor | Country | Level | Reason |") < \
        text.index("### Findings by model")
    rows = _rows(text)
    assert {m for m, _ in rows} == {a.resolution.ref.id for a in report.models}
    order = [Level[level.upper()] for _, level in rows]
    assert order == sorted(order, reverse=True)
    assert "### Warnings" in text and "### Exceptions in force" in text


def test_one_block_per_model_with_findings(report):
    text = MarkdownFormat().render(report)
    with_findings = [a for a in report.models if a.findings]
    for assessment in with_findings:
        assert f"<summary>{code(assessment.resolution.ref.id)} — " in text
    blocks = text.count("<summary><code>")
    assert blocks == len(with_findings)
    assert text.count("<details>") == text.count("</details>")


def _explanations(text: str, source: str, source_id: str) -> int:
    return text.count(f"({esc(source)} {code(source_id)}, score")


def test_each_match_explained_once(report):
    text = MarkdownFormat().render(report)
    matches = {(m.entity.source, m.entity.source_id) for a in report.models for m in a.matches
               if any(f.match is m for f in a.findings)}
    assert matches
    for source, source_id in matches:
        assert _explanations(text, source, source_id) == 1, source_id
    # The scorer's own restatement of the explanation is not printed beside it.
    assert "matched '" not in text and "list record: " not in text
    assert "; country agrees (CN) +0.05;" in text  # the qualifiers, on the match's line
    # The token alignment for the match a reviewer must confirm (band possible), not for the
    # confirmed ones.
    assert text.count("- alignment: ") == 1
    assert "- alignment: 'معهد'='معهد' literal" in text
    # The record's own citation is a numbered source, labelled by its record.
    assert "[el-2025-00704-1: 90 FR 4617](https://www.federalregister.gov/d/2025-00704)" in text


FOUR_MODEL_EXAMPLES = sorted(
    path.parent.name for path in (REPO / "examples").glob("*/riskcheck.yaml")
    if len(yaml.safe_load(path.read_text(encoding="utf-8"))["models"]) == 4)


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("example", FOUR_MODEL_EXAMPLES)
def test_four_model_example_explains_each_match_once_in_8000_characters(example: str) -> None:
    """Issue 19: a 4-model report is at most 8 KB. The exposed-stack example repeats one
    parent's listings under two models and three ownership findings: each record's
    explanation is printed once, and every model at or above medium is in the table."""
    manifest = REPO / "examples" / example / "riskcheck.yaml"
    data = json.loads(_check(manifest, "--format", "json").stdout)
    text = _check(manifest).stdout
    assert len(text) <= 8_000, len(text)
    shown, counted = set(), set()
    for model in data["models"]:
        level = Level.parse(model["level"])
        for f in model["findings"]:
            if f.get("match_ref") is None:
                continue
            entity = model["matches"][f["match_ref"]]["entity"]
            # The findings at the model's level are explained; those below it counted.
            below = Level.parse(f["level"]) < level
            (counted if below else shown).add((entity["source"], entity["source_id"]))
    for source, source_id in shown:
        assert _explanations(text, source, source_id) == 1, source_id
    for source, source_id in counted - shown:
        assert _explanations(text, source, source_id) == 0, source_id
    serious = {m["ref"]["id"] for m in data["models"]
               if Level.parse(m["level"]) >= Level.MEDIUM}
    assert serious <= {model for model, _ in _rows(text)}


def test_four_model_examples_exist() -> None:
    assert {"rag-app", "exposed-stack"} <= set(FOUR_MODEL_EXAMPLES)


def _check(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    options = args or ("--format", "markdown")
    result = subprocess.run([sys.executable, "-m", "riskcheck", "-q", "check", str(path),
                             "--offline", "--bundled", *options],
                            capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode in (0, 1), result.stderr
    return result


def test_headline_is_the_listing_before_the_country_at_the_same_level(report):
    model = report.models[0]
    country = Finding("jurisdiction", Level.HIGH, "vendor based in CN", score=0.9)
    listing = Finding("parent-list-match", Level.HIGH, "parent on the Entity List", score=0.8)
    lower = Finding("list-match", Level.MEDIUM, "a review match", score=0.99)
    changed = replace(model, findings=(country, lower, listing), level=Level.HIGH)
    assert headline(changed) is listing
    row = next(r for r in MarkdownFormat().render(replace(report, models=(changed,)))
               .splitlines() if r.startswith(f"| {code(model.resolution.ref.id)} |"))
    assert row.endswith("| parent on the Entity List |")


@pytest.mark.parametrize("size", [50, 200, 500])
def test_large_reports_stay_within_the_budget(make, size: int) -> None:
    report = make(size)
    text = MarkdownFormat().render(report)
    assert len(text) <= DEFAULT_BUDGET < GITHUB_COMMENT_LIMIT
    rows = _rows(text)
    serious = [a for a in report.models if a.level >= Level.MEDIUM]
    named = {m for m, _ in rows}
    if size <= 200:
        # Every model at or above medium keeps its row.
        assert {a.resolution.ref.id for a in serious} <= named
    _check_folding(report, text)


def _check_folding(report: Report, text: str) -> None:
    rows = _rows(text)
    folded = len(report.models) - len(rows)
    if folded:
        counts = re.search(r"^\| … \| — \| — \| — \| (\d+) more models? \((.*?)\) \|$",
                           text, re.M)
        assert counts and int(counts.group(1)) == folded
        shown = min(Level[level.upper()] for _, level in rows) if rows else Level.CRITICAL
        hidden = {a.level for a in report.models if a.resolution.ref.id not in
                  {m for m, _ in rows}}
        assert max(hidden) <= shown  # the least severe go first
        assert "This comment is shortened" in text and "full report" in text


def test_a_small_budget_folds_least_severe_models_and_points_to_the_artifacts(report):
    full = MarkdownFormat().render(report)
    small = MarkdownFormat(budget=3_500, artifacts=["riskcheck.json", "report.pdf"]).render(
        report)
    assert len(small) <= 3_500 < len(full)
    assert "> [!NOTE]" in small
    assert f"the full report in {code('riskcheck.json')}, {code('report.pdf')} has" in small
    _check_folding(report, small)
    # The most severe model is still named, with its reason.
    assert _rows(small)[0][0] == "zai/glm-4.6"


def test_every_budget_is_kept_even_for_enormous_values(report):
    huge = "x" * 50_000
    first = report.models[0]
    models = tuple(replace(a, verdict=huge, resolution=replace(
        a.resolution, ref=replace(a.resolution.ref, id=huge + str(i))))
        for i, a in enumerate(report.models * 40))
    hostile = replace(report, models=models, warnings=(huge,) * 100,
                      project=replace(report.project, name=huge))
    assert first
    for budget in (2_000, 10_000, DEFAULT_BUDGET):
        text = MarkdownFormat(budget=budget).render(hostile)
        assert len(text) <= budget
        html = MarkdownIt("commonmark").enable("table").render(text)
        assert "<script" not in html and "<img" not in html


def test_dates_and_versions_are_labelled(report, bundled_report):
    text = MarkdownFormat().render(report)
    data = next(line for line in text.splitlines() if line.startswith("Data: "))
    assert "published us_csl 2026-11-20, ofac_sdn 2026-11-25" in data
    versions = next(line for line in text.splitlines() if line.startswith("Stored versions"))
    assert versions.startswith("Stored versions (sha256): us_csl ")
    assert "us_dod_1260h efeb81fbe1e8 ⚠️ **stale**" in versions
    bundled = MarkdownFormat().render(bundled_report)
    assert "> [!WARNING]" in bundled
    assert "bundled snapshot compiled 2026-11-28 (newest listing in it 2026-11-01)" in bundled
    # A snapshot label is a version, never shown under a sha256 heading.
    assert "sha256" not in bundled
    assert f"version {code('snapshot-2026-11-01')}" in bundled


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
    finding = replace(report.models[0].findings[0], match=bad_match, summary=evil)
    model = replace(report.models[0], matches=(bad_match,),
                    findings=(finding,) + report.models[0].findings[1:])
    text = MarkdownFormat().render(replace(report, models=(model,)))
    assert "<script>" not in text and "Evil | Corp" not in text
    assert "Evil &#124; Corp &lt;script&gt;" in text
    assert "](http://e.vil)" not in text
    table_rows = [line for line in text.splitlines() if "Evil" in line and line.startswith("|")]
    assert table_rows and all(row.count(" | ") == 4 for row in table_rows)


def test_badges_cover_every_level():
    assert set(LEVEL_BADGES) == set(Level)


def test_esc():
    assert esc("a|b\nc") == "a&#124;b c"
    assert esc("<b>") == "&lt;b&gt;"
    assert esc("abcdef", 4) == "abc…"
    assert esc("one two three four five", 20) == "one two three four…"


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_budget_option_on_check_and_report(tmp_path: Path) -> None:
    for command in ("check", "report"):
        result = subprocess.run([sys.executable, "-m", "riskcheck", command, "--help"],
                                capture_output=True, text=True, timeout=120, cwd=REPO)
        assert "--markdown-budget CHARS" in result.stdout
    saved = tmp_path / "result.json"
    _check(REPO / "examples" / "exposed-stack" / "riskcheck.yaml", "--format", "json",
           "-o", str(saved))
    result = subprocess.run([sys.executable, "-m", "riskcheck", "report", str(saved),
                             "--format", "markdown", "--markdown-budget", "2500"],
                            capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.rstrip("\n")) <= 2500
    assert code(str(saved)) in result.stdout  # the pointer names the full result
    too_small = subprocess.run([sys.executable, "-m", "riskcheck", "report", str(saved),
                                "--format", "markdown", "--markdown-budget", "10"],
                               capture_output=True, text=True, timeout=120, cwd=REPO)
    assert too_small.returncode == 2 and "2000" in too_small.stderr


def test_findings_below_the_model_level_are_counted_by_kind(report):
    """Below the model's own level: one line per level, each kind counted with its lists,
    band and score; the full report explains each. The listed name is not repeated."""
    model = report.models[0]
    assert model.level > Level.MEDIUM
    match = replace(model.matches[0], band="possible", score=0.72,
                    entity=replace(model.matches[0].entity, source_id="el-other",
                                   name="Zhipu Other Holdings"))
    weak = Finding("list-match", Level.LOW, "vendor possibly matches Zhipu Other Holdings",
                   match=match, score=0.3, details=("matched 'x' to 'y' (band possible)",))
    changed = replace(model, findings=(*model.findings, weak), matches=(*model.matches, match))
    text = MarkdownFormat().render(replace(report, models=(changed, *report.models[1:])))
    block = text.split(f"<summary>{code(model.resolution.ref.id)}", 1)[1]
    block = block.split("</details>", 1)[0]
    lines = [li for li in block.splitlines() if " more (full report): " in li]
    lists = ", ".join(match.all_lists)
    assert lines == ["- **MEDIUM** 1 more (full report): Vendor jurisdiction",
                     "- **LOW** 1 more (full report): Vendor on an official "
                     f"list ({lists}; possible 0.72)"]
    assert "Zhipu Other Holdings" not in text
    assert _explanations(text, match.entity.source, "el-other") == 0
