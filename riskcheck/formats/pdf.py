"""The PDF report for auditors: cover, charts, findings with explanations, appendix.

reportlab is imported inside ``render`` only, so other formats never pay for it. Names in any
script are set with the embedded fonts of :mod:`riskcheck.formats.pdf_fonts`.
"""

from __future__ import annotations

import io
from typing import Any

from riskcheck import __version__
from riskcheck.encoding import printable
from riskcheck.formats import facts
from riskcheck.formats.interface import ReportFormat
from riskcheck.formats.pdf_fonts import (
    ARABIC,
    SANS,
    SANS_BOLD,
    markup_runs,
    register_fonts,
    runs,
)
from riskcheck.model import Finding, Level, Match, ModelAssessment, Organisation, Report

MAX_CELL_HEIGHT = 340.0
"""Points a table cell may take: under half an A4 frame, so a row and the repeated header
always fit on one page (reportlab cannot split a row and raised LayoutError)."""
MAX_PARAGRAPH_CHARS = 8000
"""Characters of one paragraph outside tables; longer text is cut with a note."""
CUT_NOTE = " … [cut: {hidden} more characters; the JSON report has the full text]"

LEVEL_HEX = {Level.CRITICAL: "#b71c1c", Level.HIGH: "#e65100", Level.MEDIUM: "#f57f17",
             Level.LOW: "#1565c0", Level.NONE: "#2e7d32"}


class PdfFormat(ReportFormat):
    """``--format pdf``: a paginated, self-contained audit report (bytes)."""

    name = "pdf"
    binary = True

    def render(self, report: Report) -> bytes:
        """Render the report to PDF bytes."""
        register_fonts()
        try:
            return self._build(report, shaping=True)
        except Exception:  # noqa: BLE001 - retried once, without shaping; a second error stays
            # reportlab's Arabic shaping fails on some mixes of scripts in one paragraph
            # (AttributeError 'hbAddPrivate', KeyError): unshaped letters beat no report.
            return self._build(report, shaping=False)

    def _build(self, report: Report, *, shaping: bool) -> bytes:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        from reportlab.platypus import SimpleDocTemplate

        buffer = io.BytesIO()
        meta = report.metadata
        doc = SimpleDocTemplate(
            buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
            bottomMargin=20 * mm,
            title=printable(f"riskcheck report: {_cut(report.project.name, 200)}"),
            author="riskcheck", subject="AI model sanctions and export-control exposure",
            creator=f"riskcheck {meta.tool_version if meta else __version__}",
            invariant=1)
        story = _Story(report, doc.width, shaping=shaping).build()
        footer = _footer(report)
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
        return buffer.getvalue()


def _footer(report: Report) -> Any:
    meta = report.metadata
    name = printable(_cut(report.project.name, 60))
    left = (f"riskcheck {meta.tool_version} · run {meta.run_id} · {name}"
            if meta else f"riskcheck {__version__} · {name}")

    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(SANS, 7.5)
        canvas.setFillColorRGB(0.35, 0.35, 0.35)
        canvas.drawString(doc.leftMargin, 10 * 2.835, left)
        canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, 10 * 2.835,
                               f"Page {doc.page}")
        canvas.restoreState()
    return draw


