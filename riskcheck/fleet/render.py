"""``riskcheck fleet`` output: table, JSON, Markdown, CSV and one self-contained HTML page.

Every value in a fleet comes from a project (names, model ids) or a list (listed names): data,
never markup. The table strips terminal controls, Markdown escapes through ``esc``/``code``,
CSV defuses formulas, and HTML escapes every value; the page's content security policy allows
only its own inline script and style (by hash) and no request of any kind.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from riskcheck.errors import InputError
from riskcheck.fleet.interface import Dependency, Fleet
from riskcheck.fleet.summary import percent, summary

SCHEMA_VERSION = "1.0"
"""Version of the fleet JSON layout (docs/fleet.md). A minor bump only adds fields."""
KIND = "riskcheck-fleet"
FORMATS = ("table", "json", "markdown", "csv", "html", "pdf")


def _dependency(d: Dependency, key_name: str) -> dict[str, Any]:
    out: dict[str, Any] = {key_name: d.key, "name": d.name, "projects": d.projects,
                           "models": d.models, "critical_models": d.critical_models,
                           "critical_share": d.critical_share,
                           "project_names": list(d.project_names)}
    if key_name == "id":
        out["roles"] = list(d.roles)
    return out


def to_dict(fleet: Fleet) -> dict[str, Any]:
    """The documented JSON shape (docs/fleet.md); also what ``--since`` reads back."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "level": fleet.level.label,
        "summary": summary(fleet),
        "projects": [{
            "name": p.name, "source": p.source, "level": p.level.label, "failed": p.failed,
            "fail_on": p.fail_on.label, "models": p.models, "critical_models": p.critical_models,
            "bundled_data": p.bundled_data,
            "list_versions": [{"source": s, "version": v, "as_of": a, "stale": st}
                              for s, v, a, st in p.list_versions],
            "coverage": [{"source": s, "state": st} for s, st in p.coverage],
            "flags": list(p.flags),
        } for p in fleet.projects],
        "models": [{
            "project": m.project, "model": m.model, "vendor": m.vendor,
            "vendor_name": m.vendor_name, "countries": list(m.countries), "level": m.level.label,
            "criticality": m.criticality, "usage": m.usage, "lists": list(m.lists),
        } for m in fleet.models],
        "vendors": [_dependency(d, "id") for d in fleet.vendors],
        "countries": [_dependency(d, "country") for d in fleet.countries],
        "lists": [_dependency(d, "list") for d in fleet.lists],
        "concentration": {c.dimension: {
            "top": c.top, "name": c.top_name, "projects": c.projects,
            "project_share": c.project_share, "model_share": c.model_share, "hhi": c.hhi,
        } for c in fleet.concentration},
        "findings": [{
            "project": f.project, "model": f.model, "level": f.level.label, "kind": f.kind,
            "summary": f.summary, "party_id": f.party_id, "lists": list(f.lists),
        } for f in fleet.findings],
        "changes": None if fleet.changes is None else {
            "since": fleet.since,
            "items": [{"kind": c.kind, "project": c.project, "model": c.model,
                       "detail": c.detail, "before": c.before, "after": c.after}
                      for c in fleet.changes],
        },
        "warnings": list(fleet.warnings),
    }


_PREVIOUS_HINT = "pass a file written by 'riskcheck fleet --format json'"


def load_previous(path: Any) -> dict[str, Any]:
    """A previous fleet JSON for ``--since``, checked enough that comparing cannot fail."""
    where = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("--since: file not found", path=where, hint=_PREVIOUS_HINT) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise InputError(f"--since: cannot read: {reason}", path=where) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"--since: not JSON: {exc.msg}", path=where, line=exc.lineno,
                         column=exc.colno, hint=_PREVIOUS_HINT) from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise InputError("--since: not a riskcheck fleet result", path=where,
                         hint=_PREVIOUS_HINT)
    version = str(data.get("schema_version", ""))
    if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise InputError(f"--since: fleet schema_version {version!r} is not supported "
                         f"(this riskcheck reads {SCHEMA_VERSION.split('.')[0]}.x)", path=where)
    shapes = {"projects": ("name", "level"), "models": ("project", "model", "level"),
              "findings": ("project", "model", "kind", "level", "summary")}
    for key, fields in shapes.items():
        items = data.get(key)
        if not isinstance(items, list) or not all(
                isinstance(item, dict) and all(isinstance(item.get(f), str) for f in fields)
                for item in items):
            raise InputError(f"--since: '{key}' is missing or malformed", path=where,
                             hint=_PREVIOUS_HINT)
    return data


def render(fleet: Fleet, format_name: str, width: int | None = None) -> str | bytes:
    """The fleet in ``format_name`` (one of :data:`FORMATS`); PDF is bytes, the rest text."""
    if format_name == "pdf":
        from riskcheck.fleet.pdf import render_pdf

        return render_pdf(fleet)
    if format_name == "json":
        return json.dumps(to_dict(fleet), indent=2, ensure_ascii=False) + "\n"
    if format_name == "markdown":
        return _markdown(fleet)
    if format_name == "csv":
        return _csv(fleet)
    if format_name == "html":
        from riskcheck.fleet.html import render_html

        return render_html(fleet)
    return _table(fleet, width)


def _outcome(failed: bool) -> str:
    return "FAIL" if failed else "pass"


def _change_line(c: Any) -> str:
    arrow = f"{c.before or '-'} -> {c.after or '-'}"
    where = c.project + (f" / {c.model}" if c.model else "")
    return f"{c.kind}: {where}: {arrow}" + (f" ({c.detail})" if c.detail else "")


