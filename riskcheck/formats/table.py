"""The terminal table: one row per model, then the summary line and warnings.

Rendered into a string, so the caller decides where it goes; colour only when the caller says so
(the CLI passes ``color=False`` when stdout is not a terminal or NO_COLOR is set).

The layout is rich's (a ``SIMPLE_HEAD`` table with ratio columns, words wrapped and long words
folded), computed here directly: building rich renderables for a few hundred cells cost more
than the whole rest of a 50-model check. Cell widths still come from ``rich.cells``, so wide
characters measure the same as everywhere else; a test renders the same cells through rich's
own Table and expects the same text.
"""

from __future__ import annotations

import re
from itertools import pairwise

from rich.cells import cell_len, chop_cells, set_cell_size

from riskcheck import __version__
from riskcheck.formats import facts
from riskcheck.formats.interface import ReportFormat
from riskcheck.model import Level, ModelAssessment, Report
from riskcheck.terminal import terminal_safe

LEVEL_STYLES: dict[Level, str] = {
    Level.CRITICAL: "bold white on red",
    Level.HIGH: "bold red",
    Level.MEDIUM: "bold yellow",
    Level.LOW: "cyan",
    Level.NONE: "green",
}

MIN_WIDTH = 50
"""Narrowest line the table is laid out for; four columns need at least this much."""

Run = tuple[str, str]
"""A piece of text and its style (rich style words such as ``"bold red"``; empty for none)."""


_WORD = re.compile(r"\s*\S+\s*")

_ATTRIBUTES = {"bold": 1, "dim": 2, "italic": 3, "underline": 4}
_COLOURS = {"black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6,
            "white": 7}


def _sgr(style: str) -> str:
    """The ANSI select-graphic-rendition parameters of a style, attributes first."""
    words = style.split()
    attributes = sorted({_ATTRIBUTES[w] for w in words if w in _ATTRIBUTES})
    background = words[words.index("on") + 1] if "on" in words else None
    foreground = [w for w in words if w in _COLOURS and w != background]
    codes = [str(code) for code in attributes]
    codes += [str(30 + _COLOURS[w]) for w in foreground[-1:]]
    if background is not None:
        codes.append(str(40 + _COLOURS[background]))
    return ";".join(codes)


def _breaks(text: str, width: int) -> list[int]:
    """Where a line of ``text`` is broken to fit ``width`` cells: between words, and inside a
    word longer than a whole line (folded)."""
    breaks: list[int] = []
    used = 0
    for word in _WORD.finditer(text):
        start, chunk = word.start(), word.group()
        length = cell_len(chunk.rstrip())
        if width - used >= length:
            used += cell_len(chunk)
        elif length > width:
            pieces = chop_cells(chunk, width)
            for piece in pieces[:-1]:
                if start:
                    breaks.append(start)
                start += len(piece)
            if start:
                breaks.append(start)
            used = cell_len(pieces[-1])
        elif used and start:
            breaks.append(start)
            used = cell_len(chunk)
    return breaks


def _slice(runs: list[Run], start: int, end: int) -> list[Run]:
    """The runs covering characters ``start:end`` of their joined text."""
    sliced: list[Run] = []
    offset = 0
    for text, style in runs:
        low, high = max(start - offset, 0), min(end - offset, len(text))
        if low < high:
            sliced.append((text[low:high], style))
        offset += len(text)
    return sliced


def _fit(runs: list[Run], width: int, pad: bool) -> list[Run]:
    """Crop runs to ``width`` cells (and pad them to it when ``pad``)."""
    plain = "".join(text for text, _ in runs)
    size = cell_len(plain)
    if size > width:
        fitted = set_cell_size(plain, width)
        # A wide character cut in half leaves a space in its place.
        kept = next((i for i, (a, b) in enumerate(zip(plain, fitted)) if a != b), len(fitted))
        runs = _slice(runs, 0, kept)
        if fitted[kept:]:
            runs.append((fitted[kept:], ""))
        size = width
    if pad and size < width:
        runs = [*runs, (" " * (width - size), "")]
    return runs


