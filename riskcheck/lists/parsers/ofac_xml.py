"""OFAC Enhanced XML (``SDN_ENHANCED.XML`` / ``CONS_ENHANCED.XML``, plain or zipped).

The file is namespaced; ``referenceValues`` (countries with ISO codes) come before the
``entities``, so one streaming pass resolves country references. Each ``entity`` element is
turned into a :class:`ListEntity` and cleared at once, keeping memory flat.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from xml.etree.ElementTree import Element

from riskcheck.lists.interface import ListParser
from riskcheck.lists.parsers._common import (
    dedupe_aliases,
    iso_date,
    local,
    natural_order,
    role_path,
    unique,
    xml_events,
    xml_records,
    xml_source,
)
from riskcheck.territories import code_of as country_code
from riskcheck.lists.parsers._ofac import LIST_NAMES, consolidated_lists, scheme_for
from riskcheck.model import Alias, Identifier, ListEntity

FORMAT = "ofac_enhanced_xml"
WHAT = "an OFAC Enhanced XML file"
_TYPES = {"individual": "person", "entity": "organisation", "vessel": "vessel",
          "aircraft": "aircraft"}
_ALIAS_KINDS = {"A.K.A.": "aka", "F.K.A.": "fka", "N.K.A.": "nka"}
_NATIONALITY_FEATURES = {"nationality country", "citizenship country", "nationality of registration"}


def _children(element: Element, name: str) -> Iterator[Element]:
    for child in element:
        if local(child.tag) == name:
            yield child


def _child(element: Element, name: str) -> Element | None:
    return next(_children(element, name), None)


def _text(element: Element | None, name: str | None = None) -> str | None:
    if element is not None and name is not None:
        element = _child(element, name)
    if element is None or element.text is None:
        return None
    return " ".join(element.text.split()) or None


class OfacXmlParser(ListParser):
    """Parses OFAC's Enhanced XML export (SDN or Consolidated)."""

    def parse(self, files: Mapping[str, Path]) -> Iterator[ListEntity]:
        """Yield one entity per ``<entity>``."""
        path = role_path(files, "main", FORMAT)
        countries: dict[str, tuple[str, str | None]] = {}
        for tag, element in xml_records(path, WHAT, ("entity",), roots=("sanctionsData",),
                                        context=("referenceValue",)):
            if tag == "entity":
                yield self._entity(element, countries)
            elif _text(element, "type") == "COUNTRY":
                ref = element.get("refId", "")
                countries[ref] = (_text(element, "value") or "", _text(element, "isoCode"))

    def published(self, files: Mapping[str, Path]) -> str | None:
        """``publicationInfo/dataAsOf`` (read from the start of the file only)."""
        path = role_path(files, "main", FORMAT)
        with xml_source(path, WHAT) as stream:
            for event, element in xml_events(stream, path, WHAT):
                tag = local(element.tag)
                if event == "end" and tag == "dataAsOf":
                    return iso_date(element.text)
                if tag in ("entities", "referenceValues"):
                    return None
        return None

    def _entity(self, element: Element, countries: dict[str, tuple[str, str | None]]
                ) -> ListEntity:
        info = _child(element, "generalInfo")
        type_text = (_text(info, "entityType") or "").lower()
        entity_type = _TYPES.get(type_text, "unknown")
        name, aliases = self._names(element, entity_type)
        programs = tuple(t for t in (_text(p) for p in element.iter()
                                     if local(p.tag) == "sanctionsProgram") if t)
        codes: dict[str, None] = {}
        dates: list[str] = []
        for listing in element.iter():
            if local(listing.tag) != "sanctionsList" or listing.text is None:
                continue
            code = LIST_NAMES.get(listing.text.strip().lower())
            if code:
                codes.setdefault(code, None)
                when = iso_date(listing.get("datePublished"))
                if when:
                    dates.append(when)
        lists = tuple(codes) or consolidated_lists(programs)
        addresses, country_codes = self._addresses(element, countries)
        identifiers: list[Identifier] = []
        for document in element.iter():
            if local(document.tag) == "identityDocument":
                scheme = _text(document, "type")
                number = _text(document, "documentNumber")
                if scheme and number:
                    identifiers.append(Identifier(scheme_for(scheme), number))
            elif local(document.tag) == "relatedEntity" and document.text:
                identifiers.append(Identifier("linked-to", " ".join(document.text.split())))
        for feature in element.iter():
            if local(feature.tag) != "feature":
                continue
            kind = (_text(feature, "type") or "").lower()
            value = _text(feature, "value")
            if kind in _NATIONALITY_FEATURES and (code := country_code(value)):
                country_codes.append(code)
            elif kind in ("website", "email address", "swift/bic") and value:
                identifiers.append(Identifier(kind.replace(" address", "").replace("/", "-"),
                                              value))
        return ListEntity(
            source=self.source_id,
            source_id=element.get("id", ""),
            lists=lists,
            programs=programs,
            entity_type=entity_type,  # type: ignore[arg-type]
            name=name,
            aliases=dedupe_aliases(name, aliases),
            countries=unique(country_codes),
            addresses=unique(addresses),
            identifiers=tuple(dict.fromkeys(identifiers)),
            listed_on=min(dates) if dates else None,
            remarks=_text(info, "remarks"),
        )

    @staticmethod
    def _names(element: Element, entity_type: str) -> tuple[str, list[Alias]]:
        primary = ""
        aliases: list[Alias] = []
        names = _child(element, "names")
        for name in (names if names is not None else ()):
            is_primary = _text(name, "isPrimary") == "true"
            kind = _ALIAS_KINDS.get(_text(name, "aliasType") or "", "aka")
            strength = "weak" if _text(name, "isLowQuality") == "true" else "strong"
            for translation in name.iter():
                if local(translation.tag) != "translation":
                    continue
                full = _text(translation, "formattedFullName")
                if not full:
                    continue
                latin = (_text(translation, "script") or "Latin") == "Latin"
                if is_primary and latin and not primary:
                    primary = full
                    continue
                aliases.append(Alias(full, kind if latin else "native",
                                     strength if latin else None))
        if entity_type == "person" and (natural := natural_order(primary)):
            aliases.insert(0, Alias(natural, "aka", "strong"))
        return primary, aliases

    @staticmethod
    def _addresses(element: Element, countries: dict[str, tuple[str, str | None]]
                   ) -> tuple[list[str], list[str]]:
        texts: list[str] = []
        codes: list[str] = []
        for address in element.iter():
            if local(address.tag) != "address":
                continue
            country = _child(address, "country")
            country_name, iso = countries.get(country.get("refId", ""), ("", None)) \
                if country is not None else ("", None)
            if country is not None and not country_name:
                country_name = _text(country) or ""
            # translations repeat the address in other scripts: read the primary one only
            translations = [t for t in address.iter() if local(t.tag) == "translation"]
            chosen = next((t for t in translations if _text(t, "isPrimary") == "true"),
                          translations[0] if translations else None)
            parts = [_text(part, "value") for part in (chosen.iter() if chosen is not None else ())
                     if local(part.tag) == "addressPart"]
            text = ", ".join(p for p in [*parts, country_name] if p)
            if text:
                texts.append(text)
            code = iso or country_code(country_name)
            if code:
                codes.append(code)
        return texts, codes
