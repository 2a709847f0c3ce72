"""``riskcheck fleet``: the organisation view over many projects' results."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from riskcheck.cli.options import (
    BundledChecksOption,
    DataDirOption,
    OfflineOption,
    OutputOption,
    ProjectsPolicyOption,
)


def fleet(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Saved result JSONs (riskcheck check -f json), manifests, project "
                       "folders, or folders of any of these (a folder of checkouts, a folder "
                       "of CI artifacts).", show_default=False),
    ],
    since: Annotated[
        Optional[Path],
        typer.Option("--since", help="A previous 'fleet --format json' output: report projects, "
                     "models and findings added or removed, and levels changed.",
                     dir_okay=False),
    ] = None,
    level: Annotated[
        str, typer.Option("--level", help="List every finding at or above this level "
                          "(none, low, medium, high, critical).")
    ] = "high",
    format: Annotated[
        str, typer.Option("--format", "-f", help="Output format: table (default), json, "
                          "markdown, csv, html, pdf.")
    ] = "table",
    output: OutputOption = None,
    policy: ProjectsPolicyOption = None,
    bundled: BundledChecksOption = False,
    data_dir: DataDirOption = None,
    offline: OfflineOption = False,
) -> None:
    """Aggregate many projects: who depends on which vendor, country and list, and what changed.

    Per vendor (and parent, upstream, serving party), country and list: how many projects and
    models depend on it and the share of critical models; the organisation's concentration
    (top vendor and country, HHI); every finding at or above --level; the lists and versions
    each project was screened against, flagging stale or bundled-only data. Exit codes: 0 every
    project passes its policy, 1 at least one project fails its policy, 2 usage or input error
    (the file is named), 3 list data missing, stale or corrupt.

    Example: riskcheck fleet ci-artifacts/ --since last-week.json -f html -o fleet.html
    """
    from riskcheck.app.fleet import FORMATS, fleet as aggregate_fleet, render
    from riskcheck.cli.options import write_output
    from riskcheck.errors import InputError
    from riskcheck.model import Level

    if format not in FORMATS:
        raise InputError(f"unknown format {format!r} for fleet",
                         hint="choose one of: " + ", ".join(FORMATS))
    try:
        threshold = Level.parse(level)
    except ValueError as exc:
        raise InputError(f"--level: {exc}") from None
    result = aggregate_fleet(paths, level=threshold, since=since, policy_file=policy,
                             bundled=bundled, data_dir=data_dir, offline=offline)
    from riskcheck.cli.options import table_width

    width = table_width(output)
    write_output(render(result, format, width), output)
    raise typer.Exit(1 if result.failing else 0)