def _expand_tabs(runs: list[Run]) -> list[Run]:
    column = 0
    expanded: list[Run] = []
    for text, style in runs:
        if "\t" in text:
            parts = text.split("\t")
            out = ""
            for part in parts[:-1]:
                column += cell_len(part) + 1
                spaces = -column % 8
                column += spaces
                out += part + " " * (1 + spaces)
            text = out + parts[-1]
            column += cell_len(parts[-1])
        else:
            column += cell_len(text)
        expanded.append((text, style))
    return expanded


def _wrap(runs: list[Run], width: int, pad: bool = False) -> list[list[Run]]:
    """Lines of at most ``width`` cells: each ``\\n`` starts a line, long lines wrap."""
    plain = "".join(text for text, _ in runs)
    lines: list[list[Run]] = []
    offset = 0
    for paragraph in plain.split("\n"):
        line_runs = _slice(runs, offset, offset + len(paragraph))
        offset += len(paragraph) + 1
        if "\t" in paragraph:
            line_runs = _expand_tabs(line_runs)
            paragraph = "".join(text for text, _ in line_runs)
        bounds = [0, *_breaks(paragraph, width), len(paragraph)]
        lines.extend(_fit(_slice(line_runs, low, high), width, pad)
                     for low, high in pairwise(bounds))
    return lines


class _Cell:
    """Text built piece by piece, like a rich ``Text``: later pieces add to the base style."""

    def __init__(self, text: str = "", style: str = "") -> None:
        self.style = style
        self.runs: list[Run] = []
        self.append(text)

    def append(self, text: str, style: str = "") -> _Cell:
        combined = f"{self.style} {style}".strip()
        if text:
            # Data reaches a terminal: no control character survives (ESC included).
            self.runs.append((terminal_safe(text), combined))
        return self


