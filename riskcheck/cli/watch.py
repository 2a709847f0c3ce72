"""``riskcheck watch``: the scheduled job that reports only what changed since the last run."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from riskcheck.cli.options import (
    DataDirOption,
    FormatOption,
    OfflineOption,
    OutputOption,
    TimeoutOption,
    download_timeout,
)


def watch(
    manifest: Annotated[Path, typer.Argument(help="The project's riskcheck.yaml.")],
    format: FormatOption = "table",
    output: OutputOption = None,
    webhook: Annotated[
        Optional[str],
        typer.Option("--webhook", help="POST the changes as JSON to this URL (retried; "
                     "on failure the previous state is kept).", envvar="RISKCHECK_WEBHOOK_URL",
                     show_envvar=True),
    ] = None,
    summary: Annotated[
        Optional[Path],
        typer.Option("--summary", help="Also write a Markdown summary of the changes here "
                     "(e.g. $GITHUB_STEP_SUMMARY).", dir_okay=False),
    ] = None,
    name: Annotated[
        Optional[str],
        typer.Option("--name", help="State key; defaults to the manifest's absolute path."),
    ] = None,
    fail_on: Annotated[
        Optional[str],
        typer.Option("--fail-on", help="Exit 1 when a NEW finding reaches this level "
                     "(default: the manifest's policy).", envvar="RISKCHECK_FAIL_ON"),
    ] = None,
    no_update: Annotated[
        bool, typer.Option("--no-update", help="Do not download lists; re-screen what is stored.")
    ] = False,
    data_dir: DataDirOption = None,
    offline: OfflineOption = False,
    timeout: TimeoutOption = None,
) -> None:
    """Update the lists, re-screen MANIFEST and report what changed since the previous watch.

    New matches, removed matches, changed levels and lists gone stale are reported; exit 1 when
    something new reaches the threshold. The first run reports every current match as new.
    State lives in the list store; a run that fails keeps the previous state. --timeout caps
    each list download (default 600 s, or RISKCHECK_DOWNLOAD_TIMEOUT).

    Example: riskcheck watch riskcheck.yaml --webhook https://hooks.example.com/riskcheck
    """
    from riskcheck.app.watch import watch as watch_once
    from riskcheck.cli import console
    from riskcheck.cli.options import write_output
    from riskcheck.progress import NULL_PROGRESS, RichProgressAdapter

    with console.progress_bar() as bar:
        progress = RichProgressAdapter(bar) if bar is not None else NULL_PROGRESS
        result = watch_once(manifest, data_dir=data_dir, offline=offline, update=not no_update,
                            name=name, fail_on=fail_on, webhook=webhook, summary_path=summary,
                            write_summary=lambda text, path: write_output(text, path),
                            progress=progress, timeout=download_timeout(timeout))
    for failure in result.update_failures:
        console.warning(failure)
    from riskcheck.cli.options import table_width
    from riskcheck.formats.watch_view import render_watch

    width = table_width(output)
    write_output(render_watch(result, format, width, webhook=webhook), output)
    if result.update_error:
        from riskcheck.errors import DataError

        raise DataError(result.update_error, hint="see 'riskcheck lists status'; the changes "
                        "above were delivered and saved")
    raise typer.Exit(1 if result.alert else 0)
