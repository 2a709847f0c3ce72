"""Findings that come from the team's own policy: denied vendors, unresolved models and
manifest vendors that contradict the registry."""

from __future__ import annotations

from riskcheck.model import Finding, Level, Policy, Resolution
from riskcheck.score.country_findings import involved_parties
from riskcheck.score.draft import Draft
from riskcheck.score.jurisdiction import fail_level
from riskcheck.score.lineage import role_phrase
from riskcheck.score.weighing import Scale


def denied_findings(resolution: Resolution, policy: Policy, scale: Scale) -> list[Draft]:
    """A ``denied-vendor`` finding at the fail level for every denied organisation involved."""
    if not policy.denied_vendors:
        return []
    level = fail_level(policy)
    drafts = []
    seen: set[str] = set()
    for party in involved_parties(resolution):
        org_id = party.organisation.id
        if org_id not in policy.denied_vendors or org_id in seen:
            continue
        seen.add(org_id)
        summary = f"{role_phrase(party)} is on your policy's denied vendors ({org_id})"
        details = (f"policy denied_vendors lists {org_id}; a denied vendor fails the run "
                   f"at {level.label} whatever the official lists say",)
        drafts.append(Draft(Finding(kind="denied-vendor", level=level, summary=summary,
                                    party_id=org_id, score=scale.score_of(level),
                                    details=details)))
    return drafts


def unresolved_findings(resolution: Resolution, policy: Policy, scale: Scale) -> list[Draft]:
    """An ``unresolved`` finding when the model could not be traced to a vendor."""
    if resolution.status == "resolved" and resolution.vendor is not None:
        return []
    level = fail_level(policy) if policy.fail_on_unresolved else policy.unresolved_level
    ref = resolution.ref
    if resolution.status == "resolved":
        what = (f"model {ref.id!r} resolved to family {resolution.family!r} but to no vendor"
                if resolution.family else f"model {ref.id!r} resolved to no vendor")
    else:
        what = f"model {ref.id!r} could not be traced to a vendor"
    how = {Level.NONE: "ignored by policy (unresolved: ignore)"}.get(
        level, "exposure unknown, not clean")
    summary = f"{what} \u2014 {how}"
    details = []
    if resolution.tried:
        details.append("tried: " + "; ".join(resolution.tried))
    if resolution.hint:
        details.append(f"hint: {resolution.hint}")
    details.append("set 'vendor' for this model in the manifest, or add it to the vendor "
                   "registry, to assess it")
    if policy.fail_on_unresolved:
        details.append(f"policy fails the run on unresolved models (level {level.label})")
    else:
        details.append(f"policy level for unresolved models: {level.label}")
    finding = Finding(kind="unresolved", level=level, summary=summary,
                      score=scale.score_of(level), details=tuple(details))
    return [Draft(finding)]


def override_findings(resolution: Resolution, scale: Scale) -> list[Draft]:
    """A ``vendor-override`` finding when the manifest's vendor contradicted a confident
    identification and was not honoured (the identified vendor is the one assessed)."""
    found = resolution.override_conflict
    if not found or resolution.method == "override":
        return []
    named = resolution.ref.vendor_override
    vendor = resolution.vendor
    summary = (f"the manifest says vendor {named!r}, but the registry identifies "
               f"{vendor.name if vendor else found} with high confidence: the registry's "
               "vendor is assessed")
    details = (f"manifest vendor: {named}; registry identification: {found}",
               "a vendor override that contradicts the registry is honoured only when the "
               "operator policy (--policy) sets allow_vendor_overrides: true")
    level = Level.LOW
    return [Draft(Finding(kind="vendor-override", level=level, summary=summary,
                          party_id=found, score=scale.score_of(level), details=details))]
