"""``riskcheck fleet``: the organisation view over many projects' results."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from riskcheck.cli.options import DataDirOption, OfflineOption, OutputOption


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
    policy: Annotated[
        Optional[Path],
        typer.Option("--policy", help="The operator's policy (file or preset) for projects "
                     "checked now; saved results keep the policy they were checked under.",
                     dir_okay=False, envvar="RISKCHECK_POLICY", show_envvar=True),
    ] = None,
    bundled: Annotated[
        bool, typer.Option("--bundled", help="Check manifests against the bundled snapshot.")
    ] = False,
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
    from riskcheck.cli import run
    from riskcheck.cli.options import write_output
    from riskcheck.errors import InputError
    from riskcheck.fleet.aggregate import aggregate
    from riskcheck.fleet.render import FORMATS, load_previous, render
    from riskcheck.fleet.sources import collect
    from riskcheck.formats.json_load import load_report
    from riskcheck.model import Level

    if format not in FORMATS:
        raise InputError(f"unknown format {format!r} for fleet",
                         hint="choose one of: " + ", ".join(FORMATS))
    try:
        threshold = Level.parse(level)
    except ValueError as exc:
        raise InputError(f"--level: {exc}") from None
    previous = load_previous(since) if since is not None else None
    reports, warnings = [], []
    for item in collect(paths):
        if item.kind == "result":
            reports.append((load_report(item.path), str(item.path)))
            continue
        try:
            report = run.check_manifest(item.path, fail_on=None, bundled=bundled,
                                        max_list_age=None, data_dir=data_dir, offline=offline,
                                        policy_file=policy)
        except InputError as skipped:
            if not item.scan_only:
                raise
            warnings.append(f"skipped {item.path}: {skipped.message}")
            continue
        reports.append((report, str(item.path)))
    if not reports:
        raise InputError("no projects found", hint="give result JSONs, manifests or folders")
    bundled_projects = [r.project.name for r, _ in reports if r.bundled_data]
    if bundled_projects:
        warnings.append("screened against the bundled snapshot, not downloaded lists: "
                        + ", ".join(bundled_projects))
    result = aggregate(reports, level=threshold, previous=previous,
                       since=str(since) if since is not None else None, warnings=warnings)
    write_output(render(result, format), output)
    raise typer.Exit(1 if result.failing else 0)
