"""Placeholders in --help read as words: no {manifest}, <str>, <int range> or <directory>."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, COLUMNS="200")
COMMANDS = [["check"], ["resolve"], ["screen"], ["scan"], ["init"], ["report"], ["watch"],
            ["whatif"], ["fleet"], ["lists", "update"], ["lists", "status"], ["lists", "diff"],
            ["lists", "import"], ["lists", "search"]]
TYPER_PLACEHOLDER = re.compile(r"\{[a-z_]+\}|<(str|int|float|int range|float range|text|"
                               r"integer|directory|file|path)>")


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_placeholders_are_words(command: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", "riskcheck", *command, "--help"],
                            capture_output=True, text=True, timeout=60, env=ENV, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert not TYPER_PLACEHOLDER.search(result.stdout), TYPER_PLACEHOLDER.search(result.stdout)
    usage = result.stdout.splitlines()[0]
    assert re.fullmatch(r"Usage: riskcheck [a-z ]+ \[OPTIONS\]( [A-Z_]+(\.\.\.)?| \[[A-Z_]+\]"
                        r"(\.\.\.)?)*", usage), usage


def test_examples_of_words() -> None:
    result = subprocess.run([sys.executable, "-m", "riskcheck", "check", "--help"],
                            capture_output=True, text=True, timeout=60, env=ENV, cwd=REPO)
    text = result.stdout
    assert text.startswith("Usage: riskcheck check [OPTIONS] MANIFEST\n")
    for expected in ("--fail-on LEVEL", "--max-list-age DAYS", "--data-dir DIR",
                     "--output FILE", "--format FORMAT", "--markdown-budget CHARS"):
        assert expected in text, expected
