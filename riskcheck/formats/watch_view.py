"""``riskcheck watch`` output: what changed since the previous watch (table or JSON)."""

from __future__ import annotations

import json
from typing import Any

from riskcheck.formats.console import render


def render_watch(result: Any, format_name: str, width: int, *, webhook: str | None) -> str:
    """A :class:`riskcheck.watch.run.WatchResult` in ``format_name``; ``webhook`` is shown
    redacted."""
    from riskcheck.redact import redact_webhook

    if format_name == "json":
        return json.dumps({
            "schema_version": "1.0",
            "project": result.project,
            "run_at": result.run_at,
            "first_run": result.diff.first_run,
            "threshold": result.threshold.label,
            "alert": result.alert,
            "level": result.report.level.label,
            "webhook": redact_webhook(webhook) if webhook else None,
            "update_failures": list(result.update_failures),
            "changes": [{"kind": c.kind, "model": c.model, "level": c.level.label,
                         "summary": c.summary} for c in result.diff.changes],
        }, indent=2, ensure_ascii=False)
    lines = [f"riskcheck watch: {result.project} at {result.run_at} "
             f"(threshold {result.threshold.label}, current level {result.report.level.label})"]
    if result.diff.first_run:
        lines.append("first watch run: every current match is reported as new")
    lines += [f"  {c.kind:<14} {c.level.label:<9} {c.summary}" for c in result.diff.changes]
    if not result.diff.changes:
        lines.append("  no changes since the previous run")
    lines.append("ALERT: new exposure at or above the threshold" if result.alert
                 else "no new exposure at or above the threshold")
    return render(*lines, width=width)
