"""The JSON result: the machine-readable form of a :class:`Report` (schema ``result.schema.json``).

Everything outside the ``run`` block is a pure function of the report, so two runs over the
same inputs produce byte-identical files apart from ``run``; that makes results diffable in CI.
"""

from __future__ import annotations

import json
from typing import Any

from riskcheck import __version__
from riskcheck.formats import facts
from riskcheck.formats.interface import ReportFormat
from riskcheck.model import (
    Finding,
    ListEntity,
    ListVersion,
    SourceCoverage,
    Match,
    ModelAssessment,
    ModelRef,
    Organisation,
    Party,
    Report,
    Resolution,
    ServingParty,
)

SCHEMA_VERSION = "1.1"
"""Version of the result layout; see docs/output.md for the versioning policy."""

TOOL_NAME = "riskcheck"


def _num(value: float | None) -> float | None:
    """Round floats so tiny arithmetic noise never changes the file."""
    return None if value is None else round(float(value), 4)


def ref_to_dict(ref: ModelRef) -> dict[str, Any]:
    """A model reference as the manifest or scan gave it."""
    loc = ref.location
    return {
        "id": ref.id,
        "source": ref.source,
        "usage": ref.usage,
        "provider": ref.provider,
        "base_url": ref.base_url,
        "criticality": ref.criticality,
        "purpose": ref.purpose,
        "vendor_override": ref.vendor_override,
        "location": None if loc is None else {
            "path": loc.path, "line": loc.line, "column": loc.column, "detector": loc.detector,
        },
    }


def organisation_to_dict(org: Organisation) -> dict[str, Any]:
    """A registry organisation with its names, ownership edges and citations."""
    return {
        "id": org.id,
        "name": org.name,
        "legal_names": list(org.legal_names),
        "native_names": list(org.native_names),
        "aliases": list(org.aliases),
        "former_names": list(org.former_names),
        "country": org.country,
        "incorporated_in": org.incorporated_in,
        "kind": org.kind,
        "verified": org.verified,
        "parents": [{"parent_id": o.parent_id, "share": _num(o.share), "note": o.note}
                    for o in org.parents],
        "citations": [{"url": c.url, "as_of": c.as_of, "verified": c.verified}
                      for c in org.citations],
    }


def _party(party: Party) -> dict[str, Any]:
    return {
        "role": party.role,
        "relation": party.relation,
        "path": list(party.path),
        "ownership": _num(party.ownership),
        "upstream_model": party.upstream_model,
        "organisation": organisation_to_dict(party.organisation),
    }


def _serving(serving: ServingParty | None) -> dict[str, Any] | None:
    if serving is None:
        return None
    return {
        "host": serving.host,
        "data_country": serving.data_country,
        "first_party": serving.first_party,
        "organisation": organisation_to_dict(serving.organisation),
    }


def resolution_to_dict(res: Resolution) -> dict[str, Any]:
    """What the reference resolved to; ``vendor`` is a convenience copy of the vendor party."""
    vendor = res.vendor
    return {
        "status": res.status,
        "family": res.family,
        "canonical_id": res.canonical_id,
        "method": res.method,
        "confidence": res.confidence,
        "tried": list(res.tried),
        "hint": res.hint,
        "override_conflict": res.override_conflict,
        "vendor": None if vendor is None else {
            "id": vendor.id, "name": vendor.name, "country": vendor.country},
        "parties": [_party(p) for p in res.parties],
        "serving": _serving(res.serving),
        "serving_status": facts.serving_status(res),
        "serving_candidates": [{"id": o.id, "name": o.name, "country": o.country}
                               for o in res.serving_candidates],
    }


def entity_to_dict(entity: ListEntity) -> dict[str, Any]:
    """A list entry, normalised across sources."""
    return {
        "source": entity.source,
        "source_id": entity.source_id,
        "lists": list(entity.lists),
        "programs": list(entity.programs),
        "entity_type": entity.entity_type,
        "name": entity.name,
        "aliases": [{"name": a.name, "kind": a.kind, "strength": a.strength}
                    for a in entity.aliases],
        "countries": list(entity.countries),
        "addresses": list(entity.addresses),
        "identifiers": [{"scheme": i.scheme, "value": i.value} for i in entity.identifiers],
        "listed_on": entity.listed_on,
        "removed_on": entity.removed_on,
        "remarks": entity.remarks,
        "citation": entity.citation,
        "url": entity.url,
    }


