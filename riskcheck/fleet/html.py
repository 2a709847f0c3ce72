"""The fleet as one self-contained HTML page: sortable tables and inline SVG charts.

Nothing is fetched: no external script, style, font or image, and the page's content security
policy (``default-src 'none'``, the inline script and style allowed by their hashes) makes the
browser refuse any request even if something slipped in. Every value is HTML-escaped; project
names and model ids are untrusted.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import Any

from riskcheck.fleet.interface import Dependency, Fleet
from riskcheck.fleet.summary import percent, summary
from riskcheck.model import Level

_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1d2330}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;min-width:40%}
th,td{border:1px solid #d5d9e0;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eef1f5;cursor:pointer;user-select:none;white-space:nowrap}
th[aria-sort=ascending]::after{content:" \\25B2"}
th[aria-sort=descending]::after{content:" \\25BC"}
td.n{text-align:right}.lv{font-weight:600}
.critical{color:#a4001d}.high{color:#b45100}.medium{color:#7a6200}.low{color:#1b5fa8}
.none{color:#2b7a33}.fail{color:#a4001d;font-weight:600}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #d5d9e0;padding:.5rem 1rem}
.card b{display:block;font-size:1.4rem}.charts{display:flex;gap:2rem;flex-wrap:wrap}
svg text{font:12px system-ui,sans-serif;fill:#1d2330}.warn{color:#8a5a00}
"""

_SCRIPT = """
(function(){
function key(cell){var v=cell.getAttribute('data-sort');if(v===null){v=cell.textContent.trim();}
var n=Number(v);return v!==''&&isFinite(n)?n:v.toLowerCase();}
function cmp(a,b){if(typeof a===typeof b){return a<b?-1:a>b?1:0;}
return typeof a==='number'?-1:1;}
function sort(th){var table=th.closest('table');var body=table.tBodies[0];
var col=Array.prototype.indexOf.call(th.parentNode.children,th);
var asc=th.getAttribute('aria-sort')!=='ascending';
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(h){
h.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',asc?'ascending':'descending');
var rows=Array.prototype.slice.call(body.rows);
rows.sort(function(r,s){var c=cmp(key(r.cells[col]),key(s.cells[col]));return asc?c:-c;});
rows.forEach(function(r){body.appendChild(r);});}
document.querySelectorAll('table.sortable th').forEach(function(th){
th.tabIndex=0;th.addEventListener('click',function(){sort(th);});
th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();sort(th);}});
});
})();
"""

_COLOURS = {Level.CRITICAL: "#a4001d", Level.HIGH: "#e06c00", Level.MEDIUM: "#d4b000",
            Level.LOW: "#4a8fd8", Level.NONE: "#4caf50"}


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _level(level: Level) -> str:
    return f'<td class="lv {level.label}" data-sort="{int(level)}">{level.label}</td>'


def _num(value: int | float, shown: str | None = None) -> str:
    return f'<td class="n" data-sort="{value}">{_e(shown if shown is not None else value)}</td>'


def _table(headers: tuple[str, ...], rows: list[str], table_id: str) -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    if not rows:
        return "<p>None.</p>"
    return (f'<table class="sortable" id="{table_id}"><thead><tr>{head}</tr></thead><tbody>'
            + "".join(f"<tr>{r}</tr>" for r in rows) + "</tbody></table>")


def _bars(title: str, items: list[tuple[str, float, str]], unit: str, chart_id: str) -> str:
    """A horizontal bar chart: (label, value, colour) per bar, longest first."""
    if not items:
        return ""
    width, bar_x, row = 460, 170, 22
    top = max(value for _, value, _ in items) or 1
    height = row * len(items) + 30
    parts = [f'<figure><svg id="{chart_id}" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{_e(title)}"><title>{_e(title)}</title>']
    for i, (label, value, colour) in enumerate(items):
        y = 20 + i * row
        length = (width - bar_x - 60) * value / top
        shown = label if len(label) <= 24 else label[:23] + "\u2026"
        parts.append(f'<text x="{bar_x - 6}" y="{y + 13}" text-anchor="end">{_e(shown)}</text>'
                     f'<rect class="bar" x="{bar_x}" y="{y}" width="{length:.1f}" height="16" '
                     f'fill="{colour}"><title>{_e(label)}: {_e(value)} {_e(unit)}</title></rect>'
                     f'<text x="{bar_x + length + 4:.1f}" y="{y + 13}">{_e(value)}</text>')
    parts.append(f"</svg><figcaption>{_e(title)}</figcaption></figure>")
    return "".join(parts)


def _dependency_rows(deps: tuple[Dependency, ...], with_roles: bool) -> list[str]:
    rows = []
    for d in deps:
        cells = (f"<td>{_e(d.name)}</td><td><code>{_e(d.key)}</code></td>"
                 + _num(d.projects) + _num(d.models) + _num(d.critical_models)
                 + _num(d.critical_share, percent(d.critical_share)))
        if with_roles:
            cells += f"<td>{_e(', '.join(d.roles))}</td>"
        cells += f"<td>{_e(', '.join(d.project_names))}</td>"
        rows.append(cells)
    return rows


