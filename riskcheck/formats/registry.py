"""Every output format by name, and the ``--report FORMAT=PATH`` grammar.

The format modules import their heavy libraries (rich, reportlab) inside ``render``, so this
registry is cheap to import.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Any

from riskcheck.errors import InputError
from riskcheck.formats.interface import ReportFormat

FORMATS: dict[str, str] = {
    "table": "riskcheck.formats.table:TableFormat",
    "json": "riskcheck.formats.json_format:JsonFormat",
    "markdown": "riskcheck.formats.markdown:MarkdownFormat",
    "sarif": "riskcheck.formats.sarif:SarifFormat",
    "csv": "riskcheck.formats.csv_format:CsvFormat",
    "pdf": "riskcheck.formats.pdf:PdfFormat",
    "cyclonedx": "riskcheck.formats.cyclonedx:CycloneDxFormat",
}
"""Format name -> ``module:class`` of its renderer, imported only when that format is used
(the PDF module alone costs more start-up time than a whole JSON run)."""

BINARY_FORMATS: frozenset[str] = frozenset({"pdf"})
"""Formats that render ``bytes`` (never written to a terminal); a test checks the classes agree."""

TEXT_FORMATS: tuple[str, ...] = tuple(name for name in FORMATS if name not in BINARY_FORMATS)
"""Formats that render ``str``."""

EXTENSIONS: dict[str, str] = {
    "table": ".txt", "json": ".json", "markdown": ".md", "sarif": ".sarif", "csv": ".csv",
    "pdf": ".pdf", "cyclonedx": ".cdx.json",
}
"""Usual file extension of each format."""


def _unknown(name: str) -> InputError:
    return InputError(f"unknown format {name!r} (choose one of: {', '.join(FORMATS)})")


def format_class(name: str) -> type[ReportFormat]:
    """The renderer class registered under ``name`` (case-insensitive)."""
    key = name.strip().lower()
    if key not in FORMATS:
        raise _unknown(name)
    module, _, attribute = FORMATS[key].partition(":")
    return getattr(importlib.import_module(module), attribute)  # type: ignore[no-any-return]


def get_format(name: str, **options: Any) -> ReportFormat:
    """A renderer for ``name``; ``options`` go to the constructor when it accepts them.

    Only the table takes options today (``color``, ``width``); others ignore them.
    """
    cls = format_class(name)
    accepted = inspect.signature(cls).parameters
    return cls(**{k: v for k, v in options.items() if k in accepted})


def is_binary(name: str) -> bool:
    """True for formats that render bytes (PDF)."""
    key = name.strip().lower()
    if key not in FORMATS:
        raise _unknown(name)
    return key in BINARY_FORMATS


def parse_report_specs(specs: list[str]) -> list[tuple[str, Path]]:
    """Parse repeated ``--report FORMAT=PATH`` values into ``(format, path)`` pairs.

    The same path twice is refused: the second report would silently overwrite the first.
    """
    parsed: list[tuple[str, Path]] = []
    seen: dict[Path, str] = {}
    for spec in specs:
        name, sep, target = spec.partition("=")
        name, target = name.strip().lower(), target.strip()
        if not sep or not name or not target:
            raise InputError(f"bad --report value {spec!r}",
                             hint="write FORMAT=PATH, e.g. --report sarif=riskcheck.sarif")
        if name not in FORMATS:
            raise InputError(f"bad --report value {spec!r}: unknown format {name!r} "
                             f"(choose one of: {', '.join(FORMATS)})")
        if target == "-":
            raise InputError(f"bad --report value {spec!r}: a report needs a file path",
                             hint="use --format/--output for stdout")
        path = Path(target)
        if path in seen:
            raise InputError(f"--report {spec!r} writes the same file as --report "
                             f"{seen[path]}={target}", hint="give each report its own path")
        seen[path] = name
        parsed.append((name, path))
    return parsed
