"""The PDF report for auditors: a one-page summary, the models, each finding once, sources.

Page 1 answers the auditor's questions (verdict, what would have to change, counts, which lists
as of when, the worst findings); then a table of every model with its main finding; then one
section per model at or above the detail level; then the policy in words and the numbered
sources that the text cites as [n].

reportlab is imported inside ``render`` only, so other formats never pay for it. Names in any
script are set with the embedded fonts of :mod:`riskcheck.formats.pdf_fonts`.
"""

from __future__ import annotations

import io
import re
from typing import Any

from riskcheck import __version__
from riskcheck.encoding import printable
from riskcheck.formats import facts, pdf_words
from riskcheck.formats.interface import ReportFormat
from riskcheck.formats.pdf_fonts import (
    ARABIC,
    SANS,
    SANS_BOLD,
    markup_runs,
    register_fonts,
    runs,
)
from riskcheck.model import Finding, Level, ModelAssessment, Organisation, Report

MATCH_LINES = ("matched '", "alignment: ", "qualifier: ", "list record: ")
"""Detail lines (written by the scorer) that explain a list match rather than the finding."""
MAX_CELL_HEIGHT = 340.0
"""Points a table cell may take: under half an A4 frame, so a row and the repeated header
always fit on one page (reportlab cannot split a row and raised LayoutError)."""
MAX_PARAGRAPH_CHARS = 8000
"""Characters of one paragraph outside tables; longer text is cut with a note."""
CUT_NOTE = " … [cut: {hidden} more characters; the JSON report has the full text]"

LEVEL_HEX = {Level.CRITICAL: "#b71c1c", Level.HIGH: "#e65100", Level.MEDIUM: "#f57f17",
             Level.LOW: "#1565c0", Level.NONE: "#2e7d32"}
LEVEL_TINT = {Level.CRITICAL: "#ffcdd2", Level.HIGH: "#ffe0b2", Level.MEDIUM: "#fff9c4",
              Level.LOW: "#bbdefb", Level.NONE: "#c8e6c9"}


