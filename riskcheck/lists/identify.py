"""Which official list file a local file looks like, from its first bytes.

Used when a file given to ``riskcheck lists import`` does not parse as the source's format:
the error then says what the file looks like and how to import it (another variant of the
same source, or another source), instead of only what it is not. Recognition reads the root
element of an XML file or the header line of a CSV/TSV file; it never decides a format on its
own, the parser does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from riskcheck.lists.interface import ListDataError
from riskcheck.lists.parsers._common import read_head


@dataclass(frozen=True)
class Kind:
    """A recognised file: the parser format that reads it and what it is called."""

    format: str
    what: str


_OFAC_ROW = re.compile(rb'^\d+,"')


def identify(path: Path) -> Kind | None:
    """What ``path`` looks like (None when it matches no official file riskcheck reads)."""
    try:
        head = read_head(path, 8192)
    except ListDataError:
        return None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else b""
    if text.startswith(b"<") or text.startswith(b"<?xml"):
        for tag, kind in _XML_ROOTS:
            if re.search(rb"<(?:[\w-]+:)?" + tag + rb"[\s>]", text):
                return kind
        return None
    header = first
    if first.startswith(b"last updated,") and len(lines) > 1:
        header = lines[1]
    cells = {cell.strip(b' "') for cell in re.split(rb"[,\t;]", header)}
    if b"name 6" in cells and b"group id" in cells:
        return Kind("ofsi_conlist_csv", "the OFSI consolidated list CSV (ConList.csv)")
    if b"unique id" in cells and b"name 6" in cells:
        return Kind("uk_sanctions_list", "the UK Sanctions List CSV (UK-Sanctions-List.csv)")
    if b"entity_number" in cells and b"source" in cells and b"name" in cells:
        return Kind("us_csl_csv", "the trade.gov Consolidated Screening List CSV")
    if b"\t" in header and b"street_address" in cells and b"effective_date" in cells:
        return Kind("bis_dpl_tsv", "the BIS Denied Persons List (dpl.txt)")
    if _OFAC_ROW.match(first):
        return Kind("ofac_legacy_csv", "an OFAC legacy CSV (SDN.CSV, ADD.CSV, ALT.CSV ...)")
    return None


_XML_ROOTS: tuple[tuple[bytes, Kind], ...] = (
    (b"designations", Kind("uk_sanctions_list", "the UK Sanctions List XML")),
    (b"sanctionsdata", Kind("ofac_enhanced_xml", "an OFAC Enhanced XML file")),
    (b"consolidated_list", Kind("un_sc_xml", "the UN Security Council consolidated list XML")),
    (b"export", Kind("eu_fsf_xml", "an EU Financial Sanctions Files XML")),
    (b"whole", Kind("eu_fsf_xml", "an EU Financial Sanctions Files XML (legacy layout)")),
)
