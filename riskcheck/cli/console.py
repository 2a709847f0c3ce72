"""The only place that makes rich consoles: data to stdout, messages and progress to stderr.

Progress bars show only on an interactive terminal and never in CI, so logs stay clean.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

_state = {"no_color": False, "quiet": False}


def configure(*, no_color: bool = False, quiet: bool = False) -> None:
    """Apply the global ``--no-color`` / ``--quiet`` options."""
    _state["no_color"] = no_color or bool(os.environ.get("NO_COLOR"))
    _state["quiet"] = quiet
    _replace_surrogates_when_written()


def _replace_surrogates_when_written() -> None:
    """A file name that is not UTF-8 prints with U+FFFD, never as invalid bytes or an error.

    Python's standard streams either refuse lone surrogates (UnicodeEncodeError) or write
    them back as the raw bytes (invalid UTF-8); see :mod:`riskcheck.encoding`.
    """
    from riskcheck.encoding import REPLACE_SURROGATES

    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            reconfigure(errors=REPLACE_SURROGATES)
        except (AttributeError, ValueError, OSError):
            pass  # a replaced or closed stream (test runners): nothing to configure


def color_enabled() -> bool:
    """Whether output may carry colour (``--no-color`` and ``NO_COLOR`` turn it off)."""
    return not (_state["no_color"] or os.environ.get("NO_COLOR"))


def interactive() -> bool:
    """True on a real terminal outside CI: the only case where progress bars are drawn."""
    return sys.stderr.isatty() and not os.environ.get("CI") and not _state["quiet"]


def stdout_console(width: int | None = None) -> Console:
    """A console for report data on stdout (plain text when stdout is not a terminal)."""
    from rich.console import Console

    return Console(
        file=sys.stdout,
        no_color=not color_enabled(),
        highlight=False,
        emoji=False,
        markup=False,  # listed names and ids may hold '[link=...]' or '[/]': never markup
        soft_wrap=False,
        width=width,
    )


def stderr_console() -> Console:
    """A console for messages and progress on stderr."""
    from rich.console import Console

    return Console(file=sys.stderr, no_color=not color_enabled(), highlight=False, emoji=False,
                   markup=False)


def safe(value: object) -> str:
    """A data value as terminal text: controls removed, one line (see :mod:`riskcheck.terminal`)."""
    from riskcheck.terminal import terminal_safe

    return terminal_safe(str(value), one_line=True)


def error(message: str) -> None:
    """Print a one-line error to stderr."""
    sys.stderr.write(f"riskcheck: error: {safe(message)}\n")


def warning(message: str) -> None:
    """Print a one-line warning to stderr (suppressed by ``--quiet``)."""
    if not _state["quiet"]:
        sys.stderr.write(f"riskcheck: warning: {safe(message)}\n")


def info(message: str) -> None:
    """Print a one-line note to stderr (suppressed by ``--quiet``)."""
    if not _state["quiet"]:
        sys.stderr.write(f"riskcheck: {safe(message)}\n")


@contextmanager
def progress_bar(unit: str = "bytes") -> Iterator[Progress | None]:
    """A rich progress bar on an interactive terminal, ``None`` otherwise.

    Library code reports through :mod:`riskcheck.progress`; callers attach this bar to it.
    ``unit`` is ``bytes`` (downloads, files) or ``items`` (counted as "done/total").
    """
    if not interactive():
        yield None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn() if unit == "items" else DownloadColumn(),
        TimeRemainingColumn(),
        console=stderr_console(),
        transient=True,
    ) as bar:
        yield bar
