"""``riskcheck screen``: look one name up, or screen a file of supplier names, against the lists."""

from pathlib import Path
from typing import Annotated

import typer

from riskcheck.cli.options import DataDirOption, ScreenFormatOption, OutputOption


def screen(
    name: Annotated[
        str | None,
        typer.Argument(help="The organisation name to look up (or use --input).", show_default=False),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option("--country", help="Country of the organisation, as a code or a name (CN, China); "
                     "a match in another country scores lower."),
    ] = None,
    input: Annotated[
        Path | None,
        typer.Option("--input", "-i", help="CSV (column 'name', optional 'country') or JSON "
                     "(list of names or of {name, country}) of names to screen.", dir_okay=False),
    ] = None,
    format: ScreenFormatOption = "table",
    output: OutputOption = None,
    data_dir: DataDirOption = None,
    bundled: Annotated[
        bool,
        typer.Option("--bundled", help="Screen against the snapshot shipped with riskcheck even "
                     "when downloaded lists are stored."),
    ] = False,
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", min=0.0, max=1.0,
                     help="Lowest score reported (default: the review band, 0.80; 0.70 also "
                     "shows 'possible' hits)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Hits reported per name.")] = 10,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, show_default="one per idle CPU core",
                     help="Worker processes for --input files of a few hundred names or more."),
    ] = None,
) -> None:
    """Screen organisation names against the sanctions and export-control lists.

    Prints every listed entity scoring at or above --threshold, with its band (match >= 0.90,
    review >= 0.80, possible >= 0.70), list, matched alias and token alignment. Formats:
    table, json, csv. Exit codes: 0 no hit, 1 at least one hit, 2 bad input, 3 list data problem.

    Example: riskcheck screen "Huawei Technologies Co., Ltd." --country CN --bundled
    """
    from contextlib import contextmanager

    from riskcheck.app import screen as use
    from riskcheck.cli.console import progress_bar
    from riskcheck.cli.options import write_output
    from riskcheck.errors import InputError
    from riskcheck.progress import NULL_PROGRESS, RichProgressAdapter

    if (name is None) == (input is None):
        raise InputError("give either a NAME or --input FILE", hint="see 'riskcheck screen --help'")
    queries = (use.read_names(input) if input is not None
               else [use.name_query(name or "", country)])

    @contextmanager
    def shown():  # type: ignore[no-untyped-def]
        with progress_bar("items") as bar:
            yield RichProgressAdapter(bar) if bar is not None and input is not None else NULL_PROGRESS

    result = use.screen(queries, data_dir=data_dir, bundled=bundled, threshold=threshold,
                        limit=limit, jobs=jobs, progress=shown)
    from riskcheck.cli.options import table_width
    from riskcheck.formats.screen_view import render_screen

    width = table_width(output)
    write_output(render_screen(result, format, width), output)
    if result.hit:
        raise typer.Exit(1)
