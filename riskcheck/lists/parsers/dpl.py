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
    csv_records,
    iso_date,
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
        for _, record in csv_records(path, WHAT, required=COLUMNS, delimiter="\t"):
            yield record

    def parse(self, files: Mapping[str, Path]) -> Iterator[ListEntity]:
        """Yield one entity per row."""
        path = role_path(files, "main", FORMAT)
        for record in self._records(path):
            yield self._entity(record)

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
