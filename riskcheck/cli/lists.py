"""``riskcheck lists``: download, store, inspect, compare, import and search official lists."""

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from riskcheck.cli.options import (
    AcceptShrinkOption,
    DataDirOption,
    FormatOption,
    OfflineOption,
    OutputOption,
    TimeoutOption,
    download_timeout,
    table_width,
)

app = typer.Typer(
    help="Download, store and inspect the official sanctions and export-control lists.\n\n"
         "Example: riskcheck lists update",
    no_args_is_help=True,
    rich_markup_mode=None,
)


ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Lists config file (default: config.yaml in the data "
                 "directory): source URLs, disabled sources, custom lists, eu_token, mirror_url.",
                 envvar="RISKCHECK_CONFIG", show_envvar=True, dir_okay=False),
]


def _usage(message: str, hint: str) -> Exception:
    from riskcheck.errors import RiskcheckError

    return RiskcheckError(message, hint=hint)  # exit code 2 (usage)


def _emit_outcomes(command: str, outcomes: list[Any], format: str, output: Path | None) -> None:
    from riskcheck.cli.console import error
    from riskcheck.cli.options import write_output

    from riskcheck.formats import lists_view

    write_output(lists_view.outcomes(command, outcomes, format, table_width(output)), output)
    failed = [o for o in outcomes if o.failed]
    if failed:
        from riskcheck.errors import DataError

        # One line per failed source; the last goes through the common error path, which
        # also sets exit code 3.
        for outcome in failed[:-1]:
            error(outcome.message)
        raise DataError(failed[-1].message)


@app.command("update")
def update(
    sources: Annotated[list[str] | None, typer.Argument(
        help="Source ids to update (default: every enabled source; see 'lists status').",
        show_default=False)] = None,
    format: FormatOption = "table",
    output: OutputOption = None,
    data_dir: DataDirOption = None,
    offline: OfflineOption = False,
    config: ConfigOption = None,
    accept_shrink: AcceptShrinkOption = False,
    timeout: TimeoutOption = None,
) -> None:
    """Download the official lists, check them and store new versions.

    A source that fails keeps its previous version in force; the others still update, and the
    exit code is 3. A new version with more than max_shrink percent (default 20) fewer records
    than the stored one is refused unless --accept-shrink is given. Set RISKCHECK_MIRROR_URL to fetch every file from a mirror holding the
    official file names, and RISKCHECK_EU_TOKEN to override the EU download token.

    Example: riskcheck lists update ofac_sdn us_csl
    """
    from riskcheck.app import lists as use
    from riskcheck.cli.console import progress_bar
    from riskcheck.progress import NULL_PROGRESS, RichProgressAdapter

    use.catalogue(data_dir, config)  # a bad config fails before the progress bar starts
    with progress_bar() as bar:
        progress = RichProgressAdapter(bar) if bar is not None else NULL_PROGRESS
        outcomes = use.update(sources or None, data_dir=data_dir, config=config,
                              progress=progress, offline=offline, accept_shrink=accept_shrink,
                              timeout=download_timeout(timeout))
    _emit_outcomes("lists update", outcomes, format, output)


@app.command("status")
def status(
    format: FormatOption = "table",
    output: OutputOption = None,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
    require_fresh: Annotated[bool, typer.Option(
        "--require-fresh", help="Exit 3 when a list required for a fresh check is stale or "
        "missing.")] = False,
) -> None:
    """Show each list's stored version: age, record count, publication date and staleness.

    Example: riskcheck lists status --require-fresh
    """
    from riskcheck.app import lists as use
    from riskcheck.cli.options import write_output
    from riskcheck.errors import DataError

    entries = use.status(data_dir=data_dir, config=config)
    from riskcheck.formats import lists_view

    write_output(lists_view.status(entries, format, table_width(output)), output)
    bad = [e for e in entries if e["required_for_fresh"] and e["state"] in ("stale", "missing")]
    if require_fresh and bad:
        names = ", ".join(f"{e['source']} ({e['state']})" for e in bad)
        raise DataError(f"lists not fresh: {names}", hint="run 'riskcheck lists update'")


