"""Which projects the ``fleet`` paths stand for: saved results, manifests, checkouts.

A path is a saved result JSON (``riskcheck check -f json``), a manifest, a project folder
(with a riskcheck.yaml, or code to scan as ``check DIR`` does), or a folder of those: every
``*.json`` directly inside a folder given on the command line is a result, and each sub-folder
is a project (it has a manifest), a folder of results (its JSON files are riskcheck results),
or a checkout to scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from riskcheck.errors import InputError

from riskcheck.project.manifest import MANIFEST_NAMES


@dataclass(frozen=True)
class Item:
    """One project to read: a saved result, or a manifest / folder to check now."""

    kind: Literal["result", "check"]
    path: Path
    scan_only: bool = False
    """A sub-folder with neither a manifest nor results, found inside a folder: checked by
    scanning its code; one whose code names no model is skipped with a warning."""


def _has_manifest(folder: Path) -> bool:
    return any((folder / name).is_file() for name in MANIFEST_NAMES)


def _looks_like_result(path: Path) -> bool:
    """A riskcheck result starts with its ``schema_version`` (cheap sniff, no parsing)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(256)
    except OSError:
        return False
    return head.lstrip().startswith(b"{") and b'"schema_version"' in head


def _folder(folder: Path, top: bool) -> list[Item]:
    if _has_manifest(folder):
        return [Item("check", folder)]
    entries = sorted(folder.iterdir())
    results = [p for p in entries if p.is_file() and p.suffix.lower() == ".json"
               and (top or _looks_like_result(p))]
    subfolders = [p for p in entries if p.is_dir() and not p.name.startswith(".")]
    if not top:
        if results:
            return [Item("result", p) for p in results]
        return [Item("check", folder, scan_only=True)]
    items = [Item("result", p) for p in results]
    for sub in subfolders:
        items.extend(_folder(sub, top=False))
    if not items:
        return [Item("check", folder)]
    return items


def collect(paths: list[Path]) -> list[Item]:
    """The projects ``paths`` stand for, in a stable order; a missing path is an error."""
    items: list[Item] = []
    for path in paths:
        if not path.exists():
            raise InputError("no such file or folder", path=str(path),
                             hint="give result JSONs, manifests or folders of projects")
        if path.is_dir():
            items.extend(_folder(path, top=True))
        elif path.suffix.lower() == ".json":
            items.append(Item("result", path))
        else:
            items.append(Item("check", path))
    seen: dict[Path, Item] = {}
    for item in items:
        seen.setdefault(item.path.resolve(), item)
    return list(seen.values())
