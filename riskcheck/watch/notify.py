"""Delivering watch results: a JSON webhook (with retries) and a Markdown summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskcheck.errors import DataError
from riskcheck.redact import redact_webhook
from riskcheck.model import Level
from riskcheck.watch.changes import WatchDiff

WEBHOOK_TIMEOUT = (5.0, 20.0)


@dataclass(frozen=True)
class UpdateFailure:
    """A list that a watch run could not bring up to date."""

    source: str
    title: str
    message: str
    required: bool


def payload(project: str, run_at: str, diff: WatchDiff, threshold: Level,
            update_failures: tuple[UpdateFailure, ...] = ()) -> dict[str, Any]:
    """The webhook body (versioned, stable keys)."""
    alerts = diff.alerts(threshold)
    return {
        "schema_version": "1.0",
        "event": "riskcheck.watch",
        "project": project,
        "run_at": run_at,
        "first_run": diff.first_run,
        "alert": bool(alerts),
        "threshold": threshold.label,
        "changes": [
            {"kind": c.kind, "model": c.model, "level": c.level.label, "summary": c.summary}
            for c in diff.changes
        ],
        # Lists that could not be brought up to date: the run screened older (or no) data.
        "update_failures": [
            {"source": f.source, "title": f.title, "required": f.required, "message": f.message}
            for f in update_failures
        ],
    }


def post_webhook(url: str, body: dict[str, Any]) -> None:
    """POST ``body`` as JSON; retried with backoff on connection errors and 5xx/429."""
    import requests

    from riskcheck.http import session as http_session

    session = http_session(purpose="watch", retries=3, read_retries=2, backoff_factor=0.5,
                           methods=frozenset({"POST"}))
    try:
        # Never follow a redirect: requests would re-send a POST answered 301/302 as a GET
        # without the body, and the alert would count as delivered while nobody received it.
        response = session.post(url, json=body, timeout=WEBHOOK_TIMEOUT, allow_redirects=False)
    except requests.RequestException as exc:
        raise DataError(f"webhook {redact_webhook(url)} failed: {type(exc).__name__}",
                        hint="check the URL and network; the previous watch state is kept, "
                             "so the next run reports these changes again") from None
    finally:
        session.close()
    if 300 <= response.status_code < 400:
        raise DataError(f"webhook {redact_webhook(url)} answered HTTP {response.status_code} "
                        "(a redirect, not a delivery)",
                        hint="set the webhook to the final URL; the previous watch state is "
                             "kept, so the next run reports these changes again")
    if response.status_code >= 300:
        raise DataError(f"webhook {redact_webhook(url)} answered HTTP {response.status_code}",
                        hint="the previous watch state is kept, so the next run reports "
                             "these changes again")


def markdown_summary(project: str, run_at: str, diff: WatchDiff, threshold: Level,
                     update_failures: tuple[UpdateFailure, ...] = ()) -> str:
    """A short Markdown summary of what changed, for a job summary or a chat message."""
    alerts = diff.alerts(threshold)
    head = "ALERT" if alerts else "no new exposure"
    from riskcheck.formats.markdown import code, esc

    lines = [f"## riskcheck watch: {esc(project)} ({head})", "",
             f"Run at {run_at}; threshold `{threshold.label}`."]
    if diff.first_run:
        lines.append("First watch run: every current match is reported as new.")
    for failure in update_failures:
        lines.append(f"List update failed: {failure.source}"
                     f"{' (required)' if failure.required else ''}: {failure.message}")
    if not diff.changes:
        lines += ["", "No changes since the previous run."]
    else:
        lines += ["", "| change | model | level | summary |", "|---|---|---|---|"]
        for change in diff.changes:
            model = code(change.model) if change.model else ""
            lines.append(f"| {esc(change.kind)} | {model} | {change.level.label} | "
                         f"{esc(change.summary)} |")
    return "\n".join(lines) + "\n"
