"""Countries and territories: codes, names and every other way they are written, from one table.

The knowledge is data, ``lists/territories.yaml``: per ISO 3166-1 alpha-2 code (plus XK, the
user-assigned code for Kosovo most lists use), an English short name, the alpha-3 code and the
other names (ISO formal forms, the official lists' spellings such as OFAC "Korea, North",
common variants, names in other scripts). This module is its only reader; list parsers, the
vendor registry, ``--country`` options, the name matcher and reports all ask it.

Look-ups fold case, accents, punctuation and a leading "the", so "RUSSIAN FEDERATION" and
"Russian Federation" agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from riskcheck.data import lists_dir, read_yaml
from riskcheck.errors import DataError

_FIX = "fix lists/territories.yaml or reinstall riskcheck"
_SEPARATORS = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Territory:
    """One country or territory."""

    code: str
    """ISO 3166-1 alpha-2 (or XK)."""
    name: str
    """English short name, as reports print it."""
    alpha3: str | None
    names: tuple[str, ...]
    """Every other name it is written with (any script)."""
    user_assigned: bool = False
    """True for a code outside ISO 3166-1 (XK)."""


def fold(name: str) -> str:
    """The look-up key of a name: case, accents, punctuation and a leading "the" ignored."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name.casefold())
                    if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", plain).strip().removeprefix("the ")


@cache
def _load() -> tuple[dict[str, Territory], dict[str, str], dict[str, str]]:
    """(code -> territory, folded name -> code, alpha-3 -> code), checked, read once."""
    path = lists_dir() / "territories.yaml"
    data = read_yaml(path, hint=_FIX)
    table = data.get("territories") if isinstance(data, dict) else None
    if not isinstance(table, dict) or not table:
        raise DataError(f"{path}: must have a mapping 'territories'", hint=_FIX)
    by_code: dict[str, Territory] = {}
    by_name: dict[str, str] = {}
    by_alpha3: dict[str, str] = {}
    for code, entry in table.items():
        where = f"{path}: territories.{code}"
        if not (isinstance(code, str) and len(code) == 2 and code.isascii() and code.isupper()
                and isinstance(entry, dict) and isinstance(entry.get("name"), str)
                and entry["name"].strip()):
            raise DataError(f"{where}: needs an alpha-2 code and a name", hint=_FIX)
        names = entry.get("names", [])
        alpha3 = entry.get("alpha3")
        if not (isinstance(names, list) and all(isinstance(n, str) and n.strip() for n in names)
                and (alpha3 is None or (isinstance(alpha3, str) and len(alpha3) == 3))):
            raise DataError(f"{where}: names must be a list of names, alpha3 three letters",
                            hint=_FIX)
        territory = Territory(code, entry["name"], alpha3, tuple(names),
                              bool(entry.get("user_assigned", False)))
        by_code[code] = territory
        if alpha3:
            by_alpha3[alpha3] = code
        for name in (territory.name, *territory.names):
            key = fold(name)
            if by_name.get(key, code) != code:
                raise DataError(f"{where}: the name {name!r} is also {by_name[key]}'s; a name "
                                "belongs to one territory", hint=_FIX)
            by_name[key] = code
    return by_code, by_name, by_alpha3


def get(code: str | None) -> Territory | None:
    """The territory of an alpha-2 code (any case), or None."""
    return _load()[0].get(code.strip().upper()) if code else None


def name(code: str | None) -> str | None:
    """The English short name of an alpha-2 code, or None when unknown."""
    territory = get(code)
    return territory.name if territory else None


def label(code: str | None) -> str:
    """``China (CN)`` for a known code, the code itself otherwise."""
    territory = get(code)
    return f"{territory.name} ({territory.code})" if territory else (code or "")


def iso_codes() -> dict[str, str]:
    """Every ISO 3166-1 alpha-2 code with its English short name (XK, user-assigned, left out)."""
    return {code: t.name for code, t in _load()[0].items() if not t.user_assigned}


def all_names() -> dict[str, tuple[str, ...]]:
    """Per code, its short name and every other name (for finding country words in names)."""
    return {code: (t.name, *t.names) for code, t in _load()[0].items()}


@lru_cache(maxsize=4096)
def code_of(text: str | None) -> str | None:
    """The alpha-2 code of a country written as a name, an alpha-2 or an alpha-3 code; else None.

    Codes are recognised in upper case only as lists print them ("CN", "CHN"); a two- or
    three-letter word in lower case is read as a name ("Chad", not "CHA").
    """
    if not text:
        return None
    value = text.strip()
    if not value or value in ("00", "-0-"):
        return None
    by_code, by_name, by_alpha3 = _load()
    if len(value) == 2 and value.isalpha() and value.isupper():
        return value if value in by_code else None
    if len(value) == 3 and value.isalpha() and value.isupper() and value in by_alpha3:
        return by_alpha3[value]
    return by_name.get(fold(value))


def user_code(text: str | None) -> str | None:
    """A country a person typed (``--country``, a names file): a code in any case or a name."""
    if not text or not text.strip():
        return None
    value = text.strip()
    return code_of(value) or (code_of(value.upper()) if len(value) in (2, 3) else None)
