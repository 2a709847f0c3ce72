"""OFAC knowledge shared by the legacy CSV and Enhanced XML parsers.

* which riskcheck list code a Consolidated-list program or list name stands for;
* what can be read reliably out of the legacy CSV ``Remarks`` field, which packs weak
  aliases, identifiers, nationality and "Linked To" relations into one ``; ``-joined text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from riskcheck.lists.parsers._common import iso_date
from riskcheck.territories import code_of as country_code
from riskcheck.model import Alias, Identifier

# Consolidated (non-SDN) list entries carry programs, not list names. A program names the
# list it belongs to; the programs left over (RUSSIA-EO14024, CAATSA - RUSSIA, BURMA-EO14014,
# ILLICIT-DRUGS-EO14059 ...) are menu-based sanctions, i.e. the NS-MBS list, OFAC's catch-all.
_PROGRAM_LISTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^CMIC|^NS-CMIC"), "CMIC"),
    (re.compile(r"^UKRAINE-EO13662$"), "SSI"),
    (re.compile(r"^NS-PLC$"), "PLC"),
    (re.compile(r"^FSE-|^FSE$"), "FSE"),
    (re.compile(r"^561-RELATED$|^CAPTA|^IFSR-CAPTA"), "CAP"),
    (re.compile(r"^NS-ISA$|^NS-MBS"), "MBS"),
)

LIST_NAMES = {
    "sdn list": "SDN",
    "non-sdn cmic list": "CMIC",
    "sectoral sanctions identifications list": "SSI",
    "non-sdn palestinian legislative council list": "PLC",
    "non-sdn menu-based sanctions list": "MBS",
    "capta list": "CAP",
    "fse list": "FSE",
    "non-sdn iran sanctions act list": "MBS",
}
"""Enhanced XML ``sanctionsList`` names -> list codes ("Consolidated List" is no list of its own)."""


def consolidated_lists(programs: tuple[str, ...]) -> tuple[str, ...]:
    """List codes of a Consolidated-list entry, from its programs."""
    codes: dict[str, None] = {}
    for program in programs:
        for pattern, code in _PROGRAM_LISTS:
            if pattern.search(program.upper()):
                codes.setdefault(code, None)
    return tuple(codes) or ("MBS",)


def split_programs(text: str) -> tuple[str, ...]:
    """``'RUSSIA-EO14024] [UKRAINE-EO13662'`` -> both programs."""
    return tuple(p.strip(" []") for p in text.split("] [") if p.strip(" []"))


_ALIAS = re.compile(r"^([afn])\.k\.a\.,?\s*'(.+)'$")
_ID_LABELS: tuple[tuple[str, str], ...] = (
    ("Unified Social Credit Code (USCC)", "uscc"),
    ("Legal Entity Number", "lei"),
    ("SWIFT/BIC", "swift-bic"),
    ("Tax ID No.", "tax-id"),
    ("V.A.T. Number", "vat"),
    ("R.F.C.", "tax-id"),
    ("RFC", "tax-id"),
    ("NIT #", "tax-id"),
    ("Registration Number", "registration"),
    ("Registration ID", "registration"),
    ("Business Registration Number", "registration"),
    ("Business Number", "registration"),
    ("Company Number", "registration"),
    ("Commercial Registry Number", "registration"),
    ("Chamber of Commerce Number", "registration"),
    ("Enterprise Number", "registration"),
    ("Government Gazette Number", "registration"),
    ("Trade License No.", "registration"),
    ("Folio Mercantil No.", "registration"),
    ("Matricula Mercantil No", "registration"),
    ("C.R. No.", "registration"),
    ("ISIN", "isin"),
    ("D-U-N-S Number", "duns"),
    ("Diplomatic Passport", "passport"),
    ("Passport", "passport"),
    ("National ID No.", "national-id"),
    ("Cedula No.", "national-id"),
    ("C.U.R.P.", "national-id"),
    ("D.N.I.", "national-id"),
    ("Identification Number", "national-id"),
    ("Personal ID Card", "national-id"),
    ("Electoral Registry No.", "national-id"),
    ("Driver's License No.", "drivers-license"),
    ("Vessel Registration Identification", "imo"),
    ("MMSI", "mmsi"),
    ("Aircraft Manufacturer's Serial Number (MSN)", "aircraft-msn"),
    ("Aircraft Tail Number", "aircraft-tail"),
    ("BIK (RU)", "bik"),
    ("Website", "website"),
    ("Email Address", "email"),
)
_ID_PATTERN = re.compile(
    r"^(?:alt\. )?(?P<label>" + "|".join(re.escape(label) for label, _ in _ID_LABELS)
    + r"|Digital Currency Address - [A-Z0-9]+)\s+(?P<value>\S.*?)"
    + r"(?:\s+\((?P<country>[^()]*)\))?(?:\s+(?:issued|expires)\b.*)?$"
)
_SCHEMES = dict(_ID_LABELS)
_NATIONALITY = re.compile(r"^(?:nationality|citizen|Nationality of Registration)\s+(.+)$", re.IGNORECASE)
_LISTING_DATE = re.compile(r"^Listing Date \([^)]*\):?\s+(.+)$")
# names that end in an abbreviation keep their final full stop ("CO., LTD."); forms such as
# LLC or JSC are written without one, so a full stop after them ends the sentence
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.|\b(?:LTD|INC|CO|CORP|S\.A|N\.V|B\.V|S\.A\.S)\.)$",
                               re.IGNORECASE)


@dataclass
class RemarkFacts:
    """What the remarks say, split into structured facts and the rest."""

    aliases: list[Alias] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    listing_dates: list[str] = field(default_factory=list)
    rest: list[str] = field(default_factory=list)

    @property
    def remarks(self) -> str | None:
        """The items that were not turned into facts, re-joined as OFAC writes them."""
        return "; ".join(self.rest) or None


def parse_remarks(text: str | None) -> RemarkFacts:
    """Split an OFAC remarks text into aliases, identifiers, countries, listing dates, rest."""
    facts = RemarkFacts()
    if not text:
        return facts
    body = text.strip()
    items = [item.strip() for item in body.split("; ") if item.strip()]
    for index, item in enumerate(items):
        if index == len(items) - 1 and item.endswith(".") and not _ABBREVIATION_END.search(item):
            item = item[:-1]  # the sentence's full stop, not part of the last value
        _classify(item, facts)
    return facts


def _classify(item: str, facts: RemarkFacts) -> None:
    alias = _ALIAS.match(item.rstrip("."))
    if alias:
        kind = {"a": "aka", "f": "fka", "n": "nka"}[alias.group(1)]
        # OFAC prints its weak ("low quality") a.k.a.s in the remarks, strong ones in alt.csv
        facts.aliases.append(Alias(alias.group(2).strip(), kind, "weak"))
        return
    if item.startswith("Linked To:"):
        facts.identifiers.append(Identifier("linked-to", item[len("Linked To:"):].strip()))
        return
    ident = _ID_PATTERN.match(item)
    if ident:
        label = ident.group("label")
        scheme = _SCHEMES.get(label) or "crypto-" + label.rsplit(" ", 1)[-1].lower()
        value = ident.group("value").strip()
        if scheme == "imo":
            value = value.removeprefix("IMO ").strip()
        facts.identifiers.append(Identifier(scheme, value))
        return
    nationality = _NATIONALITY.match(item)
    if nationality:
        code = country_code(nationality.group(1))
        if code:
            facts.countries.append(code)
            return
    listing = _LISTING_DATE.match(item)
    if listing:
        when = iso_date(listing.group(1))
        if when:
            facts.listing_dates.append(when)
    facts.rest.append(item)


@lru_cache(maxsize=1024)
def scheme_for(label: str) -> str:
    """The identifier scheme for an OFAC document-type label (same names as the CSV remarks)."""
    label = " ".join(label.split())
    if label in _SCHEMES:
        return _SCHEMES[label]
    if label.startswith("Digital Currency Address"):
        return "crypto-" + label.rsplit(" ", 1)[-1].lower()
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "id"
