"""Text from data made inert for a terminal.

Model ids, file names, listed names and queries come from pull requests and downloaded files.
On a terminal, ESC starts a control sequence (clear the screen, move the cursor, an OSC 8 link),
other C0 and C1 controls move the cursor, and bidirectional overrides reorder what is shown.
Every data value printed to a terminal passes through :func:`terminal_safe`; riskcheck's own
styles are added afterwards. Rich markup is never interpreted in data: consoles are made with
``markup=False``.
"""

from __future__ import annotations

_DROPPED = {code: None for code in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F,
                                    *range(0x80, 0xA0),
                                    0x200E, 0x200F, *range(0x202A, 0x202F),
                                    *range(0x2066, 0x206A))}
"""Every C0 control but tab and line feed, DEL, every C1 control (CSI 0x9B among them), and the
bidirectional marks, embeddings, overrides and isolates."""

_ONE_LINE = {**_DROPPED, 0x09: " ", 0x0A: " ", 0x2028: " ", 0x2029: " "}


def terminal_safe(text: str, *, one_line: bool = False) -> str:
    """``text`` without control characters; with ``one_line``, line breaks become spaces."""
    return text.translate(_ONE_LINE if one_line else _DROPPED)