class _Story:
    """Builds the list of flowables; one method per section."""

    def __init__(self, report: Report, width: float, *, shaping: bool = True) -> None:
        from reportlab.lib.styles import ParagraphStyle

        self.report = report
        self.width = width
        base = ParagraphStyle("base", fontName=SANS, fontSize=9, leading=12)
        self.styles = {
            "body": base,
            "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
            "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.5),
            "finding": ParagraphStyle("finding", parent=base, spaceBefore=6, spaceAfter=1),
            "detail": ParagraphStyle("detail", parent=base, fontSize=7.5, leading=9.5,
                                     leftIndent=10),
            "h1": ParagraphStyle("h1", parent=base, fontName=SANS_BOLD, fontSize=18, leading=23,
                                 spaceAfter=8),
            "h2": ParagraphStyle("h2", parent=base, fontName=SANS_BOLD, fontSize=13, leading=17,
                                 spaceBefore=10, spaceAfter=5),
            "h3": ParagraphStyle("h3", parent=base, fontName=SANS_BOLD, fontSize=10.5,
                                 leading=14, spaceBefore=8, spaceAfter=3),
            "big": ParagraphStyle("big", parent=base, fontName=SANS_BOLD, fontSize=22,
                                  leading=28, spaceBefore=6, spaceAfter=6),
        }
        self.shaped = {name: ParagraphStyle(f"{name}-shaped", parent=style, shaping=1)
                       for name, style in self.styles.items()} if shaping else self.styles

    # -- helpers ---------------------------------------------------------------------------
    def p(self, text: object, style: str = "body", raw: str = "") -> Any:
        """A paragraph of plain ``text`` (escaped, per-script fonts) after optional markup."""
        from reportlab.platypus import Paragraph

        # Lone surrogates (file names that are not UTF-8) become U+FFFD, as in every output.
        text = printable(_cut(str(text), MAX_PARAGRAPH_CHARS))
        lines = [runs(line) for line in text.split("\n")]
        shaped = any(font == ARABIC for line in lines for font, _ in line)
        chosen = self.shaped[style] if shaped else self.styles[style]
        return Paragraph(raw + "<br/>".join(markup_runs(line) for line in lines), chosen)

    def cell(self, text: str, column: float) -> Any:
        """A table cell that fits on a page: text too tall for :data:`MAX_CELL_HEIGHT` is cut
        (the longest start that fits, with a note saying how much is left out)."""
        paragraph = self.p(text, "cell")
        if len(text) <= 40 and "\n" not in text:
            return paragraph  # short enough for the narrowest column
        width = column - 6  # the cell's left and right padding
        if paragraph.wrap(width, 1e9)[1] <= MAX_CELL_HEIGHT:
            return self.p(text, "cell")  # a fresh one: wrap() left state behind
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if self.p(_cut(text, middle, force=True), "cell").wrap(width, 1e9)[1] <= MAX_CELL_HEIGHT:
                low = middle
            else:
                high = middle - 1
        return self.p(_cut(text, low, force=True), "cell")

    def level(self, level: Level) -> str:
        return f'<font color="{LEVEL_HEX[level]}"><b>{level.label.upper()}</b></font>'

    def table(self, rows: list[list[Any]], widths: list[float], header: bool = True) -> Any:
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        total = sum(widths)
        columns = [self.width * w / total for w in widths]
        cells = [[c if not isinstance(c, str) else self.cell(c, columns[i])
                  for i, c in enumerate(row)] for row in rows]
        table = Table(cells, colWidths=columns, repeatRows=1 if header else 0)
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0bec5")),
                 ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")))
        table.setStyle(TableStyle(style))
        return table

    # -- sections --------------------------------------------------------------------------
    def build(self) -> list[Any]:
        from reportlab.platypus import PageBreak

        story = self.cover() + [PageBreak()] + self.overview()
        story += self.findings() + self.undeclared() + self.exceptions()
        if self.report.warnings:
            story += [self.p("Warnings", "h2")] + [self.p(f"• {w}") for w in self.report.warnings]
        story += [PageBreak()] + self.methodology()
        return story

    def cover(self) -> list[Any]:
        from reportlab.platypus import Spacer

        r, project, meta = self.report, self.report.project, self.report.metadata
        when = meta.started_at if meta else "date not recorded"
        out = [self.p("AI model sanctions and export-control exposure", "h1"),
               self.p(f"Project: {project.name}", "h3")]
        if project.owner:
            out.append(self.p(f"Owner: {project.owner}"))
        if project.path:
            out.append(self.p(f"Manifest: {project.path}"))
        out += [self.p(f"Checked: {when}"),
                self.p("", "big", raw=f"Overall exposure: {self.level(r.level)}"),
                self.p(f"Score {r.score:.2f} · {facts.verdict_phrase(r)}", "h3"),
                self.p(facts.counts_phrase(r)), Spacer(1, 6),
                self.p(f"Data screened: {facts.data_notice(r)}",
                       raw="<b>Bundled snapshot.</b> " if r.bundled_data else ""),
                self.p("List versions", "h2")]
        rows: list[list[Any]] = [["List", "Published", "Records", "Version (sha256)", "Origin"]]
        for v in r.list_versions:
            digest = v.version if len(v.version) <= 32 else f"{v.version[:32]}\n{v.version[32:]}"
            rows.append([f"{v.title} ({v.source})", (v.published or "—") +
                         (" (stale)" if v.stale else ""), str(v.record_count), digest, v.origin])
        if len(rows) == 1:
            rows.append(["No list versions recorded", "", "", "", ""])
        out.append(self.table(rows, [30, 13, 9, 38, 10]))
        if r.coverage:
            out.append(self.p("Coverage per source", "h2"))
            rows = [["Source", "Screened from", "Date", "Records", "Required"]]
            for c in r.coverage:
                state = {"stored": "stored version", "bundled": "bundled snapshot entries",
                         "missing": "NOT SCREENED (missing)"}[c.state]
                date = (c.fetched_at or "")[:10] if c.state == "stored" else c.snapshot_date
                rows.append([c.source, state, date or "—",
                             str(c.record_count) if c.state != "missing" else "—",
                             "yes" if c.required else "no"])
            out.append(self.table(rows, [26, 30, 16, 12, 16]))
        return out

    def overview(self) -> list[Any]:
        from reportlab.platypus import Spacer

        from riskcheck.formats.pdf_charts import exposure_by_model, models_by_country

        out = [self.p("Overview", "h2"), exposure_by_model(self.report, self.width),
               Spacer(1, 10), models_by_country(self.report, self.width), Spacer(1, 8)]
        rows: list[list[Any]] = [["Model", "Vendor", "Parent", "Country", "Level", "Verdict"]]
        for a in self.report.models:
            vendor = facts.vendor_of(a)
            rows.append([a.resolution.ref.id,
                         vendor.name if vendor else a.resolution.status,
                         "; ".join(p.name for p in facts.parents_of(a)) or "—",
                         facts.country_of(a) or "unknown",
                         self.p("", "cell", raw=self.level(a.level)), a.verdict])
        return out + [self.table(rows, [24, 15, 15, 8, 9, 29])]

    def findings(self) -> list[Any]:
        out = [self.p("Findings by model", "h2")]
        for a in self.report.models:
            if not a.findings:
                continue
            out.append(self.p(a.resolution.ref.id, "h3", raw=f"{self.level(a.level)} "))
            out += self.resolution(a)
            for finding in a.findings:
                out += self.finding(finding)
        if self.report.project_findings:
            out.append(self.p("Project findings", "h3"))
            for finding in self.report.project_findings:
                out += self.finding(finding)
        return out

    def resolution(self, a: ModelAssessment) -> list[Any]:
        res = a.resolution
        if res.status == "unresolved":
            lines = [f"Unresolved: {res.hint or 'vendor unknown'}"]
            lines += [f"Tried: {t}" for t in res.tried]
            return [self.p("\n".join(lines), "small")]
        lines = []
        for party in res.parties:
            org = party.organisation
            share = f", {party.ownership:.0%} owned" if party.ownership is not None else ""
            lines.append(f"{party.role}: {_org_names(org)} — {org.country or '?'}{share}")
            for cite in org.citations:
                mark = "" if cite.verified else " (unverified)"
                lines.append(f"    source: {cite.url} ({cite.as_of or 'undated'}){mark}")
        lines.append(f"Verdict: {a.verdict}")
        return [self.p("\n".join(lines), "small")]

    def finding(self, f: Finding) -> list[Any]:
        from reportlab.platypus import KeepTogether

        exc = f" · exception {f.exception_id} in force" if f.exception_id else ""
        block = [self.p(f"{facts.kind_title(f.kind)}: {f.summary}{exc}", "finding",
                        raw=f"{self.level(f.level)} ")]
        # One paragraph for all detail lines: paragraphs are the main cost of a long report.
        lines = [f"• {d}" for d in f.details]
        if f.match is not None:
            lines += _explanation(f.match)
        if lines:
            block.append(self.p("\n".join(lines), "detail"))
        return [KeepTogether(block)]

    def undeclared(self) -> list[Any]:
        if not self.report.undeclared:
            return []
        rows: list[list[Any]] = [["Model reference", "Found at"]]
        rows += [[r.id, f"{r.location.path}:{r.location.line}" if r.location else "—"]
                 for r in self.report.undeclared]
        return [self.p("Used in code but not in the manifest (not assessed)", "h2"),
                self.table(rows, [55, 45])]

    def exceptions(self) -> list[Any]:
        applied = facts.excepted_findings(self.report)
        declared = facts.policy_exceptions(self.report)
        if not applied and not declared:
            return []
        out = [self.p("Exceptions in force", "h2")]
        if applied:
            rows: list[list[Any]] = [["Exception", "Model", "Finding", "Level now"]]
            rows += [[f.exception_id or "", a.resolution.ref.id if a else "project", f.summary,
                      f.level.label] for a, f in applied]
            out.append(self.table(rows, [14, 26, 48, 12]))
        if declared:
            keys = ["id", "model", "lists", "approver", "created", "expires", "reason"]
            rows = [[k.capitalize() for k in keys]]
            for item in declared:
                rows.append([", ".join(map(str, v)) if isinstance(v, list) else
                             str(v) if v is not None else "—" for v in (item.get(k) for k in keys)])
            out.append(self.p("Approved exceptions (policy)", "h3"))
            out.append(self.table(rows, [12, 20, 9, 16, 11, 11, 21]))
        return out

    def methodology(self) -> list[Any]:
        policy = self.report.project.policy
        out = [self.p("Appendix: methodology", "h2"), self.p(
            "Each model reference is resolved to its vendor, the vendor's owners, upstream "
            "models and API host (vendor registry and model-hub metadata). Every party's names "
            "(legal, native-script, aliases) are screened against the official lists below "
            "with fuzzy name matching; a match is banded 'match', 'review' or 'possible'. The "
            "scoring stage turns matches, ownership, jurisdiction and data location into "
            "findings with a level: none < low < medium < high < critical. A model's exposure "
            "is set from its findings under the policy; the overall level is the highest of "
            "all models and project findings. An unresolved model is reported as unknown, "
            "never as clean. The run fails when a level reaches the policy's threshold."),
            self.p("Policy and thresholds", "h3")]
        rows: list[list[Any]] = [["Setting", "Value"]]
        for key, value in facts.plain(policy).items():
            if key == "exceptions":
                continue
            rows.append([key, _value(value)])
        out.append(self.table(rows, [30, 70]))
        out.append(self.p("Kinds of finding", "h3"))
        rows = [["Kind", "Meaning"]]
        rows += [[f"{kind} — {title}", text] for kind, (title, text) in facts.KIND_HELP.items()]
        out.append(self.table(rows, [30, 70]))
        out.append(self.p("Sources", "h3"))
        rows = [["List", "Published / fetched", "URL"]]
        for v in self.report.list_versions:
            rows.append([f"{v.title} ({v.source})", f"{v.published or '—'} / "
                         f"{v.fetched_at or '—'}", v.url or "—"])
        out.append(self.table(rows, [32, 23, 45]))
        return out


