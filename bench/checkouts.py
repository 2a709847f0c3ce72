"""Two versions of riskcheck side by side, for benchmarks that compare them in one run.

A side is a source tree holding ``riskcheck/`` and ``lists/`` (its code and its matching
tables): this checkout, another checkout (``--base-dir``), or a commit of this repository
(``--base REV``), exported with ``git archive`` into a temporary folder. Each side runs in
its own Python process with the side first on ``PYTHONPATH``; the real list snapshots and the
benchmark scripts are this checkout's, so both sides read the same entities.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def add_side_arguments(parser: argparse.ArgumentParser) -> None:
    """The two sides of a comparison: ``--base REV`` or ``--base-dir DIR``, and
    ``--head-dir DIR`` (this checkout by default)."""
    parser.add_argument("--base", help="commit of this repository to compare against")
    parser.add_argument("--base-dir", type=Path, help="another checkout to compare against")
    parser.add_argument("--head-dir", type=Path, help="the checkout under test (default: this one)")


def check_sides(args: argparse.Namespace) -> None:
    """Stop with a one-line message unless exactly one base was given."""
    if (args.base is None) == (args.base_dir is None):
        sys.exit("give one of --base REV or --base-dir DIR")


def export_commit(rev: str, into: Path) -> Path:
    """``riskcheck/`` and ``lists/`` of commit ``rev`` under ``into`` (made if missing)."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", rev, "riskcheck", "lists"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def side_root(rev: str | None, directory: Path | None, scratch: Path) -> Path:
    """The source tree of a side: a commit exported under ``scratch``, a directory, or this
    checkout when neither is given."""
    if rev is not None:
        return export_commit(rev, scratch / "".join(ch if ch.isalnum() else "_" for ch in rev))
    root = (directory or REPO).resolve()
    if not (root / "riskcheck").is_dir() or not (root / "lists").is_dir():
        sys.exit(f"{root} holds no riskcheck/ and lists/")
    return root


def side_env(root: Path) -> dict[str, str]:
    """The environment that makes ``root``'s riskcheck the one imported.

    String hashing is seeded the same on both sides: candidate generation walks sets of
    words, and between listed names of one entity that score the same, which one is
    reported may follow that order (a tie, not a different score).
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root), str(REPO / "bench")])
    env["PYTHONHASHSEED"] = "2121"
    return env


def describe(root: Path) -> str:
    """The commit a side is at, when it is a git checkout; else its path's last part."""
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                              check=True, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "riskcheck", "lists"],
                               check=True, capture_output=True, text=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except (subprocess.CalledProcessError, FileNotFoundError):
        return root.name


def scratch_dir() -> tempfile.TemporaryDirectory:
    """A temporary folder for exported commits and dumps."""
    return tempfile.TemporaryDirectory(prefix="riskcheck-sides-")
