"""Where results go: stdout, report files, FIFOs and devices; checked first, written all or none.

The rules (docs/hardening.md, "Exit codes and output files"):

* Every output target is checked before any work is done (:func:`plan`): a missing directory,
  a directory given as the file, a socket or block device, or two outputs to one place are a
  usage error (exit 2) naming the path, and nothing runs.
* Every output is rendered before any is written. Regular files are first written to a
  temporary file beside the target; only when every one of them was written are they renamed
  into place, so a failure leaves none of them (and never a half-written one) behind.
* A FIFO, ``/dev/fd/N`` (``-o >(cmd)``), ``/dev/stdout`` or another character device is
  written into, never replaced by a regular file. Streams are written after the files, stdout
  last.
* A new file gets the permissions the umask allows (``0666 & ~umask``); an existing file keeps
  its own.
* A reader that goes away (``riskcheck check ... | head -1``) is not a failure: the rest of
  the output is dropped and the command keeps its exit code.
* Text is written as UTF-8. A lone surrogate (a file name that is not UTF-8, decoded with
  surrogate escapes) becomes U+FFFD, the replacement character, in every output.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from riskcheck.encoding import printable, utf8
from riskcheck.errors import InputError
from riskcheck.model import Report

@dataclass(frozen=True)
class Target:
    """One checked output place."""

    path: Path | None
    """As given; None for stdout."""
    kind: str
    """``stdout``, ``file`` (a regular file, new or replaced) or ``stream`` (FIFO, device)."""
    real: str | None = None
    """The file a ``file`` target replaces (symbolic links followed)."""
    mode: int | None = None
    """Permissions an existing regular file keeps; None for a new file."""

    @property
    def label(self) -> str:
        return "stdout" if self.path is None else str(self.path)


def _is_stdout(path: Path | str | None) -> bool:
    return path is None or str(path) == "-"


def target(path: Path | str | None) -> Target:
    """Check one output place; :class:`InputError` (exit 2) when nothing can be written there."""
    if _is_stdout(path):
        return Target(None, "stdout")
    given = Path(path).expanduser()  # type: ignore[arg-type]
    label = str(given)
    hint = "choose another --output"
    try:
        info = os.stat(given)
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise InputError("a part of the output path is not a directory", path=label,
                         hint=hint) from None
    except OSError as exc:
        raise InputError(f"cannot use the output path: {exc.strerror}", path=label,
                         hint=hint) from None
    if info is None:
        real = os.path.realpath(given)
        directory = os.path.dirname(real) or "."
        if not os.path.isdir(directory):
            raise InputError("output directory does not exist", path=label,
                             hint="create it or choose another --output")
        if not os.access(directory, os.W_OK | os.X_OK):
            raise InputError("output directory is not writable", path=label, hint=hint)
        return Target(given, "file", real=real)
    if stat.S_ISDIR(info.st_mode):
        raise InputError("output is a directory", path=label,
                         hint="give a file name, e.g. --output report.json")
    if stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode) or _special(given):
        # Written into, as a shell redirection would: a pipe's reader, a terminal, /dev/null.
        return Target(given, "stream")
    if stat.S_ISREG(info.st_mode):
        real = os.path.realpath(given)
        if not os.access(os.path.dirname(real) or ".", os.W_OK | os.X_OK):
            raise InputError("output directory is not writable", path=label, hint=hint)
        return Target(given, "file", real=real, mode=stat.S_IMODE(info.st_mode))
    raise InputError("output is not a regular file, a FIFO or a terminal", path=label, hint=hint)


def _special(path: Path) -> bool:
    """``/dev/stdout``, ``/dev/fd/N``, ``/proc/self/fd/N``: names of an open descriptor.

    When such a descriptor is a regular file (``> out.txt``), the file is written through the
    name, never replaced: replacing it would detach the shell's redirection.
    """
    text = os.path.abspath(path)
    return text.startswith(("/dev/", "/proc/"))


def _identity(item: Target) -> object:
    """What two targets share when they are the same place (None: harmless to share)."""
    if item.kind == "stdout":
        try:
            info = os.fstat(sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            return "stdout"
        if stat.S_ISCHR(info.st_mode):
            return "stdout"
        return (info.st_dev, info.st_ino)
    assert item.path is not None
    try:
        info = os.stat(item.path)
    except OSError:
        return item.real
    if stat.S_ISCHR(info.st_mode):
        return None  # /dev/null, a terminal: several outputs may go there
    return (info.st_dev, info.st_ino)


def plan(outputs: list[tuple[str, Path | str | None]]) -> list[Target]:
    """Check every (format, path) output before any work: exit 2 on the first problem.

    Refuses a place that cannot take a file, two outputs to one file, FIFO or stdout, and a
    binary format (PDF) on a terminal.
    """
    targets = [target(path) for _, path in outputs]
    seen: dict[object, Target] = {}
    for (format_name, _), item in zip(outputs, targets):
        if item.kind == "stdout" and _binary(format_name) and _stdout_is_terminal():
            raise InputError(f"{format_name} output is binary",
                             hint="write it to a file with --output report." + format_name)
        key = _identity(item)
        if key is None:
            continue
        if key in seen:
            first = seen[key]
            where = "stdout" if item.kind == "stdout" or first.kind == "stdout" else item.label
            both = f" ({first.label} and {item.label})" if first.label != item.label else ""
            raise InputError(f"two outputs go to one place{both}", path=where,
                             hint="give each --output and --report its own file")
        seen[key] = item
    return targets


def _binary(format_name: str) -> bool:
    from riskcheck.formats.registry import get_format

    try:
        return bool(get_format(format_name).binary)
    except Exception:  # noqa: BLE001 - an unknown format is reported where it is rendered
        return False


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def write_all(items: list[tuple[str | bytes, Target]]) -> None:
    """Write every rendered output to its target: files all or none, then streams, stdout last."""
    staged: list[tuple[str, Target]] = []
    try:
        for content, item in items:
            if item.kind == "file":
                staged.append((_stage(_bytes(content), item), item))
        for temporary, item in staged:
            try:
                os.replace(temporary, item.real)  # type: ignore[arg-type]
            except OSError as exc:
                raise InputError(f"cannot write output: {exc.strerror}", path=item.label,
                                 hint="check the path and permissions") from None
        staged = []
    finally:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
    for content, item in items:
        if item.kind == "stream":
            _write_stream(_bytes(content), item)
    for content, item in items:
        if item.kind == "stdout":
            write_stdout(content)


def _bytes(content: str | bytes) -> bytes:
    if isinstance(content, bytes):
        return content
    data = utf8(content)
    if content and not content.endswith("\n"):
        data += b"\n"
    return data


def _stage(data: bytes, item: Target) -> str:
    """``data`` in a temporary file beside ``item``, with the permissions it will have."""
    from riskcheck.files import stage

    real = item.real or str(item.path)
    try:
        return stage(real, data, mode=item.mode if item.mode is not None else _new_file_mode())
    except OSError as exc:
        raise InputError(f"cannot write output: {exc.strerror}", path=item.label,
                         hint="check free disk space and permissions") from None


def _new_file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _write_stream(data: bytes, item: Target) -> None:
    try:
        fd = os.open(item.path, os.O_WRONLY | os.O_APPEND)  # type: ignore[arg-type]
    except OSError as exc:
        raise InputError(f"cannot open output: {exc.strerror}", path=item.label,
                         hint="check the path and permissions") from None
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except BrokenPipeError:
        pass  # the reader went away: what it did not read is not wanted
    except OSError as exc:
        raise InputError(f"cannot write output: {exc.strerror}", path=item.label,
                         hint="check the path and permissions") from None
    finally:
        os.close(fd)


_stdout_state = {"closed": False}


def stdout_closed() -> bool:
    """True once a reader of stdout has gone away (the rest of the output was dropped)."""
    return _stdout_state["closed"]


def write_stdout(content: str | bytes) -> None:
    """Write to stdout as UTF-8; a reader that went away is not an error."""
    if _stdout_state["closed"]:
        return
    try:
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # a text-only stream (some test runners)
            text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
            sys.stdout.write(printable(text))
            if text and not text.endswith("\n"):
                sys.stdout.write("\n")
        else:
            buffer.write(_bytes(content))
            buffer.flush()
        sys.stdout.flush()
    except BrokenPipeError:
        discard_stdout()


def discard_stdout() -> None:
    """After the reader went away: send what is left to /dev/null, so exiting cannot fail."""
    _stdout_state["closed"] = True
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def render(report: object, format_name: str, item: Target, **options: object) -> str | bytes:
    """``report`` in ``format_name`` for ``item`` (colour only for a table on a terminal).

    ``options`` go to the renderer when it takes them (the Markdown budget and the names of
    the full reports written beside it)."""
    from riskcheck.cli import console
    from riskcheck.formats.registry import get_format

    if format_name == "table":
        from riskcheck.formats.console import output_width

        on_terminal = item.kind == "stdout" and _stdout_is_terminal()
        renderer = get_format("table", color=console.color_enabled() and on_terminal,
                              width=output_width(on_terminal), **options)
    else:
        renderer = get_format(format_name, **options)
    if renderer.binary and item.kind == "stdout" and _stdout_is_terminal():
        raise InputError(f"{format_name} output is binary",
                         hint="write it to a file with --output report." + format_name)
    return renderer.render(report)  # type: ignore[arg-type]


def emit(report: Report, format_name: str, output: Path | None) -> None:
    """Render ``report`` in ``format_name`` to ``output`` (or stdout)."""
    item = target(output)
    write_all([(render(report, format_name, item), item)])