def _markdown(fleet: Fleet) -> str:
    from riskcheck.formats.markdown import code, esc

    s = summary(fleet)
    lines = ["## Organisation view", "",
             f"**{s['projects']}** projects, **{s['models']}** models "
             f"({s['critical_models']} critical); **{len(fleet.failing)}** project(s) fail "
             f"their policy; {s['findings']} finding(s) at {fleet.level.label} or above.", ""]
    for c in fleet.concentration:
        lines.append(f"- Most relied-on {c.dimension}: {esc(c.top_name)} ({code(c.top)}): "
                     f"{c.projects} of {s['projects']} projects ({percent(c.project_share)}), "
                     f"HHI {c.hhi:.2f}")
    lines += ["", "### Projects", "",
              "| project | level | fail-on | outcome | models | data |",
              "|---|---|---|---|---|---|"]
    for p in fleet.projects:
        lines.append(f"| {esc(p.name)} | {p.level.label} | {p.fail_on.label} | "
                     f"{_outcome(p.failed)} | {p.models} | "
                     f"{esc('; '.join(p.flags)) or 'fresh'} |")
    for title, deps, label in (("Vendors", fleet.vendors, "vendor"),
                               ("Countries", fleet.countries, "country"),
                               ("Lists", fleet.lists, "list")):
        lines += ["", f"### {title}", ""]
        if not deps:
            lines.append("None.")
            continue
        lines += [f"| {label} | projects | models | share of critical models |",
                  "|---|---|---|---|"]
        for d in deps:
            name = f"{esc(d.name)} ({code(d.key)})" if d.name != d.key else code(d.key)
            lines.append(f"| {name} | {d.projects} | {d.models} | "
                         f"{percent(d.critical_share)} |")
    lines += ["", f"### Findings at {fleet.level.label} or above", ""]
    if fleet.findings:
        lines += ["| level | project | model | kind | finding |", "|---|---|---|---|---|"]
        for f in fleet.findings:
            lines.append(f"| {f.level.label} | {esc(f.project)} | "
                         f"{code(f.model) if f.model else '—'} | {esc(f.kind)} | "
                         f"{esc(f.summary)} |")
    else:
        lines.append("None.")
    if fleet.changes is not None:
        lines += ["", f"### Changes since {code(fleet.since or '')}", ""]
        lines += [f"- {esc(_change_line(c))}" for c in fleet.changes] or ["No change."]
    for warning in fleet.warnings:
        lines += ["", f"> warning: {esc(warning)}"]
    return "\n".join(lines) + "\n"


def _csv(fleet: Fleet) -> str:
    """One row per model, with its project's outcome and the findings at the fleet's level."""
    from riskcheck.spreadsheet import defuse

    projects = {p.name: p for p in fleet.projects}
    found: dict[tuple[str, str], list[str]] = {}
    for f in fleet.findings:
        found.setdefault((f.project, f.model), []).append(f"{f.level.label}: {f.summary}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(("project", "model", "vendor", "vendor_name", "countries", "usage",
                     "criticality", "level", "lists", "findings", "project_level",
                     "project_outcome", "project_data"))
    for m in fleet.models:
        p = projects[m.project]
        writer.writerow([defuse(c) for c in (
            m.project, m.model, m.vendor, m.vendor_name, " ".join(m.countries), m.usage,
            m.criticality, m.level.label, " ".join(m.lists),
            "; ".join(found.get((m.project, m.model), ())), p.level.label,
            _outcome(p.failed), "; ".join(p.flags) or "fresh")])
    return buffer.getvalue()


def _table(fleet: Fleet, width: int | None = None) -> str:
    from rich.table import Table

    from riskcheck.formats.console import text_console
    from riskcheck.terminal import terminal_safe as safe

    s = summary(fleet)
    console = text_console(width)
    with console.capture() as capture:
        console.print(f"Fleet: {s['projects']} projects, {s['models']} models "
                      f"({s['critical_models']} critical), {len(fleet.failing)} failing")
        projects = Table(title="Projects")
        for column in ("project", "level", "fail-on", "outcome", "models", "data"):
            projects.add_column(column, overflow="fold")
        for p in fleet.projects:
            projects.add_row(safe(p.name), p.level.label.upper(), p.fail_on.label,
                             _outcome(p.failed), str(p.models), safe("; ".join(p.flags)) or "fresh")
        console.print(projects)
        for title, deps in (("Vendors", fleet.vendors), ("Countries", fleet.countries),
                            ("Lists", fleet.lists)):
            if not deps:
                continue
            table = Table(title=title)
            for column in ("key", "name", "projects", "models", "critical share"):
                table.add_column(column, overflow="fold")
            for d in deps:
                table.add_row(safe(d.key), safe(d.name), str(d.projects), str(d.models),
                              percent(d.critical_share))
            console.print(table)
        for c in fleet.concentration:
            console.print(f"Most relied-on {c.dimension}: {safe(c.top_name)} ({safe(c.top)}) in "
                          f"{c.projects} of {s['projects']} projects "
                          f"({percent(c.project_share)}); HHI {c.hhi:.2f}")
        if fleet.findings:
            table = Table(title=f"Findings at {fleet.level.label} or above")
            for column in ("level", "project", "model", "finding"):
                table.add_column(column, overflow="fold")
            for f in fleet.findings:
                table.add_row(f.level.label.upper(), safe(f.project), safe(f.model) or "-",
                              safe(f.summary))
            console.print(table)
        else:
            console.print(f"No finding at {fleet.level.label} or above.")
        if fleet.changes is not None:
            console.print(f"Changes since {safe(fleet.since or '')}: {len(fleet.changes)}")
            for c in fleet.changes:
                console.print("  " + safe(_change_line(c)))
        for warning in fleet.warnings:
            console.print(f"warning: {safe(warning)}")
    return capture.get()
