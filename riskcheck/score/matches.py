"""List matches to findings: list severity x match confidence x role x usage.

``match`` counts fully, ``review`` by the policy's ``review_weight``, ``possible`` only as a low
finding; a ``formerly-listed`` entity is a low ``formerly-listed`` finding, never a listing.
"""

from __future__ import annotations

from collections.abc import Sequence

from riskcheck.model import Finding, Level, Match, Organisation, Party, Policy, Resolution
from riskcheck.score.draft import Draft
from riskcheck.score.lineage import (
    KIND_BY_ROLE, is_inherited, role_factor, role_phrase, role_rank,
)
from riskcheck.score.severity import ListSeverity, SeverityTable, band_factor, describe_listing
from riskcheck.score.usage import UsageView, usage_factor
from riskcheck.score.weighing import Weighing


BANDS = ("match", "review", "possible")


def match_key(match: Match) -> tuple[str, ...]:
    """Stable order of matches, independent of the screener's output order."""
    e = match.entity
    return (match.party_id, match.party_role, e.source, e.source_id, match.band, match.status)


def party_for(resolution: Resolution, match: Match) -> Party:
    """The resolution's party a match is about (a stand-in when the screener's id is unknown)."""
    for party in resolution.parties:
        if party.organisation.id == match.party_id and party.role == match.party_role:
            return party
    for party in resolution.parties:
        if party.organisation.id == match.party_id:
            return party
    if resolution.serving and resolution.serving.organisation.id == match.party_id:
        return Party(resolution.serving.organisation, "serving", "api-host")
    return Party(Organisation(id=match.party_id, name=match.party_id), match.party_role, "unknown")


def match_findings(resolution: Resolution, matches: Sequence[Match], policy: Policy,
                   table: SeverityTable, view: UsageView) -> list[Draft]:
    """One draft finding per listed entity and organisation, in the organisation's most
    direct role (a first-party API host is the vendor, not a second finding)."""
    best: dict[tuple[str, str, str, str], Match] = {}
    for m in sorted(matches, key=lambda m: (role_rank(m.party_role), BANDS.index(m.band),
                                            match_key(m))):
        best.setdefault((m.party_id, m.entity.source, m.entity.source_id, m.status), m)
    return [_one(resolution, m, policy, table, view)
            for m in sorted(best.values(), key=match_key)]


def _one(resolution: Resolution, match: Match, policy: Policy, table: SeverityTable,
         view: UsageView) -> Draft:
    entity = match.entity
    party = party_for(resolution, match)
    severities = _severities(match, table, policy)
    top = severities[0]
    weighing = Weighing(table.scale.score_of(top.level),
                        f"{top.title}: {top.level.label} ({top.source})")
    weighing = weighing.times(*band_factor(match, policy))
    for factor in role_factor(party, policy):
        weighing = weighing.times(*factor)
    weighing = weighing.times(*usage_factor(view, party, policy))

    # The program and date shown are those of the record on the list named, not of another
    # list's record merged into the same hit (a CMIC entry is not "NDAA-FY2021-1260H").
    entity = next((e for e in match.listed_entities if top.code in e.lists), entity)
    context = describe_listing(entity)
    on = f"on the {top.title}" + (f" ({context})" if context else "")
    others = [s.code for s in severities[1:]]
    also = f"; also on {', '.join(others)}" if others else ""
    who = role_phrase(party)
    cap = None
    if match.status == "formerly-listed":
        kind = "formerly-listed"
        cap = Level.LOW
        removed = f" until {entity.removed_on}" if entity.removed_on else ""
        summary = (f"{who} was {on}{removed} as \u201c{entity.name}\u201d; no longer listed, "
                   f"{top.effect} no longer applies")
        weighing = weighing.times(0.5, "formerly listed: history, not a current listing")
    else:
        kind = KIND_BY_ROLE.get(party.role, "list-match")
        if match.band == "match":
            named = role_phrase(party, entity.name) + _registry_name(party, entity.name)
            summary = f"{named} is {on} \u2014 {top.effect}{also}"
        elif match.band == "review":
            summary = (f"{who} may be \u201c{entity.name}\u201d {on} \u2014 {top.effect}; "
                       f"name match needs review (score {match.score:.2f}){also}")
        else:
            cap = Level.LOW
            summary = (f"{who} possibly matches \u201c{entity.name}\u201d {on} (score "
                       f"{match.score:.2f}); low-confidence name match, check before acting")
    if is_inherited(party):
        summary = f"inherited: {summary}"
    level = weighing.level(table.scale, cap=cap)
    score = weighing.score if cap is None else min(weighing.score, table.scale.score_of(cap))
    details = [f"{s.code}: {s.title} ({s.level.label}) \u2014 {s.detail}"
               + (f" {s.citation}" if s.citation else "") for s in severities]
    details.append(f"matched {match.explanation.query_name!r} to "
                   f"{match.explanation.matched_name!r} (band {match.band}, score "
                   f"{match.score:.2f})")
    if match.explanation.alignment:
        details.append(f"alignment: {match.explanation.alignment}")
    details.extend(f"qualifier: {q}" for q in match.explanation.qualifiers)
    details.append(f"list record: {entity.source} {entity.source_id}"
                   + (f", {entity.citation}" if entity.citation else "")
                   + (f", {entity.url}" if entity.url else ""))
    details.extend(weighing.lines(table.scale, cap=cap))
    finding = Finding(kind=kind, level=level, summary=summary, party_id=party.organisation.id,
                      match=match, score=score, details=tuple(details))
    return Draft(finding, match.listed_entities, tuple(sorted(match.all_lists)))


def _severities(match: Match, table: SeverityTable, policy: Policy) -> list[ListSeverity]:
    """Every list of the organisation's merged records, each code once at its most severe,
    most severe first: an SDN record merged with a sectoral one keeps the SDN's weight."""
    best: dict[str, ListSeverity] = {}
    for entity in match.listed_entities:
        for severity in table.for_entity(entity, policy):
            kept = best.get(severity.code)
            if kept is None or int(severity.level) > int(kept.level):
                best[severity.code] = severity
    return sorted(best.values(), key=lambda s: (-int(s.level), s.code))


def _registry_name(party: Party, listed: str) -> str:
    """`` (registry: Zhipu AI)`` when the registry name does not appear in the listed name."""
    own = "".join(ch for ch in party.organisation.name.casefold() if ch.isalnum())
    theirs = "".join(ch for ch in listed.casefold() if ch.isalnum())
    if not listed or (own and own in theirs):
        return ""
    return f" (registry: {party.organisation.name})"


__all__ = ["match_findings", "match_key", "party_for"]
