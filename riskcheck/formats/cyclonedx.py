"""CycloneDX 1.6 JSON: the models a project uses as an AI bill of materials (ML-BOM).

One ``machine-learning-model`` component per assessed model: its manufacturer (the resolved
vendor) and supplier (the API host when a third party serves it), ``pedigree.ancestors`` for
the model it was traced to and its upstream base models, external references (model hub page,
registry sources, list notices) and riskcheck's assessment as ``properties`` in the
``riskcheck:`` namespace that docs/output.md documents. Built by hand from the specification to
avoid a runtime dependency; tests validate the output against the official 1.6 schema.

Everything but ``serialNumber`` and ``metadata.timestamp`` is a pure function of the report, and
both of those derive from the run metadata, so the same result renders to the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from riskcheck import __version__
from riskcheck.formats import facts
from riskcheck.formats.interface import ReportFormat
from riskcheck.model import (
    Finding,
    Match,
    ModelAssessment,
    Organisation,
    Party,
    Report,
)

SPEC_VERSION = "1.6"
SCHEMA_URL = "http://cyclonedx.org/schema/bom-1.6.schema.json"
NAMESPACE = "riskcheck"
PROJECT_REF = "project"
HUB_URL = "https://huggingface.co/"

_SERIAL_NAMESPACE = uuid.UUID("5b1f4c1e-9d0a-4f63-8a57-2f4b1d0c7e21")
"""Fixed namespace of the name-based (v5) UUIDs used as serial numbers."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_HF_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
_REF_SAFE = "/:@._-+~=,"
_URL_SAFE = ":/?#@!$&'()*+,;=%-._~"


def text(value: object) -> str:
    """A string that encodes to valid UTF-8: lone surrogates (file names decoded with
    ``surrogateescape``, ``\\ud800`` escapes) become U+FFFD."""
    return _SURROGATE.sub("\ufffd", str(value))


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(round(value, 4))
    return text(value)


def hub_id(model_id: str | None) -> str | None:
    """``model_id`` when it has the shape of a Hugging Face repository id (``org/name``)."""
    return model_id if model_id and _HF_ID.match(model_id) else None


def safe_url(url: str | None) -> str | None:
    """An http(s) URL as a valid IRI reference (unsafe characters percent-encoded), or None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    encoded = quote(text(url.strip()).encode("utf-8", "replace"), safe=_URL_SAFE)
    # A stray '%' not followed by two hex digits is not a valid escape: encode it.
    return re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", encoded)


def bom_ref(model_id: str) -> str:
    """A readable, stable reference for a model: ``model:`` and its id, percent-encoded."""
    return "model:" + quote(text(model_id).encode("utf-8", "replace"), safe=_REF_SAFE)


class _Props:
    """Collects ``riskcheck:`` properties in order; None values are left out."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, name: str, value: object) -> None:
        if value is None:
            return
        self.items.append({"name": f"{NAMESPACE}:{name}", "value": _value(value)})

    def many(self, prefix: str, values: tuple[str, ...] | list[str]) -> None:
        for i, value in enumerate(values):
            self.add(f"{prefix}:{i}", value)


def _org(org: Organisation) -> dict[str, Any]:
    entity: dict[str, Any] = {"name": text(org.name)}
    if org.country:
        entity["address"] = {"country": text(org.country)}
    return entity


def _party_props(props: _Props, i: int, party: Party) -> None:
    org = party.organisation
    key = f"party:{i}"
    props.add(f"{key}:role", party.role)
    props.add(f"{key}:relation", party.relation)
    props.add(f"{key}:id", org.id)
    props.add(f"{key}:name", org.name)
    props.add(f"{key}:country", org.country)
    props.add(f"{key}:incorporated_in", org.incorporated_in)
    props.add(f"{key}:verified", org.verified)
    if party.path:
        props.add(f"{key}:path", " > ".join(party.path))
    props.add(f"{key}:ownership", party.ownership)
    props.add(f"{key}:upstream_model", party.upstream_model)


