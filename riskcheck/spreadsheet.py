"""CSV cells a spreadsheet will not run.

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return, or one of these
after blanks, or the full-width ``＝``) is read by spreadsheet programs as a formula:
``=HYPERLINK(...)`` in a listed name or a screened supplier name would become a live link or
worse. Every CSV riskcheck writes passes each cell through :func:`defuse`, which prefixes such
a cell with ``'``; the value is otherwise unchanged.
"""

from __future__ import annotations

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def defuse(value: object) -> str:
    """Text of a cell, prefixed with ``'`` when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.lstrip(" ").startswith(_FORMULA_STARTS) else text
