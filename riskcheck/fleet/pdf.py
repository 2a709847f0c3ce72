"""The fleet as a PDF (``-f pdf``): summary, projects, dependencies, findings, changes.

Built with the single-project PDF's helpers (embedded fonts for every script, cells that
always fit a page, escaped text), so names in any script print and none can inject markup.
"""

from __future__ import annotations

import io
from typing import Any

from riskcheck import __version__
from riskcheck.fleet.interface import Dependency, Fleet
from riskcheck.fleet.summary import percent, summary


def render_pdf(fleet: Fleet) -> bytes:
    """The whole document."""
    from riskcheck.formats.pdf_fonts import register_fonts

    register_fonts()
    try:
        return _build(fleet, shaping=True)
    except Exception:  # noqa: BLE001 - as the report PDF: retried once without shaping
        return _build(fleet, shaping=False)


def _build(fleet: Fleet, *, shaping: bool) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    from riskcheck.formats.pdf import _Story

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=18 * mm, bottomMargin=20 * mm,
                            title=f"riskcheck fleet: {len(fleet.projects)} projects",
                            author="riskcheck", creator=f"riskcheck {__version__}",
                            subject="Organisation-wide AI model sanctions exposure", invariant=1)
    story = _Story(None, doc.width, shaping=shaping)  # type: ignore[arg-type]
    doc.build(_flowables(fleet, story))
    return buffer.getvalue()


def _dependencies(story: Any, title: str, first: str, deps: tuple[Dependency, ...]) -> list[Any]:
    out = [story.p(title, "h2")]
    if not deps:
        return out + [story.p("None.")]
    rows: list[list[Any]] = [[first, "projects", "models", "critical share", "projects named"]]
    rows += [[f"{d.name} ({d.key})" if d.name != d.key else d.key, str(d.projects),
              str(d.models), percent(d.critical_share), ", ".join(d.project_names)]
             for d in deps]
    return out + [story.table(rows, [4, 1.3, 1.3, 1.6, 5])]


def _flowables(fleet: Fleet, story: Any) -> list[Any]:
    s = summary(fleet)
    out = [story.p("riskcheck: organisation view", "h1"),
           story.p(f"{s['projects']} projects, {s['models']} models ({s['critical_models']} "
                   f"critical); {len(fleet.failing)} project(s) fail their policy; "
                   f"{s['findings']} finding(s) at {fleet.level.label} or above.")]
    for c in fleet.concentration:
        out.append(story.p(f"Most relied-on {c.dimension}: {c.top_name} ({c.top}) in "
                           f"{c.projects} of {s['projects']} projects "
                           f"({percent(c.project_share)}); HHI {c.hhi:.2f}."))
    rows: list[list[Any]] = [["project", "level", "fail-on", "outcome", "models", "data"]]
    for p in fleet.projects:
        rows.append([p.name, p.level.label, p.fail_on.label, "FAIL" if p.failed else "pass",
                     str(p.models), "; ".join(p.flags) or "fresh"])
    out += [story.p("Projects", "h2"), story.table(rows, [4, 1.4, 1.4, 1.4, 1.2, 4])]
    out += _dependencies(story, "Organisations (vendors, parents, upstream, serving)",
                         "organisation", fleet.vendors)
    out += _dependencies(story, "Countries", "country", fleet.countries)
    out += _dependencies(story, "Lists", "list", fleet.lists)
    out.append(story.p(f"Findings at {fleet.level.label} or above", "h2"))
    if fleet.findings:
        rows = [["level", "project", "model", "finding"]]
        rows += [[f.level.label, f.project, f.model or "-", f.summary] for f in fleet.findings]
        out.append(story.table(rows, [1.3, 2.5, 3, 7]))
    else:
        out.append(story.p("None."))
    if fleet.changes is not None:
        out.append(story.p(f"Changes since {fleet.since or ''}", "h2"))
        rows = [["change", "project", "model", "before -> after", "detail"]]
        rows += [[c.kind, c.project, c.model, f"{c.before or '-'} -> {c.after or '-'}",
                  c.detail] for c in fleet.changes]
        out.append(story.table(rows, [2, 2.5, 3, 2, 5]) if fleet.changes
                   else story.p("No change."))
    out += [story.p(f"warning: {w}", "small") for w in fleet.warnings]
    return out
