"""``riskcheck vendors``: the vendor registry's organisations, for the manifest's ``vendor:``."""

from typing import Annotated

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
    from riskcheck.app.vendors import vendors as find
    from riskcheck.cli.options import table_width, write_output
    from riskcheck.formats.vendors_view import render_vendors

    rows = find(query, lists=not no_lists, data_dir=data_dir, bundled=bundled)
    write_output(render_vendors(rows, format, table_width(output)), output)
