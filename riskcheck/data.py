"""Where riskcheck's bundled knowledge (the ``lists/`` folder) lives at run time.

A wheel ships ``lists/`` inside the package as ``riskcheck/_lists`` (pyproject force-include);
a source checkout or an editable install reads the repository's ``lists/`` beside the package.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import riskcheck
from riskcheck.errors import DataError

_REINSTALL = "reinstall riskcheck, or fix the file"


def lists_dir() -> Path:
    """The directory holding the bundled lists (vendor registry, countries, snapshots).

    Raises :class:`DataError` when neither the installed copy nor the checkout copy exists.
    """
    # For a package installed as files, importlib.resources.files("riskcheck") is exactly this
    # directory; computing it directly avoids importing importlib.resources (tens of ms) on
    # every run. Zipped installs are not supported because the lists are walked with pathlib.
    package = Path(riskcheck.__file__).resolve().parent
    installed = package / "_lists"
    if installed.is_dir():
        return installed
    checkout = package.parent / "lists"
    if checkout.is_dir():
        return checkout
    raise DataError(
        f"bundled data folder not found (looked for {installed} and {checkout})",
        hint="reinstall riskcheck (pip install --force-reinstall riskcheck)",
    )


def read_yaml(path: Path, *, hint: str = _REINSTALL, cache: bool = True) -> Any:
    """Parse one of riskcheck's own YAML data files, with libyaml when PyYAML has it.

    Every problem is a one-line :class:`DataError` naming the file (and line, for syntax).
    Parsed files are kept as JSON in the user's cache folder (see :func:`_cached`), which
    loads several times faster than YAML; the file's own bytes are the key. ``cache=False``
    is for callers that keep their own copy of what they build from the file.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: data file missing", hint=hint) from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})", hint=hint) from None
    if not cache:
        return _parse_yaml(path, raw, hint)
    return _cached(path, raw, lambda: _parse_yaml(path, raw, hint))


def _parse_yaml(path: Path, raw: bytes, hint: str) -> Any:
    from riskcheck.yamlio import parse_data  # here: runs served from caches need no YAML

    return parse_data(path, raw, hint)


YAML_CACHE_FORMAT = 1
"""Bump when the cached layout changes."""


def _cached(path: Path, raw: bytes, parse: Callable[[], Any]) -> Any:
    """``parse()``, or the value it gave last time for the same bytes of ``path``.

    One JSON file per data file, named after its path and holding a digest of its bytes (and
    of riskcheck's version): an edit, a reinstall or a copy that differs by one byte misses.
    Values JSON cannot give back exactly (dates, non-text keys) are never cached. The cache is
    an optimisation only: a missing, unreadable, corrupt or unwritable file means parsing.
    """
    import hashlib
    import json

    from riskcheck.files import write_cache

    key = hashlib.sha256(f"{YAML_CACHE_FORMAT}:{riskcheck.__version__}:".encode() + raw).hexdigest()
    try:
        name = hashlib.sha256(str(path.absolute()).encode()).hexdigest()[:24]
        target = _cache_folder() / f"{name}.json"
    except (OSError, RuntimeError, KeyError):  # no home folder to keep a cache in
        return parse()
    try:
        with target.open("rb") as handle:
            stored = json.load(handle)
        if isinstance(stored, dict) and stored.get("key") == key and "data" in stored:
            return stored["data"]
    except (OSError, ValueError):
        pass
    value = parse()
    try:
        text = json.dumps({"key": key, "data": value}, ensure_ascii=False)
        if json.loads(text)["data"] == value:
            write_cache(target, text)
    except (OSError, TypeError, ValueError, RecursionError):
        pass
    return value


def _cache_folder() -> Path:
    from riskcheck.paths import cache_dir

    return cache_dir("yaml")
