"""Loads the matching knowledge kept as YAML data under ``lists/matching/``.

Legal forms, symbols, stopwords, locations and the transliteration table are data, not
code, so they can be reviewed and extended without touching the matcher. Raw tables are
returned here; :mod:`riskcheck.match.tokens` normalises their spellings.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from riskcheck.data import lists_dir, read_yaml
from riskcheck.errors import DataError


def matching_data_dir() -> Path:
    """The folder holding the matching tables (installed wheel or source checkout)."""
    return lists_dir() / "matching"


@cache
def load_table(name: str) -> dict[str, Any]:
    """Parse ``lists/matching/<name>.yaml`` (cached for the life of the process, and as JSON
    between runs: the tables are read at every start-up)."""
    path = matching_data_dir() / f"{name}.yaml"
    data = read_yaml(path, hint="reinstall riskcheck")
    if not isinstance(data, dict):
        raise DataError(f"matching table {path.name} is not a mapping", hint="reinstall riskcheck")
    return data


@cache
def tables_fingerprint() -> str:
    """A digest of every matching table (and whether the pinyin library is installed): names
    analysed under other tables (an upgrade, a local edit) must not be read back from a
    cached index."""
    import hashlib
    from importlib.util import find_spec

    digest = hashlib.sha256()
    from riskcheck.data import lists_dir

    for path in [*sorted(matching_data_dir().glob("*.yaml")), lists_dir() / "territories.yaml"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    # Han names are read in pinyin only where the library is installed (tokens.han_words).
    digest.update(b"pypinyin" if find_spec("pypinyin") is not None else b"no pypinyin")
    return digest.hexdigest()[:24]


def transliteration_table() -> dict[str, str]:
    """Single lower-case letters of Cyrillic, Greek, Armenian, Georgian -> Latin."""
    merged: dict[str, str] = {}
    for script in load_table("transliteration").values():
        for char, latin in script.items():
            merged[str(char)] = str(latin or "")
    return merged


@cache
def spelling_variant_table() -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    """Letter groups (in order) and single letters that transliterations use in each
    other's place, each mapped to one spelling."""
    data = load_table("spelling_variants")
    groups = tuple((str(spelling), str(pair[-1])) for pair in data.get("groups") or ()
                   for spelling in pair[:-1])
    letters = {str(letter): str(cls[0]) for cls in data.get("letters") or () for letter in cls}
    return groups, letters