def _match_props(props: _Props, i: int, match: Match) -> None:
    entity, key = match.entity, f"match:{i}"
    props.add(f"{key}:lists", ",".join(match.all_lists))
    props.add(f"{key}:programs", ",".join(entity.programs) or None)
    props.add(f"{key}:listed_name", entity.name)
    props.add(f"{key}:matched_name", match.explanation.matched_name)
    props.add(f"{key}:query_name", match.explanation.query_name)
    props.add(f"{key}:score", float(match.score))
    props.add(f"{key}:band", match.band)
    props.add(f"{key}:status", match.status)
    props.add(f"{key}:party_id", match.party_id)
    props.add(f"{key}:party_role", match.party_role)
    props.add(f"{key}:source", entity.source)
    props.add(f"{key}:source_id", entity.source_id)
    props.add(f"{key}:listed_on", entity.listed_on)
    props.add(f"{key}:removed_on", entity.removed_on)
    props.add(f"{key}:citation", entity.citation)
    for j, other in enumerate(match.also_listed):
        props.add(f"{key}:also_listed:{j}", f"{other.source}:{other.source_id} "
                                            f"{','.join(other.lists)}")


def _finding_props(props: _Props, key: str, finding: Finding,
                   matches: tuple[Match, ...] = ()) -> None:
    props.add(f"{key}:kind", finding.kind)
    props.add(f"{key}:level", finding.level.label)
    props.add(f"{key}:score", float(finding.score))
    props.add(f"{key}:summary", finding.summary)
    props.add(f"{key}:party_id", finding.party_id)
    props.add(f"{key}:exception_id", finding.exception_id)
    if finding.match is not None and finding.match in matches:
        props.add(f"{key}:match", matches.index(finding.match))
    props.many(f"{key}:detail", finding.details)


def _reference(url: str | None, kind: str, comment: str) -> dict[str, str] | None:
    safe = safe_url(url)
    return None if safe is None else {"url": safe, "type": kind, "comment": text(comment)}


def _references(assessment: ModelAssessment, model_id: str | None) -> list[dict[str, str]]:
    refs: list[dict[str, str] | None] = []
    if model_id is not None:
        refs.append(_reference(HUB_URL + model_id, "distribution", "model hub page"))
    seen_orgs: set[str] = set()
    for party in assessment.resolution.parties:
        org = party.organisation
        if org.id in seen_orgs:
            continue
        seen_orgs.add(org.id)
        for citation in org.citations:
            as_of = f" as of {citation.as_of}" if citation.as_of else ""
            unverified = "" if citation.verified else " (unverified)"
            refs.append(_reference(citation.url, "evidence",
                                   f"registry source for {org.name} ({party.role}){as_of}"
                                   f"{unverified}"))
    for match in assessment.matches:
        for entity in match.listed_entities:
            refs.append(_reference(entity.url, "evidence",
                                   f"{'/'.join(entity.lists) or entity.source} listing of "
                                   f"{entity.name}"))
    unique: dict[tuple[str, str], dict[str, str]] = {}
    for ref in refs:
        if ref is not None:
            unique.setdefault((ref["url"], ref["comment"]), ref)
    return list(unique.values())


def _model_component(model_id: str, relation: str,
                     maker: Organisation | None) -> dict[str, Any]:
    """An ancestor in ``pedigree``: a model the assessed one derives from."""
    component: dict[str, Any] = {"type": "machine-learning-model", "name": text(model_id)}
    if maker is not None:
        component["manufacturer"] = _org(maker)
        component["supplier"] = _org(maker)
    hub = hub_id(model_id)
    if hub is not None:
        component["purl"] = f"pkg:huggingface/{hub}"
        component["externalReferences"] = [
            {"url": HUB_URL + hub, "type": "distribution", "comment": "model hub page"}]
    component["properties"] = [{"name": f"{NAMESPACE}:relation", "value": text(relation)}]
    return component


