"""Parse the ``exceptions:`` list: dated approvals of one listed entity for one model.

Each exception is scoped to a model AND a listed entity (by list record ``source`` +
``source_id``, or by listed ``name``) AND the list codes it covers, so it can never hide a
match on another entity or on a list added later. Whether it is in force is decided at scoring
time (riskcheck.score.exceptions), against an injectable "today".
"""

from __future__ import annotations

from typing import Any

from riskcheck.model import Level, PolicyException, SourceLocation
from riskcheck.project import policy_values as v
from riskcheck.yamlio import Locator, PathKey

EXCEPTION_KEYS = ("id", "model", "list", "lists", "source", "source_id", "name", "reason",
                  "approver", "created", "expires", "level")
REQUIRED = ("id", "model", "reason", "approver", "created", "expires")


def parse_exceptions(data: Any, locator: Locator, where: PathKey = ("exceptions",), *,
                     known: tuple[str, ...] = ()) -> tuple[PolicyException, ...]:
    """Every exception of an ``exceptions:`` list; ids must be unique (also against ``known``)."""
    if data is None:
        return ()
    if not isinstance(data, list):
        raise locator.error("exceptions must be a list", where,
                            hint="write '- id: EX-1' items under 'exceptions:'")
    seen = set(known)
    result = []
    for index, item in enumerate(data):
        exception = _one(item, locator, (*where, index))
        if exception.id in seen:
            raise locator.error(f"duplicate exception id {exception.id!r}", (*where, index, "id"),
                                hint="give every exception its own id")
        seen.add(exception.id)
        result.append(exception)
    return tuple(result)


def _one(item: Any, loc: Locator, where: PathKey) -> PolicyException:
    if not isinstance(item, dict):
        raise loc.error("an exception must be a mapping", where,
                        hint="with id, model, list, name or source_id, reason, approver, "
                             "created, expires")
    block = v.mapping(item, loc, where, EXCEPTION_KEYS)
    for key in REQUIRED:
        if key not in block:
            raise loc.error(f"exception is missing {key!r}", where,
                            hint="required: " + ", ".join(REQUIRED))
    fields = {key: v.text(block[key], loc, (*where, key)) for key in ("id", "model", "reason",
                                                                      "approver")}
    lists = _lists(block, loc, where)
    source = v.text(block["source"], loc, (*where, "source")) if "source" in block else None
    source_id = (v.text(block["source_id"], loc, (*where, "source_id"))
                 if "source_id" in block else None)
    name = v.text(block["name"], loc, (*where, "name")) if "name" in block else None
    if source_id is None and name is None:
        raise loc.error("exception must name the listed entity", where,
                        hint="add 'source' + 'source_id' of the list record, or its listed 'name'")
    if source_id is not None and source is None:
        raise loc.error("source_id needs the list source too", (*where, "source_id"),
                        hint="add e.g. 'source: us_csl'")
    created = v.iso_date(block["created"], loc, (*where, "created"))
    expires = v.iso_date(block["expires"], loc, (*where, "expires"))
    if expires < created:
        raise loc.error(f"exception expires ({expires}) before it was created ({created})",
                        (*where, "expires"))
    level = None
    if "level" in block:
        level = v.level(block["level"], loc, (*where, "level"))
        if level > Level.LOW:
            raise loc.error("an exception lowers a finding to none or low", (*where, "level"))
    line, column = loc.position(where)
    location = SourceLocation(path=loc.path, line=line, column=column or 1) if line else None
    return PolicyException(lists=lists, source=source, source_id=source_id, name=name,
                           created=created, expires=expires, level=level, location=location,
                           **fields)


def _lists(block: dict[Any, Any], loc: Locator, where: PathKey) -> tuple[str, ...]:
    if "list" in block and "lists" in block:
        raise loc.error("write either 'list' or 'lists', not both", (*where, "lists"), key=True)
    key = "list" if "list" in block else "lists"
    if key not in block:
        raise loc.error("exception must say which list(s) it covers", where,
                        hint="add e.g. 'list: 1260H'; a listing on any other list stays a finding")
    items = v.sequence(block[key], loc, (*where, key))
    if not items:
        raise loc.error("exception must cover at least one list", (*where, key))
    codes = {v.list_code(code, loc, (*where, key, i) if key == "lists" else (*where, key)): None
             for i, code in enumerate(items)}
    return tuple(sorted(codes))
