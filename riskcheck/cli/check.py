"""``riskcheck check``: the end-to-end audit of a model manifest."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from riskcheck.cli.options import (
    DataDirOption, DetailsOption, MarkdownBudgetOption, OfflineOption, OutputOption, ReportFormatOption,
)


def check(
    manifest: Annotated[
        Path,
        typer.Argument(help="The project's riskcheck.yaml, or a project directory: its "
                       "riskcheck.yaml is checked and its code scanned for undeclared models "
                       "(without a manifest, the models found in the code are checked).",
                       show_default=False),
    ],
    format: ReportFormatOption = "table",
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
    reports: Annotated[
        Optional[list[str]],
        typer.Option(
            "--report",
            help="Also write the result as FORMAT to PATH (repeatable), e.g. "
            "--report sarif=riskcheck.sarif --report pdf=report.pdf.",
            metavar="FORMAT=PATH",
        ),
    ] = None,
    policy: Annotated[
        Optional[Path],
        typer.Option("--policy", help="The operator's policy: a policy file or a preset "
                     "(default, strict, permissive). It governs: the manifest's policy and a "
                     "riskcheck-policy.yaml beside it (used on its own when --policy is not "
                     "given) can then only make the check stricter.",
                     dir_okay=False, envvar="RISKCHECK_POLICY", show_envvar=True),
    ] = None,
    no_scan: Annotated[
        bool, typer.Option("--no-scan", help="For a directory: check only its manifest.")
    ] = False,
    include_docs: Annotated[
        bool, typer.Option("--include-docs", help="For a directory: also scan documentation.")
    ] = False,
    fail_on_undeclared: Annotated[
        bool, typer.Option("--fail-on-undeclared",
                           help="Exit 1 when the code uses a model the manifest does not declare.")
    ] = False,
    data_dir: DataDirOption = None,
    offline: OfflineOption = False,
    markdown_budget: MarkdownBudgetOption = 60_000,
    details: DetailsOption = False,
) -> None:
    """Resolve, screen and score every model in MANIFEST; exit 1 on findings at --fail-on.

    Exit codes: 0 pass, 1 findings at or above the threshold, 2 usage or input error,
    3 list data missing, stale or corrupt. With CI set, stored lists older than 7 days fail
    the run (exit 3) unless --max-list-age says otherwise.

    Example: riskcheck check examples/rag-app/riskcheck.yaml --format json -o result.json
    """
    from riskcheck.app.check import check as check_project
    from riskcheck.cli import outputs
    from riskcheck.cli.options import markdown_options
    from riskcheck.formats.registry import get_format, parse_report_specs

    specs = parse_report_specs(reports or [])
    format = format.strip().lower()
    get_format(format)  # an unknown --format fails before anything runs
    # Every output place is checked before the run: nothing runs when one cannot be written.
    wanted = [(format, output), *specs]
    targets = outputs.plan(wanted)
    report = check_project(
        manifest,
        fail_on=fail_on,
        bundled=bundled,
        max_list_age=max_list_age,
        data_dir=data_dir,
        offline=offline,
        scan=not no_scan,
        include_docs=include_docs,
        fail_on_undeclared=fail_on_undeclared,
        policy_file=policy,
    )
    # Everything is rendered before anything is written: a failure leaves no partial set.
    options = markdown_options(markdown_budget, specs, details)
    rendered = [outputs.render(report, name, item, **options)
                for (name, _), item in zip(wanted, targets)]
    outputs.write_all(list(zip(rendered, targets)))
    # A reader that closed stdout early does not change the verdict.
    raise typer.Exit(1 if report.failed else 0)
