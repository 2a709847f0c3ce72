"""Exit codes and the error hierarchy every stage raises from.

The CLI catches only :class:`RiskcheckError` and turns it into one line on stderr and the
error's exit code, so each stage's errors subclass one of the two bases below.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    """Nothing reached the fail threshold."""
    FINDINGS = 1
    """At least one finding reached the fail threshold."""
    USAGE = 2
    """Bad command line or bad input file (manifest, policy, names file)."""
    DATA = 3
    """List data missing, stale, corrupt, or a download failed."""


class RiskcheckError(Exception):
    """Base of every error riskcheck reports to the user.

    ``str(error)`` is the whole one-line message: what went wrong, where, and what to do.
    """

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message)

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}; {self.hint}"
        return self.message


class InputError(RiskcheckError):
    """A file the user gave us is unusable. Carries file:line:column when known."""

    exit_code = ExitCode.USAGE

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        super().__init__(message, hint=hint)

    @property
    def location(self) -> str:
        """``file:line:column`` (as much of it as is known); empty when nothing is."""
        if self.path is None and self.line is None:
            return ""
        parts = [self.path or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {super().__str__()}" if where else super().__str__()


class DataError(RiskcheckError):
    """List or registry data is missing, stale, corrupt or could not be fetched."""

    exit_code = ExitCode.DATA
