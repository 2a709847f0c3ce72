"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One rule per kind of finding; one result per finding, located at the manifest line (or the
source line) where the model is referenced. Built by hand from the OASIS specification to
avoid a dependency; tests validate the output against the official schema.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote

from riskcheck import __version__
from riskcheck.encoding import printable, utf8
from riskcheck.formats import facts
from riskcheck.formats.interface import ReportFormat
from riskcheck.formats.json_format import coverage_to_dict, version_to_dict
from riskcheck.model import Finding, Level, ModelAssessment, Report

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULE_PREFIX = "riskcheck/"

SARIF_LEVELS: dict[Level, str] = {
    Level.CRITICAL: "error",
    Level.HIGH: "error",
    Level.MEDIUM: "warning",
    Level.LOW: "note",
    Level.NONE: "none",
}
"""Exposure level -> SARIF ``result.level``."""

SECURITY_SEVERITY: dict[Level, str] = {
    Level.CRITICAL: "9.5", Level.HIGH: "8.0", Level.MEDIUM: "5.5", Level.LOW: "2.0",
    Level.NONE: "0.0",
}
"""GitHub's numeric ``security-severity`` for each level (its documented bands)."""


def rule_id(kind: str) -> str:
    """The SARIF rule id of a finding kind."""
    return RULE_PREFIX + kind


def _rules(kinds: list[str]) -> list[dict[str, Any]]:
    rules = []
    for kind in kinds:
        title, help_text = facts.kind_title(kind), facts.kind_help(kind)
        rules.append({
            "id": rule_id(kind),
            "name": "".join(part.capitalize() for part in kind.split("-")),
            "shortDescription": {"text": title},
            "fullDescription": {"text": help_text},
            "help": {"text": help_text, "markdown": f"**{title}.** {help_text}"},
            "properties": {"tags": ["security", "supply-chain", "sanctions"]},
        })
    return rules


def fingerprint(model_id: str, finding: Finding) -> str:
    """Stable across runs: the same model, kind and listed entity give the same value."""
    if finding.match is not None:
        entity = f"{finding.match.entity.source}:{finding.match.entity.source_id}"
    else:
        entity = finding.party_id or ""
    key = "\x1f".join((model_id, finding.kind, entity))
    return hashlib.sha256(utf8(key)).hexdigest()[:32]


def _uri(path: str) -> dict[str, Any]:
    # A file name that is not UTF-8 (lone surrogates) gets U+FFFD, as in every output.
    normalised = printable(path).replace("\\", "/")
    if normalised.startswith("/"):
        return {"uri": "file://" + quote(normalised)}
    while normalised.startswith("./"):
        normalised = normalised[2:]
    return {"uri": quote(normalised), "uriBaseId": "%SRCROOT%"}


def _location(assessment: ModelAssessment | None, report: Report) -> dict[str, Any]:
    loc = assessment.resolution.ref.location if assessment is not None else None
    if loc is not None:
        region = {"startLine": max(loc.line, 1), "startColumn": max(loc.column, 1)}
        where = {"artifactLocation": _uri(loc.path), "region": region}
    else:
        # No recorded position: point at the manifest's first line (code scanning needs one).
        where = {"artifactLocation": _uri(report.project.path or "riskcheck.yaml"),
                 "region": {"startLine": 1}}
    location: dict[str, Any] = {"physicalLocation": where}
    if assessment is not None:
        location["message"] = {"text": assessment.resolution.ref.id}
    return location


def _message(assessment: ModelAssessment | None, finding: Finding) -> str:
    prefix = f"{assessment.resolution.ref.id}: " if assessment is not None else "project: "
    text = prefix + finding.summary
    if finding.match is not None:
        m = finding.match
        text += (f" — matched {m.explanation.query_name!r} to {m.entity.name!r} on "
                 f"{'/'.join(m.all_lists)} (score {m.score:.2f}, {m.band})")
    if finding.exception_id:
        text += f" [exception {finding.exception_id} in force]"
    note = facts.serving_note(assessment.resolution) if assessment is not None else None
    if note and finding.kind in ("data-location", "serving-list-match"):
        text += f" [{note}]"  # the finding rests on the assumed party
    return text


