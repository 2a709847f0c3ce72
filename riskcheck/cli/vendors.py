"""``riskcheck vendors``: the vendor registry's organisations, for the manifest's ``vendor:``."""

from pathlib import Path
from typing import Annotated, Any

import typer

from riskcheck.cli.options import DataDirOption, FormatOption, OutputOption


def vendors(
    query: Annotated[
        str | None,
        typer.Argument(help="Show only organisations whose id, name, legal or native name, "
                       "alias, HF org, Ollama name or OpenRouter prefix contains QUERY "
                       "(case and punctuation ignored).", show_default=False),
    ] = None,
    format: FormatOption = "table",
    output: OutputOption = None,
    data_dir: DataDirOption = None,
    bundled: Annotated[
        bool,
        typer.Option("--bundled", help="Look the organisations up in the snapshot shipped with "
                     "riskcheck even when downloaded lists are stored."),
    ] = False,
    no_lists: Annotated[
        bool,
        typer.Option("--no-lists", help="Do not screen the organisations against the lists "
                     "(faster; the lists column is left out)."),
    ] = False,
) -> None:
    """List the organisations riskcheck knows: id, names, country, lists and HF orgs.

    The id is what a manifest's `vendor:` takes. The lists column names the official lists
    on which a listed entity matches the organisation's names (band match or review), as
    `riskcheck screen` would find it. Exit codes: 0 at least one organisation listed, 2 bad
    input or no organisation matches QUERY, 3 list data problem.

    Example: riskcheck vendors huawei
    """
    from riskcheck.cli.options import write_output
    from riskcheck.errors import InputError
    from riskcheck.resolve.registry import load_registry, normalise_name

    if format not in ("table", "json"):
        raise InputError(f"unknown --format {format!r} for vendors", hint="use table or json")
    registry = load_registry()
    wanted = normalise_name(query) if query is not None else ""
    if query is not None and not wanted:
        raise InputError("the QUERY is empty", hint="give part of a name, id or HF org")
    records = [r for r in registry if not wanted or any(
        wanted in normalise_name(text) for text in _keys(r))]
    if not records:
        raise InputError(f"no registry organisation matches {query!r}",
                         hint="run 'riskcheck vendors' without a QUERY to see them all")
    lists = None if no_lists else _lists(records, data_dir, bundled)
    rows = [_row(record, registry, lists) for record in sorted(records, key=lambda r: r.id)]
    if format == "json":
        import json

        document = {"schema_version": "1", "organisations": rows}
        write_output(json.dumps(document, indent=2, ensure_ascii=False), output)
    else:
        write_output(_table(rows, with_lists=lists is not None, wide=output is not None), output)


def _keys(record: Any) -> list[str]:
    org = record.organisation
    return [record.id, org.name, *org.legal_names, *org.native_names, *org.aliases,
            *record.hf_orgs, *record.ollama, *record.openrouter]


def _lists(records: list[Any], data_dir: Path | None,
           bundled: bool) -> dict[str, list[str]]:
    from riskcheck.cli.screen import _cache_dir
    from riskcheck.lists.select import load_entities
    from riskcheck.match import batch
    from riskcheck.match.screener import NameScreener

    entity_set = load_entities(data_dir, bundled=bundled)
    screener = NameScreener(batch.engine_for(entity_set, _cache_dir(data_dir)))
    found: dict[str, list[str]] = {}
    for record in records:
        codes: dict[str, None] = {}
        for hit in screener.screen_organisation(record.organisation):
            if hit.band in ("match", "review"):
                codes.update(dict.fromkeys(hit.entity.lists))
        found[record.id] = sorted(codes)
    return found


def _row(record: Any, registry: Any, lists: dict[str, list[str]] | None) -> dict[str, Any]:
    org = record.organisation
    row: dict[str, Any] = {
        "id": record.id, "name": org.name, "kind": org.kind, "country": org.country,
        "legal_names": list(org.legal_names), "aliases": list(org.aliases),
        "parents": [edge.parent_id for edge in org.parents],
        "hf_orgs": list(record.hf_orgs), "ollama": list(record.ollama),
        "openrouter": list(record.openrouter),
    }
    if lists is not None:
        row["lists"] = lists.get(record.id, [])
    return row


def _table(rows: list[dict[str, Any]], *, with_lists: bool, wide: bool) -> str:
    import io
    import shutil

    from rich.console import Console
    from rich.table import Table

    from riskcheck.terminal import terminal_safe

    table = Table(show_lines=False, header_style="bold")
    columns = ["Id", "Name", "Country", "Kind", *(["Lists"] if with_lists else []), "HF orgs"]
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        names = row["name"] + (f" ({'; '.join(row['legal_names'])})" if row["legal_names"] else "")
        cells = [row["id"], names, row["country"] or "??", row["kind"]]
        if with_lists:
            cells.append(", ".join(row["lists"]) or "-")
        cells.append(", ".join(row["hf_orgs"]) or "-")
        table.add_row(*(terminal_safe(cell) for cell in cells))
    width = 160 if wide else max(100, shutil.get_terminal_size((120, 24)).columns)
    buffer = io.StringIO()
    Console(file=buffer, width=width, no_color=True, highlight=False, emoji=False,
            markup=False).print(table)
    return buffer.getvalue() + f"{len(rows)} organisation(s)\n"
