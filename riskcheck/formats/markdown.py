"""Markdown for a GitHub or GitLab pull-request comment.

Summary first, a table per model with exposure, a collapsible block per finding carrying the
match explanation, then exceptions, list versions and warnings. Every name coming from a list
or a manifest is escaped, so a listed name can never break the table or inject HTML.
"""

from __future__ import annotations


from riskcheck.formats import facts
from riskcheck.formats.interface import ReportFormat
from riskcheck.model import Finding, Level, Match, ModelAssessment, Report
from riskcheck.terminal import terminal_safe

LEVEL_BADGES: dict[Level, str] = {
    Level.CRITICAL: "🟥 CRITICAL",
    Level.HIGH: "🟧 HIGH",
    Level.MEDIUM: "🟨 MEDIUM",
    Level.LOW: "🟦 LOW",
    Level.NONE: "🟩 NONE",
}


_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                           "'": "&#x27;", "|": "&#124;", "`": "&#96;", "[": "&#91;", "]": "&#93;",
                           "*": "&#42;", "_": "&#95;", "~": "&#126;", "\\": "&#92;",
                           "!": "&#33;", "#": "&#35;",
                           # A mention pings people; a zero-width space keeps it text.
                           "@": "@\u200b"})
_WWW = "www" + "\u200b" + "."


def esc(text: object) -> str:
    """Escape text for a table cell, a list item or an HTML block alike.

    Character references work in all three places (a backslash escape would show literally
    inside ``<summary>``), so table pipes, HTML, links, images, headings and emphasis in names
    stay inert. Every control character goes and every kind of line break becomes a space
    (the value stays on its line), ``@`` mentions and bare web addresses are broken with a
    zero-width space so GitHub neither pings nor links them.
    """
    flat = terminal_safe(str(text), one_line=True).replace("\u0085", " ")
    # One pass: the references it writes are never escaped again.
    escaped = flat.translate(_ENTITIES)
    return (escaped.replace("://", ":\u200b//").replace("www.", _WWW)
            .replace("WWW.", "WWW\u200b."))


def code(text: object) -> str:
    """A value shown as code that no content can end early: an escaped ``<code>`` element.

    A Markdown code span is closed by a matching run of backticks inside the value; an HTML
    element with every character escaped has no such way out, and works in table cells too.
    """
    return f"<code>{esc(text)}</code>"


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


