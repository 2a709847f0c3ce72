"""OFAC legacy CSV set (``sdn.csv`` / ``cons_prim.csv`` with add, alt and comments files).

Quirks handled: no header row; CRLF; a trailing 0x1A (SUB) byte on its own line; ``-0- ``
(with a trailing space, unquoted) as the null marker; several programs joined as
``A] [B``; remarks longer than ~1000 characters continued in the comments file, starting
mid-word (so the pieces are concatenated without a separator).

The add/alt/comments files are read into memory first (they are small); the main file is
streamed. Rows of add/alt/comments whose ent_num is not in the main file are ignored and
counted in :attr:`OfacCsvParser.orphans` (OFAC publishes the four files together, so orphans
mean the set is mixed from different days).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path

from riskcheck.lists.interface import ListParser
from riskcheck.lists.parsers._common import (
    csv_rows,
    dedupe_aliases,
    detect_encoding,
    fail,
    natural_order,
    open_text,
    read_head,
    reject_foreign,
    role_path,
    unique,
)
from riskcheck.territories import code_of as country_code
from riskcheck.lists.parsers._ofac import consolidated_lists, parse_remarks, split_programs
from riskcheck.model import Alias, ListEntity

FORMAT = "ofac_legacy_csv"
COLUMNS = {"main": 12, "add": 6, "alt": 5, "comments": 2}
WHAT = {
    "main": "an OFAC SDN/consolidated CSV (sdn.csv or cons_prim.csv)",
    "add": "an OFAC address CSV (add.csv)",
    "alt": "an OFAC alias CSV (alt.csv)",
    "comments": "an OFAC remarks-continuation CSV (sdn_comments.csv)",
}
_TYPES = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft"}
_ALT_KINDS = {"aka": "aka", "fka": "fka", "nka": "nka"}


def _value(text: str) -> str | None:
    value = text.strip()
    return None if not value or value == "-0-" else value


class OfacCsvParser(ListParser):
    """Parses the OFAC legacy CSV set for the SDN list or the Consolidated (non-SDN) list."""

    roles = ("main", "add", "alt", "comments")

    def __init__(self, source_id: str) -> None:
        super().__init__(source_id)
        self.orphans = 0
        """Rows of add/alt/comments whose ent_num is not in the main file (after parsing)."""
        self.orphans_by_role: dict[str, int] = {}

    def _rows(self, path: Path, role: str) -> Iterator[tuple[int, list[str]]]:
        """Data rows of one file, checked for the column count; the SUB byte is skipped."""
        reject_foreign(path, read_head(path), WHAT[role])
        expected = COLUMNS[role]
        with open_text(path, detect_encoding(path, ("utf-8", "cp1252"))) as stream:
            for line, row in csv_rows(stream, path, WHAT[role]):
                if not row or (len(row) == 1 and row[0].strip() in ("\x1a", "")):
                    continue
                if len(row) != expected:
                    raise fail(path, f"expected {expected} columns, found {len(row)} on line "
                                     f"{line}; the download is probably not {WHAT[role]}")
                if not (row[0].strip().isascii() and row[0].strip().isdigit()):
                    raise fail(path, f"line {line}: ent_num {row[0][:20]!r} is not a number; "
                                     f"the file is not {WHAT[role]} (OFAC files have no header)")
                yield line, row

    def _side_files(self, files: Mapping[str, Path]) -> tuple[dict, dict, dict]:
        addresses: dict[int, list[list[str]]] = defaultdict(list)
        aliases: dict[int, list[list[str]]] = defaultdict(list)
        comments: dict[int, list[str]] = defaultdict(list)
        for role, table in (("add", addresses), ("alt", aliases)):
            if files.get(role):
                for _, row in self._rows(Path(files[role]), role):
                    table[int(row[0])].append(row)
        if files.get("comments"):
            for _, row in self._rows(Path(files["comments"]), "comments"):
                comments[int(row[0])].append(row[1])
        return addresses, aliases, comments

    def parse(self, files: Mapping[str, Path]) -> Iterator[ListEntity]:
        """Yield one entity per row of the main file, joined with its addresses and aliases."""
        main = role_path(files, "main", FORMAT)
        addresses, aliases, comments = self._side_files(files)
        seen: set[int] = set()
        count = 0
        for _, row in self._rows(main, "main"):
            ent_num = int(row[0])
            seen.add(ent_num)
            count += 1
            yield self._entity(row, addresses.get(ent_num, ()), aliases.get(ent_num, ()),
                               comments.get(ent_num, ()))
        if count == 0:
            raise fail(main, f"no records found; the file is not {WHAT['main']}")
        self.orphans_by_role = {
            role: sum(len(rows) for key, rows in table.items() if key not in seen)
            for role, table in (("add", addresses), ("alt", aliases), ("comments", comments))
        }
        self.orphans = sum(self.orphans_by_role.values())

    def _entity(self, row: list[str], add_rows, alt_rows, comment_rows) -> ListEntity:
        name = " ".join((_value(row[1]) or "").split())
        sdn_type = _value(row[2])
        entity_type = "organisation" if sdn_type is None else _TYPES.get(sdn_type.lower(), "unknown")
        programs = split_programs(_value(row[3]) or "")
        remarks_text = _value(row[11])
        if comment_rows:
            remarks_text = (remarks_text or "") + "".join(comment_rows)
        facts = parse_remarks(remarks_text)
        alias_list: list[Alias] = []
        if entity_type == "person" and (natural := natural_order(name)):
            alias_list.append(Alias(natural, "aka", "strong"))
        for alt in alt_rows:
            alt_name = _value(alt[3])
            if alt_name:
                kind = _ALT_KINDS.get((_value(alt[2]) or "aka").lower(), "aka")
                alias_list.append(Alias(alt_name, kind, "strong"))
        alias_list.extend(facts.aliases)
        address_texts, countries = [], list(facts.countries)
        for add in add_rows:
            parts = [_value(add[2]), _value(add[3]), _value(add[4])]
            address_texts.append(", ".join(p for p in parts if p))
            code = country_code(_value(add[4]))
            if code:
                countries.append(code)
        if self.source_id.endswith("sdn"):
            lists = ("SDN",)
        else:
            lists = consolidated_lists(programs)
        extra = [f"Title: {_value(row[4])}"] if _value(row[4]) else []
        vessel = [f"{label}: {_value(row[i])}" for i, label in
                  ((5, "Call sign"), (6, "Vessel type"), (9, "Flag"), (10, "Owner"))
                  if _value(row[i])]
        remarks = "; ".join([*extra, *vessel, *([facts.remarks] if facts.remarks else [])])
        return ListEntity(
            source=self.source_id,
            source_id=row[0].strip(),
            lists=lists,
            programs=programs,
            entity_type=entity_type,  # type: ignore[arg-type]
            name=name,
            aliases=dedupe_aliases(name, alias_list),
            countries=unique(countries),
            addresses=unique(address_texts),
            identifiers=tuple(dict.fromkeys(facts.identifiers)),
            listed_on=min(facts.listing_dates) if facts.listing_dates else None,
            remarks=remarks or None,
        )
