"""Scenarios: what a project's exposure would be if an organisation (or every organisation of
a country) were listed tomorrow.

The assumed listing is a list record like any other: it is matched to every party of every
model that is (or is based in) an assumed organisation, and the model is scored again by the
same scorer, so ownership (the 50% rule through parents), lineage (upstream vendors at lineage
weight), serving parties and the project's own policy apply exactly as for a real listing.
"""

from __future__ import annotations

from collections.abc import Sequence
from riskcheck.model import (
    Assumption,
    Level,
    ListEntity,
    Match,
    MatchExplanation,
    ModelAssessment,
    Organisation,
    Report,
    Resolution,
    ScenarioModel,
    ScenarioProject,
)
from riskcheck.score.exposure import ExposureScorer
from riskcheck.score.interface import Scorer

SOURCE = "scenario"
"""``ListEntity.source`` of an assumed listing: never a real list."""

_VIA = {
    "list-match": "vendor",
    "parent-list-match": "parent",
    "upstream-list-match": "upstream",
    "serving-list-match": "serving party",
    "ownership-rule": "ownership rule",
    "formerly-listed": "vendor",
}


_ROLE_WORDS = {"vendor": "vendor", "parent": "parent", "upstream": "upstream",
               "upstream-parent": "upstream's parent", "serving": "serving party"}


def assumed_entity(organisation: Organisation, assumption: Assumption) -> ListEntity:
    """The list record the scenario assumes for ``organisation``."""
    return ListEntity(
        source=SOURCE, source_id=f"assumed:{organisation.id}", lists=(assumption.list_code,),
        programs=(assumption.program,) if assumption.program else (), name=organisation.name,
        countries=(organisation.country,) if organisation.country else (),
        remarks="assumed by a what-if scenario; not on any list",
    )


def is_assumed(organisation: Organisation, assumption: Assumption) -> bool:
    """Whether the scenario lists ``organisation`` (by id or by its country)."""
    return organisation.id in assumption.organisations or bool(
        organisation.country and organisation.country in assumption.countries)


def assumed_matches(resolution: Resolution, assumption: Assumption) -> tuple[Match, ...]:
    """A confirmed match for every party of ``resolution`` the scenario lists."""
    found: list[Match] = []
    seen: set[tuple[str, str]] = set()
    parties = [(p.organisation, p.role) for p in resolution.parties]
    if resolution.serving is not None:
        parties.append((resolution.serving.organisation, "serving"))
    for organisation, role in parties:
        if not is_assumed(organisation, assumption) or (organisation.id, role) in seen:
            continue
        seen.add((organisation.id, role))
        found.append(Match(
            party_id=organisation.id, party_role=role,  # type: ignore[arg-type]
            entity=assumed_entity(organisation, assumption), score=1.0, band="match",
            status="current", explanation=MatchExplanation(
                query_name=organisation.name, matched_name=organisation.name,
                qualifiers=("assumed listing (what-if scenario)",))))
    return tuple(found)


def scenario_scorer(assumption: Assumption, base: ExposureScorer | None = None,
                    country_of: dict[str, str] | None = None) -> ExposureScorer:
    """A scorer that never suggests an assumed organisation as an alternative."""
    base = base or ExposureScorer()
    screen = base.vendor_screen
    countries = country_of or {}

    def vendor_screen(vendor_id: str) -> bool:
        if vendor_id in assumption.organisations:
            return True
        if countries.get(vendor_id) in assumption.countries:
            return True
        return bool(screen and screen(vendor_id))

    return ExposureScorer(base.severity, base.jurisdictions, base.alternatives,
                          today=base._today, vendor_screen=vendor_screen)


def run_scenario(report: Report, assumption: Assumption, scorer: Scorer,
                 project_path: str | None = None) -> tuple[ScenarioProject, list[ScenarioModel]]:
    """``report``'s project under the assumed listing: its outcome and the models it changes."""
    policy = report.project.policy
    after: list[ModelAssessment] = []
    changed: list[ScenarioModel] = []
    for assessment in report.models:
        extra = assumed_matches(assessment.resolution, assumption)
        if not extra:
            after.append(assessment)
            continue
        kept = tuple(m for m in assessment.matches if m.entity.source != SOURCE)
        new = scorer.assess(assessment.resolution, (*kept, *extra), policy)
        after.append(new)
        changed.append(ScenarioModel(
            project=report.project.name, model=assessment.resolution.ref.id,
            usage=assessment.resolution.ref.usage, before=assessment.level, after=new.level,
            via=_via(new), alternatives=new.alternatives))
    project_findings = scorer.project_findings(after, policy)
    level = max([a.level for a in after] + [f.level for f in project_findings],
                default=report.level)
    failed = _failed(level, after, report)
    outcome = ScenarioProject(
        project=report.project.name, path=project_path or report.project.path,
        before=report.level, after=level,
        failed_before=report.failed, failed_after=failed or report.failed,
        fail_on=policy.fail_on, models=len(report.models))
    return outcome, changed


def _failed(level: Level, assessments: Sequence[ModelAssessment], report: Report) -> bool:
    policy = report.project.policy
    if policy.fail_on != Level.NONE and level >= policy.fail_on:
        return True
    return policy.fail_on_unresolved and any(
        a.resolution.status == "unresolved" for a in assessments)


def _via(assessment: ModelAssessment) -> tuple[str, ...]:
    """How the assumed listing reaches the model, one phrase per path, most direct first."""
    names = {p.organisation.id: p for p in assessment.resolution.parties}
    if assessment.resolution.serving is not None:
        serving = assessment.resolution.serving.organisation
        names.setdefault(serving.id, None)  # type: ignore[arg-type]
    paths: dict[str, None] = {}
    for finding in assessment.findings:
        match = finding.match
        if match is None or match.entity.source != SOURCE:
            continue
        role = _VIA.get(finding.kind, finding.kind)
        party = names.get(finding.party_id or "")
        if party is not None and role != "ownership rule":
            role = _ROLE_WORDS.get(party.role, role)
        name = party.organisation.name if party is not None else match.entity.name
        if role == "upstream" and party is not None and party.upstream_model:
            text = f"upstream {name} ({party.relation} of {party.upstream_model})"
        elif role == "ownership rule":
            owned = (f"{_ROLE_WORDS.get(party.role, party.role)} {name}" if party is not None
                     else name)
            text = f"ownership rule: {owned} owned by {match.entity.name}"
        else:
            text = f"{role} {name}"
        paths.setdefault(text, None)
    return tuple(paths)
