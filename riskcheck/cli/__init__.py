"""The ``riskcheck`` command line: global options, command registration, one error path.

Command modules import only typer and the standard library at module level, so
``riskcheck --help`` stays fast; domain code is imported inside command bodies. They also leave
out ``from __future__ import annotations``: typer reads every parameter's annotation, and as
strings those would be compiled again on each start (~25 ms for all commands).
"""

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
        "export-control or vendor-jurisdiction risk."
    ),
    epilog="Example: riskcheck check examples/rag-app/riskcheck.yaml",
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
    from riskcheck.cli import check, fleet, lists, report, resolve, scan, screen, vendors, watch, whatif

    app.command("check")(check.check)
    app.command("resolve")(resolve.resolve)
    app.command("screen")(screen.screen)
    app.command("scan")(scan.scan)
    app.command("init")(scan.init)
    app.command("report")(report.report)
    app.command("watch")(watch.watch)
    app.command("whatif")(whatif.whatif)
    app.command("fleet")(fleet.fleet)
    app.command("vendors")(vendors.vendors)
    app.add_typer(lists.app, name="lists")


_register()


def _examples_last(typer_app: typer.Typer) -> None:
    """Move each command's ``Example:`` paragraph from its docstring to the end of --help."""
    import inspect

    for info in typer_app.registered_commands:
        doc = inspect.getdoc(info.callback) or ""
        head, marker, example = doc.rpartition("\nExample:")
        if marker and info.epilog is None:
            info.help = info.help or head.rstrip()
            info.epilog = "Example:" + example
    for group in typer_app.registered_groups:
        inner = group.typer_instance
        if inner is None:
            continue
        text = inner.info.help if isinstance(inner.info.help, str) else ""
        head, marker, example = text.rpartition("Example:")
        if marker and not isinstance(inner.info.epilog, str):
            inner.info.help = head.rstrip()
            inner.info.epilog = "Example:" + example
        _examples_last(inner)


_examples_last(app)


def _click_exceptions(command: object) -> object:
    """The exceptions module of the click the command is built on.

    Recent typer releases vendor click as a private package; older ones use click itself.
    Finding it from the command's class keeps the error mapping right under both.
    """
    import importlib

    for cls in type(command).__mro__:
        if cls.__module__.endswith("click.core"):
            return importlib.import_module(cls.__module__.rsplit(".", 1)[0] + ".exceptions")
    return importlib.import_module("click.exceptions")


def _just_the_command(args: list[str]) -> typer.Typer:
    """``app`` reduced to the command the arguments name, when they name one.

    Building a click command means evaluating every parameter annotation of its function;
    doing that for one command instead of all of them is a visible part of a short run. The
    top-level help and unknown words get every command's name and help (not its parameters),
    so listings and suggestions stay complete; anything unusual gets the whole app.
    """
    import copy

    # The global options are flags without values, so the first other word is the command.
    word = next((arg for arg in args if not arg.startswith("-")), None)
    before = args[:args.index(word)] if word is not None else args
    if "--" in before:
        return app
    if "-h" in before or "--help" in before:  # the top-level help, whatever follows
        return _listing_only()
    commands = [info for info in app.registered_commands if info.name == word]
    groups = [info for info in app.registered_groups if info.name == word]
    if not commands and not groups:
        return _listing_only()
    reduced = copy.copy(app)
    reduced.registered_commands = commands
    reduced.registered_groups = groups
    return reduced


def _listing_only() -> typer.Typer:
    """``app`` as far as the top-level help and "no such command" need it: names and help.

    Every command keeps its help text but none of its parameters, and command groups none of
    their commands; a test checks that the output is the same as the whole app's.
    """
    import copy

    from typer.models import CommandInfo, TyperInfo

    def without_parameters(info: CommandInfo) -> CommandInfo:
        def stand_in() -> None:
            """Never runs: only the help text is read."""

        stand_in.__doc__ = info.callback.__doc__
        bare = copy.copy(info)
        bare.callback = stand_in
        return bare

    def without_commands(info: TyperInfo) -> TyperInfo:
        inner = copy.copy(info.typer_instance)
        inner.registered_commands = []
        inner.registered_groups = []
        bare = copy.copy(info)
        bare.typer_instance = inner
        return bare

    listing = copy.copy(app)
    listing.registered_commands = [without_parameters(i) for i in app.registered_commands]
    listing.registered_groups = [without_commands(i) for i in app.registered_groups]
    return listing


GLOBAL_FLAGS = ("--no-color", "--quiet", "-q")
"""The global options, which take no value: accepted after the subcommand as well."""


def _globals_first(args: list[str]) -> list[str]:
    """``args`` with every global flag moved before the subcommand (``check x.yaml -q`` works
    like ``-q check x.yaml``); nothing after a ``--`` separator is touched."""
    end = args.index("--") if "--" in args else len(args)
    flags = [a for a in args[:end] if a in GLOBAL_FLAGS]
    if not flags:
        return args
    return flags + [a for a in args[:end] if a not in GLOBAL_FLAGS] + args[end:]


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app and map every failure to one line + exit code."""
    from riskcheck.errors import ExitCode, RiskcheckError

    argv = _globals_first(list(sys.argv[1:] if argv is None else argv))
    command = typer.main.get_command(_just_the_command(argv))
    from riskcheck.cli.help_words import readable

    readable(command)  # placeholders in --help as words (MANIFEST, LEVEL, DAYS)
    clicks = _click_exceptions(command)
    exits = tuple(e for e in (getattr(clicks, "Exit", None), typer.Exit) if e is not None)
    aborts = tuple(e for e in (getattr(clicks, "Abort", None), typer.Abort) if e is not None)
    no_args_help = getattr(clicks, "NoArgsIsHelpError", None)
    try:
        # Without standalone mode, click (and typer) return the code of Exit instead of exiting.
        code = command.main(args=argv, prog_name="riskcheck", standalone_mode=False)
    except exits as done:
        sys.exit(done.exit_code)
    except aborts:
        console.error("interrupted")
        sys.exit(130)
    except clicks.UsageError as usage:  # type: ignore[attr-defined]
        if no_args_help is not None and isinstance(usage, no_args_help):
            # A bare group (``riskcheck``, ``riskcheck lists``) asks for its help.
            sys.stdout.write(usage.ctx.get_help() + "\n")
            sys.exit(0)
        path = usage.ctx.command_path if usage.ctx is not None else "riskcheck"
        console.error(f"{usage.format_message()} (see '{path} --help')")
        sys.exit(ExitCode.USAGE)
    except clicks.ClickException as failure:  # type: ignore[attr-defined]
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
        # What is left for stdout goes to /dev/null, so flushing it at exit cannot fail.
        from riskcheck.cli.outputs import discard_stdout

        discard_stdout()
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
