"""Every YAML riskcheck reads goes through here: safe loaders only, one-line errors.

Two readers. Input a user or a pull request controls (manifests, policies, custom lists, list
transcriptions, the list catalogue and its user config) is read by :func:`load_yaml`, which
remembers where every value was written so errors name ``file:line:column``: PyYAML's node
tree has the marks, so documents are composed into nodes once, then turned into plain Python
values while a :class:`Locator` records the position of every mapping key and value by its
path; size and node budgets cap what a hostile file can cost. riskcheck's own bundled data is
read by :func:`parse_data` (libyaml when PyYAML has it), through the cache in
:func:`riskcheck.data.read_yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from riskcheck.errors import InputError

PathKey = tuple[Hashable, ...]

MAX_BYTES = 5 * 1024 * 1024
"""Manifests and policies are small; a bigger file is a mistake (or an attack), not input."""

MAX_NODES = 200_000
"""Caps the work an alias-heavy document ("billion laughs") can cause."""


@dataclass
class Locator:
    """Positions (1-based line and column) of values and keys, by path from the root."""

    path: str
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def position(self, where: PathKey, *, key: bool = False) -> tuple[int | None, int | None]:
        """The closest known position of ``where`` (falling back to its parents)."""
        table = self.keys if key else self.values
        probe = tuple(where)
        while True:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            if not probe:
                return (None, None)
            probe = probe[:-1]

    def error(self, message: str, where: PathKey = (), *, key: bool = False,
              hint: str | None = None) -> InputError:
        """An :class:`InputError` located at ``where``."""
        line, column = self.position(where, key=key)
        return InputError(message, path=self.path, line=line, column=column, hint=hint)


class _DuplicateKey(Exception):
    def __init__(self, key: str, mark: yaml.Mark) -> None:
        self.key = key
        self.mark = mark


def _convert(node: yaml.Node, where: PathKey, locator: Locator, budget: list[int],
             loader: yaml.SafeLoader) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise InputError("document too complex (too many nodes or aliases)", path=locator.path,
                         hint="remove YAML aliases and keep the file small")
    locator.values.setdefault(where, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, locator, loader)
            if not isinstance(key, Hashable) or isinstance(key, (list, dict)):
                raise InputError("mapping keys must be plain values", path=locator.path,
                                 line=key_node.start_mark.line + 1,
                                 column=key_node.start_mark.column + 1,
                                 hint="write a plain key such as 'id:', not a list or mapping")
            if key in result:
                raise _DuplicateKey(str(key), key_node.start_mark)
            child = (*where, key)
            locator.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _convert(value_node, child, locator, budget, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, (*where, index), locator, budget, loader)
            for index, item in enumerate(node.value)
        ]
    return _scalar(node, locator, loader)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _scalar(node: yaml.Node, locator: Locator, loader: yaml.SafeLoader) -> Any:
    """Construct one value, locating values YAML resolves but cannot build (2024-02-30)."""
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, TypeError, OverflowError) as exc:
        raise InputError(f"invalid value: {exc}", path=locator.path, line=line, column=column,
                         hint="quote the value to keep it as text, or correct it") from None
    # A "\ud800" escape builds a lone surrogate, which no output (UTF-8 JSON, reports) can
    # encode: reject it here instead of crashing when the result is written.
    if isinstance(value, str) and _SURROGATE.search(value):
        raise InputError("text contains an unpaired surrogate escape (\\ud800-\\udfff)",
                         path=locator.path, line=line, column=column,
                         hint="write the character itself instead of the escape")
    return value


def read_text(path: Path, what: str = "file") -> str:
    """Read a small UTF-8 text file, turning every OS and encoding problem into one line."""
    shown = str(path)
    if not path.exists():
        raise InputError(f"{what} not found", path=shown, hint="check the path")
    if path.is_dir():
        raise InputError(f"{what} is a directory", path=shown,
                         hint=f"pass the {what} file itself (e.g. {shown.rstrip('/')}/riskcheck.yaml)")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{what} is too large ({size} bytes, limit {MAX_BYTES})", path=shown,
                             hint="a manifest lists models; split or trim it")
        raw = path.read_bytes()
    except PermissionError:
        raise InputError(f"{what} is not readable (permission denied)", path=shown,
                         hint="fix its permissions") from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", path=shown) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{what} is UTF-16 encoded", path=shown, line=1, column=1,
                         hint="save it as UTF-8")
    if b"\x00" in raw:
        raise InputError(f"{what} is binary, not YAML text", path=shown, line=1, column=1,
                         hint="pass the YAML file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise InputError(f"{what} is not valid UTF-8 (byte 0x{raw[exc.start]:02x})", path=shown,
                         line=line, column=column, hint="save it as UTF-8") from None
    return text


def _reader_error(exc: yaml.YAMLError, text: str, path: str) -> InputError:
    """A control-character (reader) error, located at the offending character."""
    line = column = None
    position = getattr(exc, "position", None)
    if isinstance(position, int) and 0 <= position <= len(text):
        before = text[:position]
        line = before.count("\n") + 1
        column = position - (before.rfind("\n") + 1) + 1
    message = " ".join(str(exc).split())
    character = getattr(exc, "character", None)
    if isinstance(character, str):
        character = ord(character)
    if isinstance(character, int):
        message = f"control character U+{character:04X} is not allowed in YAML"
    return InputError(message, path=path, line=line, column=column,
                      hint="remove control characters; save the file as UTF-8 text")


def load_yaml(text: str, path: str) -> tuple[Any, Locator]:
    """Parse one YAML document safely; return its value and a :class:`Locator`.

    Raises :class:`InputError` (with file:line:column) for syntax errors, duplicate keys,
    several documents, and alias bombs.
    """
    locator = Locator(path=path)
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:  # the reader rejects control characters up front
        raise _reader_error(exc, text, path) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, locator
        value = _convert(node, (), locator, [MAX_NODES], loader)
    except _DuplicateKey as dup:
        raise InputError(f"duplicate key {dup.key!r}", path=path, line=dup.mark.line + 1,
                         column=dup.mark.column + 1, hint="remove one of the two") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise InputError(
            f"YAML syntax error: {problem}",
            path=path,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint="fix the YAML syntax at that position",
        ) from None
    except yaml.YAMLError as exc:
        raise _reader_error(exc, text, path) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # A scalar YAML resolves but cannot build, such as the date 2024-02-30.
        raise InputError(f"invalid value: {exc}", path=path,
                         hint="quote the value to keep it as text, or correct it") from None
    except RecursionError:
        raise InputError("document nests too deeply", path=path,
                         hint="flatten the structure") from None
    finally:
        loader.dispose()
    return value, locator


def parse_data(path: Path, raw: bytes, hint: str) -> Any:
    """One of riskcheck's own data files, parsed; problems are a one-line
    :class:`~riskcheck.errors.DataError` naming the file (and line, for syntax)."""
    from riskcheck.errors import DataError

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(raw, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DataError(f"{path}: invalid YAML{where} ({problem})", hint=hint) from None
    except (ValueError, TypeError) as exc:  # a scalar that resolves but cannot be built
        raise DataError(f"{path}: invalid value ({exc})", hint=hint) from None
