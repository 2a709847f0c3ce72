"""Jurisdiction and data-location findings for one model.

One ``jurisdiction`` finding per country per side (the vendor and its parents; upstream vendors
and theirs; the API host and its parents), and one ``data-location`` finding for where inputs go
when the model is called by API. An unknown country is reported as unknown, never as clean.
"""

from __future__ import annotations

from riskcheck.model import Finding, Level, Party, Policy, Resolution
from riskcheck.score.draft import Draft
from riskcheck.score.jurisdiction import JurisdictionTable, Standing
from riskcheck.score.lineage import is_inherited, role_factor, role_phrase, role_rank
from riskcheck.score.usage import UsageView, usage_factor
from riskcheck.score.weighing import Scale, Weighing

SIDE = {"vendor": "vendor", "parent": "vendor", "upstream": "upstream",
        "upstream-parent": "upstream", "serving": "serving", "serving-parent": "serving"}


def involved_parties(resolution: Resolution) -> list[Party]:
    """Every organisation once, in its most direct role, plus a third-party API host."""
    parties = list(resolution.parties)
    serving = resolution.serving
    if serving is not None and not serving.first_party:
        parties.append(Party(serving.organisation, "serving", "api-host"))
    ordered = sorted(parties, key=lambda p: (role_rank(p.role), -(p.ownership or 0.0),
                                             p.organisation.id))
    unique: dict[str, Party] = {}
    for party in ordered:
        unique.setdefault(party.organisation.id, party)
    return list(unique.values())


def country_findings(resolution: Resolution, policy: Policy, table: JurisdictionTable,
                     scale: Scale, view: UsageView) -> list[Draft]:
    """Jurisdiction findings per side and country, plus the data-location finding."""
    groups: dict[tuple[str, str], list[Party]] = {}
    drafts: list[Draft] = []
    for party in involved_parties(resolution):
        side = SIDE[party.role]
        if side == "serving" and view.usage == "self-hosted":
            continue
        country = party.organisation.country
        if country is None:
            if party.role in ("vendor", "serving"):
                drafts.append(_unknown_country(party, policy, scale, view))
            continue
        groups.setdefault((side, country.upper()), []).append(party)
    for (_, country), parties in sorted(groups.items()):
        standing = table.standing(country, policy)
        if standing is not None:
            drafts.append(_jurisdiction(parties, standing, policy, scale, view))
    data = _data_location(resolution, policy, table, scale, view)
    if data is not None:
        drafts.append(data)
    return drafts


def _jurisdiction(parties: list[Party], standing: Standing, policy: Policy, scale: Scale,
                  view: UsageView) -> Draft:
    lead = parties[0]
    weighing = Weighing(scale.score_of(standing.vendor_level), standing.reason)
    if standing.kind != "denied":
        # A denied country fails the run whatever the role or usage, like a denied vendor.
        for factor in role_factor(lead, policy):
            weighing = weighing.times(*factor)
        weighing = weighing.times(*usage_factor(view, lead, policy))
    weighing = _allowed(weighing, lead.organisation.id, standing, policy)
    others = [p for p in parties[1:]]
    who = role_phrase(lead)
    if others:
        who += " and " + ", ".join(role_phrase(p) for p in others)
    verb = "are" if others else "is"
    summary = f"{who} {verb} based in {standing.reason}"
    if is_inherited(lead):
        summary = f"inherited: {summary}"
    details = [*standing.details]
    for party in parties:
        org = party.organisation
        if org.incorporated_in and org.incorporated_in != org.country:
            details.append(f"{org.name} is incorporated in {org.incorporated_in}, based in "
                           f"{org.country}")
    details.extend(weighing.lines(scale))
    finding = Finding(kind="jurisdiction", level=weighing.level(scale), summary=summary,
                      party_id=lead.organisation.id, score=weighing.score, details=tuple(details))
    return Draft(finding)


def _allowed(weighing: Weighing, org_id: str | None, standing: Standing,
             policy: Policy) -> Weighing:
    if org_id and org_id in policy.allowed_vendors and standing.kind in ("tier", "allowed"):
        return weighing.times(0.0, f"{org_id} is approved by policy allowed_vendors")
    if standing.kind == "allowed":
        return weighing.times(0.0, "country accepted by policy allowed_countries")
    return weighing


def _unknown_country(party: Party, policy: Policy, scale: Scale, view: UsageView) -> Draft:
    weighing = Weighing(scale.score_of(Level.LOW), "country unknown: not assessed, not clean")
    weighing = weighing.times(*usage_factor(view, party, policy))
    summary = (f"country of {role_phrase(party)} is unknown \u2014 its jurisdiction could not "
               f"be assessed")
    finding = Finding(kind="jurisdiction", level=max(weighing.level(scale), Level.LOW),
                      summary=summary, party_id=party.organisation.id, score=weighing.score,
                      details=("add the organisation's country to the vendor registry or a "
                               "vendor_override", *weighing.lines(scale)))
    return Draft(finding)


def _data_location(resolution: Resolution, policy: Policy, table: JurisdictionTable,
                   scale: Scale, view: UsageView) -> Draft | None:
    if view.sends_data == "no":
        return None
    key = "api" if view.sends_data == "yes" else "unknown"
    weight = dict(policy.usage_weights).get(key, 1.0)
    reason = ("model inputs are sent by API" if key == "api"
              else "usage unknown: inputs may be sent by API")
    to = f" to {view.data_party_name}" if view.data_party_name else ""
    prefix = (f"model inputs sent by API{to}" if key == "api"
              else f"if called by API{to}, model inputs")
    verb = "go" if key == "api" else "would go"
    if view.data_country is None:
        weighing = Weighing(scale.score_of(Level.LOW), "data location unknown: not clean")
        weighing = weighing.times(weight, reason)
        summary = f"{prefix} {verb} to servers in an unknown country \u2014 declare the API host"
        finding = Finding(kind="data-location", level=max(weighing.level(scale), Level.LOW),
                          summary=summary, party_id=view.data_party, score=weighing.score,
                          details=(view.statement, *weighing.lines(scale)))
        return Draft(finding)
    standing = table.standing(view.data_country, policy)
    if standing is None:
        return None
    weighing = Weighing(scale.score_of(standing.data_level), f"data sent to {standing.reason}")
    if standing.kind != "denied":
        weighing = weighing.times(weight, reason)
    weighing = _allowed(weighing, view.data_party, standing, policy)
    summary = f"{prefix} {verb} to servers in {standing.reason}"
    finding = Finding(kind="data-location", level=weighing.level(scale), summary=summary,
                      party_id=view.data_party, score=weighing.score,
                      details=(view.statement, *standing.details, *weighing.lines(scale)))
    return Draft(finding)
