"""The CSV edition of the FCDO UK Sanctions List (``UK-Sanctions-List.csv``).

Line 1 is a banner ``Report Date: dd-Mon-yyyy``; the header follows. One row per name, so rows
are grouped by ``Unique ID`` (the designation reference, e.g. ``RUS0251``). Columns are found
by name, case-insensitively, so added or reordered columns do not break the parser; only
``Unique ID`` and ``Name 6`` are required.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from riskcheck.lists.parsers._common import (
    csv_records,
    dedupe_aliases,
    detect_encoding,
    fail,
    iso_date,
    open_text,
    unique,
)
from riskcheck.territories import code_of as country_code
from riskcheck.model import Alias, Identifier, ListEntity

WHAT = "the UK Sanctions List CSV (UK-Sanctions-List.csv)"
REQUIRED = ("unique id", "name 6")
_TYPES = {"individual": "person", "entity": "organisation", "ship": "vessel"}
_DATES = ("%d/%m/%Y", "%d-%b-%Y", "%Y-%m-%d")


def report_date(path: Path) -> str | None:
    """The ``Report Date:`` banner of line 1, as an ISO date."""
    with open_text(path, detect_encoding(path, ("utf-8", "cp1252"))) as stream:
        first = stream.readline().strip().strip('"').rstrip(",")
    if first.lower().startswith("report date"):
        return iso_date(first.split(":", 1)[-1].strip(), _DATES)
    return None


def _rows(path: Path) -> Iterator[dict[str, str]]:
    for _, row in csv_records(path, WHAT, required=REQUIRED, header=lambda c: c.strip().lower(),
                              preamble="report date", width="at_least"):
        yield row


def parse_uk_csv(path: Path, source: str) -> Iterator[ListEntity]:
    """Yield one entity per Unique ID."""
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _rows(path):
        groups[row["unique id"]].append(row)
    if not groups:
        raise fail(path, f"no records found; the file is not {WHAT} or is cut off")
    for unique_id, rows in groups.items():
        yield _designation(unique_id, rows, source)


def _name(row: dict[str, str]) -> str:
    return " ".join(row[f"name {i}"] for i in range(1, 7) if row.get(f"name {i}"))


def _designation(unique_id: str, rows: list[dict[str, str]], source: str) -> ListEntity:
    rows = sorted(rows, key=lambda r: r.get("name type", "").strip().lower() != "primary name")
    primary = _name(rows[0])
    aliases = []
    for row in rows[1:]:
        strength = row.get("alias strength", "").lower()
        aliases.append(Alias(_name(row), "aka", "weak" if strength.startswith("low")
                             else "strong" if strength.startswith("good") else None))
    addresses, countries, identifiers, remarks = [], [], [], []
    for row in rows:
        if row.get("name non-latin script"):
            aliases.append(Alias(row["name non-latin script"], "native"))
        addresses.append(", ".join(row[k] for k in (
            *(f"address line {i}" for i in range(1, 7)), "address postal code", "address country")
            if row.get(k)))
        countries.append(country_code(row.get("address country")))
        countries.extend(country_code(c) for c in row.get("nationality(/ies)", "").split("|"))
        for column, scheme in (("ofsi group id", "ofsi-group-id"),
                               ("un reference number", "un-reference"),
                               ("passport number", "passport"),
                               ("national identifier number", "national-id"),
                               ("business registration number (s)", "registration"),
                               ("imo number", "imo"), ("parent company", "parent")):
            if row.get(column):
                identifiers.append(Identifier(scheme, row[column]))
        remarks.extend(f"{label}: {row[col]}" for col, label in (
            ("sanctions imposed", "Sanctions imposed"), ("other information", "Other information"),
            ("uk statement of reasons", "Statement of reasons")) if row.get(col))
    first = rows[0]
    return ListEntity(
        source=source,
        source_id=unique_id,
        lists=("UK",),
        programs=unique(r.get("regime name") for r in rows),
        entity_type=_TYPES.get(first.get("designation type", "").lower(),
                               "unknown"),  # type: ignore[arg-type]
        name=primary,
        aliases=dedupe_aliases(primary, aliases),
        countries=unique(countries),
        addresses=unique(addresses),
        identifiers=tuple(dict.fromkeys(identifiers)),
        listed_on=iso_date(first.get("date designated"), _DATES),
        remarks="; ".join(unique(remarks)) or None,
    )