def match_to_dict(match: Match) -> dict[str, Any]:
    """A list match with the explanation of why it matched."""
    exp = match.explanation
    return {
        "party_id": match.party_id,
        "party_role": match.party_role,
        "score": _num(match.score),
        "band": match.band,
        "status": match.status,
        "entity": entity_to_dict(match.entity),
        "lists": list(match.all_lists),
        "also_listed": [{"source": e.source, "source_id": e.source_id, "lists": list(e.lists),
                         "programs": list(e.programs), "listed_on": e.listed_on, "url": e.url}
                        for e in match.also_listed],
        "explanation": {
            "query_name": exp.query_name,
            "matched_name": exp.matched_name,
            "alignment": exp.alignment,
            # Order kept as the scorer emitted it: it is deterministic and meaningful to readers.
            "features": {name: _num(value) for name, value in exp.features},
            "qualifiers": list(exp.qualifiers),
        },
    }


def finding_to_dict(finding: Finding, matches: tuple[Match, ...] = ()) -> dict[str, Any]:
    """A finding; its match is an index into the model's ``matches`` when it is one of them."""
    ref: int | None = None
    inline: dict[str, Any] | None = None
    if finding.match is not None:
        try:
            ref = matches.index(finding.match)
        except ValueError:
            inline = match_to_dict(finding.match)
    return {
        "kind": finding.kind,
        "level": finding.level.label,
        "score": _num(finding.score),
        "summary": finding.summary,
        "party_id": finding.party_id,
        "details": list(finding.details),
        "exception_id": finding.exception_id,
        "match_ref": ref,
        "match": inline,
    }


def assessment_to_dict(assessment: ModelAssessment) -> dict[str, Any]:
    """One model: its reference, resolution, matches, findings and exposure."""
    return {
        "ref": ref_to_dict(assessment.resolution.ref),
        "resolution": resolution_to_dict(assessment.resolution),
        "matches": [match_to_dict(m) for m in assessment.matches],
        "findings": [finding_to_dict(f, assessment.matches) for f in assessment.findings],
        "level": assessment.level.label,
        "score": _num(assessment.score),
        "verdict": assessment.verdict,
        "alternatives": list(assessment.alternatives),
    }


def version_to_dict(version: ListVersion) -> dict[str, Any]:
    """A citable list version the run screened against."""
    return {
        "source": version.source,
        "title": version.title,
        "version": version.version,
        "published": version.published,
        "fetched_at": version.fetched_at,
        "record_count": version.record_count,
        "origin": version.origin,
        "url": version.url,
        "stale": version.stale,
    }


def coverage_to_dict(coverage: SourceCoverage) -> dict[str, Any]:
    """One catalogue source's coverage in the run: stored, bundled or missing."""
    return {
        "source": coverage.source,
        "state": coverage.state,
        "version": coverage.version,
        "published": coverage.published,
        "fetched_at": coverage.fetched_at,
        "record_count": coverage.record_count,
        "snapshot_date": coverage.snapshot_date,
        "required": coverage.required,
        "as_of": coverage.as_of,
        "newer_bundled": coverage.newer_bundled,
        "newer_bundled_until": coverage.newer_bundled_until,
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """The whole report as JSON-ready data, in the documented key order."""
    project = report.project
    refs = tuple(a.resolution.ref for a in report.models)
    project_block: dict[str, Any] = {
        "name": project.name,
        "owner": project.owner,
        "manifest": project.path,
        "manifest_version": project.manifest_version,
        "policy": facts.plain(project.policy),
    }
    if project.models != refs:
        # Only when the declared list differs from the assessed one (rare), so it round-trips.
        project_block["declared_models"] = [ref_to_dict(r) for r in project.models]
    meta = report.metadata
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": meta.tool_version if meta else __version__},
        "project": project_block,
        "summary": {
            "level": report.level.label,
            "score": _num(report.score),
            "failed": report.failed,
            "fail_on": project.policy.fail_on.label,
            "counts": facts.level_counts(report),
            "models": len(report.models),
            "unresolved": facts.unresolved_count(report),
            "bundled_data": report.bundled_data,
        },
        "models": [assessment_to_dict(a) for a in report.models],
        "project_findings": [finding_to_dict(f) for f in report.project_findings],
        "undeclared": [ref_to_dict(r) for r in report.undeclared],
        "list_versions": [version_to_dict(v) for v in report.list_versions],
        "coverage": [coverage_to_dict(c) for c in report.coverage],
        "warnings": list(report.warnings),
        "run": None if meta is None else {
            "tool_version": meta.tool_version,
            "started_at": meta.started_at,
            "duration_ms": meta.duration_ms,
            "run_id": meta.run_id,
        },
    }


def dumps(data: dict[str, Any]) -> str:
    """Serialise result data the one way riskcheck does (UTF-8 names kept readable)."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


class JsonFormat(ReportFormat):
    """``--format json``: the stable result document (``schema_version`` 1.x)."""

    name = "json"
    binary = False

    def render(self, report: Report) -> str:
        """Render the report as indented JSON text ending in a newline."""
        return dumps(report_to_dict(report))
