"""The watch use case: update the lists, re-screen a project, report what changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from riskcheck.app.check import check
from riskcheck.progress import NULL_PROGRESS, Progress


def watch(manifest: Path, *, data_dir: Path | None = None, offline: bool = False,
          update: bool = True, name: str | None = None, fail_on: str | None = None,
          webhook: str | None = None, summary_path: Path | None = None,
          write_summary: Callable[[str, Path], None] | None = None,
          progress: Progress = NULL_PROGRESS, timeout: float | None = None) -> Any:
    """Run one watch: update the lists (unless ``offline`` or not ``update``), check
    ``manifest`` again, compare with the previous watch state and deliver the changes (webhook,
    summary file). State is saved only after delivery succeeded."""
    from riskcheck.paths import data_dir as resolve_data_dir
    from riskcheck.watch.run import run_watch

    directory = resolve_data_dir(data_dir)

    def check_now() -> Any:
        # watch reports a required list it could not update itself (payload and exit 3).
        return check(manifest, require_coverage=False, fail_on=fail_on, bundled=False,
                     max_list_age=None, data_dir=directory, offline=offline)

    return run_watch(manifest, check_now, data_dir=directory, update=update and not offline,
                     name=name, webhook=webhook, summary_path=summary_path,
                     write_summary=write_summary, progress=progress, timeout=timeout)


__all__ = ["watch"]
