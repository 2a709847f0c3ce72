"""The trust boundary between the operator's policy and what a pull request writes.

In CI the manifest, its ``policy:`` block and a policy file beside it are written by whoever
opened the pull request. When the operator passes ``--policy FILE`` that policy governs: a
setting from the pull request is taken only where it makes the run stricter (a lower fail
level, a higher severity or weight, a shorter list age, more denied vendors ...), and every
setting that would loosen it is ignored and named in the report. Exceptions written in the
pull request count only when the operator policy says ``allow_exceptions_from: manifest``.
The two operator-only keys are never taken from a pull request.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from riskcheck.model import Level, Policy
from riskcheck.score.jurisdiction import JurisdictionTable
from riskcheck.score.severity import SeverityTable
from riskcheck.project.policy import OPERATOR_KEYS

_WHERE = "the manifest's policy"


@dataclass(frozen=True)
class Governed:
    """The policy a run uses, and one line per pull-request setting that was not applied."""

    policy: Policy
    ignored: tuple[str, ...] = ()


def without_operator_keys(proposed: Policy, origin: str = _WHERE) -> Governed:
    """No operator policy: the manifest's own policy governs, minus the operator-only keys."""
    baseline = Policy()
    ignored = [f"{origin}: {key} ignored: only the operator's policy (--policy) can set it"
               for key in OPERATOR_KEYS if getattr(proposed, key) != getattr(baseline, key)]
    return Governed(replace(proposed, allow_vendor_overrides=False, allow_exceptions_from=()),
                    tuple(ignored))


def govern(operator: Policy, proposed: Policy, baseline: Policy, *, origin: str = _WHERE,
           severity: SeverityTable | None = None,
           jurisdictions: JurisdictionTable | None = None) -> Governed:
    """``operator`` tightened by every setting of ``proposed`` that is stricter.

    ``baseline`` is what ``proposed`` started from (the default preset): a field equal to it
    was not written by the pull request. Returns the policy and the settings ignored.
    """
    severity = severity or SeverityTable.bundled()
    jurisdictions = jurisdictions or JurisdictionTable.bundled()
    policy = operator
    ignored: list[str] = []

    def note(key: str, wrote: Any, kept: Any, why: str = "looser than the operator policy") -> None:
        ignored.append(f"{origin}: {key} {_show(wrote)} ignored ({why}; kept {_show(kept)})")

    def written(name: str) -> bool:
        return getattr(proposed, name) != getattr(baseline, name)

    for key in OPERATOR_KEYS:
        if written(key):
            ignored.append(f"{origin}: {key} ignored: only the operator's policy (--policy) "
                           "can set it")
    changes: dict[str, Any] = {}
    # Single values: the stricter of the two wins.
    stricter = {
        "fail_on": min, "unresolved_level": max, "exception_level": max,
        "lineage_weight": max, "review_weight": max, "concentration_min_models": min,
    }
    for name, pick in stricter.items():
        if written(name):
            mine, theirs = getattr(operator, name), getattr(proposed, name)
            chosen = pick(mine, theirs)
            changes[name] = chosen
            if chosen != theirs:
                note(name, theirs, mine)
    for name in ("fail_on_unresolved", "affiliates_rule"):
        if written(name):
            if getattr(proposed, name):
                changes[name] = True
            elif getattr(operator, name):
                note(name, False, True)
    if written("max_list_age_days"):
        mine, theirs = operator.max_list_age_days, proposed.max_list_age_days
        chosen = theirs if mine is None else mine if theirs is None else min(mine, theirs)
        changes["max_list_age_days"] = chosen
        if chosen != theirs:
            note("max_list_age_days", theirs, mine)
    for name in ("max_vendor_share", "max_country_share", "max_critical_vendor_share",
                 "max_critical_country_share"):
        if written(name):
            mine, theirs = getattr(operator, name), getattr(proposed, name)
            chosen = theirs if mine is None else mine if theirs is None else min(mine, theirs)
            changes[name] = chosen
            if chosen != theirs:
                note(f"concentration.{name}", theirs, mine)
    for name in ("usage_weights", "criticality_weights"):
        if written(name):
            mine, theirs = dict(getattr(operator, name)), dict(getattr(proposed, name))
            merged = {k: max(mine.get(k, 0.0), theirs.get(k, 0.0)) for k in {*mine, *theirs}}
            changes[name] = tuple((k, merged[k]) for k, _ in getattr(operator, name)) + tuple(
                (k, merged[k]) for k in sorted(set(merged) - set(mine)))
            lowered = sorted(k for k in theirs if theirs[k] < mine.get(k, 0.0))
            if lowered:
                note(f"{name} for {', '.join(lowered)}", {k: theirs[k] for k in lowered},
                     {k: mine[k] for k in lowered})
    for name in ("denied_vendors", "denied_countries"):
        if written(name):
            changes[name] = tuple(dict.fromkeys((*getattr(operator, name),
                                                 *getattr(proposed, name))))
    for name in ("allowed_vendors", "allowed_countries"):
        if written(name):
            mine, theirs = getattr(operator, name), getattr(proposed, name)
            added = [x for x in theirs if x not in mine]
            changes[name] = tuple(x for x in mine if x in theirs)
            if added:
                note(name, added, list(mine), "an allowance only the operator can grant")
    policy = replace(policy, **changes)
    if written("severity_overrides"):
        policy = _severities(policy, proposed, severity, note)
    if written("country_tiers"):
        policy = _tiers(policy, proposed, jurisdictions, note)
    if written("alternatives_from"):
        policy = replace(policy, alternatives_from=min(operator.alternatives_from,
                                                       proposed.alternatives_from))
    return Governed(_with_exceptions(policy, operator, proposed, origin, ignored),
                    tuple(ignored))