def _pedigree(assessment: ModelAssessment) -> dict[str, Any] | None:
    res = assessment.resolution
    ancestors: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    if res.canonical_id and res.canonical_id != res.ref.id:
        ancestors[res.canonical_id] = _model_component(res.canonical_id, "canonical", res.vendor)
        notes.append(f"{res.ref.id} was traced to {res.canonical_id}")
    for party in res.parties:
        if party.role != "upstream":
            continue
        upstream = party.upstream_model or f"(a model by {party.organisation.name})"
        if upstream not in ancestors:
            ancestors[upstream] = _model_component(upstream, party.relation, party.organisation)
            notes.append(f"{party.relation} of {upstream} ({party.organisation.name})")
    if not ancestors:
        return None
    return {"ancestors": list(ancestors.values()), "notes": text("; ".join(notes))}


def _component(assessment: ModelAssessment, ref_id: str) -> dict[str, Any]:
    res = assessment.resolution
    ref = res.ref
    vendor = res.vendor
    serving = res.serving
    component: dict[str, Any] = {
        "type": "machine-learning-model",
        "bom-ref": ref_id,
        "name": text(ref.id),
    }
    if vendor is not None:
        component["manufacturer"] = _org(vendor)
    if serving is not None and not serving.first_party:
        component["supplier"] = _org(serving.organisation)
    elif vendor is not None:
        component["supplier"] = _org(vendor)
    if ref.purpose:
        component["description"] = text(ref.purpose)
    # The reference itself is a hub id when the project names the hub model it runs.
    own_hub = hub_id(ref.id) if (ref.source == "huggingface" or ref.id == res.canonical_id) \
        else None
    if own_hub is not None:
        component["purl"] = f"pkg:huggingface/{own_hub}"
    pedigree = _pedigree(assessment)
    if pedigree is not None:
        component["pedigree"] = pedigree
    references = _references(assessment, own_hub)
    if references:
        component["externalReferences"] = references
    if ref.location is not None:
        occurrence: dict[str, Any] = {"location": text(ref.location.path)}
        if ref.location.line >= 0:
            occurrence["line"] = ref.location.line
        component["evidence"] = {"occurrences": [occurrence]}
    component["properties"] = _component_props(assessment)
    return component


def _component_props(assessment: ModelAssessment) -> list[dict[str, str]]:
    res = assessment.resolution
    ref = res.ref
    props = _Props()
    props.add("level", assessment.level.label)
    props.add("score", float(assessment.score))
    props.add("verdict", assessment.verdict)
    props.add("resolution", res.status)
    props.add("resolution:method", res.method)
    props.add("resolution:confidence", res.confidence)
    props.add("resolution:family", res.family)
    props.add("resolution:canonical_id", res.canonical_id)
    props.add("resolution:hint", res.hint)
    props.add("resolution:override_conflict", res.override_conflict)
    props.many("resolution:tried", res.tried)
    props.add("ref:source", ref.source)
    props.add("ref:usage", ref.usage)
    props.add("ref:provider", ref.provider)
    props.add("ref:base_url", ref.base_url)
    props.add("ref:criticality", ref.criticality)
    props.add("ref:vendor_override", ref.vendor_override)
    if ref.location is not None:
        loc = ref.location
        props.add("ref:location", f"{loc.path}:{loc.line}:{loc.column}")
        props.add("ref:detector", loc.detector)
    if res.countries:
        props.add("countries", ",".join(res.countries))
    for i, party in enumerate(res.parties):
        _party_props(props, i, party)
    if res.serving is not None:
        props.add("serving:id", res.serving.organisation.id)
        props.add("serving:host", res.serving.host)
        props.add("serving:data_country", res.serving.data_country)
        props.add("serving:first_party", res.serving.first_party)
    for i, match in enumerate(assessment.matches):
        _match_props(props, i, match)
    for i, finding in enumerate(assessment.findings):
        _finding_props(props, f"finding:{i}", finding, assessment.matches)
    props.many("alternative", assessment.alternatives)
    return props.items


