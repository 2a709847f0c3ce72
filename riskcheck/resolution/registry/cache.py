"""A JSON copy of the validated registry files, so later runs skip parsing and checking them.

Parsing and checking ~175 YAML files costs more than the rest of a small run; the JSON copy
loads in a few milliseconds. It is keyed by a fingerprint of every file's name, size,
modification time and inode (plus the vendor JSON Schema and riskcheck's version), so any edit
of the registry or of its validation rules makes it miss. It is written only for a registry
that passed every check.
The cache is an optimisation only: every failure to read or write it is ignored.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import riskcheck
from riskcheck.resolution.registry.schema import SCHEMA_FILE

CACHE_FORMAT = 2
"""Bump when the cached layout changes (2: validation moved to vendor.schema.json)."""


def cache_dir() -> Path:
    """The registry cache's folder (:func:`riskcheck.paths.cache_dir`)."""
    from riskcheck.paths import cache_dir as folder

    return folder("registry")


def fingerprint(paths: list[Path]) -> str:
    """Digest of the files' names, sizes, modification times and inodes (and riskcheck's version).

    The shipped vendor JSON Schema is always part of it: edited validation rules must re-check
    the YAML rather than trust a copy validated under the old rules.
    """
    digest = hashlib.sha256(f"{CACHE_FORMAT}:{riskcheck.__version__}".encode())
    # Resolving each of ~200 paths costs a system call per path component; the folders are
    # few. A file that is itself a symlink is told apart by its inode.
    folders: dict[Path, Path] = {}
    for path in (SCHEMA_FILE, *paths):
        stat = path.stat()
        folder = folders.get(path.parent)
        if folder is None:
            folder = folders[path.parent] = path.parent.resolve()
        digest.update(f"\0{folder / path.name}\0{stat.st_size}\0{stat.st_mtime_ns}"
                      f"\0{stat.st_ino}".encode())
    return digest.hexdigest()


def _cache_file(directory: Path) -> Path:
    name = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / f"{name}.json"


def read_cached(directory: Path, key: str) -> tuple[dict[str, str], list[dict[str, Any]]] | None:
    """(countries, documents) stored for ``directory`` under ``key``, or None on any miss."""
    try:
        with _cache_file(directory).open("r", encoding="utf-8") as handle:
            stored = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("fingerprint") != key:
        return None
    countries, documents = stored.get("countries"), stored.get("documents")
    if not isinstance(countries, dict) or not isinstance(documents, list):
        return None
    return countries, documents


def write_cached(directory: Path, key: str, countries: dict[str, str],
                 documents: list[dict[str, Any]]) -> None:
    """Store validated documents atomically; a read-only or full cache folder is ignored."""
    from riskcheck.files import write_cache

    def dump(handle: Any) -> None:
        handle.write(json.dumps({"fingerprint": key, "countries": countries,
                                 "documents": documents}, ensure_ascii=False).encode("utf-8"))

    write_cache(_cache_file(directory), dump)