def render_html(fleet: Fleet) -> str:
    """The whole page."""
    s = summary(fleet)
    body: list[str] = ["<h1>riskcheck: organisation view</h1>", '<div class="cards">']
    cards = [("projects", s["projects"]), ("models", s["models"]),
             ("critical models", s["critical_models"]),
             ("failing projects", len(fleet.failing)),
             (f"findings at {fleet.level.label}+", s["findings"])]
    body += [f'<div class="card"><b>{_e(v)}</b>{_e(k)}</div>' for k, v in cards]
    body.append("</div>")
    for c in fleet.concentration:
        body.append(f"<p>Most relied-on {_e(c.dimension)}: <b>{_e(c.top_name)}</b> "
                    f"(<code>{_e(c.top)}</code>) in {c.projects} of {s['projects']} projects "
                    f"({percent(c.project_share)}); HHI {c.hhi:.2f}.</p>")
    levels = [(level.label, s["models_by_level"][level.label], _COLOURS[level])
              for level in reversed(Level)]
    body.append('<div class="charts">')
    body.append(_bars("Models by level", levels, "models", "chart-levels"))
    body.append(_bars("Projects depending on each organisation (top 10)",
                      [(d.name, d.projects, "#3b6ea5") for d in fleet.vendors[:10]],
                      "projects", "chart-vendors"))
    body.append(_bars("Models per country (top 10)",
                      [(d.key, d.models, "#6b4fa5") for d in fleet.countries[:10]],
                      "models", "chart-countries"))
    body.append("</div>")

    body.append("<h2>Projects</h2>")
    rows = []
    for p in fleet.projects:
        outcome = '<td class="fail">FAIL</td>' if p.failed else "<td>pass</td>"
        by_version: dict[str, list[str]] = {}
        for src, ver, _, stale in p.list_versions:
            by_version.setdefault(ver[:24], []).append(src + (" (stale)" if stale else ""))
        versions = "; ".join(f"{ver}: {', '.join(srcs)}" for ver, srcs in by_version.items())
        rows.append(f"<td>{_e(p.name)}</td>" + _level(p.level) + _level(p.fail_on) + outcome
                    + _num(p.models) + _num(p.critical_models)
                    + f"<td>{_e('; '.join(p.flags) or 'fresh')}</td><td>{_e(versions)}</td>"
                    + f"<td>{_e(p.source)}</td>")
    body.append(_table(("project", "level", "fail-on", "outcome", "models", "critical",
                        "data", "list versions", "source"), rows, "projects"))
    for title, deps, first, table_id in (
            ("Organisations (vendors, parents, upstream, serving)", fleet.vendors, "organisation",
             "vendors"),
            ("Countries", fleet.countries, "country", "countries"),
            ("Lists", fleet.lists, "list", "lists")):
        body.append(f"<h2>{_e(title)}</h2>")
        headers = (first, "id", "projects", "models", "critical models",
                   "share of critical models")
        headers += ("reached as",) if table_id == "vendors" else ()
        body.append(_table(headers + ("projects named",),
                           _dependency_rows(deps, table_id == "vendors"), table_id))
    body.append(f"<h2>Findings at {_e(fleet.level.label)} or above</h2>")
    body.append(_table(("level", "project", "model", "kind", "finding", "lists"), [
        _level(f.level) + f"<td>{_e(f.project)}</td><td><code>{_e(f.model)}</code></td>"
        f"<td>{_e(f.kind)}</td><td>{_e(f.summary)}</td><td>{_e(' '.join(f.lists))}</td>"
        for f in fleet.findings], "findings"))
    body.append("<h2>Models</h2>")
    body.append(_table(("project", "model", "vendor", "countries", "usage", "criticality",
                        "level", "lists"), [
        f"<td>{_e(m.project)}</td><td><code>{_e(m.model)}</code></td>"
        f"<td>{_e(m.vendor_name or m.vendor or 'unresolved')}</td>"
        f"<td>{_e(' '.join(m.countries))}</td><td>{_e(m.usage)}</td>"
        f"<td>{_e(m.criticality)}</td>" + _level(m.level) + f"<td>{_e(' '.join(m.lists))}</td>"
        for m in fleet.models], "models"))
    if fleet.changes is not None:
        body.append(f"<h2>Changes since <code>{_e(fleet.since or '')}</code></h2>")
        body.append(_table(("change", "project", "model", "before", "after", "detail"), [
            f"<td>{_e(c.kind)}</td><td>{_e(c.project)}</td><td><code>{_e(c.model)}</code></td>"
            f"<td>{_e(c.before)}</td><td>{_e(c.after)}</td><td>{_e(c.detail)}</td>"
            for c in fleet.changes], "changes"))
    for warning in fleet.warnings:
        body.append(f'<p class="warn">warning: {_e(warning)}</p>')

    policy = (f"default-src 'none'; script-src {_hash(_SCRIPT)}; style-src {_hash(_STYLE)}; "
              "img-src 'none'; base-uri 'none'; form-action 'none'")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta http-equiv="Content-Security-Policy" '
            f'content="{escape(policy, quote=False)}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="referrer" content="no-referrer">'
            f"<title>riskcheck fleet: {s['projects']} projects</title>"
            f"<style>{_STYLE}</style></head><body>\n" + "\n".join(body)
            + f"\n<script>{_SCRIPT}</script>\n</body></html>\n")
