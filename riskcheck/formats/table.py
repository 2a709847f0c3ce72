"""The terminal table: one row per model, then the summary line and warnings.

Rendered through rich into a string, so the caller decides where it goes; colour only when the
caller says so (the CLI passes ``color=False`` when stdout is not a terminal or NO_COLOR is set).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from riskcheck import __version__
from riskcheck.formats import facts
from riskcheck.formats.interface import ReportFormat
from riskcheck.model import Level, ModelAssessment, Report

if TYPE_CHECKING:
    from rich.text import Text

LEVEL_STYLES: dict[Level, str] = {
    Level.CRITICAL: "bold white on red",
    Level.HIGH: "bold red",
    Level.MEDIUM: "bold yellow",
    Level.LOW: "cyan",
    Level.NONE: "green",
}


class TableFormat(ReportFormat):
    """``--format table``: a readable summary for people at a terminal."""

    name = "table"
    binary = False

    def __init__(self, color: bool = False, width: int | None = None) -> None:
        """``color`` adds ANSI styles; ``width`` is the line width (default 100)."""
        self.color = color
        self.width = width or 100

    def render(self, report: Report) -> str:
        """Render the header, the model table, findings about the project, summary, warnings."""
        from rich.console import Console

        buffer = io.StringIO()
        console = Console(file=buffer, width=self.width, force_terminal=self.color,
                          no_color=not self.color, color_system="standard" if self.color else None,
                          highlight=False, emoji=False, markup=False, legacy_windows=False)
        for line in self._header(report):
            console.print(line, soft_wrap=False, overflow="fold")
        console.print(self._table(report))
        if report.models:
            self._verdicts(console, report)
        self._project_findings(console, report)
        console.print()
        if report.undeclared:
            console.print(self._styled("Used in code but not in the manifest (not assessed):",
                                       "bold yellow"))
            for ref in report.undeclared:
                where = f" ({ref.location.path}:{ref.location.line})" if ref.location else ""
                console.print(self._styled(f"  {ref.id}{where}"), overflow="fold")
        console.print(self._summary(report), overflow="fold")
        for warning in report.warnings:
            console.print(self._styled(f"warning: {warning}", "yellow"), overflow="fold")
        if self.color:
            return buffer.getvalue()
        # rich pads every cell to the column width; plain text is easier to diff without it.
        return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"

    def _styled(self, text: str, style: str = "") -> Text:
        from rich.text import Text

        return Text(text, style=style if self.color else "")

    def _level(self, level: Level) -> Text:
        return self._styled(level.label.upper(), LEVEL_STYLES[level])

    def _header(self, report: Report) -> list[Text]:
        project = report.project
        owner = f" ({project.owner})" if project.owner else ""
        manifest = f" · {project.path}" if project.path else ""
        style = "bold yellow" if report.bundled_data else "dim"
        return [
            self._styled(f"riskcheck {__version__} · {project.name}{owner}{manifest}", "bold"),
            self._styled(f"Data: {facts.data_notice(report)}", style),
        ]

    def _table(self, report: Report):  # noqa: ANN202 - rich Table, imported lazily
        from rich import box
        from rich.table import Table

        table = Table(box=box.SIMPLE_HEAD, show_lines=False, expand=True, pad_edge=False,
                      header_style="bold" if self.color else "")
        longest = max((len(a.resolution.ref.id) for a in report.models), default=10)
        table.add_column("Model", overflow="fold", width=min(longest, max(28, self.width // 4)))
        table.add_column("Vendor / parent (country)", ratio=4, overflow="fold")
        table.add_column("List matches (list, listed name, score)", ratio=6, overflow="fold")
        table.add_column("Level", width=8, no_wrap=True)
        for index, assessment in enumerate(report.models):
            if index:
                table.add_row("", "", "", "")
            table.add_row(self._model_cell(assessment, report.project.path), self._vendor_cell(assessment),
                          self._matches_cell(assessment), self._level(assessment.level))
        return table

    def _verdicts(self, console, report: Report) -> None:  # noqa: ANN001
        # Verdicts get the full width: squeezed into a column they become unreadable.
        console.print(self._styled("Verdicts:", "bold"))
        for assessment in report.models:
            line = self._styled("  ")
            line.append_text(self._level(assessment.level))
            line.append_text(self._styled(f" {assessment.resolution.ref.id}: ", "bold"))
            line.append_text(self._styled(assessment.verdict or "(no verdict)"))
            console.print(line, overflow="fold")

    def _model_cell(self, assessment: ModelAssessment, manifest: str | None = None) -> Text:
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
            text.append_text(self._styled(" · ".join(extra), "dim"))
        return text

    def _vendor_cell(self, assessment: ModelAssessment) -> Text:
        resolution = assessment.resolution
        if resolution.status == "unresolved":
            text = self._styled("unresolved", "bold yellow")
            if resolution.hint:
                text.append_text(self._styled(f"\n{resolution.hint}", "dim"))
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
            text.append_text(self._styled(f"\n↳ {parent.name} ({parent.country or '?'}{inc})"))
        serving = resolution.serving
        if serving is not None and not serving.first_party:
            where = serving.data_country or serving.organisation.country or "?"
            text.append_text(self._styled(f"\nserved by {serving.organisation.name} ({where})",
                                          "dim"))
        return text

    def _matches_cell(self, assessment: ModelAssessment) -> Text:
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
            lists = "/".join(match.entity.lists) or match.entity.source
            text.append_text(self._styled(lists, "bold"))
            text.append_text(self._styled(f" {match.entity.name} {match.score:.2f}"))
            notes = [] if match.band == "match" else [match.band]
            if match.status == "formerly-listed":
                notes.append("formerly listed")
            if match.party_role != "vendor":
                notes.append(match.party_role)
            if id(match) in excepted:
                notes.append(f"exception {excepted[id(match)]}")
            if notes:
                text.append_text(self._styled(f" ({'; '.join(notes)})", "dim"))
        return text

    def _project_findings(self, console, report: Report) -> None:  # noqa: ANN001
        if not report.project_findings:
            return
        console.print(self._styled("Project findings:", "bold"))
        for finding in report.project_findings:
            line = self._styled("  ")
            line.append_text(self._level(finding.level))
            line.append_text(self._styled(f" {facts.kind_title(finding.kind)}: {finding.summary}"))
            console.print(line, overflow="fold")

    def _summary(self, report: Report) -> Text:
        text = self._styled("Overall: ", "bold")
        text.append_text(self._level(report.level))
        text.append_text(self._styled(f" (score {report.score:.2f}) · {facts.counts_phrase(report)}"
                                      " · "))
        text.append_text(self._styled(facts.verdict_phrase(report),
                                      "bold red" if report.failed else "bold green"))
        return text
