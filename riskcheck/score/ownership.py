"""Ownership rules: an entity owned 50% or more by listed parties shares their status.

OFAC's 50% rule: an entity owned, directly or indirectly, 50% or more in aggregate by one or
more blocked persons is itself blocked, named or not. The EU and UK apply an ownership-or-control
test (more than 50%). The BIS Affiliates Rule extends Entity List / MEU restrictions the same way
and applies only when the policy's ``affiliates_rule`` is on.

Ownership is read from the direct edges (``Organisation.parents``) of every organisation the
resolver put in the resolution, so the result does not depend on the order of the parties.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from riskcheck.model import (
    Finding, ListEntity, Match, Organisation, Party, Policy, Resolution,
)
from riskcheck.score.country_findings import involved_parties
from riskcheck.score.draft import Draft
from riskcheck.score.lineage import role_factor, role_phrase
from riskcheck.score.matches import match_key
from riskcheck.score.severity import OwnershipRule, SeverityTable, band_factor
from riskcheck.score.usage import UsageView, usage_factor
from riskcheck.score.weighing import Weighing

DEALT_WITH_ROLES = ("vendor", "upstream", "serving")
UNKNOWN_SHARE_WEIGHT = 0.75
"""Weight when a listed owner's share is unknown: the entity *may* be covered by the rule."""


@dataclass(frozen=True)
class Status:
    """Whether an organisation is covered by a rule: ``listed``, ``owned``, ``maybe`` or ``no``."""

    state: str
    share: float = 0.0
    owners: tuple[tuple[str, float | None], ...] = ()
    """Covered direct owners (id, share) that make up the aggregate."""
    matches: tuple[Match, ...] = ()
    """The list matches at the root of the chain."""


def ownership_findings(resolution: Resolution, matches: Sequence[Match], policy: Policy,
                       table: SeverityTable, view: UsageView) -> list[Draft]:
    """Findings for the vendor, upstream vendors and API host covered by an ownership rule."""
    orgs = _organisations(resolution)
    rules = _rules(table, policy)
    drafts = []
    for rule, codes in rules:
        listed: dict[str, list[Match]] = {}
        for match in sorted(matches, key=match_key):
            if match.status == "current" and match.band != "possible" and \
                    set(codes) & set(match.all_lists):
                listed.setdefault(match.party_id, []).append(match)
        if not listed:
            continue
        memo: dict[str, Status] = {}
        for party in involved_parties(resolution):
            if party.role not in DEALT_WITH_ROLES or party.organisation.id in listed:
                continue
            status = _status(party.organisation.id, orgs, listed, rule, memo, ())
            if status.state in ("owned", "maybe"):
                drafts.append(_draft(party, status, rule, codes, orgs, policy, table, view))
    return drafts


@functools.lru_cache(maxsize=32)
def _rules(table: SeverityTable, policy: Policy) -> tuple[tuple[OwnershipRule, tuple[str, ...]], ...]:
    """Each active ownership rule with the list codes whose parties it covers.

    The same for every model of a run (one table, one policy), and it asks the table about
    every list code: worked out once rather than per model.
    """
    grouped: dict[OwnershipRule, list[str]] = {}
    for code in table.codes:
        severity = table.for_list(code, (), policy)
        rule = severity.ownership_rule
        if rule is None or (rule.switch and not getattr(policy, rule.switch, False)):
            continue
        grouped.setdefault(rule, []).append(code)
    return tuple(sorted(((rule, tuple(codes)) for rule, codes in grouped.items()),
                        key=lambda item: item[0].name))


def _organisations(resolution: Resolution) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for party in resolution.parties:
        orgs.setdefault(party.organisation.id, party.organisation)
    if resolution.serving is not None:
        orgs.setdefault(resolution.serving.organisation.id, resolution.serving.organisation)
    return orgs


