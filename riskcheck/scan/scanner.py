"""Scan a repository for the models it uses: walk, hand each file to its detectors, collect."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from riskcheck.errors import InputError
from riskcheck.progress import NULL_PROGRESS, Progress
from riskcheck.scan.config_keys import ConfigKeysDetector
from riskcheck.scan.cyclonedx import CycloneDxDetector
from riskcheck.scan.docs_text import DocsDetector
from riskcheck.scan.dotenv import DotenvDetector
from riskcheck.scan.go_code import GoDetector
from riskcheck.scan.interface import Detector, DetectorError, FoundReference, SkippedFile
from riskcheck.scan.javascript import JavaScriptDetector
from riskcheck.scan.model_card import ModelCardDetector
from riskcheck.scan.python_code import PythonDetector
from riskcheck.scan.shell import ShellDetector
from riskcheck.scan.walk import walk
from riskcheck.scan.yaml_config import YamlDetector

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Source and config files are small; bigger ones are data or generated, not configuration."""


@dataclass(frozen=True)
class ScanResult:
    """What a scan found, what it skipped and why, and how much it read."""

    root: str
    references: tuple[FoundReference, ...]
    skipped: tuple[SkippedFile, ...]
    files_scanned: int


def _openrouter_prefix() -> object:
    from riskcheck.resolution.registry import load_registry

    registry = load_registry()
    return lambda prefix: registry.by_openrouter(prefix) is not None


def default_detectors(*, include_docs: bool = False) -> list[Detector]:
    """Every detector, in a fixed order; docs only when asked for."""
    detectors: list[Detector] = [
        PythonDetector(), ShellDetector(), DotenvDetector(), YamlDetector(),
        JavaScriptDetector(_openrouter_prefix()),  # type: ignore[arg-type]
        CycloneDxDetector(), ModelCardDetector(), GoDetector(), ConfigKeysDetector(),
    ]
    if include_docs:
        detectors.append(DocsDetector())
    return detectors


def _read(path: Path, size_limit: int) -> tuple[str | None, str | None]:
    """(text, None) or (None, reason to skip)."""
    try:
        # O_NONBLOCK: opening a FIFO left in a repository must not wait for a writer forever;
        # fstat on the opened descriptor then skips anything that is not a regular file.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return None, "not a regular file (pipe, socket or device)"
            if info.st_size > size_limit:
                return None, f"larger than {size_limit // 1024} KiB"
            raw = handle.read(size_limit + 1)
    except PermissionError:
        return None, "unreadable (permission denied)"
    except OSError as exc:
        return None, f"unreadable ({exc.strerror or exc})"
    if b"\x00" in raw[:8192]:
        return None, "binary"
    return raw.decode("utf-8-sig", errors="replace"), None


def _detect(detector: Detector, relative: PurePosixPath, text: str,
            found: dict[tuple[str, str], FoundReference], skipped: list[SkippedFile]) -> None:
    try:
        for reference in detector.detect(relative, text):
            # One model named twice in a file is one dependency: keep its first place, unless a
            # later place gives stronger evidence.
            key = (reference.path, reference.id)
            kept = found.get(key)
            if kept is None or _rank(reference) > _rank(kept):
                found[key] = reference
    except DetectorError as error:
        skipped.append(SkippedFile(str(relative), f"{detector.name}: {error}"))
    except RecursionError:
        skipped.append(SkippedFile(str(relative), f"{detector.name}: nested too deeply"))


_RANK = {"low": 0, "medium": 1, "high": 2}


def _rank(reference: FoundReference) -> tuple[int, bool]:
    """Stronger evidence first: confidence, then a model call over a setting's definition."""
    return _RANK[reference.confidence], ":call " in reference.detector


def scan_tree(root: Path, *, include_docs: bool = False, progress: Progress = NULL_PROGRESS,
              detectors: Sequence[Detector] | None = None,
              max_file_bytes: int = MAX_FILE_BYTES) -> ScanResult:
    """Find model references under ``root``; files that fail are skipped with a reason."""
    if not root.exists():
        raise InputError("path not found", path=str(root), hint="check the path")
    chosen = list(detectors) if detectors is not None else default_detectors(include_docs=include_docs)
    base = root.resolve()
    found: dict[tuple[str, str], FoundReference] = {}
    skipped: list[SkippedFile] = []
    scanned = 0
    deferred: list[tuple[Detector, PurePosixPath, str]] = []
    progress.start("scan", "Scanning files")
    files = walk(base) if base.is_dir() else iter(())
    for item in files:
        progress.advance("scan", 1)
        if item.symlink_target is not None:
            try:
                target = (item.path.parent / item.symlink_target).resolve()
            except (RuntimeError, OSError):  # a symlink loop (RuntimeError before 3.13)
                skipped.append(SkippedFile(str(item.relative), "symlink loop (not followed)"))
                continue
            if base not in target.parents and target != base:
                skipped.append(SkippedFile(str(item.relative), "symlink out of the tree (not followed)"))
            continue
        claiming = [d for d in chosen if d.claims(item.relative)]
        if not claiming:
            continue
        text, reason = _read(item.path, max_file_bytes)
        if text is None:
            skipped.append(SkippedFile(str(item.relative), reason or "unreadable"))
            continue
        scanned += 1
        for detector in claiming:
            if getattr(detector, "project_wide", False):
                # Detectors that follow values across files see every file before detecting.
                try:
                    detector.index(item.relative, text)  # type: ignore[attr-defined]
                except RecursionError:
                    pass
                deferred.append((detector, item.relative, text))
                continue
            _detect(detector, item.relative, text, found, skipped)
    for detector, relative, text in deferred:
        _detect(detector, relative, text, found, skipped)
    progress.finish("scan")
    references = sorted(found.values(), key=lambda r: (r.path, r.line, r.column, r.id))
    return ScanResult(root=os.fspath(root), references=tuple(references),
                      skipped=tuple(sorted(skipped, key=lambda s: s.path)), files_scanned=scanned)
