"""The check pipeline: project -> resolve -> screen -> score -> Report. Never prints."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone

from riskcheck import __version__
from riskcheck.lists.interface import EntitySet
from riskcheck.match.interface import Screener
from riskcheck.model import Finding, Level, ModelRef, Project, Report, RunMetadata
from riskcheck.resolution.interface import Resolver
from riskcheck.score.interface import Scorer


def run_check(
    project: Project,
    *,
    resolver: Resolver,
    screener: Screener,
    scorer: Scorer,
    entity_set: EntitySet,
    warnings: tuple[str, ...] = (),
    undeclared: tuple[ModelRef, ...] = (),
    fail_on_undeclared: bool = False,
) -> Report:
    """Resolve, screen and score every model of ``project`` under its policy.

    ``undeclared`` are models found in the code but missing from the manifest: they are
    screened like declared ones (a listed vendor in the code matters either way) and each
    gets a project finding; ``fail_on_undeclared`` makes any of them fail the run.
    """
    started = time.perf_counter()
    started_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    policy = project.policy

    assessments = []
    for resolution in resolver.resolve_all((*project.models, *undeclared)):
        matches = screener.screen(resolution)
        assessments.append(scorer.assess(resolution, matches, policy))
    project_findings = list(scorer.project_findings(assessments, policy))
    for ref in undeclared:
        where = f" ({ref.location.path}:{ref.location.line})" if ref.location else ""
        project_findings.append(Finding(
            kind="undeclared-model",
            level=Level.LOW,
            summary=f"{ref.id} is used in the code{where} but not declared in the manifest",
            details=("add it to riskcheck.yaml, or remove it from the code",),
        ))

    levels = [a.level for a in assessments] + [f.level for f in project_findings]
    level = max(levels, default=Level.NONE)
    score = max((a.score for a in assessments), default=0.0)
    notes = list(warnings) + list(resolver.run_warnings())
    stale = [v.source for v in entity_set.versions if v.stale]
    if stale:
        notes.append("stale lists: " + ", ".join(sorted(stale)))
    failed = policy.fail_on != Level.NONE and level >= policy.fail_on
    if fail_on_undeclared and undeclared:
        failed = True
    if policy.fail_on_unresolved and any(
        a.resolution.status == "unresolved" for a in assessments
    ):
        failed = True

    metadata = RunMetadata(
        tool_version=__version__,
        started_at=started_at,
        duration_ms=int((time.perf_counter() - started) * 1000),
        run_id=uuid.uuid4().hex[:12],
    )
    return Report(
        project=project,
        models=tuple(assessments),
        list_versions=entity_set.versions,
        level=level,
        score=score,
        failed=failed,
        bundled_data=entity_set.bundled,
        warnings=tuple(notes),
        project_findings=tuple(project_findings),
        metadata=metadata,
        undeclared=tuple(undeclared),
        coverage=entity_set.coverage,
    )
