"""Loads the matching knowledge kept as YAML data under ``lists/matching/``.

Legal forms, symbols, stopwords, locations and the transliteration table are data, not
code, so they can be reviewed and extended without touching the matcher. Raw tables are
returned here; :mod:`riskcheck.match.tokens` normalises their spellings.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from riskcheck.data import lists_dir
from riskcheck.errors import DataError


def matching_data_dir() -> Path:
    """The folder holding the matching tables (installed wheel or source checkout)."""
    return lists_dir() / "matching"


@cache
def load_table(name: str) -> dict[str, Any]:
    """Parse ``lists/matching/<name>.yaml`` (cached for the life of the process)."""
    path = matching_data_dir() / f"{name}.yaml"
    try:
        with path.open(encoding="utf-8") as handle:
            # The C loader when present: the tables are read at every start-up.
            data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"cannot read matching table {path.name}: {exc}",
                        hint="reinstall riskcheck") from None
    if not isinstance(data, dict):
        raise DataError(f"matching table {path.name} is not a mapping", hint="reinstall riskcheck")
    return data


def transliteration_table() -> dict[str, str]:
    """Single lower-case letters of Cyrillic, Greek, Armenian, Georgian -> Latin."""
    merged: dict[str, str] = {}
    for script in load_table("transliteration").values():
        for char, latin in script.items():
            merged[str(char)] = str(latin or "")
    return merged
