"""``riskcheck check``: the end-to-end audit of a model manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from riskcheck.cli.options import DataDirOption, FormatOption, OfflineOption, OutputOption


def check(
    manifest: Annotated[
        Path,
        typer.Argument(help="The project's riskcheck.yaml manifest.", show_default=False),
    ],
    format: FormatOption = "table",
    output: OutputOption = None,
    fail_on: Annotated[
        Optional[str],
        typer.Option(
            "--fail-on",
            help="Exit 1 when any model reaches this level: none, low, medium, high, critical. "
            "Overrides the manifest's policy.fail_on (default high).",
            envvar="RISKCHECK_FAIL_ON",
            show_envvar=True,
        ),
    ] = None,
    bundled: Annotated[
        bool,
        typer.Option(
            "--bundled",
            help="Screen against the snapshot shipped with riskcheck even when downloaded "
            "lists are stored.",
        ),
    ] = False,
    max_list_age: Annotated[
        Optional[int],
        typer.Option(
            "--max-list-age",
            help="Exit 3 when a stored list is older than this many days.",
            min=0,
        ),
    ] = None,
    data_dir: DataDirOption = None,
    offline: OfflineOption = False,
) -> None:
    """Resolve, screen and score every model in MANIFEST; exit 1 on findings at --fail-on.

    Exit codes: 0 pass, 1 findings at or above the threshold, 2 usage or input error,
    3 list data missing, stale or corrupt.

    Example: riskcheck check examples/rag-app/riskcheck.yaml --format json -o result.json
    """
    from riskcheck.cli import run

    report = run.check_manifest(
        manifest,
        fail_on=fail_on,
        bundled=bundled,
        max_list_age=max_list_age,
        data_dir=data_dir,
        offline=offline,
    )
    run.emit(report, format, output)
    raise typer.Exit(1 if report.failed else 0)
