"""The check pipeline: project -> resolve -> screen -> score -> Report. Never prints."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone

from riskcheck import __version__
from riskcheck.lists.interface import EntitySet
from riskcheck.match.interface import Screener
from riskcheck.model import Level, Project, Report, RunMetadata
from riskcheck.resolve.interface import Resolver
from riskcheck.score.interface import Scorer


def run_check(
    project: Project,
    *,
    resolver: Resolver,
    screener: Screener,
    scorer: Scorer,
    entity_set: EntitySet,
    warnings: tuple[str, ...] = (),
) -> Report:
    """Resolve, screen and score every model of ``project`` under its policy."""
    started = time.perf_counter()
    started_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    policy = project.policy

    assessments = []
    for resolution in resolver.resolve_all(project.models):
        matches = screener.screen(resolution)
        assessments.append(scorer.assess(resolution, matches, policy))
    project_findings = scorer.project_findings(assessments, policy)

    levels = [a.level for a in assessments] + [f.level for f in project_findings]
    level = max(levels, default=Level.NONE)
    score = max((a.score for a in assessments), default=0.0)
    notes = list(warnings)
    stale = [v.source for v in entity_set.versions if v.stale]
    if stale:
        notes.append("stale lists: " + ", ".join(sorted(stale)))
    failed = policy.fail_on != Level.NONE and level >= policy.fail_on
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
    )
