"""Text to UTF-8 bytes, the same way in every output.

A file name that is not valid UTF-8 reaches riskcheck as a string with lone surrogates
(Python's surrogate escapes), which UTF-8 cannot encode. Every output (JSON, SARIF, Markdown,
CSV, tables, stdout and stderr) writes U+FFFD, the replacement character, in their place, so
its bytes are always valid UTF-8 and the rest of the name stays readable.
"""

from __future__ import annotations

import codecs

REPLACE_SURROGATES = "riskcheck-replace-surrogates"
"""The codec error handler that writes U+FFFD for every character UTF-8 cannot encode."""


def _replace_surrogates(error: UnicodeError) -> tuple[bytes, int]:
    if isinstance(error, UnicodeEncodeError):
        # Bytes, not "\ufffd": the UTF-8 encoder takes only ASCII text from a handler.
        return "\ufffd".encode() * (error.end - error.start), error.end
    raise error


codecs.register_error(REPLACE_SURROGATES, _replace_surrogates)


def utf8(text: str) -> bytes:
    """``text`` as UTF-8, every lone surrogate replaced by U+FFFD."""
    return text.encode("utf-8", REPLACE_SURROGATES)


def printable(text: str) -> str:
    """``text`` without lone surrogates (each one becomes U+FFFD): safe to encode anywhere."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return utf8(text).decode("utf-8")
    return text
