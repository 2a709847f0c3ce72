"""Exceptions: approved, dated acceptances of one listed entity for one model.

An exception in force lowers the findings it covers to the policy's exception level, keeps them
in the report with its id, reason, approver and dates, and never touches a finding on another
entity or on a list it does not name. An expired exception adds a finding at the level that
fails the run. "Today" is passed in, so runs and tests are reproducible.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from riskcheck.model import Finding, Level, ListEntity, PolicyException, Policy, Resolution
from riskcheck.score.draft import Draft
from riskcheck.score.jurisdiction import fail_level
from riskcheck.score.weighing import Scale

COVERABLE = ("list-match", "parent-list-match", "upstream-list-match", "serving-list-match",
             "ownership-rule", "formerly-listed")


def _fold(text: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text.casefold()).split())


def applies_to_model(exception: PolicyException, resolution: Resolution) -> bool:
    """The exception names this model (as written, or its canonical id; case-insensitive)."""
    names = {resolution.ref.id.casefold()}
    if resolution.canonical_id:
        names.add(resolution.canonical_id.casefold())
    return exception.model.casefold() in names


def covers_entity(exception: PolicyException, entity: ListEntity) -> bool:
    """The exception names this list record (by source + id, or by listed name or alias)."""
    if exception.source_id is not None:
        return entity.source == exception.source and entity.source_id == exception.source_id
    if exception.name is not None:
        if exception.source is not None and exception.source != entity.source:
            return False
        return _fold(exception.name) in {_fold(name) for name in entity.all_names}
    return False


def state(exception: PolicyException, today: date) -> str:
    """``pending`` (created in the future), ``in-force`` or ``expired`` (after its expiry day)."""
    if date.fromisoformat(exception.created) > today:
        return "pending"
    if date.fromisoformat(exception.expires) < today:
        return "expired"
    return "in-force"


def apply_exceptions(drafts: Sequence[Draft], resolution: Resolution, policy: Policy,
                     today: date, scale: Scale) -> list[Finding]:
    """Every finding of the model with the model's exceptions applied, plus exception findings."""
    mine = sorted((e for e in policy.exceptions if applies_to_model(e, resolution)),
                  key=lambda e: e.id)
    findings: list[Finding] = []
    used: set[str] = set()
    for draft in drafts:
        finding = draft.finding
        notes: list[str] = []
        if finding.kind in COVERABLE and draft.entities:
            for exception in mine:
                if not all(covers_entity(exception, e) for e in draft.entities):
                    continue
                missing = sorted(set(draft.lists) - set(exception.lists))
                status = state(exception, today)
                if missing:
                    notes.append(f"exception {exception.id} does not cover list(s) "
                                 f"{', '.join(missing)}: finding kept at its level")
                    continue
                if status == "pending":
                    notes.append(f"exception {exception.id} starts on {exception.created}")
                    continue
                used.add(exception.id)
                if status == "expired":
                    notes.append(f"exception {exception.id} expired on {exception.expires}")
                    continue
                finding = _lowered(finding, exception, policy, scale)
                break
        if notes:
            finding = Finding(finding.kind, finding.level, finding.summary, finding.party_id,
                              finding.match, finding.score, (*finding.details, *notes),
                              finding.exception_id)
        findings.append(finding)
    for exception in mine:
        status = state(exception, today)
        if status == "expired":
            findings.append(expired_finding(exception, policy, scale,
                                            matched=exception.id in used))
        elif status == "in-force" and exception.id not in used:
            findings.append(unused_finding(exception, f"model {resolution.ref.id!r} has no "
                                                      f"finding on that entity and list"))
    return findings


def _lowered(finding: Finding, exception: PolicyException, policy: Policy,
             scale: Scale) -> Finding:
    level = exception.level if exception.level is not None else policy.exception_level
    level = min(level, finding.level)
    summary = (f"{finding.summary} [accepted by exception {exception.id} until "
               f"{exception.expires}]")
    details = (*finding.details, *describe(exception),
               f"level lowered from {finding.level.label} to {level.label} by the exception")
    return Finding(finding.kind, level, summary, finding.party_id, finding.match,
                   min(finding.score, scale.score_of(level)), details, exception.id)


def describe(exception: PolicyException) -> tuple[str, ...]:
    """Detail lines that show an exception to an auditor."""
    scope = (f"{exception.source} {exception.source_id}" if exception.source_id
             else f"\u201c{exception.name}\u201d")
    where = (f" ({exception.location.path}:{exception.location.line})"
             if exception.location else "")
    return (f"exception {exception.id}{where}: model {exception.model}, entity {scope}, "
            f"lists {', '.join(exception.lists)}",
            f"reason: {exception.reason}",
            f"approved by {exception.approver} on {exception.created}, expires "
            f"{exception.expires}")


def expired_finding(exception: PolicyException, policy: Policy, scale: Scale, *,
                    matched: bool) -> Finding:
    """The run-failing finding for an exception past its expiry date."""
    level = fail_level(policy)
    still = ("the listing it covered is still found" if matched
             else "it no longer matches any finding")
    summary = (f"exception {exception.id} expired on {exception.expires} "
               f"({exception.model}, {', '.join(exception.lists)}); {still} \u2014 renew or "
               f"remove it")
    # No exception_id: by the model's contract it marks findings an exception *in force*
    # lowers; the id is in the summary and details instead.
    return Finding(kind="list-match", level=level, summary=summary, score=scale.score_of(level),
                   details=describe(exception))


def unused_finding(exception: PolicyException, why: str) -> Finding:
    """An exception in force that covers nothing: shown (level none) so it can be cleaned up."""
    summary = f"exception {exception.id} is in force but covers nothing: {why}"
    return Finding(kind="list-match", level=Level.NONE, summary=summary,
                   details=describe(exception), exception_id=exception.id)


def orphan_findings(exceptions: Iterable[PolicyException], resolutions: Sequence[Resolution],
                    policy: Policy, today: date, scale: Scale) -> list[Finding]:
    """Findings for exceptions naming a model the project does not use."""
    result = []
    for exception in sorted(exceptions, key=lambda e: e.id):
        if any(applies_to_model(exception, r) for r in resolutions):
            continue
        status = state(exception, today)
        if status == "expired":
            result.append(expired_finding(exception, policy, scale, matched=False))
        elif status == "in-force":
            result.append(unused_finding(exception, f"the project does not use model "
                                                    f"{exception.model!r}"))
    return result