def _status(org_id: str, orgs: dict[str, Organisation], listed: dict[str, list[Match]],
            rule: OwnershipRule, memo: dict[str, Status], stack: tuple[str, ...]) -> Status:
    if org_id in memo:
        return memo[org_id]
    if org_id in listed:
        return Status("listed", 1.0, matches=tuple(listed[org_id]))
    org = orgs.get(org_id)
    if org is None or org_id in stack:
        return Status("no")
    total = 0.0
    unknown = False
    owners: list[tuple[str, float | None]] = []
    roots: list[Match] = []
    for edge in sorted(org.parents, key=lambda e: e.parent_id):
        parent = _status(edge.parent_id, orgs, listed, rule, memo, (*stack, org_id))
        if parent.state in ("listed", "owned"):
            owners.append((edge.parent_id, edge.share))
            roots.extend(parent.matches)
            if edge.share is None:
                unknown = True
            else:
                total += edge.share
        elif parent.state == "maybe":
            owners.append((edge.parent_id, edge.share))
            roots.extend(parent.matches)
            unknown = True
    if owners and rule.reached(total):
        state = "owned"
    elif owners and unknown:
        state = "maybe"
    else:
        state = "no"
    result = Status(state, round(total, 4), tuple(owners), tuple(dict.fromkeys(roots)))
    memo[org_id] = result
    return result


def _draft(party: Party, status: Status, rule: OwnershipRule, codes: tuple[str, ...],
           orgs: dict[str, Organisation], policy: Policy, table: SeverityTable,
           view: UsageView) -> Draft:
    entities: dict[tuple[str, str], ListEntity] = {}
    for match in status.matches:
        for entity in match.listed_entities:
            if set(entity.lists) & set(codes):
                entities.setdefault((entity.source, entity.source_id), entity)
    severities = [s for e in entities.values() for s in table.for_entity(e, policy)
                  if s.code in codes]
    top = sorted(severities, key=lambda s: (-int(s.level), s.code))[0]
    weakest = min(status.matches, key=lambda m: (m.band != "review", match_key(m)))
    weighing = Weighing(table.scale.score_of(top.level),
                        f"{top.title}: {top.level.label} ({top.source}), via {rule.name}")
    if weakest.band == "review":
        weighing = weighing.times(*band_factor(weakest, policy))
    if status.state == "maybe":
        weighing = weighing.times(UNKNOWN_SHARE_WEIGHT,
                                  "a listed owner's share is unknown: the rule may apply")
    for factor in role_factor(party, policy):
        weighing = weighing.times(*factor)
    weighing = weighing.times(*usage_factor(view, party, policy))
    owners = ", ".join(_owner_text(owner, share if len(status.owners) > 1 else None, orgs)
                       for owner, share in status.owners)
    # Two records of one organisation on one list (an EU asset freeze and a transaction ban)
    # read the same: name each once.
    listed_names = "; ".join(dict.fromkeys(
        f"\u201c{e.name}\u201d ({', '.join(sorted(set(e.lists) & set(codes)))})"
        for e in entities.values()))
    roots = {m.party_id for m in status.matches}
    if roots == {owner for owner, _ in status.owners}:
        chain = f"{owners}, {'which is' if len(status.owners) == 1 else 'all'} on the {top.title}"
    else:
        chain = f"{owners}, in turn owned by {listed_names} on the {top.title}"
    if status.state == "owned":
        summary = (f"{role_phrase(party)} is treated as listed under the {rule.name}: owned "
                   f"{status.share:.0%} by {chain} \u2014 {top.effect}")
    else:
        summary = (f"{role_phrase(party)} may be covered by the {rule.name}: owned by {chain}; "
                   f"share unknown \u2014 {top.effect} if the rule applies")
    details = [
        f"rule: {rule.name} (aggregate ownership {'>=' if rule.inclusive else '>'} "
        f"{rule.threshold:.0%})" + (f" {rule.citation}" if rule.citation else ""),
        f"listed owners at the root of the chain: {listed_names}",
        f"{top.code}: {top.detail}",
    ]
    if rule.switch:
        details.append(f"applied because policy {rule.switch} is true; check the rule is in "
                       f"force (it was suspended for a period after publication)")
    details.extend(weighing.lines(table.scale))
    match = min(status.matches, key=match_key)
    finding = Finding(kind="ownership-rule", level=weighing.level(table.scale),
                      summary=summary, party_id=party.organisation.id, match=match,
                      score=weighing.score, details=tuple(details))
    lists = sorted({code for e in entities.values() for code in e.lists if code in codes})
    return Draft(finding, tuple(entities.values()), tuple(lists))


def _owner_text(owner: str, share: float | None, orgs: dict[str, Organisation]) -> str:
    name = orgs[owner].name if owner in orgs else owner
    return f"{name} ({share:.0%})" if share is not None else name


__all__ = ["ownership_findings"]
