"""Country names and ISO 3166 codes, for lists that print countries as names or alpha-3.

The knowledge is data: ``lists/countries.yaml`` (ISO alpha-2 -> English short name) and
``lists/country_names.yaml`` (alpha-3 codes, further ISO names, and the spellings the official
lists use, such as OFAC "Korea, North" or UN "Iran (Islamic Republic of)"). Kosovo uses the
user-assigned code XK, as most lists do. Look-ups are by a folded key (case, accents,
punctuation and a leading "the" ignored), so "RUSSIAN FEDERATION" and "Russian Federation" agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

from riskcheck.data import lists_dir, read_yaml
from riskcheck.errors import DataError

_FOLD = re.compile(r"[^0-9a-z]+")


def _fold(name: str) -> str:
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name.casefold())
                    if not unicodedata.combining(ch))
    key = _FOLD.sub(" ", plain).strip()
    return key.removeprefix("the ")


def _names(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(n, str) and n.strip() for n in value):
        raise DataError(f"{where}: must be a list of non-empty names",
                        hint="fix lists/country_names.yaml or reinstall riskcheck")
    return value


@cache
def _tables() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """(folded name -> alpha-2, alpha-3 -> alpha-2, known alpha-2), read once from the lists."""
    folder = lists_dir()
    official = read_yaml(folder / "countries.yaml")
    path = folder / "country_names.yaml"
    data = read_yaml(path)
    if not (isinstance(official, dict) and isinstance(data, dict)
            and isinstance(data.get("iso"), dict) and isinstance(data.get("spellings"), dict)):
        raise DataError(f"{path}: must have the mappings 'iso' and 'spellings'",
                        hint="reinstall riskcheck")
    by_name: dict[str, str] = {}
    by_alpha3: dict[str, str] = {}
    for alpha2, entry in data["iso"].items():
        where = f"{path}: iso.{alpha2}"
        if not (isinstance(entry, dict) and isinstance(entry.get("alpha3"), str)
                and alpha2 in official):
            raise DataError(f"{where}: needs alpha3 and a name in countries.yaml",
                            hint="fix lists/country_names.yaml or reinstall riskcheck")
        by_alpha3[entry["alpha3"]] = alpha2
        # ISO names may clash (e.g. shortened forms): the first code keeps the spelling.
        for name in (official[alpha2], *_names(entry.get("names", []), f"{where}.names")):
            by_name.setdefault(_fold(name), alpha2)
    for alpha2, names in data["spellings"].items():
        # The lists' own spellings are deliberate, so they override ISO clashes.
        for name in _names(names, f"{path}: spellings.{alpha2}"):
            by_name[_fold(name)] = alpha2
    return by_name, by_alpha3, frozenset(by_alpha3.values()) | {"XK"}


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """ISO alpha-2 code for a country written as a name, alpha-2 or alpha-3 code; else None."""
    if not text:
        return None
    value = text.strip()
    if not value or value in ("00", "-0-"):
        return None
    by_name, by_alpha3, alpha2 = _tables()
    if len(value) == 2 and value.isalpha() and value.isupper():
        return value if value in alpha2 else None
    if len(value) == 3 and value.isalpha() and value.isupper() and value in by_alpha3:
        return by_alpha3[value]
    return by_name.get(_fold(value))
