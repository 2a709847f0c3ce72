"""``riskcheck whatif``: what if an organisation (or a country's) were listed tomorrow."""

from typing import Annotated, Optional

import typer

from riskcheck.cli.options import (
    BundledChecksOption,
    DataDirOption,
    OfflineOption,
    OutputOption,
    ProjectsPolicyOption,
)


def whatif(
    targets: Annotated[
        Optional[list[str]],
        typer.Argument(help="Organisations to assume listed (registry id or name, e.g. "
                       "alibaba-group, 'Zhipu AI'), then the projects: manifests, project "
                       "directories or saved result JSONs (default: the current directory). "
                       "An argument that exists on disk is a project.", show_default=False),
    ] = None,
    list_code: Annotated[
        str, typer.Option("--list", help="The list to assume: SDN (default), EL, 1260H, "
                          "CMIC, EU, UK, FCC ...")
    ] = "SDN",
    program: Annotated[
        Optional[str], typer.Option("--program", help="The program of the assumed listing "
                                    "(e.g. RUSSIA-EO14024); it can change the list's severity.")
    ] = None,
    country: Annotated[
        Optional[list[str]],
        typer.Option("--country", help="Assume every organisation based in this country is "
                     "listed (ISO code or name; repeatable).")
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help="Output format: table (default), json, "
                          "markdown, csv.")
    ] = "table",
    output: OutputOption = None,
    policy: ProjectsPolicyOption = None,
    bundled: BundledChecksOption = False,
    data_dir: DataDirOption = None,
    offline: OfflineOption = False,
) -> None:
    """Re-score projects as if ORG were listed: level today -> under the scenario, and why.

    The assumed listing goes through the same resolution, ownership (the 50% rule through
    parents), lineage and scoring as a real one. Exit codes: 0 no project would newly fail,
    1 at least one project that passes today would fail its policy, 2 usage or input error,
    3 list data missing, stale or corrupt.

    Example: riskcheck whatif alibaba-group examples/fleet --format markdown
    """
    from riskcheck.app.scenario import what_if
    from riskcheck.cli.options import write_output
    from riskcheck.errors import InputError
    from riskcheck.formats.scenario import FORMATS, render

    if format not in FORMATS:
        raise InputError(f"unknown format {format!r} for whatif",
                         hint="choose one of: " + ", ".join(FORMATS))
    result = what_if(
        targets or [], list_code=list_code, program=program, countries=country or [],
        policy_file=policy, bundled=bundled, data_dir=data_dir, offline=offline)
    from riskcheck.cli.options import table_width

    width = table_width(output)
    write_output(render(result, format, width), output)
    raise typer.Exit(1 if result.newly_failing else 0)
