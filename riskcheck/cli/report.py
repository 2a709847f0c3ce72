"""``riskcheck report``: render a saved JSON result again, in any format, without re-screening."""

from pathlib import Path
from typing import Annotated

import typer

from riskcheck.cli.options import (
    DetailsOption, MarkdownBudgetOption, OutputOption, ReportFormatOption,
)

ReportSpecOption = Annotated[
    list[str] | None,
    typer.Option(
        "--report",
        help="Also write FORMAT to PATH (FORMAT=PATH, repeatable), e.g. "
        "--report sarif=riskcheck.sarif --report pdf=audit.pdf.",
        metavar="FORMAT=PATH",
        show_default=False,
    ),
]


def report(
    result: Annotated[
        Path,
        typer.Argument(help="A result saved by 'riskcheck check --format json'.",
                       show_default=False, dir_okay=False),
    ],
    format: ReportFormatOption = "table",
    output: OutputOption = None,
    reports: ReportSpecOption = None,
    markdown_budget: MarkdownBudgetOption = 60_000,
    details: DetailsOption = False,
) -> None:
    """Render RESULT (a saved JSON result) as table, json, markdown, sarif, csv, pdf or cyclonedx.

    Nothing is resolved or screened again: the output tells exactly what the saved run found.
    PDF goes to stdout only when stdout is not a terminal; otherwise give --output.
    Every report is rendered before any file is written, so a failure leaves no partial set.

    Example: riskcheck report result.json --format pdf -o report.pdf
    """
    from riskcheck.cli import outputs
    from riskcheck.cli.options import markdown_options
    from riskcheck.formats.json_load import load_report
    from riskcheck.formats.registry import get_format, parse_report_specs

    specs = parse_report_specs(reports or [])
    format = format.strip().lower()
    get_format(format)  # an unknown --format fails before anything is read or written
    wanted = [(format, output), *specs]
    targets = outputs.plan(wanted)
    saved = load_report(result)
    # A shortened comment points to the saved result itself and the full reports beside it.
    options = markdown_options(markdown_budget, [("json", result), *specs], details)
    rendered = [outputs.render(saved, name, item, **options)
                for (name, _), item in zip(wanted, targets)]
    outputs.write_all(list(zip(rendered, targets)))
