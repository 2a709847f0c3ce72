"""Watch: re-screen on a schedule and report only what changed since the previous run."""

from riskcheck.watch.changes import Change, WatchDiff, diff_snapshots, snapshot_report
from riskcheck.watch.state import WatchStateStore

__all__ = ["Change", "WatchDiff", "WatchStateStore", "diff_snapshots", "snapshot_report"]