class MarkdownFormat(ReportFormat):
    """``--format markdown``: a pull-request comment."""

    name = "markdown"
    binary = False

    def render(self, report: Report) -> str:
        """Render the whole comment."""
        out: list[str] = []
        out += self._summary(report)
        # One pass: ``a not in flagged`` compared whole assessments, quadratic in the models.
        flagged: list[ModelAssessment] = []
        clean: list[ModelAssessment] = []
        for assessment in report.models:
            (flagged if assessment.level > Level.NONE or assessment.findings else clean).append(
                assessment)
        for assessment in flagged:
            out += self._model(assessment)
        if clean:
            out += self._clean(clean)
        if report.project_findings:
            out += ["### Project findings", ""]
            for finding in report.project_findings:
                out += self._finding(finding)
        if report.undeclared:
            out += ["### Used in code but not in the manifest (not assessed)", ""]
            out += [f"- {code(r.id)}" + (f" at {code(f'{r.location.path}:{r.location.line}')}"
                                         if r.location else "") for r in report.undeclared]
            out.append("")
        out += self._exceptions(report)
        out += self._versions(report)
        if report.warnings:
            out += ["### Warnings", ""] + [f"- {esc(w)}" for w in report.warnings] + [""]
        meta = report.metadata
        footer = "riskcheck"
        if meta:
            footer = f"riskcheck {meta.tool_version} · run {code(meta.run_id)} · " \
                f"{esc(meta.started_at)}"
        out += [f"<sub>{footer}</sub>", ""]
        return "\n".join(out)

    def _summary(self, report: Report) -> list[str]:
        verdict = facts.verdict_phrase(report)
        lines = [
            f"## riskcheck: {LEVEL_BADGES[report.level]} — {'❌' if report.failed else '✅'} "
            f"{verdict}",
            "",
            f"**Overall: {report.level.label}** (score {report.score:.2f}) · "
            f"{esc(facts.counts_phrase(report))} · project **{esc(report.project.name)}**",
            "",
        ]
        notice = facts.data_notice(report)
        if report.bundled_data:
            lines += ["> [!WARNING]", f"> Screened against the {esc(notice)}.", ""]
        else:
            lines += [f"Data: {esc(notice)}", ""]
        if report.coverage:
            lines += [f"Coverage: {esc(facts.coverage_notice(report))}", ""]
        return lines

    def _model(self, assessment: ModelAssessment) -> list[str]:
        ref = assessment.resolution.ref
        vendor = facts.vendor_of(assessment)
        parents = facts.parents_of(assessment)
        lines = [f"### {code(ref.id)} — {LEVEL_BADGES[assessment.level]}", "",
                 _row("Field", "Value"), _row("---", "---")]
        if assessment.resolution.status == "unresolved":
            lines.append(_row("Vendor", "**unresolved** (not screened)"))
            if assessment.resolution.hint:
                lines.append(_row("What to do", esc(assessment.resolution.hint)))
        else:
            lines.append(_row("Vendor", esc(f"{vendor.name} ({vendor.id})") if vendor else "—"))
            if parents:
                lines.append(_row("Parent", "; ".join(esc(f"{p.name} ({p.country or '?'})")
                                                      for p in parents)))
            lines.append(_row("Country", esc(facts.country_of(assessment) or "unknown")))
        serving = assessment.resolution.serving
        if serving is not None:
            served = (f"{serving.organisation.name} — {serving.host or '?'} "
                      f"({serving.data_country or '?'})")
            lines.append(_row("Served by", esc(served)))
        usage = ref.usage + (f" via {ref.provider}" if ref.provider else "")
        lines.append(_row("Usage", esc(usage)))
        if ref.location:
            lines.append(_row("Declared at", code(f"{ref.location.path}:{ref.location.line}")))
        lines.append(_row("Verdict", esc(assessment.verdict)))
        lines.append("")
        if assessment.matches:
            lines += [_row("List", "Listed name", "Score", "Band", "Party", "Listed on"),
                      _row("---", "---", "---:", "---", "---", "---")]
            for match in assessment.matches:
                lines.append(_row(esc("/".join(match.all_lists)), esc(match.entity.name),
                                  f"{match.score:.2f}", esc(match.band),
                                  esc(f"{match.party_role}: {match.party_id}"),
                                  esc(facts.listed_on_phrase(match) or "—")))
            lines.append("")
        for finding in assessment.findings:
            lines += self._finding(finding)
        return lines

    def _finding(self, finding: Finding) -> list[str]:
        exception = f" · exception {esc(finding.exception_id)}" if finding.exception_id else ""
        if not finding.details and finding.match is None:
            title = esc(facts.kind_title(finding.kind))
            return [f"- <b>{finding.level.label.upper()}</b> {title}: "
                    f"{esc(finding.summary)}{exception}", ""]
        lines = [
            "<details>",
            f"<summary><b>{finding.level.label.upper()}</b> {esc(facts.kind_title(finding.kind))}: "
            f"{esc(finding.summary)}{exception}</summary>",
            "",
        ]
        lines += [f"- {esc(d)}" for d in finding.details]
        if finding.match is not None:
            lines += self._explanation(finding.match)
        lines += ["", "</details>", ""]
        return lines

    def _explanation(self, match: Match) -> list[str]:
        exp = match.explanation
        entity = match.entity
        lines = [
            f"- Matched {esc(match.party_role)} {code(match.party_id)} as "
            f"“{esc(exp.query_name)}” against “{esc(exp.matched_name)}” "
            f"({esc(entity.source)} {code(entity.source_id)}, score {match.score:.2f}, "
            f"band {esc(match.band)}, {esc(match.status)})",
            f"- Listed name: **{esc(entity.name)}** on {esc(', '.join(entity.lists))}"
            + (f", programs {esc(', '.join(entity.programs))}" if entity.programs else "")
            + (f", {esc(facts.listed_on_phrase(match))}" if facts.listed_on_phrase(match) else ""),
        ]
        if match.also_listed:
            lines.append("- Also published as: " + "; ".join(
                f"{esc(e.source)} {code(e.source_id)}"
                + (f" (programs {esc(', '.join(e.programs))})" if e.programs else "")
                for e in match.also_listed))
        if exp.alignment:
            lines.append(f"- Alignment: {esc(exp.alignment)}")
        if exp.features:
            lines.append("- Features: " + ", ".join(f"{esc(n)} {v:.4g}" for n, v in exp.features))
        if exp.qualifiers:
            lines.append("- Qualifiers: " + "; ".join(esc(q) for q in exp.qualifiers))
        if entity.citation or entity.url:
            cite = esc(entity.citation or "")
            if entity.url:
                cite = f"[{cite or 'source'}]({entity.url.replace(')', '%29').replace(' ', '%20')})"
            lines.append(f"- Citation: {cite}")
        return lines

    def _clean(self, clean: list[ModelAssessment]) -> list[str]:
        lines = ["### Models without findings", "",
                 _row("Model", "Vendor", "Country", "Verdict"), _row("---", "---", "---", "---")]
        for a in clean:
            vendor = facts.vendor_of(a)
            lines.append(_row(code(a.resolution.ref.id), esc(vendor.name if vendor else "—"),
                              esc(facts.country_of(a) or "unknown"), esc(a.verdict)))
        return lines + [""]

    def _exceptions(self, report: Report) -> list[str]:
        applied = facts.excepted_findings(report)
        declared = facts.policy_exceptions(report)
        if not applied and not declared:
            return []
        lines = ["### Exceptions in force", ""]
        if applied:
            lines += [_row("Exception", "Model", "Finding", "Level now"),
                      _row("---", "---", "---", "---")]
            for assessment, finding in applied:
                model = code(assessment.resolution.ref.id) if assessment else "project"
                lines.append(_row(code(finding.exception_id), model, esc(finding.summary),
                                  finding.level.label))
            lines.append("")
        if declared:
            keys = ["id", "model", "lists", "approver", "created", "expires", "reason"]
            lines += [_row(*(k.capitalize() for k in keys)), _row(*("---" for _ in keys))]
            for item in declared:
                cells = [item.get(k) for k in keys]
                lines.append(_row(*(esc(", ".join(map(str, c)) if isinstance(c, list)
                                        else c if c is not None else "—") for c in cells)))
            lines.append("")
        return lines

    def _versions(self, report: Report) -> list[str]:
        lines = ["### List versions screened", ""]
        if not report.list_versions:
            return lines + ["_No list versions recorded._", ""]
        lines += [_row("Source", "Title", "Published", "Records", "Version (sha256)", "Origin"),
                  _row("---", "---", "---", "---:", "---", "---")]
        for v in report.list_versions:
            stale = " ⚠️ stale" if v.stale else ""
            lines.append(_row(code(v.source), esc(v.title), esc(v.published or "—") + stale,
                              v.record_count, code(v.version), esc(v.origin)))
        return lines + [""]