def _serving_props(assessment: ModelAssessment) -> dict[str, Any]:
    """Who receives the data of the model's API calls, when that is known or contested:
    ``serving`` (the party the findings were scored for), ``servingStatus``, and the
    ``servingCandidates`` when the reference alone cannot tell."""
    resolution = assessment.resolution
    status = facts.serving_status(resolution)
    if status == "self-hosted":
        return {}
    props: dict[str, Any] = {"servingStatus": status}
    serving = resolution.serving
    if serving is not None:
        props["serving"] = {"id": serving.organisation.id, "name": serving.organisation.name,
                            "host": serving.host, "dataCountry": serving.data_country,
                            "firstParty": serving.first_party}
    if status == "ambiguous":
        props["servingCandidates"] = [{"id": o.id, "name": o.name, "country": o.country}
                                      for o in resolution.serving_candidates]
    return props


def _result(assessment: ModelAssessment | None, finding: Finding, report: Report,
            index: dict[str, int]) -> dict[str, Any]:
    model_id = assessment.resolution.ref.id if assessment is not None else ""
    props: dict[str, Any] = {
        "exposureLevel": finding.level.label,
        "score": round(finding.score, 4),
        "security-severity": SECURITY_SEVERITY[finding.level],
    }
    if assessment is not None:
        props["model"] = model_id
        props["modelLevel"] = assessment.level.label
        props.update(_serving_props(assessment))
    if finding.party_id:
        props["partyId"] = finding.party_id
    if finding.match is not None:
        entity = finding.match.entity
        props["listedEntity"] = {"source": entity.source, "sourceId": entity.source_id,
                                 "name": entity.name, "lists": list(entity.lists)}
    if finding.details:
        props["details"] = list(finding.details)
    result: dict[str, Any] = {
        "ruleId": rule_id(finding.kind),
        "ruleIndex": index[finding.kind],
        "level": SARIF_LEVELS[finding.level],
        "message": {"text": _message(assessment, finding)},
        "locations": [_location(assessment, report)],
        "partialFingerprints": {"riskcheckFinding/v1": fingerprint(model_id, finding)},
        "properties": props,
    }
    if finding.exception_id:
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": f"riskcheck exception {finding.exception_id}"}]
    return result


class SarifFormat(ReportFormat):
    """``--format sarif``: findings as SARIF 2.1.0 results."""

    name = "sarif"
    binary = False

    def render(self, report: Report) -> str:
        """Render one SARIF run with every rule and one result per finding."""
        kinds = facts.kinds_in(report)
        rules = _rules(kinds)
        index = {kind: i for i, kind in enumerate(kinds)}
        results = [_result(a, f, report, index) for a, f in facts.all_findings(report)]
        meta = report.metadata
        run: dict[str, Any] = {
            "tool": {"driver": {
                "name": "riskcheck",
                "version": meta.tool_version if meta else __version__,
                "semanticVersion": meta.tool_version if meta else __version__,
                "rules": rules,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {
                "text": "The repository root; manifest paths are relative to it."}}},
            "results": results,
            "columnKind": "unicodeCodePoints",
            "properties": {
                "overallLevel": report.level.label,
                "failed": report.failed,
                "failOn": report.project.policy.fail_on.label,
                "bundledData": report.bundled_data,
                "dataNotice": facts.data_notice(report),
                "listVersions": [version_to_dict(v) for v in report.list_versions],
                "coverage": [coverage_to_dict(c) for c in report.coverage],
                "warnings": list(report.warnings),
                "undeclaredModels": [r.id for r in report.undeclared],
            },
        }
        if meta is not None:
            run["automationDetails"] = {"id": f"riskcheck/{report.project.name}/"}
            run["invocations"] = [{"executionSuccessful": True,
                                   "startTimeUtc": meta.started_at,
                                   "properties": {"runId": meta.run_id,
                                                  "durationMs": meta.duration_ms}}]
        document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
