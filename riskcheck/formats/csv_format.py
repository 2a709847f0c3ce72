"""CSV for spreadsheets: one row per model and finding, with a fixed header.

A model without findings still gets one row, so the sheet lists every model; models a scan
found but the manifest does not declare get a row with scope ``undeclared``. Cells that a
spreadsheet would run as a formula are defused with a leading quote.
"""

from __future__ import annotations

import csv
import io

from riskcheck.formats import facts
from riskcheck.formats.interface import ReportFormat
from riskcheck.model import Finding, ModelAssessment, Report, SourceCoverage
from riskcheck.spreadsheet import defuse

HEADER: tuple[str, ...] = (
    "scope", "model", "model_level", "model_score", "verdict", "resolution", "vendor_id",
    "vendor", "country", "parents", "usage", "location", "finding_kind", "finding_level",
    "finding_score", "finding_summary", "party_id", "exception_id", "lists", "listed_name",
    "matched_name", "match_score", "band", "listing_status", "entity_source", "entity_id",
    "listed_on", "citation", "serving", "serving_status", "serving_candidates",
)
"""Column names, in order. New columns are only ever appended."""



def _model_cells(assessment: ModelAssessment | None) -> list[object]:
    if assessment is None:
        return ["project"] + [""] * 11
    ref = assessment.resolution.ref
    vendor = facts.vendor_of(assessment)
    loc = ref.location
    return [
        "model", ref.id, assessment.level.label, f"{assessment.score:.4f}", assessment.verdict,
        assessment.resolution.status, vendor.id if vendor else "", vendor.name if vendor else "",
        facts.country_of(assessment) or "",
        "; ".join(p.name for p in facts.parents_of(assessment)), ref.usage,
        f"{loc.path}:{loc.line}:{loc.column}" if loc else "",
    ]


def _serving_cells(assessment: ModelAssessment | None) -> list[object]:
    """Who receives the data of the model's API calls: the party the findings were scored
    for (``name (host, data country)``), the status, and the candidates when the reference
    alone cannot tell (``OpenAI (US); OpenRouter (US)``)."""
    if assessment is None:
        return ["", "", ""]
    resolution = assessment.resolution
    serving = resolution.serving
    party = "" if serving is None else (
        f"{serving.organisation.name} ({serving.host or '?'}, {serving.data_country or '?'})")
    status = facts.serving_status(resolution)
    candidates = "; ".join(f"{o.name} ({o.country or '?'})"
                           for o in resolution.serving_candidates) if status == "ambiguous" else ""
    return [party, status, candidates]


def _finding_cells(finding: Finding | None) -> list[object]:
    if finding is None:
        return [""] * 16
    cells: list[object] = [finding.kind, finding.level.label, f"{finding.score:.4f}",
                           finding.summary, finding.party_id or "", finding.exception_id or ""]
    match = finding.match
    if match is None:
        return cells + [""] * 10
    entity = match.entity
    return cells + [
        "/".join(match.all_lists), entity.name, match.explanation.matched_name,
        f"{match.score:.4f}", match.band, match.status, entity.source, entity.source_id,
        entity.listed_on or "", entity.citation or entity.url or "",
    ]


class CsvFormat(ReportFormat):
    """``--format csv``: a flat sheet of models and findings."""

    name = "csv"
    binary = False

    def render(self, report: Report) -> str:
        """Render the header and one row per (model, finding), project findings last."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(HEADER)
        for assessment in report.models:
            for finding in assessment.findings or (None,):
                writer.writerow([defuse(c) for c in _model_cells(assessment)
                                 + _finding_cells(finding) + _serving_cells(assessment)])
        for finding in report.project_findings:
            writer.writerow([defuse(c) for c in _model_cells(None) + _finding_cells(finding)
                             + _serving_cells(None)])
        for ref in report.undeclared:
            loc = f"{ref.location.path}:{ref.location.line}:{ref.location.column}" \
                if ref.location else ""
            cells = ["undeclared", ref.id, "", "", "not declared in the manifest (assessed)", "", "",
                     "", "", "", ref.usage, loc]
            writer.writerow([defuse(c) for c in cells + _finding_cells(None)
                             + _serving_cells(None)])
        for coverage in report.coverage:
            writer.writerow([defuse(c) for c in _coverage_cells(coverage)])
        return buffer.getvalue()


def _coverage_cells(coverage: SourceCoverage) -> list[object]:
    """One catalogue source's coverage as a ``scope=coverage`` row: the source in
    ``entity_source``, its state (stored/bundled/missing) in ``listing_status``, the version in
    ``entity_id``, the published (or snapshot) date in ``listed_on``, the sentence in
    ``finding_summary``."""
    cells: dict[str, object] = {
        "scope": "coverage", "finding_summary": facts.coverage_text(coverage),
        "listing_status": coverage.state, "entity_source": coverage.source,
        "entity_id": coverage.version or "",
        "listed_on": coverage.published or coverage.snapshot_date or "",
        "verdict": "required" if coverage.required else "",
    }
    return [cells.get(column, "") for column in HEADER]