class PdfFormat(ReportFormat):
    """``--format pdf``: a paginated, self-contained audit report (bytes)."""

    name = "pdf"
    binary = True

    def __init__(self, level: Level | str | None = None) -> None:
        """``level``: models at or above it get a section with every finding (default:
        :func:`riskcheck.formats.pdf_words.detail_level` of the report's policy)."""
        self.detail = Level.parse(level) if isinstance(level, str) else level

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
        story = _Story(report, doc.width, shaping=shaping, detail=self.detail).build()
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

    def __init__(self, report: Report, width: float, *, shaping: bool = True,
                 detail: Level | None = None) -> None:
        from reportlab.lib.styles import ParagraphStyle

        self.report = report
        self.width = width
        self.sources = pdf_words.Bibliography()
        self.explained: dict[tuple[Any, ...], str] = {}
        self.briefed: dict[tuple[Any, ...], str] = {}
        """Findings listed in brief (title and record) or among possible matches, by model."""
        self.factors: dict[tuple[Any, ...], tuple[str, ...]] = {}
        """The arithmetic factors of each finding where it was first listed."""
        """Findings already explained, with the model they were explained under."""
        self.matched: dict[tuple[str, str, str], str] = {}
        """List matches (party, source, record) already explained, with their model."""
        self.lines_said: set[str] = set()
        self.orgs_named: set[str] = set()
        self.steps: dict[tuple[Any, ...], tuple[str, str]] = {}
        self.detail_level = detail if detail is not None else (
            pdf_words.detail_level(report.project.policy) if report is not None else Level.LOW)
        if report is not None:
            self.register_versions()
        base = ParagraphStyle("base", fontName=SANS, fontSize=9, leading=12)
        self.styles = {
            "body": base,
            "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
            "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.5),
            "cellbig": ParagraphStyle("cellbig", parent=base, fontName=SANS_BOLD, fontSize=12,
                                      leading=15, alignment=1),
            # No hanging indent: reportlab then lets an over-long word (a URL) run past the
            # right margin instead of splitting it.
            "source": ParagraphStyle("source", parent=base, fontSize=6.8, leading=7.9,
                                     spaceAfter=0.4),
            "finding": ParagraphStyle("finding", parent=base, fontSize=8.5, leading=11,
                                      spaceBefore=4, spaceAfter=1),
            "detail": ParagraphStyle("detail", parent=base, fontSize=7.2, leading=9,
                                     leftIndent=10),
            "h1": ParagraphStyle("h1", parent=base, fontName=SANS_BOLD, fontSize=17, leading=21,
                                 spaceAfter=4),
            "h2": ParagraphStyle("h2", parent=base, fontName=SANS_BOLD, fontSize=13, leading=17,
                                 spaceBefore=10, spaceAfter=5),
            "h3": ParagraphStyle("h3", parent=base, fontName=SANS_BOLD, fontSize=10.5,
                                 leading=14, spaceBefore=8, spaceAfter=3),
            "big": ParagraphStyle("big", parent=base, fontName=SANS_BOLD, fontSize=18,
                                  leading=23, spaceBefore=6, spaceAfter=2),
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
        story = self.summary() + self.overview() + self.models()
        story += self.project_section() + self.undeclared() + self.exceptions()
        if self.report.warnings:
            story += [self.heading("Warnings", "h2"),
                      self.p("\n".join(f"• {self.sources.cite(w)}" for w in self.report.warnings),
                             "small")]
        return story + self.appendix()

    def heading(self, text: str, style: str, raw: str = "") -> Any:
        """A heading kept on the page of what follows it."""
        from reportlab.platypus import CondPageBreak, KeepTogether

        heading = KeepTogether([CondPageBreak(60), self.p(text, style, raw=raw)])
        heading.keepWithNext = True  # never the last line of a page
        return heading

    def summary(self) -> list[Any]:
        """Page 1: verdict, what would have to change, counts, lists, the worst findings."""
        from reportlab.platypus import Spacer

        r, project, meta = self.report, self.report.project, self.report.metadata
        when = meta.started_at if meta else "date not recorded"
        about = [f"Project: {project.name}"]
        if project.owner:
            about.append(f"owner: {project.owner}")
        about.append(f"checked: {when}")
        out = [self.p("AI model sanctions and export-control exposure", "h1"),
               self.p(" · ".join(about)),
               self.p(f"Manifest: {project.path}", "small") if project.path else Spacer(1, 0),
               self.p(f" · {facts.verdict_phrase(r)}", "big",
                      raw=f"Overall exposure: {self.level(r.level)}"),
               self.p("What would have to change" if r.failed else "Why it passes", "h3"),
               self.p("\n".join(f"• {line}" for line in pdf_words.what_to_change(r)))]
        out += [self.p("Models by level", "h3"), self.counts_table()]
        out += [self.p("Lists screened", "h3"), self.coverage_table()]
        worst = pdf_words.worst_findings(r)
        out.append(self.p("The worst findings", "h3"))
        if worst:
            for finding, models in worst:
                who = models[0] if len(models) == 1 else (
                    f"{models[0]} and {len(models) - 1} other model"
                    f"{'s' if len(models) > 2 else ''}")
                out.append(self.p(f" {who}: {facts.kind_title(finding.kind).lower()}: "
                                  f"{finding.summary}", "body",
                                  raw=f"{self.level(finding.level)}"))
        elif not r.models:
            out.append(self.p("No finding: no model was assessed."))
        else:
            out.append(self.p("No finding at low or above: every model was resolved and none "
                              "matched a list or a flagged country." if not
                              facts.unresolved_count(r) else "No finding at low or above."))
        return out

    def counts_table(self) -> Any:
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        counts = facts.level_counts(self.report)
        levels = facts.LEVELS_DESCENDING
        head = [self.p("", "cell", raw=f"<b>{lv.label}</b>") for lv in levels]
        head.append(self.p("unresolved", "cell"))
        row = [self.p(str(counts[lv.label]), "cellbig") for lv in levels]
        row.append(self.p(str(facts.unresolved_count(self.report)), "cellbig"))
        table = Table([head, row], colWidths=[self.width / 6] * 6)
        style = [("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0bec5")),
                 ("BACKGROUND", (5, 0), (5, 0), colors.HexColor("#eceff1"))]
        for i, lv in enumerate(levels):
            style.append(("BACKGROUND", (i, 0), (i, 0), colors.HexColor(LEVEL_TINT[lv])))
        table.setStyle(TableStyle(style))
        return table

    def coverage_table(self) -> Any:
        """Every list source: screened from what, as of when, how many records."""
        r = self.report
        titles = {v.source: v for v in r.list_versions}
        rows: list[list[Any]] = [["List", "Screened from", "Dates", "Records"]]
        if r.coverage:
            for c in r.coverage:
                version = titles.get(c.source)
                name = (f"{version.title if version else pdf_words.source_title(c.source)} "
                        f"({c.source})")
                if c.state == "missing":
                    state = self.p("", "cell", raw='<font color="#b71c1c"><b>NOT SCREENED: '
                                   "missing" + (", required" if c.required else "")
                                   + "</b></font>")
                    rows.append([name, state, "—", "—"])
                    continue
                if c.state == "bundled":
                    dates = f"snapshot as of {c.snapshot_date or 'unknown date'}"
                    state = "bundled snapshot"
                    if not c.record_count:  # nothing of this list in the snapshot
                        state = self.p("", "cell", raw='<font color="#b71c1c"><b>bundled '
                                       "snapshot holds no entry of this list</b></font>")
                else:
                    parts = [f"published {c.published}" if c.published else "",
                             f"newest listing {c.as_of}" if c.as_of and c.as_of != c.published
                             else "", f"fetched {(c.fetched_at or '?')[:10]}"]
                    dates = "; ".join(x for x in parts if x)
                    state = "stored copy" + (" (STALE)" if version and version.stale else "")
                    if c.newer_bundled:
                        state += (f" + {c.newer_bundled} newer bundled entries up to "
                                  f"{c.newer_bundled_until}")
                rows.append([name, state, dates, f"{c.record_count:,}"])
        else:
            for v in r.list_versions:
                dates = "; ".join(x for x in (
                    f"published {v.published}" if v.published else "",
                    f"fetched {v.fetched_at[:10]}" if v.fetched_at else "") if x) or "—"
                rows.append([f"{v.title} ({v.source})", "bundled snapshot" if v.origin ==
                             "bundled" else "stored copy" + (" (STALE)" if v.stale else ""),
                             dates, f"{v.record_count:,}"])
        if len(rows) == 1:
            rows.append([self.p("", "cell", raw='<font color="#b71c1c"><b>No list was '
                                "screened: the results are not a clearance.</b></font>"),
                         "", "", ""])
        return self.table(rows, [33, 20, 38, 9])

    def overview(self) -> list[Any]:
        from reportlab.platypus import Spacer

        from riskcheck.formats.pdf_charts import concentration, levels_chart

        if not self.report.models:
            return [self.heading("Models", "h2"), self.p("The project declares no model.")]
        from reportlab.platypus import CondPageBreak, KeepTogether

        out: list[Any] = []
        chart = levels_chart(self.report, self.width)
        if chart is not None:
            out += [CondPageBreak(chart.height + 40),
                    KeepTogether([self.p("Models", "h2"), chart, Spacer(1, 6)])]
        else:
            out.append(self.heading("Models", "h2"))
        shares = concentration(self.report, self.width)
        if shares is not None:
            out += [shares, Spacer(1, 6)]
        rows: list[list[Any]] = [["Level", "Model", "Vendor (country)", "Main finding"]]
        for a in sorted(self.report.models, key=lambda a: -int(a.level)):
            vendor = facts.vendor_of(a)
            who = (f"{vendor.name} ({facts.country_of(a) or 'country unknown'})" if vendor
                   else "unresolved")
            top = pdf_words.headline(a)
            more = len(a.findings) - 1
            reason = (f"{top.summary}" + (f" (+{more} more)" if more > 0 else "")) if top \
                else "no finding"
            rows.append([self.p("", "cell", raw=self.level(a.level)), a.resolution.ref.id, who,
                         self.cut_words(reason, 200)])
        return out + [self.table(rows, [9, 27, 19, 45])]

    def cut_words(self, text: str, keep: int) -> str:
        return text if len(text) <= keep else text[:keep].rsplit(" ", 1)[0] + " …"

    def models(self) -> list[Any]:
        threshold = self.detail_level
        chosen = [a for a in self.report.models if a.level >= threshold and a.findings]
        if not chosen:
            return []
        out = [self.heading(f"Findings of models at {threshold.label} or above", "h2")]
        below = sum(1 for a in self.report.models if a.level < threshold and a.findings)
        note = ("Each finding that sets its model's level is explained once; a repeated one "
                "refers back. A finding below its model's level is listed with its list record "
                "only.")
        if below:
            note += (f" {below} model{'s' if below != 1 else ''} below {threshold.label} "
                     "appear in the table above with their main finding.")
        out.append(self.p(note + " The JSON report has every detail.", "small"))
        for a in sorted(chosen, key=lambda a: -int(a.level)):
            out.append(self.heading(a.resolution.ref.id, "h3", raw=f"{self.level(a.level)} "))
            out += self.resolution(a)
            same = self.same_findings(a)
            if same is not None:
                out.append(same)
                continue
            # The findings that set the model's level are explained in full; those below it
            # with their title and list record (the full reasons are in the JSON report),
            # and low-confidence possible matches below medium on one line.
            minor = min(a.level, Level.MEDIUM)
            possible = []
            for finding in sorted(a.findings, key=lambda f: -int(f.level)):
                brief = finding.level < a.level
                if (finding.level < minor and finding.match is not None
                        and finding.match.band == "possible"):
                    possible.append(finding)
                    continue
                out += self.finding(finding, a.resolution.ref.id, brief=brief)
            if possible:
                out.append(self.possible_matches(possible, a.resolution.ref.id))
                for finding in possible:
                    key = self.finding_key(finding)
                    self.briefed.setdefault(key, a.resolution.ref.id)
                    self.factors.setdefault(key, tuple(facts.score_factors(finding.details)))
        return out

    def same_findings(self, a: ModelAssessment) -> Any:
        """One paragraph for a model whose every finding was explained under one earlier model
        (the same weights self-hosted and by API): its levels here and only the factors of
        the arithmetic that differ; None otherwise."""
        keys = [self.finding_key(f) for f in a.findings]
        owners = {self.explained.get(key) or self.briefed.get(key) for key in keys}
        if not keys or len(owners) != 1 or None in owners:
            return None
        owner = owners.pop()
        counts: dict[Level, int] = {}
        factors: dict[str, None] = {}
        for f, key in zip(a.findings, keys):
            counts[f.level] = counts.get(f.level, 0) + 1
            for factor in facts.score_factors(f.details):
                if factor not in self.factors.get(key, ()):
                    factors.setdefault(factor, None)
        levels = ", ".join(f"{counts[level]} {level.label}" for level in facts.LEVELS_DESCENDING
                           if counts.get(level))
        count = len(a.findings)
        text = (f"The same {count} finding{'s' if count != 1 else ''} as under {owner}, here at "
                f"{levels}" + (": " + " ".join(factors) if factors else "") + ".")
        return self.p(text, "finding", raw=f"{self.level(a.level)} ")

    def finding_key(self, f: Finding) -> tuple[Any, ...]:
        """What makes two findings the same explanation: kind, summary and reasons."""
        reasons, _ = pdf_words.weighing_line(f.details)
        return (f.kind, f.summary, tuple(reasons))

    def possible_matches(self, findings: list[Finding], owner: str) -> Any:
        """Low-confidence name matches of a model set higher by other findings, in one
        paragraph: each listed name, its lists and score, and the list record."""
        items = []
        for f in findings:
            match = f.match
            assert match is not None
            entity = match.entity
            lists = "/".join(match.all_lists) or entity.source
            record = f"{entity.source} {entity.source_id}" + (
                f" {self.sources.cite(entity.url)}" if entity.url else "")
            items.append(f"{match.party_role} {match.explanation.query_name!r} ~ "
                         f"“{entity.name}” ({lists}, score {match.score:.2f}; {record})")
        text = "; ".join(items)
        earlier = self.explained.get(("possible", text))
        levels = max(f.level for f in findings)
        head = (f"{len(findings)} low-confidence possible name match"
                f"{'es' if len(findings) != 1 else ''}, check before acting")
        if earlier is not None:
            return self.p(f"{head}: the same as under {earlier}.", "finding",
                          raw=f"{self.level(levels)} ")
        self.explained[("possible", text)] = owner
        return self.p(f"{head}: {text}.", "finding", raw=f"{self.level(levels)} ")

    def project_section(self) -> list[Any]:
        if not self.report.project_findings:
            return []
        out = [self.heading("Project findings", "h2")]
        for finding in self.report.project_findings:
            out += self.finding(finding, "the project")
        return out

    def resolution(self, a: ModelAssessment) -> list[Any]:
        res = a.resolution
        if res.status == "unresolved":
            lines = [f"Unresolved (unknown, not clean): {res.hint or 'vendor unknown'}"]
            if res.tried:
                lines.append("Tried: " + "; ".join(res.tried))
            return [self.p("\n".join(lines), "small")]
        lines = []
        roles: dict[str, list[Any]] = {}
        for party in res.parties:  # one line per organisation, with every role it plays
            roles.setdefault(party.organisation.id, []).append(party)
        for parties in roles.values():
            org = parties[0].organisation
            role = ", ".join(dict.fromkeys(p.role for p in parties))
            owned = next((p.ownership for p in parties if p.ownership is not None), None)
            share = f", {owned:.0%} owned" if owned is not None else ""
            unverified = " (registry entry unverified)" if not org.verified else ""
            if org.id in self.orgs_named:  # its names and sources were printed above
                lines.append(f"{role}: {org.name} — {org.country or 'country unknown'}{share}"
                             f"{unverified} (names and sources above)")
                continue
            self.orgs_named.add(org.id)
            refs = self.sources.numbers([c.url for c in org.citations], f"about {org.name}")
            lines.append(f"{role}: {_org_names(org)} — {org.country or 'country unknown'}"
                         f"{share}{unverified} {refs}".rstrip())
        ambiguous = facts.serving_note(res)
        if ambiguous is not None:
            lines.append(ambiguous)
        elif res.serving is not None and res.serving.organisation.id not in {
                p.organisation.id for p in res.parties if p.role == "serving"}:
            s = res.serving
            lines.append(f"served by: {s.organisation.name}"
                         + (f" at {s.host}" if s.host else "")
                         + (f", data in {s.data_country}" if s.data_country else ""))
        return [self.p("\n".join(lines), "small")] if lines else []

    def finding(self, f: Finding, owner: str, *, brief: bool = False) -> list[Any]:
        """One finding: its title, then its reasons, the list record and the score arithmetic.

        A finding whose reasons were printed before (the same vendor behind two models) says
        where; ``brief`` (a minor finding of a model set higher by another) prints its title and
        list record only.
        """
        exc = f" · exception {f.exception_id} in force" if f.exception_id else ""
        title = f"{facts.kind_title(f.kind)}: {f.summary}{exc}"
        reasons, steps = pdf_words.weighing_line(f.details)
        key = self.finding_key(f)
        earlier = self.explained.get(key)
        if earlier is not None:
            text = f"{title} — reasons as under {earlier}"
            text += f"; level: {steps}" if steps and (earlier, steps) != self.steps.get(key) \
                else "."
            return [self.p(text, "finding", raw=f"{self.level(f.level)} ")]
        self.factors.setdefault(key, tuple(facts.score_factors(f.details)))
        if brief:
            self.briefed.setdefault(key, owner)  # a model with the same findings refers here
            record = ""
            if f.match is not None:
                entity = f.match.entity
                record = f" (list record {entity.source} {entity.source_id}" + (
                    f" {self.sources.cite(entity.url)}" if entity.url else "") + ")"
            return [self.p(f"{title}{record}", "finding", raw=f"{self.level(f.level)} ")]
        self.explained[key] = owner
        self.steps[key] = (owner, steps)
        block = [self.p(title, "finding", raw=f"{self.level(f.level)} ")]
        match_key = (f.match.party_id, f.match.entity.source, f.match.entity.source_id) \
            if f.match is not None else None
        match_seen = self.matched.get(match_key) if match_key else None
        lines = []
        again: list[str] = []  # lines printed in full before: one line of short references
        for line in reasons:
            if match_seen is not None and line.startswith(MATCH_LINES):
                continue
            cited = self.sources.cite(line)
            if cited in self.lines_said and cited != line:  # a source's line, printed before
                again.append(self.cut_words_plain(cited, 48))
            else:
                lines.append(f"• {self.said_before(line)}")
        if again:
            lines.append("• as above: " + "; ".join(again))
        if f.match is not None and match_seen is None:
            self.matched[match_key] = owner  # type: ignore[index]
            lines += self.listed(f)
        elif f.match is not None:
            lines.append(f"• match of {f.match.explanation.query_name!r} to the list record "
                         f"{f.match.entity.source} {f.match.entity.source_id}: explained "
                         f"above, under {match_seen}")
        if steps:
            lines.append(f"• level: {steps}")
        if lines:
            block.append(self.p("\n".join(lines), "detail"))
        # A title starts a page when less than about three lines are left; its reasons may run
        # on to the next page (keeping them together would leave half a page blank).
        from reportlab.platypus import CondPageBreak

        return [CondPageBreak(40), *block] if len(block) > 1 else block

    @staticmethod
    def cut_words_plain(text: str, keep: int) -> str:
        """``text`` with its words cut to ``keep`` characters, its [n] references kept."""
        refs = "".join(re.findall(r"\[\d+\]", text))
        words = re.sub(r"\s*\[\d+\]", "", text)
        if len(words) > keep:
            words = words[:keep].rsplit(" ", 1)[0] + "…"
        return f"{words} {refs}".rstrip()

    def said_before(self, line: str) -> str:
        """A detail line with its URLs numbered; a line already printed in full (the legal
        basis of a list or a country, shared by many findings) is shortened to its start."""
        cited = self.sources.cite(line)
        if cited not in self.lines_said:
            self.lines_said.add(cited)
            return cited
        refs = "".join(re.findall(r"\[\d+\]", cited))
        text = re.sub(r"\s*\[\d+\]", "", cited)
        short = text if len(text) <= 70 else text[:70].rsplit(" ", 1)[0] + " … (as above)"
        return f"{short} {refs}".rstrip()

    def listed(self, f: Finding) -> list[str]:
        """What the details of a list finding do not already say about the listed entry."""
        match = f.match
        assert match is not None
        entity = match.entity
        said = " ".join(f.details)
        out = []
        exp = match.explanation
        if "matched '" not in said:  # details written without the explanation (older results)
            out.append(f"• matched {exp.query_name!r} to {exp.matched_name!r} (band "
                       f"{match.band}, score {match.score:.2f}, {match.status})")
            if exp.alignment:
                out.append(f"• alignment: {exp.alignment}")
            out += [f"• qualifier: {q}" for q in exp.qualifiers]
            record = f"• list record: {entity.source} {entity.source_id}"
            if entity.citation:
                record += f", {entity.citation}"
            if entity.url:
                record += f", {self.sources.cite(entity.url)}"
            out.append(record)
            said += f" {entity.url or ''}"
        when = facts.listed_on_phrase(match)
        also = [a.name for a in entity.aliases if a.name and a.name not in said]
        line = f"listed as “{entity.name}”" + (f", {when}" if when else "")
        if entity.programs:
            line += f", programs {', '.join(entity.programs)}"
        if also:
            shown = also[:4]
            line += "; also listed as: " + "; ".join(shown) + (
                f" (+{len(also) - 4} more)" if len(also) > 4 else "")
        out.append(f"• {line}")
        if entity.url and entity.url not in said:
            out.append(f"• list record: {self.sources.cite(entity.url)}")
        if entity.remarks:
            out.append(f"• remarks: {self.cut_words(self.sources.cite(entity.remarks), 320)}")
        return out

    def undeclared(self) -> list[Any]:
        if not self.report.undeclared:
            return []
        rows: list[list[Any]] = [["Model reference", "Found at"]]
        rows += [[r.id, f"{r.location.path}:{r.location.line}" if r.location else "—"]
                 for r in self.report.undeclared]
        return [self.heading("Used in code but not declared in the manifest", "h2"),
                self.table(rows, [55, 45])]

    def exceptions(self) -> list[Any]:
        applied = facts.excepted_findings(self.report)
        declared = facts.policy_exceptions(self.report)
        if not applied and not declared:
            return []
        out = [self.heading("Exceptions in force", "h2")]
        if applied:
            rows: list[list[Any]] = [["Exception", "Model", "Finding", "Level now"]]
            rows += [[f.exception_id or "", a.resolution.ref.id if a else "project", f.summary,
                      f.level.label] for a, f in applied]
            out.append(self.table(rows, [14, 26, 48, 12]))
        if declared:
            keys = ["id", "model", "lists", "approver", "created", "expires", "reason"]
            rows = [[k.capitalize() for k in keys]]
            for item in declared:
                rows.append([pdf_words.plain_value(item.get(k)) if item.get(k) is not None
                             else "—" for k in keys])
            out.append(self.p("Approved exceptions (policy)", "h3"))
            out.append(self.table(rows, [12, 20, 9, 16, 11, 11, 21]))
        return out

    def appendix(self) -> list[Any]:
        policy = self.report.project.policy
        out = [self.heading("Appendix: how the result was reached", "h2"), self.p(
            "Each model is resolved to its vendor, the vendor's owners, upstream models and "
            "API host; every party's names (legal, native-script, aliases) are screened against "
            "the lists with fuzzy matching, banded 'match', 'review' or 'possible'. Matches, "
            "ownership, jurisdiction and data location become findings with a level (none < "
            "low < medium < high < critical); a model's level is its highest finding, the "
            "overall level the highest of all. An unresolved model is unknown, never clean. "
            "Numbers in brackets, [3], refer to the sources below.",
            "small"),
            self.p("Policy", "h3")]
        rows: list[list[Any]] = [["Setting", "In force"]]
        rows += [[what, value] for what, value in pdf_words.policy_words(policy)]
        out.append(self.table(rows, [24, 76]))
        kinds = [k for k in facts.kinds_in(self.report)
                 if any(f.kind == k for _, f in facts.all_findings(self.report))]
        if kinds:
            out.append(self.heading("Kinds of finding in this report", "h3"))
            rows = [["Kind", "Meaning"]]
            rows += [[facts.kind_title(k), facts.kind_help(k)] for k in kinds]
            out.append(self.table(rows, [26, 74]))
        out.append(self.heading("Sources", "h3"))
        lines = []
        versions = len(self.report.list_versions)
        for number, (url, notes) in enumerate(self.sources.entries.items(), start=1):
            if number <= versions and notes:  # a list version: what it is on the URL's line
                lines.append(f"[{number}] {url} — " + "\n".join(notes))
            elif all(len(n) <= 60 for n in notes):  # "about Sberbank": on the URL's line
                abouts = [n[len("about "):] for n in notes if n.startswith("about ")]
                others = [n for n in notes if not n.startswith("about ")]
                words = others + ([f"about {', '.join(abouts)}"] if abouts else [])
                lines.append(f"[{number}] {url}" + "".join(f" — {n}" for n in words))
            else:
                lines.append(f"[{number}] {url}" + "".join(f"\n{n}" for n in notes))
        if not lines:
            lines = ["No source was cited."]
        # One paragraph per source: a long list is split between pages at any entry. The list
        # versions (first) take the full width, so a sha256 stays on one line.
        out += [self.p(line, "source") for line in lines[:versions]]
        rest = lines[versions:]
        if len(rest) < 8:
            return out + [self.p(line, "source") for line in rest]
        from reportlab.platypus.flowables import BalancedColumns

        # Two columns: the other sources are short lines (a URL and a note); one column
        # wastes half the width of the last pages.
        out.append(BalancedColumns([self.p(line, "source") for line in rest], nCols=2,
                                   spaceBefore=0, innerPadding=8, leftPadding=0,
                                   rightPadding=0, topPadding=0, bottomPadding=0))
        return out

    def register_versions(self) -> None:
        """List versions are sources [1], [2] ...: cited first, by their official URL."""
        for v in self.report.list_versions:
            url, note = pdf_words.version_citation(v)
            text = pdf_words.version_lines(v)
            if note:
                text[0] += f"; {note}"
            if url:
                for line in text:
                    self.sources.ref(url, line)
            else:
                self.sources.ref(text[0], "\n".join(text[1:] + ["no URL recorded"]))

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