@app.command("diff")
def diff(
    source: Annotated[str, typer.Argument(help="Source id, e.g. us_csl.", show_default=False)],
    since: Annotated[str | None, typer.Option(
        "--since", help="Compare with the version stored on or before this date (YYYY-MM-DD) "
        "instead of the previous one.")] = None,
    format: FormatOption = "table",
    output: OutputOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Show entries added, removed and changed between two stored versions of a list.

    Example: riskcheck lists diff us_csl --since 2026-01-01
    """
    from riskcheck.app import lists as use
    from riskcheck.cli.options import write_output

    if since is not None:
        try:
            date.fromisoformat(since)
        except ValueError:
            raise _usage(f"--since {since!r} is not a date", "use YYYY-MM-DD") from None
    result = use.diff(source, since=since, data_dir=data_dir)
    from riskcheck.formats import lists_view

    write_output(lists_view.diff(result, format, table_width(output)), output)


@app.command("import")
def import_(
    source: Annotated[str, typer.Argument(help="Source id, e.g. ofac_sdn.", show_default=False)],
    files: Annotated[list[str], typer.Argument(
        help="Files as published (role inferred from the name, e.g. SDN.CSV, ADD.CSV) or "
        "ROLE=PATH.", show_default=False)],
    role: Annotated[str | None, typer.Option(
        "--role", help="The file role of a single FILE (main, add, alt, comments).")] = None,
    format: FormatOption = "table",
    output: OutputOption = None,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
    accept_shrink: AcceptShrinkOption = False,
    variant: Annotated[str | None, typer.Option(
        "--variant", metavar="NAME",
        help="Read the files as one of the source's other official formats (its variants in "
        "lists/sources.yaml, e.g. uk_sanctions ofsi_conlist for the OFSI ConList.csv), for "
        "this import only.", show_default=False)] = None,
    min_records: Annotated[int | None, typer.Option(
        "--min-records", min=1,
        help="Accept a file with at least this many records for this import (an archived or "
        "older edition smaller than the source's min_records).")] = None,
) -> None:
    """Store a list version from files fetched by other means (air-gapped machines).

    A version with more than max_shrink percent (default 20) fewer records than the stored
    one is refused unless --accept-shrink is given; a file with fewer records than the
    source's min_records is refused unless --min-records says so.

    Example: riskcheck lists import ofac_sdn SDN.CSV ADD.CSV ALT.CSV SDN_COMMENTS.CSV
    """
    from riskcheck.app import lists as use

    if role is not None and len(files) != 1:
        raise _usage("--role needs exactly one FILE", "use ROLE=PATH to name several files")
    from riskcheck.cli.console import progress_bar
    from riskcheck.progress import NULL_PROGRESS, RichProgressAdapter

    with progress_bar() as bar:  # the name index is built after the import
        progress = RichProgressAdapter(bar) if bar is not None else NULL_PROGRESS
        outcome = use.import_files(source, files, role=role, data_dir=data_dir, config=config,
                                   accept_shrink=accept_shrink, min_records=min_records,
                                   variant=variant, progress=progress)
    _emit_outcomes("lists import", [outcome], format, output)


@app.command("search")
def search(
    name: Annotated[str, typer.Argument(help="The name to look up.", show_default=False)],
    country: Annotated[str | None, typer.Option(
        "--country", help="Country of the party, as a code or a name (CN, China); raises "
        "agreeing matches.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=200, help="Most results shown.")] = 10,
    people: Annotated[bool, typer.Option(
        "--people", help="Also match people, vessels and aircraft (default: organisations).")] = False,
    format: FormatOption = "table",
    output: OutputOption = None,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
) -> None:
    """Look a name up in every stored list (a one-off screening, without a manifest).

    Example: riskcheck lists search "Beijing Sensetime Technology" --country CN
    """
    from riskcheck.app import lists as use
    from riskcheck.cli.console import warning
    from riskcheck.cli.options import write_output

    result = use.search(name, country=country, limit=limit, people=people, data_dir=data_dir,
                        config=config)
    for version in result.versions:
        if version.stale:
            warning(f"{version.source} is stale (fetched {version.fetched_at}); "
                    "run 'riskcheck lists update'")
    from riskcheck.formats import lists_view

    write_output(lists_view.search(result, format, table_width(output)), output)