class TableFormat(ReportFormat):
    """``--format table``: a readable summary for people at a terminal."""

    name = "table"
    binary = False

    def __init__(self, color: bool = False, width: int | None = None,
                 details: bool = False) -> None:
        """``color`` adds ANSI styles; ``width`` is the line width (at least 50; default
        :func:`riskcheck.formats.console.output_width` for a file: ``COLUMNS`` or 120)."""
        from riskcheck.formats.console import output_width

        self.color = color
        self.width = max(width or output_width(False), MIN_WIDTH)
        self.details = details
        """Every finding of every model under its verdict (``--details``), not the first."""

    def render(self, report: Report) -> str:
        """Render the header, the model table, findings about the project, summary, warnings."""
        lines: list[str] = []
        for cell in self._header(report):
            self._paragraph(lines, cell)
        self._table(lines, report)
        for cell in (*self._verdicts(report), *self._project_findings(report)):
            self._paragraph(lines, cell)
        lines.append("")
        if report.undeclared:
            self._paragraph(lines, self._styled(
                "Used in code but not declared in the manifest (assessed above):", "bold yellow"))
            for ref in report.undeclared:
                where = f" ({ref.location.path}:{ref.location.line})" if ref.location else ""
                self._paragraph(lines, self._styled(f"  {ref.id}{where}"))
        self._paragraph(lines, self._summary(report))
        for warning in report.warnings:
            self._paragraph(lines, self._styled(f"warning: {warning}", "yellow"))
        # Cells are padded to their column; plain text is easier to diff without trailing blanks.
        return "\n".join(line.rstrip() for line in "\n".join(lines).splitlines()) + "\n"

    def _styled(self, text: str, style: str = "") -> _Cell:
        return _Cell(text, style if self.color else "")

    def _level(self, level: Level) -> _Cell:
        return self._styled(level.label.upper(), LEVEL_STYLES[level])

    def _line(self, runs: list[Run]) -> str:
        if not self.color:
            return "".join(text for text, _ in runs)
        # Blanks need a style only to show a background colour.
        return "".join(f"\x1b[{_sgr(style)}m{text}\x1b[0m"
                       if style and (text.strip() or " on " in f" {style} ") else text
                       for text, style in runs)

    def _paragraph(self, lines: list[str], cell: _Cell) -> None:
        """A block of text across the full width, wrapped at word boundaries."""
        lines.extend(self._line(runs) for runs in _wrap(cell.runs, self.width))

    def _header(self, report: Report) -> list[_Cell]:
        project = report.project
        owner = f" ({project.owner})" if project.owner else ""
        manifest = f" · {project.path}" if project.path else ""
        style = "bold yellow" if report.bundled_data else "dim"
        return [
            self._styled(f"riskcheck {__version__} · {project.name}{owner}{manifest}", "bold"),
            self._styled(f"Data: {facts.data_notice(report)}", style),
        ] + ([self._styled(f"Coverage: {facts.coverage_notice(report)}",
                           "bold yellow" if any(c.state != "stored" for c in report.coverage)
                           else "dim")] if report.coverage else [])

    def _column_widths(self, report: Report) -> list[int]:
        """Content widths of Model, Vendor, List matches and Level, as rich lays them out.

        Model and Level are fixed; the two ratio columns share the rest 4:6 (rounded up for the
        first). rich counts padding into column widths: one space on the inner side of Model
        and Level, one on each side of the others; the edges and three dividers take 5 more.
        The Model column is as wide as the longest model id or file:line (up to two fifths of
        the line), so an identifier is not broken in the middle.
        """
        tokens = [a.resolution.ref.id for a in report.models]
        tokens += [f"{a.resolution.ref.location.path}:{a.resolution.ref.location.line}"
                   for a in report.models if a.resolution.ref.location]
        longest = max((cell_len(token) for token in tokens), default=10)
        model = min(longest, max(28, self.width * 2 // 5), self.width - 6)
        flexible = self.width - 5 - (model + 1) - (8 + 1)
        vendor = max(3, -(-4 * flexible // 10))
        matches = max(3, flexible - vendor)
        return [model, vendor - 2, matches - 2, 8]

    def _table(self, lines: list[str], report: Report) -> None:
        widths = self._column_widths(report)
        lines.append("")  # the (blank) top border
        bold = "bold" if self.color else ""
        headers = ["Model", "Vendor / parent (country)", "List matches (list, listed name, score)",
                   "Level"]
        self._row(lines, widths, [_Cell(text, bold) for text in headers], align_bottom=True)
        lines.append(" " + "─" * (sum(widths) + 9) + " ")
        for index, assessment in enumerate(report.models):
            if index:
                lines.append("")
            self._row(lines, widths, [self._model_cell(assessment, report.project.path),
                                      self._vendor_cell(assessment),
                                      self._matches_cell(assessment),
                                      self._level(assessment.level)])
        lines.append("")  # the (blank) bottom border

    def _row(self, lines: list[str], widths: list[int], cells: list[_Cell],
             align_bottom: bool = False) -> None:
        wrapped = [_wrap(cell.runs, width, pad=True) for cell, width in zip(cells, widths)]
        # The level never wraps: it is cut to its column instead.
        wrapped[-1] = [_fit(cells[-1].runs, widths[-1], pad=True)]
        height = max(len(column) for column in wrapped)
        for column, width in zip(wrapped, widths):
            blank = [[(" " * width, "")]] * (height - len(column))
            if align_bottom:
                column[:0] = blank
            else:
                column.extend(blank)
        for line_no in range(height):
            model, vendor, matches, level = (self._line(column[line_no]) for column in wrapped)
            lines.append(f" {model}   {vendor}   {matches}   {level} ")

    def _verdicts(self, report: Report) -> list[_Cell]:
        # Verdicts get the full width: squeezed into a column they become unreadable.
        if not report.models:
            return []
        cells = [self._styled("Verdicts:", "bold")]
        for assessment in report.models:
            line = self._styled("  ")
            self._add(line, self._level(assessment.level))
            self._add(line, self._styled(f" {assessment.resolution.ref.id}: ", "bold"))
            verdict = assessment.verdict or "(no verdict)"
            # The level is already on the line: one level word per verdict.
            prefix = f"{assessment.level.label}: "
            if verdict.startswith(prefix):
                verdict = verdict[len(prefix):]
            if self.details:
                verdict = verdict.split(" (+", 1)[0] if verdict.endswith("findings)") or \
                    verdict.endswith("finding)") else verdict
            self._add(line, self._styled(verdict))
            cells.append(line)
            if self.details:
                cells.extend(self._finding_lines(assessment))
        if not self.details and any(len(a.findings) > 1 for a in report.models):
            cells.append(self._styled("  (--details, -v: every finding of every model, with its "
                                      "reasons)", "dim"))
        return cells

    def _finding_lines(self, assessment: ModelAssessment) -> list[_Cell]:
        lines = []
        for finding in assessment.findings:
            line = self._styled("      ")
            self._add(line, self._level(finding.level))
            self._add(line, self._styled(f" {finding.summary}"))
            lines.append(line)
            lines.extend(self._styled(f"        {detail}", "dim") for detail in finding.details)
        return lines

    @staticmethod
    def _add(cell: _Cell, other: _Cell) -> _Cell:
        for text, style in other.runs:
            cell.append(text, style)
        return cell

    def _model_cell(self, assessment: ModelAssessment, manifest: str | None = None) -> _Cell:
        ref = assessment.resolution.ref
        text = self._styled(ref.id, "bold")
        extra = [ref.usage] if ref.usage != "unknown" else []
        if ref.provider:
            extra.append(f"via {ref.provider}")
        if ref.location:
            # The header already names the manifest; its entries need only their line.
            same_file = ref.location.path == manifest
            extra.append(f"line {ref.location.line}" if same_file
                         else f"{ref.location.path}:{ref.location.line}")
        if extra:
            text.append("\n")
            self._add(text, self._styled(" · ".join(extra), "dim"))
        return text

    def _vendor_cell(self, assessment: ModelAssessment) -> _Cell:
        resolution = assessment.resolution
        if resolution.status == "unresolved":
            text = self._styled("unresolved", "bold yellow")
            if resolution.hint:
                self._add(text, self._styled(f"\n{resolution.hint}", "dim"))
            return text
        vendor = facts.vendor_of(assessment)
        country = facts.country_of(assessment)
        if vendor is None:
            text = self._styled(f"no vendor ({country})" if country else "no vendor", "yellow")
        else:
            text = self._styled(f"{vendor.name} ({vendor.country or '?'})")
        for parent in facts.parents_of(assessment):
            inc = f"; inc. {parent.incorporated_in}" if parent.incorporated_in and \
                parent.incorporated_in != parent.country else ""
            self._add(text, self._styled(f"\n↳ {parent.name} ({parent.country or '?'}{inc})"))
        serving = resolution.serving
        ambiguous = facts.serving_note(resolution)
        if ambiguous is not None:
            self._add(text, self._styled(f"\n{ambiguous}", "yellow"))
        elif serving is not None and not serving.first_party:
            where = serving.data_country or serving.organisation.country or "?"
            self._add(text, self._styled(f"\nserved by {serving.organisation.name} ({where})",
                                         "dim"))
        return text

    def _matches_cell(self, assessment: ModelAssessment) -> _Cell:
        if assessment.resolution.status == "unresolved":
            return self._styled("not screened", "yellow")
        if not assessment.matches:
            return self._styled("none", "dim")
        excepted = {id(f.match): f.exception_id for f in assessment.findings
                    if f.match is not None and f.exception_id}
        text = self._styled("")
        for i, match in enumerate(assessment.matches):
            if i:
                text.append("\n")
            lists = "/".join(match.all_lists) or match.entity.source
            self._add(text, self._styled(lists, "bold"))
            self._add(text, self._styled(f" {match.entity.name} {match.score:.2f}"))
            notes = [] if match.band == "match" else [match.band]
            if match.status == "formerly-listed":
                notes.append("formerly listed")
            if match.party_role != "vendor":
                notes.append(match.party_role)
            if match.also_listed:
                notes.append("also in " + ", ".join(sorted({e.source for e in match.also_listed})))
            if id(match) in excepted:
                notes.append(f"exception {excepted[id(match)]}")
            if notes:
                self._add(text, self._styled(f" ({'; '.join(notes)})", "dim"))
        return text

    def _project_findings(self, report: Report) -> list[_Cell]:
        if not report.project_findings:
            return []
        cells = [self._styled("Project findings:", "bold")]
        for finding in report.project_findings:
            line = self._styled("  ")
            self._add(line, self._level(finding.level))
            self._add(line, self._styled(
                f" {facts.kind_title(finding.kind)}: {finding.summary}"))
            cells.append(line)
        return cells

    def _summary(self, report: Report) -> _Cell:
        text = self._styled("Overall: ", "bold")
        self._add(text, self._level(report.level))
        self._add(text, self._styled(f" (score {report.score:.2f}) · "
                                     f"{facts.counts_phrase(report)} · "))
        self._add(text, self._styled(facts.verdict_phrase(report),
                                     "bold red" if report.failed else "bold green"))
        return text
