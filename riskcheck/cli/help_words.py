"""Placeholders in ``--help`` that read as words: ``check MANIFEST``, ``--fail-on LEVEL``,
``--max-list-age DAYS``, ``--data-dir DIR``, instead of typer's ``{manifest}``, ``<str>``,
``<int range>`` and ``<directory>``.

Applied to the click command tree once it is built (:func:`readable`); a placeholder a
command sets itself (``metavar=``) is kept.
"""

from __future__ import annotations

from typing import Any

WORDS: dict[str, str] = {
    "base_url": "URL", "webhook": "URL", "country": "CODE", "list_code": "CODE",
    "fail_on": "LEVEL", "level": "LEVEL", "format": "FORMAT", "jobs": "N", "limit": "N",
    "min_records": "N", "max_list_age": "DAYS", "threshold": "SCORE", "usage": "USAGE",
    "role": "ROLE", "program": "PROGRAM", "provider": "PROVIDER", "name": "NAME",
}
"""Option name -> the word shown after it, where the name alone would not say it."""


def _option_word(param: Any) -> str:
    kind = type(param.type).__name__
    if kind.endswith("Path"):
        if str(param.name) == "since" or getattr(param.type, "dir_okay", True) is False:
            return "FILE"
        if getattr(param.type, "file_okay", True) is False:
            return "DIR"
        return "PATH"
    if param.name in WORDS:
        return WORDS[param.name]
    if "Int" in kind:
        return "N"
    if "Float" in kind:
        return "NUMBER"
    if str(param.name) == "since":
        return "DATE"
    return str(param.name or "value").upper().replace("_", "-")


_PLAIN: dict[type, type] = {}


def _plain(cls: type) -> type:
    """A subclass of the argument class whose usage shows the word as it is (typer wraps a
    required argument's name in braces: ``{manifest}``)."""
    if cls not in _PLAIN:
        def make_metavar(self: Any, ctx: Any = None, *args: Any, **kwargs: Any) -> str:
            return str(self.metavar)

        _PLAIN[cls] = type(f"Readable{cls.__name__}", (cls,), {"make_metavar": make_metavar})
    return _PLAIN[cls]


def readable(command: Any) -> Any:
    """Give every argument and valued option of ``command`` (and its subcommands) a word."""
    for param in getattr(command, "params", ()):
        if param.param_type_name == "argument":
            if param.metavar is None:
                word = str(param.name or "value").upper()
                param.metavar = word + ("..." if param.nargs != 1 else "")
            param.__class__ = _plain(type(param))
        elif param.param_type_name == "option" and not (param.is_flag or param.count):
            if param.metavar is None:
                param.metavar = _option_word(param)
    for sub in (getattr(command, "commands", None) or {}).values():
        readable(sub)
    return command
