"""UN Security Council Consolidated List XML (``consolidated.xml``).

Root ``<CONSOLIDATED_LIST dateGenerated=...>`` with ``INDIVIDUALS/INDIVIDUAL`` (name in
``FIRST_NAME``..``FOURTH_NAME``) and ``ENTITIES/ENTITY`` (whole name in ``FIRST_NAME``).
Aliases carry a ``QUALITY`` of Good or Low (strong/weak); ``REFERENCE_NUMBER`` (e.g.
``QDe.004``) is the identifier the UN and national lists cite.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from xml.etree.ElementTree import Element

from riskcheck.lists.interface import ListParser
from riskcheck.lists.parsers._common import (
    dedupe_aliases,
    iso_date,
    role_path,
    unique,
    xml_events,
    xml_records,
    xml_source,
)
from riskcheck.territories import code_of as country_code
from riskcheck.model import Alias, Identifier, ListEntity

FORMAT = "un_sc_xml"
WHAT = "the UN Security Council consolidated list XML"
_QUALITY = {"good": "strong", "a.k.a.": "strong", "low": "weak"}
_ADDRESS_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY", "NOTE")


def _text(element: Element, name: str) -> str | None:
    child = element.find(name)
    if child is None or not child.text or not child.text.strip():
        return None
    return " ".join(child.text.split())


class UnScParser(ListParser):
    """Parses the UN SC consolidated list (list code UN)."""

    def parse(self, files: Mapping[str, Path]) -> Iterator[ListEntity]:
        """Yield one entity per ``INDIVIDUAL`` and ``ENTITY``."""
        path = role_path(files, "main", FORMAT)
        for tag, element in xml_records(path, WHAT, ("INDIVIDUAL", "ENTITY"),
                                        roots=("CONSOLIDATED_LIST",)):
            yield self._entry(element, person=tag == "INDIVIDUAL")

    def published(self, files: Mapping[str, Path]) -> str | None:
        """``CONSOLIDATED_LIST/@dateGenerated``."""
        path = role_path(files, "main", FORMAT)
        with xml_source(path, WHAT) as stream:
            for _, element in xml_events(stream, path, WHAT, events=("start",)):
                return iso_date(element.get("dateGenerated"))
        return None

    def _entry(self, element: Element, *, person: bool) -> ListEntity:
        parts = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME") if person \
            else ("FIRST_NAME",)
        name = " ".join(p for p in (_text(element, k) for k in parts) if p)
        prefix = "INDIVIDUAL" if person else "ENTITY"
        aliases: list[Alias] = []
        for alias in element.findall(f"{prefix}_ALIAS"):
            alias_name = _text(alias, "ALIAS_NAME")
            if alias_name:
                quality = (_text(alias, "QUALITY") or "").lower()
                aliases.append(Alias(alias_name, "aka", _QUALITY.get(quality)))  # type: ignore[arg-type]
        original = _text(element, "NAME_ORIGINAL_SCRIPT")
        if original:
            aliases.append(Alias(original, "native"))
        addresses, countries = [], []
        for address in element.findall(f"{prefix}_ADDRESS"):
            text = ", ".join(p for p in (_text(address, k) for k in _ADDRESS_PARTS) if p)
            if text:
                addresses.append(text)
            countries.append(country_code(_text(address, "COUNTRY")))
        nationality = element.find("NATIONALITY")
        if nationality is not None:
            countries[:0] = [country_code(v.text) for v in nationality.findall("VALUE")]
        identifiers = []
        for document in element.findall("INDIVIDUAL_DOCUMENT"):
            number = _text(document, "NUMBER")
            if number:
                kind = (_text(document, "TYPE_OF_DOCUMENT") or "id").lower()
                identifiers.append(Identifier(kind.replace(" ", "-"), number))
        dataid = _text(element, "DATAID")
        if dataid:
            identifiers.append(Identifier("un-dataid", dataid))
        remarks = [f"Designation: {d}" for d in
                   (" ".join(v.text.split()) for v in element.iterfind("DESIGNATION/VALUE")
                    if v.text and v.text.strip())]
        if comments := _text(element, "COMMENTS1"):
            remarks.append(comments)
        return ListEntity(
            source=self.source_id,
            source_id=_text(element, "REFERENCE_NUMBER") or dataid or name,
            lists=("UN",),
            programs=unique([_text(element, "UN_LIST_TYPE")]),
            entity_type="person" if person else "organisation",
            name=name,
            aliases=dedupe_aliases(name, aliases),
            countries=unique(countries),
            addresses=unique(addresses),
            identifiers=tuple(dict.fromkeys(identifiers)),
            listed_on=iso_date(_text(element, "LISTED_ON")),
            remarks="; ".join(remarks) or None,
        )
