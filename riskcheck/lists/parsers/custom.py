"""User-defined deny lists (banned vendors, internal watch lists): CSV or YAML.

Keys (CSV header cells or YAML mapping keys): ``name`` (required), ``aliases`` (``;``-separated
in CSV, a list in YAML), ``country`` (ISO code or English name; ``;``-separated for several),
``type`` (organisation, person, vessel, aircraft), ``reason``, ``listed_on`` (YYYY-MM-DD) and
``id``. The CSV also accepts OpenSanctions' ``targets.simple.csv`` columns (``countries``,
``schema``, ``sanctions``, ``first_seen``), so that export can be used as a custom list.
Every entity gets the list code CUSTOM; a bad row stops the parse with ``file:line``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from riskcheck.errors import InputError
from riskcheck.lists.interface import ListDataError, ListParser
from riskcheck.lists.parsers._common import (
    csv_rows,
    dedupe_aliases,
    detect_encoding,
    fail,
    iso_date,
    open_text,
    read_head,
    reject_foreign,
    role_path,
    unique,
)
from riskcheck.territories import code_of as country_code
from riskcheck.model import Alias, ListEntity
from riskcheck.yamlio import load_yaml, read_text

_SYNONYMS = {"countries": "country", "schema": "type", "sanctions": "reason",
             "remarks": "reason", "first_seen": "listed_on"}
_KEYS = ("name", "aliases", "country", "type", "reason", "listed_on", "id")
_TYPES = {"organisation": "organisation", "organization": "organisation", "company": "organisation",
          "entity": "organisation", "legalentity": "organisation", "person": "person",
          "individual": "person", "vessel": "vessel", "ship": "vessel", "aircraft": "aircraft",
          "airplane": "aircraft"}
WHAT = "a custom list CSV with a header row (name, aliases, country, type, reason, listed_on, id)"


def _row_error(path: Path, line: int | None, message: str, hint: str) -> ListDataError:
    where = f"{path.name}:{line}" if line else path.name
    return ListDataError(f"{where}: {message}", hint=hint)


def _entity(source: str, values: Mapping[str, Any], path: Path, line: int | None,
            fallback_id: str) -> ListEntity:
    name = " ".join(str(values.get("name") or "").split())
    if not name:
        raise _row_error(path, line, "the name is empty", "fill in the name or delete the entry")
    raw_aliases = values.get("aliases") or []
    if isinstance(raw_aliases, str):
        raw_aliases = raw_aliases.split(";")
    aliases = [Alias(str(a).strip(), "aka") for a in raw_aliases if str(a).strip()]
    raw_countries = values.get("country") or []
    if isinstance(raw_countries, str):
        raw_countries = raw_countries.split(";")
    countries, unknown = [], []
    for text in (str(c).strip() for c in raw_countries if str(c).strip()):
        code = country_code(text.upper() if len(text) == 2 else text)
        (countries if code else unknown).append(code or text)
    type_text = str(values.get("type") or "organisation").strip().lower().replace(" ", "")
    listed = values.get("listed_on")
    if isinstance(listed, dt.date):
        listed_on: str | None = listed.isoformat()[:10]
    elif listed:
        listed_on = iso_date(str(listed)[:10], ("%Y-%m-%d",))
        if listed_on is None:
            raise _row_error(path, line, f"listed_on {listed!r} is not a date",
                             "write dates as YYYY-MM-DD")
    else:
        listed_on = None
    remarks = [str(values["reason"])] if values.get("reason") else []
    if unknown:
        remarks.append("country as written: " + ", ".join(unknown))
    return ListEntity(
        source=source,
        source_id=str(values.get("id") or fallback_id),
        lists=("CUSTOM",),
        entity_type=_TYPES.get(type_text, "unknown"),  # type: ignore[arg-type]
        name=name,
        aliases=dedupe_aliases(name, aliases),
        countries=unique(countries),
        listed_on=listed_on,
        remarks="; ".join(remarks) or None,
    )


class CustomCsvParser(ListParser):
    """Parses a custom deny list in CSV."""

    def parse(self, files: Mapping[str, Path]) -> Iterator[ListEntity]:
        """Yield one entity per data row."""
        path = role_path(files, "main", "custom_csv")
        reject_foreign(path, read_head(path), WHAT)
        count = 0
        with open_text(path, detect_encoding(path, ("utf-8", "cp1252"))) as stream:
            header: list[str] | None = None
            for line, row in csv_rows(stream, path, WHAT):
                if header is None:
                    header = [_SYNONYMS.get(h, h) for h in
                              (cell.strip().lower().replace(" ", "_") for cell in row)]
                    if "name" not in header:
                        raise _row_error(path, line, "the header has no 'name' column",
                                         "start the file with a header row such as "
                                         "'name,aliases,country,type,reason,listed_on,id'")
                    continue
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) > len(header):
                    raise _row_error(path, line, f"{len(row)} cells but the header has "
                                                 f"{len(header)}", "quote cells that contain commas")
                values = {key: value for key, value in zip(header, row) if key in _KEYS}
                count += 1
                yield _entity(self.source_id, values, path, line, f"row-{line}")
        if count == 0:
            raise fail(path, "no entries found", hint="add one row per banned vendor")


class CustomYamlParser(ListParser):
    """Parses a custom deny list in YAML (a list of entries, or ``entities:`` holding one)."""

    def parse(self, files: Mapping[str, Path]) -> Iterator[ListEntity]:
        """Yield one entity per entry."""
        path = role_path(files, "main", "custom_yaml")
        try:
            data, locator = load_yaml(read_text(path, "custom list"), path.name)
        except InputError as exc:
            raise ListDataError(str(exc)) from None
        except yaml.YAMLError as exc:  # raised before parsing starts, e.g. control characters
            raise fail(path, f"not readable as YAML ({str(exc).splitlines()[0]})",
                       hint="save the file as plain UTF-8 text") from None
        except ValueError as exc:  # PyYAML raises it for impossible dates such as 2024-02-30
            raise fail(path, f"invalid value ({exc})", hint="write dates as YYYY-MM-DD") from None
        entries = data.get("entities") if isinstance(data, dict) else data
        if not isinstance(entries, list) or not entries:
            raise ListDataError(str(locator.error(
                "expected a list of entries (or 'entities:' holding one)", (),
                hint="write '- name: Example Corp' entries")))
        where_root = ("entities",) if isinstance(data, dict) else ()
        for index, entry in enumerate(entries):
            where = (*where_root, index)
            if not isinstance(entry, dict):
                raise ListDataError(str(locator.error("each entry must be a mapping", where,
                                                      hint="write '- name: Example Corp'")))
            for key in entry:
                if key not in _KEYS:
                    raise ListDataError(str(locator.error(
                        f"unknown key {key!r}", (*where, key), key=True,
                        hint="allowed: " + ", ".join(_KEYS))))
            line = locator.position(where)[0]
            yield _entity(self.source_id, entry, path, line, f"entry-{index + 1}")
