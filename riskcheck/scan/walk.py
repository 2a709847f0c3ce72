"""Walk a repository the way its developers see it: ignored, vendored and binary files left out.

Symlinks are never followed: a link inside the tree points at something the walk reaches
anyway, and a link out of the tree (or a loop) must not make the scan read outside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pathspec import GitIgnoreSpec

VENDORED_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", "bower_components", "vendor", "third_party",
    "third-party", "site-packages", ".venv", "venv", "__pycache__", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".cache", "dist", "build", ".eggs",
    ".terraform", ".next", ".nuxt", "target",
})
IGNORE_FILES = (".gitignore", ".riskcheckignore")


@dataclass(frozen=True)
class WalkedFile:
    """A regular file inside the tree, or a symlink to report."""

    path: Path
    relative: PurePosixPath
    symlink_target: str | None = None
    """For symlinks: where it points (they are reported, never read)."""


def _load_spec(directory: Path) -> GitIgnoreSpec | None:
    lines: list[str] = []
    for name in IGNORE_FILES:
        candidate = directory / name
        if candidate.is_file() and not candidate.is_symlink():
            try:
                lines.extend(candidate.read_text(encoding="utf-8", errors="replace").splitlines())
            except OSError:
                continue
    return GitIgnoreSpec.from_lines(lines) if lines else None


def walk(root: Path) -> Iterator[WalkedFile]:
    """Yield the files under ``root`` not excluded by ignore files or vendored directories."""
    root = root.resolve()
    specs: list[tuple[PurePosixPath, GitIgnoreSpec]] = []

    def ignored(relative: PurePosixPath, is_dir: bool) -> bool:
        for base, spec in specs:
            try:
                inner = relative.relative_to(base) if str(base) != "." else relative
            except ValueError:
                continue
            text = str(inner) + ("/" if is_dir else "")
            if spec.match_file(text):
                return True
        return False

    for current, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(current)
        rel_here = PurePosixPath(here.relative_to(root).as_posix())
        # Specs of directories that are no longer ancestors of this one do not apply.
        specs[:] = [(b, s) for b, s in specs if str(b) == "." or rel_here == b
                    or b in rel_here.parents]
        spec = _load_spec(here)
        if spec is not None:
            specs.append((rel_here, spec))
        kept = []
        for name in sorted(dirnames):
            relative = rel_here / name
            full = here / name
            if name in VENDORED_DIRS or ignored(relative, True):
                continue
            if full.is_symlink():
                yield WalkedFile(full, relative, symlink_target=os.readlink(full))
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            relative = rel_here / name
            if ignored(relative, False):
                continue
            full = here / name
            if full.is_symlink():
                yield WalkedFile(full, relative, symlink_target=os.readlink(full))
                continue
            yield WalkedFile(full, relative)
