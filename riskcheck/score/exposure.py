"""The exposure scorer: findings, levels, verdicts and alternatives for each model.

For one model it gathers findings from list matches (severity x confidence x role x usage),
ownership rules, jurisdictions and data location, the policy's denied vendors and an unresolved
model; applies the policy's exceptions; takes the worst level as the model's level; weighs the
score by the model's criticality; writes a one-line verdict; and suggests alternatives. For the
project it adds concentration findings and exceptions that name no model in use.
docs/scoring.md explains every step with worked examples. Information, not legal advice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from riskcheck.model import Finding, Level, Match, ModelAssessment, Policy, Resolution
from riskcheck.score.alternatives import AlternativesCatalogue
from riskcheck.score.concentration import concentration_findings
from riskcheck.score.country_findings import country_findings
from riskcheck.score.draft import sort_findings
from riskcheck.score.exceptions import apply_exceptions, orphan_findings
from riskcheck.score.interface import Scorer
from riskcheck.score.jurisdiction import JurisdictionTable
from riskcheck.score.matches import match_findings, match_key
from riskcheck.score.ownership import ownership_findings
from riskcheck.score.policy_findings import denied_findings, override_findings, unresolved_findings
from riskcheck.score.severity import SeverityTable
from riskcheck.score.usage import usage_view


class ExposureScorer(Scorer):
    """Scores models against the bundled severity, jurisdiction and alternatives data.

    ``today`` fixes the date exceptions are judged on (default: the current UTC date, read at
    each call). ``vendor_screen``, when given, is asked whether a candidate alternative's vendor
    id is itself on a list (e.g. a screener over the vendor registry); flagged vendors are not
    suggested.
    """

    def __init__(self, severity: SeverityTable | None = None,
                 jurisdictions: JurisdictionTable | None = None,
                 alternatives: AlternativesCatalogue | None = None, *,
                 today: date | None = None,
                 vendor_screen: Callable[[str], bool] | None = None) -> None:
        self.severity = severity or SeverityTable.bundled()
        self.jurisdictions = jurisdictions or JurisdictionTable.bundled()
        self.alternatives = alternatives or AlternativesCatalogue.bundled()
        self._today = today
        self.vendor_screen = vendor_screen

    @property
    def today(self) -> date:
        """The date exceptions are judged on."""
        if self._today is not None:
            return self._today
        from datetime import datetime, timezone

        return datetime.now(timezone.utc).date()

    def assess(self, resolution: Resolution, matches: Sequence[Match],
               policy: Policy) -> ModelAssessment:
        """Assess one model under ``policy``."""
        scale = self.severity.scale
        ordered = tuple(sorted(matches, key=match_key))
        view = usage_view(resolution)
        drafts = [
            *unresolved_findings(resolution, policy, scale),
            *match_findings(resolution, ordered, policy, self.severity, view),
            *ownership_findings(resolution, ordered, policy, self.severity, view),
            *country_findings(resolution, policy, self.jurisdictions, scale, view),
            *denied_findings(resolution, policy, scale),
            *override_findings(resolution, scale),
        ]
        findings = sort_findings(apply_exceptions(drafts, resolution, policy, self.today, scale))
        level = max((f.level for f in findings), default=Level.NONE)
        score = self._model_score(resolution, findings, policy)
        alternatives: tuple[str, ...] = ()
        if policy.alternatives_from != Level.NONE and level >= policy.alternatives_from:
            alternatives = self.alternatives.suggest(
                resolution, ordered, policy, self._of_concern(policy), self.vendor_screen)
        return ModelAssessment(
            resolution=resolution, matches=ordered, findings=findings, level=level, score=score,
            verdict=verdict(resolution, findings, level, view.statement), alternatives=alternatives)

    def project_findings(self, assessments: Sequence[ModelAssessment],
                         policy: Policy) -> tuple[Finding, ...]:
        """Concentration findings and exceptions that name no model of the project."""
        ordered = sorted(assessments, key=lambda a: (a.resolution.ref.id, a.resolution.ref.usage,
                                                     a.resolution.ref.provider or ""))
        scale = self.severity.scale
        found = [
            *concentration_findings(ordered, policy, scale, self._of_concern(policy)),
            *orphan_findings(policy.exceptions, [a.resolution for a in ordered], policy,
                             self.today, scale),
        ]
        return sort_findings(found)

    def _of_concern(self, policy: Policy) -> Callable[[str], bool]:
        return lambda code: self.jurisdictions.is_of_concern(code, policy)

    @staticmethod
    def _model_score(resolution: Resolution, findings: tuple[Finding, ...],
                     policy: Policy) -> float:
        """Worst finding score weighted by the model's criticality (0..100, ranks models)."""
        worst = max((f.score for f in findings), default=0.0)
        weight = dict(policy.criticality_weights).get(resolution.ref.criticality, 1.0)
        return round(min(worst * weight, 100.0), 1)


def verdict(resolution: Resolution, findings: tuple[Finding, ...], level: Level,
            usage_statement: str) -> str:
    """One line: the level and the worst finding, with how many more there are."""
    ref = resolution.ref
    counted = [f for f in findings if f.level > Level.NONE]
    if not counted:
        vendor = resolution.vendor
        who = f"{vendor.name} ({vendor.country or 'country unknown'})" if vendor else "its vendor"
        excepted = sum(1 for f in findings if f.exception_id)
        note = f"; {excepted} finding(s) under exceptions" if excepted else ""
        return (f"none: {ref.id} \u2014 no list match or country of concern for {who}{note}; "
                f"{usage_statement.split(':')[0]}")
    worst = counted[0]
    more = len(counted) - 1
    tail = f" (+{more} more finding{'s' if more > 1 else ''})" if more else ""
    return f"{level.label}: {worst.summary}{tail}"
