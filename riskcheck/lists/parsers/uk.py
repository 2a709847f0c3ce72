"""UK lists: the FCDO UK Sanctions List XML and the legacy OFSI consolidated list CSV.

* ``uk_sanctions_list``: ``UK-Sanctions-List.xml`` (root ``<Designations>`` with
  ``<DateGenerated>dd/mm/yyyy``; one ``<Designation>`` per listing, keyed by ``UniqueID`` such
  as ``RUS0251``). It replaced OFSI's consolidated list in January 2026. Names are element
  text: ``Name1``..``Name5`` given names, ``Name6`` surname or whole entity name, ``NameType``
  Primary Name / Primary name variation / Alias, ``AliasStrength`` Good/Low quality a.k.a.
* ``ofsi_conlist_csv``: HM Treasury/OFSI ``ConList.csv`` (pre-2026): line 1 is the banner
  ``Last Updated,dd/mm/yyyy``, line 2 the header; one row per name (``Alias Type`` Prime Alias /
  AKA / FKA) grouped by ``Group ID``; Windows-1252 text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from xml.etree.ElementTree import Element

from riskcheck.lists.interface import ListParser
from riskcheck.lists.parsers._common import (
    csv_records,
    dedupe_aliases,
    fail,
    iso_date,
    local,
    read_head,
    reject_foreign,
    role_path,
    unique,
    xml_events,
    xml_records,
    xml_source,
)
from riskcheck.territories import code_of as country_code
from riskcheck.lists.parsers._uk_csv import parse_uk_csv, report_date
from riskcheck.model import Alias, Identifier, ListEntity

_TYPES = {"individual": "person", "entity": "organisation", "ship": "vessel"}
_UK_DATE = ("%d/%m/%Y",)
XML_WHAT = "the UK Sanctions List XML (UK-Sanctions-List.xml)"
CSV_WHAT = "the OFSI consolidated list CSV (ConList.csv)"
_NAME_PARTS = ("Name1", "Name2", "Name3", "Name4", "Name5", "Name6")


def _join(parts: list[str | None]) -> str:
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip())


def _texts(element: Element, name: str) -> list[str]:
    return [" ".join(e.text.split()) for e in element.iter()
            if local(e.tag) == name and e.text and e.text.strip()]


class UkSanctionsListParser(ListParser):
    """Parses the FCDO UK Sanctions List XML (list code UK)."""

    def parse(self, files: Mapping[str, Path]) -> Iterator[ListEntity]:
        """Yield one entity per ``<Designation>`` (XML) or per ``Unique ID`` (CSV edition)."""
        path = role_path(files, "main", "uk_sanctions_list")
        if self._is_csv(path):
            yield from parse_uk_csv(path, self.source_id)
            return
        for _, element in xml_records(path, XML_WHAT, ("Designation",), roots=("Designations",)):
            yield self._designation(element)

    def published(self, files: Mapping[str, Path]) -> str | None:
        """``<DateGenerated>`` (dd/mm/yyyy) or the CSV's ``Report Date:`` banner."""
        path = role_path(files, "main", "uk_sanctions_list")
        if self._is_csv(path):
            return report_date(path)
        with xml_source(path, XML_WHAT) as stream:
            for event, element in xml_events(stream, path, XML_WHAT):
                if event == "end" and local(element.tag) == "DateGenerated":
                    return iso_date(element.text, _UK_DATE + ("%Y-%m-%d",))
                if event == "start" and local(element.tag) == "Designation":
                    return None
        return None

    @staticmethod
    def _is_csv(path: Path) -> bool:
        head = read_head(path)
        reject_foreign(path, head, XML_WHAT)
        return not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and head[:4] != b"PK\x03\x04"

    def _designation(self, element: Element) -> ListEntity:
        fields = {local(c.tag): " ".join(c.text.split()) for c in element
                  if c.text and c.text.strip()}
        primary = ""
        aliases: list[Alias] = []
        for name in element.iter():
            if local(name.tag) != "Name":
                continue
            parts = {local(c.tag): c.text for c in name}
            full = _join([parts.get(k) for k in _NAME_PARTS])
            kind = (parts.get("NameType") or "").strip().lower()
            strength = (parts.get("AliasStrength") or "").lower()
            if kind == "primary name" and not primary:
                primary = full
            elif full:
                aliases.append(Alias(full, "aka", "weak" if strength.startswith("low")
                                     else "strong" if strength.startswith("good") else None))
        aliases.extend(Alias(n, "native") for n in _texts(element, "NameNonLatinScript"))
        if not primary and aliases:
            primary = aliases.pop(0).name
        addresses, countries = [], []
        for address in element.iter():
            if local(address.tag) == "Address":
                parts = {local(c.tag): c.text for c in address}
                text = _join([parts.get(f"AddressLine{i}") for i in range(1, 7)]
                             + [parts.get("AddressPostalCode"), parts.get("AddressCountry")])
                if text:
                    addresses.append(text)
                countries.append(country_code(parts.get("AddressCountry")))
        countries.extend(country_code(n) for n in _texts(element, "Nationality"))
        identifiers = [Identifier(scheme, value) for scheme, tag in (
            ("ofsi-group-id", "OFSIGroupID"), ("un-reference", "UNReferenceNumber"),
            ("passport", "PassportNumber"), ("national-id", "NationalIdentifierNumber"),
            ("registration", "BusinessRegistrationNumber"), ("imo", "IMONumber"),
            ("parent", "ParentCompany")) for value in _texts(element, tag)]
        remarks = [f"{label}: {fields[tag]}" for tag, label in (
            ("SanctionsImposed", "Sanctions imposed"), ("OtherInformation", "Other information"),
            ("UKStatementofReasons", "Statement of reasons")) if fields.get(tag)]
        return ListEntity(
            source=self.source_id,
            source_id=fields.get("UniqueID", ""),
            lists=("UK",),
            programs=unique([fields.get("RegimeName")]),
            entity_type=_TYPES.get(fields.get("IndividualEntityShip", "").lower(),
                                   "unknown"),  # type: ignore[arg-type]
            name=primary,
            aliases=dedupe_aliases(primary, aliases),
            countries=unique(countries),
            addresses=unique(addresses),
            identifiers=tuple(dict.fromkeys(identifiers)),
            listed_on=iso_date(fields.get("DateDesignated"), _UK_DATE),
            remarks="; ".join(remarks) or None,
        )


