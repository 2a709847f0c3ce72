"""Writing files so that a reader never sees half of one: write beside, then rename.

Every file riskcheck writes (reports, caches, the name index, the store's raw downloads) goes
through :func:`stage` and :func:`write_atomically`; a crash, a full disk or a kill leaves the
old file or the new one, never a truncated mix.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

Writer = Callable[[BinaryIO], None]


def stage(target: Path | str, content: bytes | Writer, *, mode: int | None = None) -> str:
    """Write ``content`` (bytes, or a function writing to a binary handle) to a temporary file
    in ``target``'s folder and return its path; :func:`os.replace` it onto ``target`` to
    commit. ``mode`` sets the permissions the file will have. On error nothing is left behind.
    """
    import tempfile  # here: runs that write nothing never import it

    target = str(target)
    directory = os.path.dirname(target) or "."
    fd, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp",
                                     dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(content, bytes):
                handle.write(content)
            else:
                content(handle)
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def write_atomically(target: Path, content: bytes | str | Writer, *,
                     mode: int | None = None) -> None:
    """Replace ``target`` with ``content`` (text is written as UTF-8) in one rename, creating
    its folder; raises :class:`OSError` (nothing changed) when that cannot be done."""
    if isinstance(content, str):
        content = content.encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = stage(target, content, mode=mode)
    try:
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_cache(target: Path, content: bytes | str | Writer) -> bool:
    """:func:`write_atomically` for caches: a read-only or full cache folder is not an error
    (it only costs the work again next time). True when the file was written."""
    try:
        write_atomically(target, content)
    except (OSError, TypeError, ValueError):
        return False
    return True
