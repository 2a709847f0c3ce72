"""The ``riskcheck`` command line: global options, command registration, one error path.

Command modules import only typer and the standard library at module level, so
``riskcheck --help`` stays fast; domain code is imported inside command bodies.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Optional

import typer

from riskcheck import __version__
from riskcheck.cli import console

app = typer.Typer(
    name="riskcheck",
    help=(
        "Tell whether the AI models a project depends on expose it to sanctions, "
        "export-control or vendor-jurisdiction risk.\n\n"
        "Example: riskcheck check examples/rag-app/riskcheck.yaml"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"riskcheck {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _global(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", help="Print the version and exit.", callback=_version,
                     is_eager=True),
    ] = None,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour in output (also NO_COLOR).")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bars, notes or warnings.")
    ] = False,
) -> None:
    console.configure(no_color=no_color, quiet=quiet)


def _register() -> None:
    from riskcheck.cli import check, lists, report, resolve, scan, watch

    app.command("check")(check.check)
    app.command("resolve")(resolve.resolve)
    app.command("scan")(scan.scan)
    app.command("init")(scan.init)
    app.command("report")(report.report)
    app.command("watch")(watch.watch)
    app.add_typer(lists.app, name="lists")


_register()


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app and map every failure to one line + exit code."""
    import click

    from riskcheck.errors import ExitCode, RiskcheckError

    command = typer.main.get_command(app)
    try:
        # Without standalone mode, click (and typer) return the code of Exit instead of exiting.
        code = command.main(args=argv, prog_name="riskcheck", standalone_mode=False)
    except (click.exceptions.Exit, typer.Exit) as done:
        sys.exit(done.exit_code)
    except click.exceptions.Abort:
        console.error("interrupted")
        sys.exit(130)
    except click.UsageError as usage:
        where = f" (see 'riskcheck {usage.ctx.command_path.split(' ', 1)[1]} --help')" if (
            usage.ctx is not None and " " in usage.ctx.command_path) else " (see 'riskcheck --help')"
        console.error(f"{usage.format_message()}{where}")
        sys.exit(ExitCode.USAGE)
    except click.ClickException as failure:
        console.error(failure.format_message())
        sys.exit(ExitCode.USAGE)
    except RiskcheckError as failure:
        console.error(str(failure))
        sys.exit(failure.exit_code)
    except KeyboardInterrupt:
        console.error("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (``riskcheck ... | head``): not an error worth a message.
        sys.exit(0)
    except Exception as unexpected:  # noqa: BLE001 - the one place that turns bugs into a line
        if os.environ.get("RISKCHECK_DEBUG"):
            raise
        console.error(
            f"internal error: {type(unexpected).__name__}: {unexpected}; "
            "rerun with RISKCHECK_DEBUG=1 for a traceback and report it"
        )
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)
