"""One watch run: update lists, re-screen, compare with the previous run, deliver, save."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from riskcheck.model import Level, Report
from riskcheck.progress import NULL_PROGRESS, Progress
from riskcheck.watch.changes import WatchDiff, diff_snapshots, snapshot_report
from riskcheck.watch.notify import UpdateFailure, markdown_summary, payload, post_webhook
from riskcheck.watch.state import WatchStateStore


@dataclass(frozen=True)
class WatchResult:
    """What a watch run found and delivered."""

    project: str
    run_at: str
    diff: WatchDiff
    threshold: Level
    report: Report
    update_failures: tuple[str, ...]
    failed_sources: tuple[UpdateFailure, ...] = ()
    attempted_updates: int = 0

    @property
    def update_error(self) -> str | None:
        """Why the run must exit 3: every download failed, or a required list failed."""
        required = [f.source for f in self.failed_sources if f.required]
        if required:
            return f"required list update failed: {', '.join(required)}"
        if self.attempted_updates and len(self.failed_sources) == self.attempted_updates:
            return (f"every list update failed ({', '.join(f.source for f in self.failed_sources)});"
                    " screened against older data")
        return None

    @property
    def alert(self) -> bool:
        """True when something new reaches the threshold."""
        return bool(self.diff.alerts(self.threshold))


def watch_key(manifest: Path, name: str | None) -> str:
    """The state key: an explicit name, or the manifest's absolute path."""
    if name:
        return name
    return "manifest:" + hashlib.sha256(str(manifest.resolve()).encode()).hexdigest()[:16]


def run_watch(
    manifest: Path,
    check: Callable[[], Report],
    *,
    data_dir: Path,
    update: bool,
    name: str | None = None,
    webhook: str | None = None,
    summary_path: Path | None = None,
    write_summary: Callable[[str, Path], None] | None = None,
    progress: Progress = NULL_PROGRESS,
    timeout: float | None = None,
) -> WatchResult:
    """Run once. State is saved only after delivery succeeded, so nothing is lost on failure."""
    failures: list[str] = []
    failed_sources: list[UpdateFailure] = []
    attempted = 0
    if update:
        from riskcheck.lists.catalogue import load_catalogue
        from riskcheck.lists.update import update_lists

        catalogue = load_catalogue(data_dir)
        required = {spec.id for spec in catalogue.select(None) if spec.required_for_fresh}
        outcomes = update_lists(data_dir=data_dir, catalogue=catalogue, progress=progress,
                                timeout=timeout)
        attempted = len(outcomes)
        for outcome in outcomes:
            if outcome.failed:
                failures.append(outcome.message)
                failed_sources.append(UpdateFailure(outcome.source, outcome.title,
                                                    outcome.message, outcome.source in required))
    report = check()
    run_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    key = watch_key(manifest, name)
    state = WatchStateStore(data_dir / "store.sqlite")
    try:
        diff = diff_snapshots(state.previous(key), snapshot_report(report))
        result = WatchResult(project=report.project.name, run_at=run_at, diff=diff,
                             threshold=report.project.policy.fail_on, report=report,
                             update_failures=tuple(failures),
                             failed_sources=tuple(failed_sources), attempted_updates=attempted)
        if summary_path is not None and write_summary is not None:
            write_summary(markdown_summary(result.project, run_at, diff, result.threshold,
                                           result.failed_sources), summary_path)
        if webhook and (diff.changes or diff.first_run or failed_sources):
            post_webhook(webhook, payload(result.project, run_at, diff, result.threshold,
                                          result.failed_sources))
        state.save(key, run_at, snapshot_report(report))
    finally:
        state.close()
    return result
