"""``riskcheck vendors`` output: registry organisations (table or JSON)."""

from __future__ import annotations

import json
from typing import Any

from riskcheck.formats.console import render, table


def render_vendors(rows: list[dict[str, Any]], format_name: str, width: int) -> str:
    """The rows of :func:`riskcheck.app.vendors.vendors` as ``vendors`` prints them."""
    if format_name == "json":
        return json.dumps({"schema_version": "1", "organisations": rows}, indent=2,
                          ensure_ascii=False)
    with_lists = bool(rows) and "lists" in rows[0]
    cells = []
    for row in rows:
        names = row["name"] + (f" ({'; '.join(row['legal_names'])})" if row["legal_names"] else "")
        line = [row["id"], names, row["country"] or "??", row["kind"]]
        if with_lists:
            line.append(", ".join(row["lists"]) or "-")
        line.append(", ".join(row["hf_orgs"]) or "-")
        cells.append(line)
    columns = ["Id", "Name", "Country", "Kind", *(["Lists"] if with_lists else []), "HF orgs"]
    return render(table(columns, cells, width=width, identifiers=["Id"]),
                  f"{len(rows)} organisation(s)", width=width)