def _report_props(report: Report) -> list[dict[str, str]]:
    props = _Props()
    project = report.project
    props.add("level", report.level.label)
    props.add("score", float(report.score))
    props.add("failed", report.failed)
    props.add("fail_on", project.policy.fail_on.label)
    props.add("models", len(report.models))
    props.add("unresolved", facts.unresolved_count(report))
    props.add("bundled_data", report.bundled_data)
    props.add("data_notice", facts.data_notice(report))
    props.add("project:owner", project.owner)
    props.add("project:manifest", project.path)
    for i, finding in enumerate(report.project_findings):
        _finding_props(props, f"project_finding:{i}", finding)
    for i, ref in enumerate(report.undeclared):
        props.add(f"undeclared:{i}:id", ref.id)
        if ref.location is not None:
            loc = ref.location
            props.add(f"undeclared:{i}:location", f"{loc.path}:{loc.line}:{loc.column}")
    for i, version in enumerate(report.list_versions):
        key = f"list:{i}"
        props.add(f"{key}:source", version.source)
        props.add(f"{key}:title", version.title)
        props.add(f"{key}:version", version.version)
        props.add(f"{key}:published", version.published)
        props.add(f"{key}:fetched_at", version.fetched_at)
        props.add(f"{key}:record_count", version.record_count)
        props.add(f"{key}:origin", version.origin)
        props.add(f"{key}:url", version.url)
        props.add(f"{key}:stale", version.stale)
    for i, coverage in enumerate(report.coverage):
        key = f"coverage:{i}"
        props.add(f"{key}:source", coverage.source)
        props.add(f"{key}:state", coverage.state)
        props.add(f"{key}:version", coverage.version)
        props.add(f"{key}:published", coverage.published)
        props.add(f"{key}:fetched_at", coverage.fetched_at)
        props.add(f"{key}:record_count", coverage.record_count)
        props.add(f"{key}:snapshot_date", coverage.snapshot_date)
        props.add(f"{key}:required", coverage.required)
    props.many("warning", report.warnings)
    return props.items


def _timestamp(value: str) -> str | None:
    """``value`` when it is an RFC 3339 date-time with an offset (the schema's format)."""
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value):
        return None
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value


def _serial(report: Report, body: dict[str, Any]) -> str:
    """``urn:uuid:`` of a v5 UUID: from the run id, else from the document itself."""
    meta = report.metadata
    if meta is not None and meta.run_id:
        seed = f"run:{text(meta.run_id)}"
    else:
        data = json.dumps(body, ensure_ascii=True, sort_keys=True).encode("ascii")
        seed = "content:" + hashlib.sha256(data).hexdigest()
    return uuid.uuid5(_SERIAL_NAMESPACE, seed).urn


def report_to_bom(report: Report) -> dict[str, Any]:
    """The whole report as a CycloneDX 1.6 document (JSON-ready data)."""
    meta = report.metadata
    version = meta.tool_version if meta else __version__
    refs: list[str] = []
    components = []
    seen: dict[str, int] = {}
    for assessment in report.models:
        ref_id = bom_ref(assessment.resolution.ref.id)
        seen[ref_id] = seen.get(ref_id, 0) + 1
        if seen[ref_id] > 1:  # the same id declared twice: keep references unique
            ref_id = f"{ref_id}#{seen[ref_id]}"
        refs.append(ref_id)
        components.append(_component(assessment, ref_id))
    metadata: dict[str, Any] = {}
    stamp = _timestamp(meta.started_at) if meta else None
    if stamp is not None:
        metadata["timestamp"] = stamp
    metadata["tools"] = {"components": [{
        "type": "application", "name": "riskcheck", "version": text(version)}]}
    metadata["component"] = {"type": "application", "bom-ref": PROJECT_REF,
                             "name": text(report.project.name)}
    metadata["properties"] = _report_props(report)
    body: dict[str, Any] = {
        "metadata": metadata,
        "components": components,
        "dependencies": [{"ref": PROJECT_REF, "dependsOn": refs}]
        + [{"ref": ref} for ref in refs],
    }
    document: dict[str, Any] = {
        "$schema": SCHEMA_URL,
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": _serial(report, body),
        "version": 1,
    }
    document.update(body)
    return document


class CycloneDxFormat(ReportFormat):
    """``--format cyclonedx``: the assessed models as a CycloneDX 1.6 ML-BOM."""

    name = "cyclonedx"
    binary = False

    def render(self, report: Report) -> str:
        """Render the BOM as indented JSON text ending in a newline."""
        return json.dumps(report_to_bom(report), ensure_ascii=False, indent=2) + "\n"