def _severities(policy: Policy, proposed: Policy, table: SeverityTable, note: Any) -> Policy:
    """A pull request's list-severity override counts only when no program of that list can
    end up lower than under the operator policy."""
    kept = dict(policy.severity_overrides)
    for name, level in proposed.severity_overrides:
        code, _, program = name.partition(":")
        floor = table.highest_level(code, policy, program or None)
        if level >= floor:
            kept[name] = max(level, kept.get(name, Level.NONE))
        else:
            note(f"severity {name}", level, floor)
    return replace(policy, severity_overrides=tuple(sorted(kept.items())))


def _tiers(policy: Policy, proposed: Policy, table: JurisdictionTable, note: Any) -> Policy:
    """Country-tier changes count only when no country ends up with a lower level."""
    by_name = {tier.name: tier for tier in policy.country_tiers}
    for tier in proposed.country_tiers:
        by_name[tier.name] = tier
    candidate = replace(policy, country_tiers=tuple(sorted(by_name.values(),
                                                           key=lambda t: t.name)))
    codes = {c for t in (*table.tiers, *policy.country_tiers, *candidate.country_tiers)
             for c in (t.countries or ())} | set(table.embargoes)
    lowered = []
    for code in sorted(codes):
        before, after = table.standing(code, policy), table.standing(code, candidate)
        if before is None:
            continue
        if after is None or after.vendor_level < before.vendor_level or \
                after.data_level < before.data_level:
            lowered.append(code)
    if lowered:
        note("country_tiers", [t.name for t in proposed.country_tiers],
             [t.name for t in policy.country_tiers] or "the bundled tiers",
             f"it would lower {', '.join(lowered[:5])}" + (" ..." if len(lowered) > 5 else ""))
        return policy
    return candidate


def _with_exceptions(policy: Policy, operator: Policy, proposed: Policy, origin: str,
                     ignored: list[str]) -> Policy:
    known = {e.id for e in operator.exceptions}
    theirs = tuple(e for e in proposed.exceptions if e.id not in known)
    if not theirs:
        return replace(policy, exceptions=operator.exceptions)
    if "manifest" in operator.allow_exceptions_from:
        return replace(policy, exceptions=(*operator.exceptions, *theirs))
    ignored.append(f"{origin}: {len(theirs)} exception{'s' if len(theirs) != 1 else ''} "
                   f"({', '.join(e.id for e in theirs)}) ignored: the operator policy does not "
                   "set allow_exceptions_from: manifest")
    return replace(policy, exceptions=operator.exceptions)


def _show(value: Any) -> str:
    if isinstance(value, Level):
        return value.label
    if isinstance(value, dict):
        return ", ".join(f"{k} {_show(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)
