"""Options shared by every command, so the CLI grammar is the same everywhere."""

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

def format_option(formats: tuple[str, ...], what: str = "") -> object:
    """``--format``/``-f`` for a command that writes ``formats`` (the first is the default):
    its help lists exactly those, and any other value is a one-line usage error (exit 2)."""

    def check(value: str) -> str:
        name = (value or formats[0]).strip().lower()
        if name not in formats:
            from riskcheck.errors import InputError

            raise InputError(f"--format: unknown format {value!r}{' for ' + what if what else ''} "
                             f"(choose one of: {', '.join(formats)})")
        return name

    return Annotated[str, typer.Option(
        "--format", "-f", metavar="FORMAT", callback=check,
        help=f"Output format: {', '.join(formats)} (default {formats[0]}).",
        envvar="RISKCHECK_FORMAT", show_envvar=True)]


def _report_formats() -> tuple[str, ...]:
    from riskcheck.formats.registry import FORMATS  # cheap: renderers load on first use

    return tuple(FORMATS)


def _screen_formats() -> tuple[str, ...]:
    from riskcheck.formats.screen_view import FORMATS

    return FORMATS


REPORT_FORMATS = _report_formats()
"""What ``check`` and ``report`` write: the format registry's formats."""

FormatOption = format_option(("table", "json"))  # lists, resolve, scan, vendors, watch
ReportFormatOption = format_option(REPORT_FORMATS)
ScreenFormatOption = format_option(_screen_formats(), "screen")

OutputOption = Annotated[
    Optional[Path],
    typer.Option(
        "--output",
        "-o",
        help="Write the output to this file instead of stdout ('-' is stdout). "
        "The file is written only when the command succeeds.",
        dir_okay=False,
    ),
]

def _use_data_dir(value: Optional[Path]) -> Optional[Path]:
    """Every cache of the run follows --data-dir (riskcheck.paths), not only the store."""
    from riskcheck.paths import use_data_dir

    use_data_dir(value)
    return value


DataDirOption = Annotated[
    Optional[Path],
    typer.Option(
        "--data-dir",
        help="Directory of the local list store and every cache (default: the per-user data "
        "and cache folders).",
        envvar="RISKCHECK_DATA_DIR",
        show_envvar=True,
        file_okay=False,
        callback=_use_data_dir,
    ),
]

AcceptShrinkOption = Annotated[
    bool,
    typer.Option(
        "--accept-shrink",
        help="Store a new list version even when it has far fewer records than the stored one "
        "(more than the source's max_shrink percent, default 20).",
    ),
]
TimeoutOption = Annotated[
    Optional[float],
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        help="Total time allowed per downloaded file (also the connect/read timeout cap); "
        "default 600, or RISKCHECK_DOWNLOAD_TIMEOUT.",
        show_default=False,
    ),
]


def download_timeout(value: float | None) -> float | None:
    """--timeout, else RISKCHECK_DOWNLOAD_TIMEOUT, else None (the download default)."""
    if value is None:
        raw = os.environ.get("RISKCHECK_DOWNLOAD_TIMEOUT", "").strip()
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            raise typer.BadParameter(f"RISKCHECK_DOWNLOAD_TIMEOUT={raw!r} is not a number "
                                     "of seconds") from None
    if value <= 0:
        raise typer.BadParameter("the download timeout must be more than 0 seconds")
    return value


MarkdownBudgetOption = Annotated[
    int,
    typer.Option(
        "--markdown-budget",
        metavar="CHARS",
        min=2000,
        help="Most characters the Markdown report may take (default 60000, under GitHub's "
        "65536-character comment limit). A longer report folds its least severe models into "
        "counts and points to the full JSON/PDF report written in the same run.",
        show_default=False,
    ),
]


def markdown_options(budget: int, specs: list[tuple[str, Path]],
                     details: bool = False) -> dict[str, object]:
    """What the renderers need: the Markdown budget and the full reports (JSON, PDF, SARIF)
    written in the same run, which a shortened comment points to; ``details`` for the table."""
    full = [str(path) for name, path in specs if name in ("json", "pdf", "sarif")]
    return {"budget": budget, "artifacts": full, "details": details}


DetailsOption = Annotated[
    bool,
    typer.Option("--details", "-v", help="Table: every finding of every model with its "
                 "reasons, not only the one that sets its level."),
]


ProjectsPolicyOption = Annotated[
    Optional[Path],
    typer.Option("--policy", help="The operator's policy (file or preset), as for check, for "
                 "projects checked now; saved results keep the policy they were checked under.",
                 dir_okay=False, envvar="RISKCHECK_POLICY", show_envvar=True),
]
"""``--policy`` of the commands that take many projects (fleet, whatif)."""

BundledChecksOption = Annotated[
    bool, typer.Option("--bundled", help="Check manifests against the bundled snapshot.")
]

OfflineOption = Annotated[
    bool,
    typer.Option(
        "--offline",
        help="Never touch the network; use only stored lists and cached metadata.",
        envvar="RISKCHECK_OFFLINE",
        show_envvar=True,
    ),
]


def write_output(content: str | bytes, output: Path | None) -> None:
    """Write to ``output`` (or stdout) by the rules of :mod:`riskcheck.cli.outputs`.

    A file is written atomically (temporary file, then rename), so a failed command never
    leaves an empty or half-written report; a FIFO or device is written into; a reader of
    stdout that goes away is not an error.
    """
    from riskcheck.cli import outputs

    outputs.write_all([(content, outputs.target(output))])


def table_width(output: Optional[Path]) -> int:
    """The line width of a table written to ``output``: the terminal's for stdout on a
    terminal, else a fixed width (riskcheck.formats.console.output_width)."""
    from riskcheck.formats.console import output_width

    return output_width(None if output is None or str(output) == "-" else False)
