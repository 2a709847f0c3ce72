"""trade.gov Consolidated Screening List CSV (``consolidated.csv``, plain or gzipped).

29 named columns; multi-valued fields (names, addresses, programs, ids ...) are ``; ``-joined
inside one quoted field, and quoted fields hold newlines, so records are counted by the csv
module, never by lines. Some copies repeat the header line; a repeated header is skipped.
Each row is one entity; the ``source`` column (a list's full name, e.g.
``Entity List (EL) - Bureau of Industry and Security``) gives the list code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path

from riskcheck.lists.interface import ListParser
from riskcheck.lists.parsers._common import (
    csv_records,
    dedupe_aliases,
    iso_date,
    natural_order,
    role_path,
    unique,
)
from riskcheck.territories import code_of as country_code
from riskcheck.lists.parsers._ofac import scheme_for
from riskcheck.model import Alias, Identifier, ListEntity

FORMAT = "us_csl_csv"
WHAT = "the trade.gov Consolidated Screening List CSV"
REQUIRED = ("source", "name")
_TYPES = {"individual": "person", "entity": "organisation", "vessel": "vessel",
          "aircraft": "aircraft"}
_CODE = re.compile(r"\(([A-Za-z][A-Za-z -]*?)(?: List)?\)")
_CODE_ALIASES = {"NS-MBS": "MBS", "CAPTA": "CAP", "NS-PLC": "PLC", "NS-CMIC": "CMIC"}
_KNOWN_SOURCES = {
    "specially designated nationals": "SDN",
    "entity list": "EL",
    "military end user": "MEU",
    "unverified list": "UVL",
    "denied persons list": "DPL",
    "nonproliferation sanctions": "ISN",
    "itar debarred": "DTC",
}
# ids items that describe the listing rather than identify the entity
_NOT_IDENTIFIERS = {"gender", "target type", "issuer name", "additional sanctions information -",
                    "secondary sanctions risk:", "organization type:", "organization established date",
                    ("transactions prohibited for persons owned or controlled by u.s. financial "
                     "institutions:")}


@lru_cache(maxsize=256)
def list_code(source: str) -> str:
    """``'Entity List (EL) - Bureau of Industry and Security'`` -> ``'EL'``."""
    match = _CODE.search(source)
    if match:
        code = match.group(1).strip().upper()
        return _CODE_ALIASES.get(code, code)
    lowered = source.lower()
    for prefix, code in _KNOWN_SOURCES.items():
        if lowered.startswith(prefix):
            return code
    return "CSL"


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


class CslParser(ListParser):
    """Parses the Consolidated Screening List CSV; one entity per row."""

    def parse(self, files: Mapping[str, Path]) -> Iterator[ListEntity]:
        """Yield one entity per data row (a repeated header row is skipped)."""
        path = role_path(files, "main", FORMAT)
        for _, row in csv_records(path, WHAT, required=REQUIRED, squash=False):
            yield self._entity(row)

    def _entity(self, row: dict[str, str]) -> ListEntity:
        name = " ".join(row["name"].split())
        entity_type = _TYPES.get(row.get("type", "").lower(), "unknown")
        aliases = [Alias(alt, "aka") for alt in _alias_names(row.get("alt_names", ""))]
        if entity_type == "person" and (natural := natural_order(name)):
            aliases.insert(0, Alias(natural, "aka"))
        addresses = _split(row.get("addresses", ""))
        countries = [country_code(address.rsplit(",", 1)[-1]) for address in addresses]
        for column in ("nationalities", "citizenships"):
            countries.extend(country_code(code) for code in _split(row.get(column, "")))
        identifiers, listing_dates = self._ids(row.get("ids", ""), aliases)
        listed_on = iso_date(row.get("start_date")) or (min(listing_dates) if listing_dates
                                                         else None)
        remarks = [row.get("remarks", "")]
        for column, label in (("title", "Title"), ("license_requirement", "License requirement"),
                              ("license_policy", "License policy"),
                              ("end_date", "End date"), ("standard_order", "Standard order")):
            if row.get(column):
                remarks.append(f"{label}: {row[column]}")
        return ListEntity(
            source=self.source_id,
            source_id=row.get("_id") or row.get("entity_number") or name,
            lists=(list_code(row["source"]),),
            programs=tuple(_split(row.get("programs", ""))),
            entity_type=entity_type,  # type: ignore[arg-type]
            name=name,
            aliases=dedupe_aliases(name, aliases),
            countries=unique(countries),
            addresses=unique(addresses),
            identifiers=tuple(dict.fromkeys(identifiers)),
            listed_on=listed_on,
            remarks="; ".join(r for r in remarks if r) or None,
            citation=row.get("federal_register_notice") or None,
            url=row.get("source_list_url") or row.get("source_information_url") or None,
        )

    @staticmethod
    def _ids(text: str, aliases: list[Alias]) -> tuple[list[Identifier], list[str]]:
        """``ids`` items -> identifiers and listing dates (issuer names become aliases).

        Two layouts exist: older files write ``[country, ][dates, ]number, Type`` (type last),
        newer ones ``Type, number[, country[, dates]]``; each item is read by where its label
        is. Items that describe the listing (gender, directives, sanctions risk) are dropped.
        """
        identifiers: list[Identifier] = []
        dates: list[str] = []
        for item in _split(text):
            parts = [part.strip() for part in item.split(", ")]
            if len(parts) < 2:
                continue
            if _is_label(parts[0]) or not _is_label(parts[-1]):
                label, value = parts[0], ", ".join(parts[1:2])
            else:
                label, value = parts[-1], parts[-2]
            lowered = label.lower()
            if lowered == "issuer name":
                aliases.append(Alias(", ".join(parts[1:]), "aka"))
            elif lowered.startswith("listing date"):
                if when := iso_date(value):
                    dates.append(when)
            elif _is_identifier(label):
                identifiers.append(Identifier(scheme_for(label), value))
        return identifiers, dates


_ID_WORDS = re.compile(r"(?:\bNo\.?|Number|#|\bID\b|Code|\bSWIFT|\bISIN|\bIMO\b|\bMMSI|"
                       r"Website|Email|Passport|C\.U\.R\.P|R\.F\.C|D\.N\.I|Digital Currency|"
                       r"\bBIK\b|Identification)", re.IGNORECASE)
_NOT_ID_WORDS = re.compile(r"date|directive|sanction|executive order|caatsa|gender|type|"
                           r"information|prohibited|risk", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _is_label(text: str) -> bool:
    """True for an ids item's type label (as opposed to a value or a country code)."""
    return bool(text) and (text.lower() in _NOT_IDENTIFIERS or bool(_ID_WORDS.search(text))
                           or text.endswith((":", "-", "Gender")))


@lru_cache(maxsize=1024)
def _is_identifier(label: str) -> bool:
    """True for labels of real identifiers (documents, registrations, addresses online)."""
    return bool(_ID_WORDS.search(label)) and not _NOT_ID_WORDS.search(label)


def _alias_names(text: str) -> list[str]:
    """``alt_names`` items; BIS writes "A; and B", "A, and B" and even "A; and; B", so a
    leading or lone "and" is dropped."""
    names: list[str] = []
    for item in _split(text):
        for piece in re.split(r",\s+and\s+", item):
            piece = re.sub(r"^and(\s+|$)", "", piece.strip()).strip(" -")
            if piece:
                names.append(piece)
    return names
