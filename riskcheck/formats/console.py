"""The one set-up of rich consoles that render command output into text.

Width: the terminal's when the output goes to one (``COLUMNS`` overrides it, as everywhere),
else ``COLUMNS`` when set, else :data:`FILE_WIDTH` for files and pipes, so a CI log or a saved
report does not depend on who ran it. Never markup, emoji or highlighting: listed names and
model ids may hold ``[link=...]`` or ``:smile:``. Identifier columns (model ids, file:line,
list entries) are sized so that an identifier is broken only when it is wider than half the
line.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

FILE_WIDTH = 120
"""Line width for output that does not go to a terminal (files, pipes, CI logs)."""
MIN_WIDTH = 60


def output_width(to_terminal: bool | None = None) -> int:
    """The width command output is laid out for (see the module's docstring)."""
    if to_terminal is None:
        to_terminal = _stdout_is_terminal()
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(int(columns), MIN_WIDTH)
    if to_terminal:
        return max(shutil.get_terminal_size((FILE_WIDTH, 24)).columns, MIN_WIDTH)
    return FILE_WIDTH


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def text_console(width: int | None = None, *, color: bool = False) -> Console:
    """A console that renders into a string (``console.file.getvalue()``)."""
    from rich.console import Console

    return Console(file=io.StringIO(), width=width or output_width(), no_color=not color,
                   color_system="standard" if color else None, force_terminal=color,
                   highlight=False, emoji=False, markup=False, soft_wrap=False)


def table(columns: Sequence[str], rows: Iterable[Sequence[str]], *, width: int,
          identifiers: Iterable[str] = (), title: str | None = None, simple: bool = False,
          lines: bool = False) -> Table:
    """A rich table of plain-text cells (made terminal-safe here). Columns named in
    ``identifiers`` get at least the width of their longest word (up to half the line), so an
    id or a file:line is not broken in the middle while other columns can wrap."""
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table

    from riskcheck.terminal import terminal_safe

    cells = [[terminal_safe(str(cell)) for cell in row] for row in rows]
    made = Table(title=terminal_safe(title, one_line=True) if title else None,
                 title_justify="left", box=box.SIMPLE_HEAD if simple else box.HEAVY_HEAD,
                 show_edge=not simple, pad_edge=not simple, show_lines=lines,
                 header_style="bold")
    wanted = set(identifiers)
    for index, name in enumerate(columns):
        longest = max((cell_len(word) for row in cells if index < len(row)
                       for word in row[index].split()), default=0)
        minimum = min(longest, width // 2) if name in wanted else None
        made.add_column(name, overflow="fold", min_width=minimum)
    for row in cells:
        made.add_row(*row)
    return made


def render(*parts: Any, width: int | None = None) -> str:
    """Tables and lines of text, one after the other, as a string."""
    from riskcheck.terminal import terminal_safe

    console = text_console(width)
    for part in parts:
        if isinstance(part, str):
            console.print(terminal_safe(part), overflow="fold")
        else:
            console.print(part)
    return console.file.getvalue()  # type: ignore[attr-defined]