class OfsiConListParser(ListParser):
    """Parses the legacy OFSI ``ConList.csv`` (list code UK); rows are grouped by Group ID."""

    REQUIRED = ("Name 6", "Group Type", "Alias Type", "Regime", "Listed On", "Group ID")

    def _rows(self, path: Path) -> Iterator[dict[str, str]]:
        # OFSI wrote Windows-1252 (smart quotes 0x91/0x92); UTF-8 is tried first for newer copies
        for _, row in csv_records(path, CSV_WHAT, required=self.REQUIRED,
                                  preamble="last updated", width="at_least"):
            yield row

    def parse(self, files: Mapping[str, Path]) -> Iterator[ListEntity]:
        """Yield one entity per Group ID (rows of a group are not contiguous in the file)."""
        path = role_path(files, "main", "ofsi_conlist_csv")
        groups: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in self._rows(path):
            groups[row["Group ID"]].append(row)
        if not groups:
            raise fail(path, f"no records found; the file is not {CSV_WHAT} or is cut off")
        for group_id, rows in groups.items():
            yield self._group(group_id, rows)

    def published(self, files: Mapping[str, Path]) -> str | None:
        """The ``Last Updated,dd/mm/yyyy`` banner on line 1."""
        path = role_path(files, "main", "ofsi_conlist_csv")
        first = read_head(path, 256).decode("latin-1").splitlines()[0].split(",")
        if len(first) >= 2 and first[0].strip().lower() == "last updated":
            return iso_date(first[1].strip(), _UK_DATE)
        return None

    def _group(self, group_id: str, rows: list[dict[str, str]]) -> ListEntity:
        # the Prime Alias row names the entity; groups without one use their first row
        rows = sorted(rows, key=lambda r: r["Alias Type"].lower() != "prime alias")
        names = [(_join([r.get(f"Name {i}") for i in (1, 2, 3, 4, 5, 6)]), r) for r in rows]
        primary = names[0][0]
        aliases = [Alias(name, "fka" if r["Alias Type"].upper() == "FKA" else "aka")
                   for name, r in names[1:]]
        addresses, countries, remarks = [], [], []
        for row in rows:
            address = _join([row.get(f"Address {i}") for i in range(1, 7)]
                            + [row.get("Post/Zip Code"), row.get("Country")])
            addresses.append(address)
            countries.append(country_code(row.get("Country")))
            countries.append(country_code(row.get("Nationality")))
            remarks.extend(f"{label}: {row[col]}" for col, label in (
                ("Other Information", "Other information"), ("Passport Details", "Passport"),
                ("NI Number", "National ID"), ("Position", "Position"),
                ("Nationality", "Nationality"), ("DOB", "DOB")) if row.get(col))
        listed = [d for r in rows if (d := iso_date(r["Listed On"], _UK_DATE))]
        return ListEntity(
            source=self.source_id,
            source_id=group_id,
            lists=("UK",),
            programs=unique(r["Regime"] for r in rows),
            entity_type=_TYPES.get(rows[0]["Group Type"].lower(),
                                   "unknown"),  # type: ignore[arg-type]
            name=primary,
            aliases=dedupe_aliases(primary, aliases),
            countries=unique(countries),
            addresses=unique(addresses),
            listed_on=min(listed) if listed else None,
            remarks="; ".join(unique(remarks)) or None,
        )
