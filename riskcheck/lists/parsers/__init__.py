"""Parsers for every official list format, keyed by the format ids of ``lists/sources.yaml``.

``get_parser(format_id, source_id)`` returns a ready :class:`ListParser`. ``FORMAT_FILES``
names the file roles each format reads, required roles first; ``REQUIRED_FILES`` says which of
them must be present (the others are optional, e.g. OFAC's add/alt/comments).

Conventions shared by every parser (what a consumer of :class:`ListEntity` can rely on):

* ``lists`` holds short list codes (SDN, CMIC, SSI, EL, MEU, DPL, EU, UK, UN, 1260H, FCC ...);
* ``name`` is the name exactly as listed; for people written "SURNAME, Given" the
  natural-order form is added as a strong alias;
* ``Alias.kind`` is aka, fka, nka or native (non-Latin script); ``strength`` is strong, weak
  or None when the list does not grade its aliases;
* ``Identifier.scheme`` is a lower-case slug (passport, tax-id, registration, uscc, isin,
  swift-bic, website ...); two relation schemes name other parties instead of numbers:
  ``linked-to`` (OFAC "Linked To" / relationships) and ``parent`` (parent company);
* ``countries`` are ISO 3166-1 alpha-2 codes (XK for Kosovo); dates are ISO ``YYYY-MM-DD``.
"""

from __future__ import annotations

from riskcheck.lists.interface import ListDataError, ListParser
from riskcheck.lists.parsers.csl import CslParser
from riskcheck.lists.parsers.custom import CustomCsvParser, CustomYamlParser
from riskcheck.lists.parsers.dpl import DplParser
from riskcheck.lists.parsers.eu_fsf import EuFsfParser
from riskcheck.lists.parsers.ofac_csv import OfacCsvParser
from riskcheck.lists.parsers.ofac_xml import OfacXmlParser
from riskcheck.lists.parsers.transcription import TranscriptionParser
from riskcheck.lists.parsers.uk import OfsiConListParser, UkSanctionsListParser
from riskcheck.lists.parsers.un import UnScParser

__all__ = ["FORMAT_FILES", "PARSERS", "REQUIRED_FILES", "get_parser"]

PARSERS: dict[str, type[ListParser]] = {
    "ofac_legacy_csv": OfacCsvParser,
    "ofac_enhanced_xml": OfacXmlParser,
    "us_csl_csv": CslParser,
    "bis_dpl_tsv": DplParser,
    "eu_fsf_xml": EuFsfParser,
    "uk_sanctions_list": UkSanctionsListParser,
    "ofsi_conlist_csv": OfsiConListParser,
    "un_sc_xml": UnScParser,
    "riskcheck_transcription_yaml": TranscriptionParser,
    "custom_csv": CustomCsvParser,
    "custom_yaml": CustomYamlParser,
}
"""Format id -> parser class."""

FORMAT_FILES: dict[str, tuple[str, ...]] = {format_id: parser.roles
                                             for format_id, parser in PARSERS.items()}
"""Format id -> file roles it reads, required roles first."""

REQUIRED_FILES: dict[str, tuple[str, ...]] = {format_id: parser.required_roles
                                               for format_id, parser in PARSERS.items()}
"""Format id -> the roles that must be given; every other role in FORMAT_FILES is optional."""


def get_parser(format_id: str, source_id: str) -> ListParser:
    """A parser for ``format_id`` that labels its entities with ``source_id``."""
    try:
        parser_class = PARSERS[format_id]
    except KeyError:
        known = ", ".join(sorted(PARSERS))
        raise ListDataError(f"unknown list format {format_id!r}",
                            hint=f"use one of: {known}") from None
    return parser_class(source_id)
