"""Progress reporting for library code, which never imports rich or prints.

Library code takes a :class:`Progress` and calls ``start``/``advance``/``finish``; the CLI
passes an adapter over a rich progress bar on a terminal, and :data:`NULL_PROGRESS` otherwise.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives progress of long work (downloads, parsing, scans)."""

    def start(self, key: str, description: str, total: float | None = None) -> None:
        """A unit of work begins; ``total`` in bytes or items when known."""

    def advance(self, key: str, amount: float) -> None:
        """``amount`` more bytes or items are done."""

    def finish(self, key: str) -> None:
        """The unit of work ended (successfully or not)."""


class NullProgress:
    """Discards progress: the default for library calls, tests and CI."""

    def start(self, key: str, description: str, total: float | None = None) -> None:
        """Ignore."""

    def advance(self, key: str, amount: float) -> None:
        """Ignore."""

    def finish(self, key: str) -> None:
        """Ignore."""


NULL_PROGRESS = NullProgress()


class RichProgressAdapter:
    """Feeds a ``rich.progress.Progress`` (created by the CLI) from library callbacks."""

    def __init__(self, bar: object) -> None:
        self._bar = bar
        self._tasks: dict[str, object] = {}

    def start(self, key: str, description: str, total: float | None = None) -> None:
        """Add a task line to the bar."""
        self._tasks[key] = self._bar.add_task(description, total=total)  # type: ignore[attr-defined]

    def advance(self, key: str, amount: float) -> None:
        """Advance the task's line."""
        task = self._tasks.get(key)
        if task is not None:
            self._bar.advance(task, amount)  # type: ignore[attr-defined]

    def finish(self, key: str) -> None:
        """Remove the task's line."""
        task = self._tasks.pop(key, None)
        if task is not None:
            self._bar.remove_task(task)  # type: ignore[attr-defined]
