"""``riskcheck whatif`` output: table, JSON, Markdown and CSV of a :class:`ScenarioResult`.

Every value from a project (names, model ids, vendor names) is data: the table strips
terminal controls, Markdown escapes through ``esc``, CSV defuses formulas.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from riskcheck.model import ScenarioResult

SCHEMA_VERSION = "1.0"
FORMATS = ("table", "json", "markdown", "csv")


def scenario_phrase(result: ScenarioResult) -> str:
    """``Alibaba Group (alibaba-group) and every organisation based in CN on SDN``."""
    a = result.assumption
    parts = [f"{name} ({org_id})" for org_id, name in result.assumed_names]
    parts += [f"every organisation based in {code}" for code in a.countries]
    listed = a.list_code + (f" (program {a.program})" if a.program else "")
    return f"{' and '.join(parts) or 'nothing'} listed on {listed}"


def summary(result: ScenarioResult) -> dict[str, Any]:
    """Counts over the projects and models."""
    raised = [m for m in result.affected if m.after > m.before]
    return {
        "projects": len(result.projects),
        "projects_affected": len({m.project for m in result.affected}),
        "models": sum(p.models for p in result.projects),
        "models_affected": len(result.affected),
        "models_raised": len(raised),
        "projects_failing_before": sum(p.failed_before for p in result.projects),
        "projects_failing_after": sum(p.failed_after for p in result.projects),
        "newly_failing": [p.project for p in result.newly_failing],
    }


def to_dict(result: ScenarioResult) -> dict[str, Any]:
    """The documented JSON shape: scenario, affected models, projects, summary, warnings."""
    a = result.assumption
    return {
        "schema_version": SCHEMA_VERSION,
        "scenario": {
            "organisations": [{"id": i, "name": n} for i, n in result.assumed_names],
            "countries": list(a.countries),
            "list": a.list_code,
            "program": a.program,
            "description": scenario_phrase(result),
        },
        "affected": [{"project": m.project, "model": m.model, "usage": m.usage,
                      "before": m.before.label, "after": m.after.label, "via": list(m.via),
                      "alternatives": list(m.alternatives)} for m in result.affected],
        "projects": [{"project": p.project, "path": p.path, "before": p.before.label,
                      "after": p.after.label, "fail_on": p.fail_on.label,
                      "failed_before": p.failed_before, "failed_after": p.failed_after,
                      "models": p.models} for p in result.projects],
        "summary": summary(result),
        "warnings": list(result.warnings),
    }


def render(result: ScenarioResult, format_name: str, width: int | None = None) -> str:
    """The result in ``format_name`` (one of :data:`FORMATS`)."""
    if format_name == "json":
        return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"
    if format_name == "markdown":
        return _markdown(result)
    if format_name == "csv":
        return _csv(result)
    return _table(result, width)


def _outcome(failed: bool) -> str:
    return "FAIL" if failed else "pass"


def _markdown(result: ScenarioResult) -> str:
    from riskcheck.formats.markdown import code, esc

    s = summary(result)
    lines = [f"## What if: {esc(scenario_phrase(result))}", "",
             f"**{s['models_affected']}** of {s['models']} models in "
             f"**{s['projects_affected']}** of {s['projects']} projects are reached; "
             f"{s['models_raised']} would get a higher level. Projects failing their policy: "
             f"{s['projects_failing_before']} today, **{s['projects_failing_after']}** under "
             "the scenario.", ""]
    if result.newly_failing:
        lines += ["Would newly fail: " + ", ".join(esc(p.project) for p in result.newly_failing),
                  ""]
    if result.affected:
        lines += ["| project | model | today | scenario | via | alternatives |",
                  "|---|---|---|---|---|---|"]
        for m in result.affected:
            lines.append(f"| {esc(m.project)} | {code(m.model)} | {m.before.label} | "
                         f"**{m.after.label}** | {esc('; '.join(m.via))} | "
                         f"{esc('; '.join(m.alternatives)) or '—'} |")
        lines.append("")
    lines += ["| project | today | scenario | fail-on | outcome today → scenario |",
              "|---|---|---|---|---|"]
    for p in result.projects:
        lines.append(f"| {esc(p.project)} | {p.before.label} | {p.after.label} | "
                     f"{p.fail_on.label} | {_outcome(p.failed_before)} → "
                     f"{_outcome(p.failed_after)} |")
    for warning in result.warnings:
        lines += ["", f"> warning: {esc(warning)}"]
    return "\n".join(lines) + "\n"


def _csv(result: ScenarioResult) -> str:
    from riskcheck.spreadsheet import defuse

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(("project", "model", "usage", "before", "after", "via", "alternatives"))
    for m in result.affected:
        writer.writerow([defuse(c) for c in (m.project, m.model, m.usage, m.before.label,
                                             m.after.label, "; ".join(m.via),
                                             "; ".join(m.alternatives))])
    return buffer.getvalue()


def _table(result: ScenarioResult, width: int | None = None) -> str:
    from rich.table import Table

    from riskcheck.formats.console import text_console
    from riskcheck.terminal import terminal_safe as safe

    s = summary(result)
    console = text_console(width)
    with console.capture() as capture:
        console.print(f"What if: {safe(scenario_phrase(result))}")
        if result.affected:
            table = Table(show_lines=False)
            for column in ("project", "model", "today", "scenario", "via", "alternatives"):
                table.add_column(column, overflow="fold")
            for m in result.affected:
                table.add_row(safe(m.project), safe(m.model), m.before.label.upper(),
                              m.after.label.upper(), safe("; ".join(m.via)),
                              safe("; ".join(a.split(" ", 1)[0] for a in m.alternatives))
                              or "-")
            console.print(table)
        else:
            console.print("No model of these projects depends on the assumed organisations.")
        for p in result.projects:
            console.print(f"  {safe(p.project)}: {p.before.label} -> {p.after.label}, "
                          f"{_outcome(p.failed_before)} -> {_outcome(p.failed_after)} at "
                          f"fail-on {p.fail_on.label}")
        console.print(f"Summary: {s['models_affected']} of {s['models']} models in "
                      f"{s['projects_affected']} of {s['projects']} projects reached; "
                      f"{s['projects_failing_after']} project(s) would fail their policy "
                      f"({len(result.newly_failing)} newly).")
        for warning in result.warnings:
            console.print(f"warning: {safe(warning)}")
    return capture.get()
