"""riskcheck's own transcriptions of lists published only as PDFs or web pages.

Format ``riskcheck_transcription_yaml`` (``lists/transcriptions/*.yaml``), described in each
file's header: document fields ``list``, ``program``, ``source_page``, ``tranches`` (every
notice or edition with its date, citation and URL) and ``entities``, each with ``name``,
``aliases``, ``previous_names``, ``parent``, ``country`` and ``listings`` (one per tranche that
named it: ``tranche``, ``as_listed``, ``listed_on``, ``removed_on``, ``note``).

An entity is current when one of its listings has no ``removed_on``; otherwise it carries the
latest removal date, so formerly listed companies stay visible as such. Other top-level keys
(e.g. the FCC file's ``covered_categories``, which name product classes, not companies) are
kept for human readers and not turned into entities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from riskcheck.errors import InputError
from riskcheck.lists.interface import ListDataError, ListParser
from riskcheck.lists.parsers._common import dedupe_aliases, fail, iso_date, role_path
from riskcheck.territories import code_of as country_code
from riskcheck.model import Alias, Identifier, ListEntity
from riskcheck.yamlio import Locator, load_yaml, read_text

FORMAT = "riskcheck_transcription_yaml"
_TYPES = ("organisation", "person", "vessel", "aircraft", "unknown")


def _load(path: Path) -> tuple[Any, Locator]:
    try:
        return load_yaml(read_text(path, "transcription"), str(path.name))
    except InputError as exc:
        raise ListDataError(str(exc)) from None
    except yaml.YAMLError as exc:  # raised before parsing starts, e.g. for control characters
        raise fail(path, f"not readable as YAML ({str(exc).splitlines()[0]})",
                   hint="save the file as plain UTF-8 text") from None
    except ValueError as exc:  # PyYAML raises it for impossible dates such as 2024-02-30
        raise fail(path, f"invalid value ({exc})", hint="write dates as YYYY-MM-DD") from None


def _error(locator: Locator, message: str, where: tuple[Any, ...]) -> ListDataError:
    return ListDataError(str(locator.error(message, where,
                                           hint="fix the transcription file")))


def _date(value: Any, locator: Locator, where: tuple[Any, ...], *, required: bool) -> str | None:
    if value is None or value == "":
        if required:
            raise _error(locator, "a date is required here (YYYY-MM-DD)", where)
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    parsed = iso_date(str(value), ("%Y-%m-%d",))
    if parsed is None:
        raise _error(locator, f"{value!r} is not a date (write YYYY-MM-DD)", where)
    return parsed


def _strings(value: Any, locator: Locator, where: tuple[Any, ...]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _error(locator, "expected a list of names", where)
    return value


class TranscriptionParser(ListParser):
    """Parses a riskcheck transcription YAML into entities (current and formerly listed)."""

    def parse(self, files: Mapping[str, Path]) -> Iterator[ListEntity]:
        """Yield one entity per transcribed entity."""
        path = role_path(files, "main", FORMAT)
        data, locator = _load(path)
        if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
            raise fail(path, "not a riskcheck transcription (no 'entities' list)",
                       hint="check lists/transcriptions/ and the format of the source")
        code = str(data.get("list") or "").strip()
        if not code:
            raise _error(locator, "the transcription names no list code ('list:')", ())
        tranches = self._tranches(data, locator)
        program = str(data.get("program") or code)
        for index, item in enumerate(data["entities"]):
            yield self._entity(item, ("entities", index), code, program, tranches, locator,
                               data.get("source_page"))

    def published(self, files: Mapping[str, Path]) -> str | None:
        """The date of the newest tranche transcribed."""
        data, locator = _load(role_path(files, "main", FORMAT))
        if not isinstance(data, dict):
            return None
        dates = [t["date"] for t in self._tranches(data, locator).values() if t["date"]]
        return max(dates) if dates else None

    @staticmethod
    def _tranches(data: dict[str, Any], locator: Locator) -> dict[str, dict[str, Any]]:
        tranches: dict[str, dict[str, Any]] = {}
        for index, item in enumerate(data.get("tranches") or []):
            where = ("tranches", index)
            if not isinstance(item, dict) or not item.get("id"):
                raise _error(locator, "each tranche needs an 'id'", where)
            tranches[str(item["id"])] = {
                "date": _date(item.get("date"), locator, (*where, "date"), required=True),
                "citation": item.get("citation"), "url": item.get("url"),
            }
        return tranches

    def _entity(self, item: Any, where: tuple[Any, ...], code: str, program: str,
                tranches: dict[str, dict[str, Any]], locator: Locator,
                page: str | None) -> ListEntity:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise _error(locator, "each entity needs a 'name'", where)
        name = " ".join(item["name"].split())
        listings = item.get("listings")
        if not isinstance(listings, list) or not listings:
            raise _error(locator, f"{name!r} has no 'listings'", where)
        periods: list[tuple[str, str | None, dict[str, Any], str | None]] = []
        notes: list[str] = []
        for index, listing in enumerate(listings):
            at = (*where, "listings", index)
            if not isinstance(listing, dict):
                raise _error(locator, "a listing must be a mapping", at)
            tranche = str(listing.get("tranche", ""))
            if tranche not in tranches:
                raise _error(locator, f"unknown tranche {tranche!r}", (*at, "tranche"))
            listed = _date(listing.get("listed_on"), locator, (*at, "listed_on"), required=True)
            removed = _date(listing.get("removed_on"), locator, (*at, "removed_on"),
                            required=False)
            periods.append((listed or "", removed, tranches[tranche], listing.get("as_listed")))
            if listing.get("note"):
                notes.append(str(listing["note"]))
        current = any(removed is None for _, removed, _, _ in periods)
        latest = max(periods, key=lambda p: p[0])
        aliases = [Alias(a, "aka") for a in _strings(item.get("aliases"), locator,
                                                     (*where, "aliases"))]
        aliases += [Alias(a, "fka") for a in _strings(item.get("previous_names"), locator,
                                                      (*where, "previous_names"))]
        entity_type = item.get("entity_type", "organisation")
        if entity_type not in _TYPES:
            raise _error(locator, f"entity_type must be one of {', '.join(_TYPES)}",
                         (*where, "entity_type"))
        country = country_code(item.get("country")) if item.get("country") else None
        identifiers = [Identifier("parent", p) for p in _strings(item.get("parent"), locator,
                                                                   (*where, "parent"))]
        history = "; ".join(
            f"listed {listed}" + (f" as {as_listed!r}" if as_listed else "")
            + (f", removed {removed}" if removed else "")
            for listed, removed, _, as_listed in sorted(periods, key=lambda p: p[0]))
        remarks = "; ".join([*([item["remarks"]] if item.get("remarks") else []), *notes,
                             history])
        return ListEntity(
            source=self.source_id,
            source_id=str(item.get("id") or name),
            lists=(code,),
            programs=(program,),
            entity_type=entity_type,
            name=name,
            aliases=dedupe_aliases(name, aliases),
            countries=(country,) if country else (),
            identifiers=tuple(dict.fromkeys(identifiers)),
            listed_on=min(p[0] for p in periods),
            removed_on=None if current else max(p[1] or "" for p in periods),
            remarks=remarks or None,
            citation=latest[2]["citation"],
            url=latest[2]["url"] or page,
        )