def _cut(text: str, keep: int, *, force: bool = False) -> str:
    """The first ``keep`` characters of ``text`` and a note of how many were left out."""
    if len(text) <= keep and not force:
        return text
    hidden = len(text) - keep
    return text[:keep] + CUT_NOTE.format(hidden=hidden) if hidden > 0 else text


def _org_names(org: Organisation) -> str:
    names = [org.name, *org.legal_names, *org.native_names]
    seen = dict.fromkeys(n for n in names if n)
    return " / ".join(seen)


def _explanation(match: Match) -> list[str]:
    exp, entity = match.explanation, match.entity
    lines = [f"Matched {match.party_role} '{match.party_id}' as “{exp.query_name}” against "
             f"“{exp.matched_name}” — score {match.score:.2f}, band {match.band}, {match.status}",
             f"Listed: {entity.name} — {', '.join(entity.lists)} ({entity.source} "
             f"{entity.source_id})" + (f", programs {', '.join(entity.programs)}"
                                       if entity.programs else "")
             + (f", {facts.listed_on_phrase(match)}" if facts.listed_on_phrase(match) else "")]
    if entity.aliases:
        lines.append("Also listed as: " + "; ".join(a.name for a in entity.aliases))
    if exp.alignment:
        lines.append(f"Alignment: {exp.alignment}")
    if exp.features:
        lines.append("Features: " + ", ".join(f"{n} {v:.4g}" for n, v in exp.features))
    if exp.qualifiers:
        lines.append("Qualifiers: " + "; ".join(exp.qualifiers))
    if entity.citation or entity.url:
        lines.append("Citation: " + " — ".join(x for x in (entity.citation, entity.url) if x))
    if entity.remarks:
        lines.append(f"Remarks: {entity.remarks}")
    return lines


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}={_value(v)}" for k, v in value.items() if v is not None)
    return "—" if value is None else str(value)
