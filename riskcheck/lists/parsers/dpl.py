"""BIS Denied Persons List, tab-delimited text (``dpl.txt``) with every field double-quoted.

The file has no record identifier, so ``source_id`` is a short hash of the name, address and
effective date (stable between downloads as long as the entry is unchanged). Dates are
``MM/DD/YYYY`` (effective, expiration) and ``YYYY-MM-DD`` (last update); impossible dates
(the source has a "3033") are kept verbatim in the remarks, never turned into facts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from riskcheck.lists.interface import ListParser
from riskcheck.lists.parsers._common import (
    csv_rows,
    detect_encoding,
    fail,
    iso_date,
    open_text,
    read_head,
    reject_foreign,
    role_path,
)
from riskcheck.territories import code_of as country_code
from riskcheck.model import ListEntity

FORMAT = "bis_dpl_tsv"
WHAT = "the BIS Denied Persons List (tab-delimited dpl.txt)"
COLUMNS = ("Name", "Street_Address", "City", "State", "Country", "Postal_Code",
           "Effective_Date", "Expiration_Date", "Standard_Order", "Last_Update", "Action",
           "FR_Citation")
_US_DATE = ("%m/%d/%Y",)


class DplParser(ListParser):
    """Parses the Denied Persons List; one entity per row."""

    def _records(self, path: Path) -> Iterator[dict[str, str]]:
        reject_foreign(path, read_head(path), WHAT)
        with open_text(path, detect_encoding(path, ("utf-8", "cp1252"))) as stream:
            header: list[str] | None = None
            for line, row in csv_rows(stream, path, WHAT, delimiter="\t"):
                if header is None:
                    header = [cell.strip() for cell in row]
                    missing = [c for c in COLUMNS if c not in header]
                    if missing:
                        raise fail(path, f"missing column(s) {', '.join(missing)} in the header "
                                         f"on line {line} (found {len(header)} column(s)); the "
                                         f"download is probably not {WHAT}")
                    continue
                if not any(cell.strip() for cell in row):
                    continue
                if [cell.strip() for cell in row] == header:
                    continue  # a repeated header (files joined together) is not a person
                if len(row) != len(header):
                    raise fail(path, f"expected {len(header)} columns, found {len(row)} on line "
                                     f"{line}; the file is truncated or not {WHAT}")
                yield {name: " ".join(value.split()) for name, value in zip(header, row)}

    def parse(self, files: Mapping[str, Path]) -> Iterator[ListEntity]:
        """Yield one entity per row."""
        path = role_path(files, "main", FORMAT)
        count = 0
        for record in self._records(path):
            count += 1
            yield self._entity(record)
        if count == 0:
            raise fail(path, f"no records found; the file is not {WHAT} or is cut off")

    def published(self, files: Mapping[str, Path]) -> str | None:
        """The newest plausible ``Last_Update`` (the file prints no publication date)."""
        path = role_path(files, "main", FORMAT)
        dates = [d for r in self._records(path) if (d := iso_date(r["Last_Update"]))]
        return max(dates) if dates else None

    def _entity(self, record: dict[str, str]) -> ListEntity:
        name = record["Name"]
        address = ", ".join(record[c] for c in ("Street_Address", "City", "State", "Postal_Code",
                                                "Country") if record[c])
        key = "|".join((name, address, record["Effective_Date"]))
        remarks = []
        for column, label in (("Action", "Action"), ("Expiration_Date", "Order expires"),
                              ("Standard_Order", "Standard order"),
                              ("Last_Update", "Last update")):
            if record[column]:
                remarks.append(f"{label}: {record[column]}")
        effective = iso_date(record["Effective_Date"], _US_DATE)
        if record["Effective_Date"] and not effective:
            remarks.append(f"Effective date as printed: {record['Effective_Date']}")
        country = country_code(record["Country"])
        return ListEntity(
            source=self.source_id,
            source_id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
            lists=("DPL",),
            entity_type="unknown",  # the DPL mixes people and companies without saying which
            name=name,
            countries=(country,) if country else (),
            addresses=(address,) if address else (),
            listed_on=effective,
            remarks="; ".join(remarks) or None,
            citation=record["FR_Citation"] or None,
        )
