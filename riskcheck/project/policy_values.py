"""Checked conversions of single policy values, each raising a located one-line error.

Used by :mod:`riskcheck.project.policy`; kept apart so the parser reads as a list of keys.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import Any


from riskcheck.data import lists_dir, read_yaml
from riskcheck.model import CRITICALITIES, Level
from riskcheck.yamlio import Locator, PathKey

VENDOR_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
COUNTRY = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
USAGES = ("api", "self-hosted", "unknown")


@functools.cache
def known_lists() -> tuple[str, ...]:
    """List codes that have a severity in ``lists/severity.yaml``."""
    path = lists_dir() / "severity.yaml"
    data = read_yaml(path)
    return tuple(sorted(data["lists"]))


@functools.cache
def known_countries() -> frozenset[str]:
    """Every country code riskcheck knows (``lists/territories.yaml``, XK included)."""
    from riskcheck.territories import all_names

    return frozenset(all_names())


def _name(where: PathKey) -> str:
    """How a message names the value at ``where`` (its key, or the document itself)."""
    return str(where[-1]) if where else "the file"


def level(value: Any, locator: Locator, where: PathKey) -> Level:
    """A level name (none, low, medium, high, critical)."""
    try:
        return Level.parse(str(value))
    except ValueError as exc:
        raise locator.error(str(exc), where) from None


def boolean(value: Any, locator: Locator, where: PathKey) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise locator.error(f"{_name(where)} must be true or false", where)
    return value


def number(value: Any, locator: Locator, where: PathKey, *, low: float = 0.0,
           high: float = 1.0, optional: bool = False) -> float | None:
    """A number within ``[low, high]`` (``null`` allowed when ``optional``)."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise locator.error(f"{_name(where)} must be a number from {low:g} to {high:g}", where)
    if not low <= float(value) <= high:
        raise locator.error(f"{_name(where)} is {value}; it must be from {low:g} to {high:g}",
                            where)
    return float(value)


def whole(value: Any, locator: Locator, where: PathKey, *, low: int = 0,
          optional: bool = False) -> int | None:
    """A whole number >= ``low``."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise locator.error(f"{_name(where)} must be a whole number of at least {low}", where)
    return value


def text(value: Any, locator: Locator, where: PathKey) -> str:
    """A non-empty single-line string."""
    if not isinstance(value, (str, int)) or isinstance(value, bool) or not str(value).strip():
        raise locator.error(f"{_name(where)} must be non-empty text", where)
    result = str(value).strip()
    if "\n" in result:
        raise locator.error(f"{_name(where)} must be a single line", where)
    return result


def mapping(value: Any, locator: Locator, where: PathKey, known: tuple[str, ...] | None = None,
            ) -> dict[Any, Any]:
    """A mapping (``null`` reads as empty); with ``known``, unknown keys are errors."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise locator.error(f"{_name(where)} must be a mapping", where)
    if known is not None:
        for key in value:
            if key not in known:
                raise locator.error(f"unknown key {key!r} in {_name(where)}", (*where, key),
                                    key=True, hint="allowed: " + ", ".join(known))
    return value


def sequence(value: Any, locator: Locator, where: PathKey) -> list[Any]:
    """A list (``null`` reads as empty; a single string as a one-item list)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise locator.error(f"{_name(where)} must be a list", where)
    return value


def vendor_ids(value: Any, locator: Locator, where: PathKey) -> tuple[str, ...]:
    """Registry organisation ids (lower-case kebab-case), without repeats, in given order."""
    result: dict[str, None] = {}
    for index, item in enumerate(sequence(value, locator, where)):
        if not isinstance(item, str) or not VENDOR_ID.match(item):
            raise locator.error(f"{item!r} is not a registry vendor id", (*where, index),
                                hint="use the lower-case vendor registry id, e.g. deepseek")
        result.setdefault(item, None)
    return tuple(result)


def country(value: Any, locator: Locator, where: PathKey) -> str:
    """An ISO 3166-1 alpha-2 code, or an ISO 3166-2 region code such as ``UA-43``."""
    code = str(value).strip().upper() if isinstance(value, str) else ""
    if not COUNTRY.match(code):
        raise locator.error(f"{value!r} is not a country code", where,
                            hint="use ISO 3166-1 alpha-2 (e.g. CN) or a region code (e.g. UA-43)")
    known = known_countries()
    if known and code.split("-")[0] not in known:
        raise locator.error(f"unknown country code {code!r}", where,
                            hint="use an ISO 3166-1 alpha-2 code (lists/territories.yaml)")
    return code


def countries(value: Any, locator: Locator, where: PathKey) -> tuple[str, ...]:
    """A list of country codes, upper-cased, without repeats."""
    result: dict[str, None] = {}
    for index, item in enumerate(sequence(value, locator, where)):
        result.setdefault(country(item, locator, (*where, index)), None)
    return tuple(result)


def list_code(value: Any, locator: Locator, where: PathKey, *, key: bool = False) -> str:
    """A list code with a known severity (SDN, EL, 1260H ...); ``key``: located at the key."""
    code = str(value).strip().upper() if isinstance(value, (str, int)) else ""
    if code not in known_lists():
        raise locator.error(f"unknown list code {value!r}", where, key=key,
                            hint="use one of: " + ", ".join(known_lists()))
    return code


def iso_date(value: Any, locator: Locator, where: PathKey) -> str:
    """An ISO date (YYYY-MM-DD), returned as text."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise locator.error(f"{_name(where)} must be an ISO date (YYYY-MM-DD), not {value!r}",
                            where) from None


def weights(value: Any, locator: Locator, where: PathKey, keys: tuple[str, ...], high: float,
            base: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float], ...]:
    """Weights by key (usage or criticality); keys not given keep ``base``."""
    given = mapping(value, locator, where, keys)
    merged = dict(base)
    for key, item in given.items():
        merged[key] = number(item, locator, (*where, key), high=high)  # type: ignore[assignment]
    return tuple((key, merged[key]) for key in keys if key in merged)


__all__ = [
    "CRITICALITIES", "USAGES", "boolean", "countries", "country", "iso_date", "known_lists",
    "level", "list_code", "mapping", "number", "sequence", "text", "vendor_ids", "weights",
    "whole",
]
