"""Data printed to a terminal carries no control sequence and no interpreted markup.

Model ids and file names come from pull requests, listed names from downloaded files: an ESC
in one could clear the screen or plant an OSC 8 link, a C1 CSI could do the same, and rich
markup in a name ('[/]', '[link=...]') crashed the screen table or became a live link.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from riskcheck.terminal import terminal_safe

HOSTILE = ["x\x1b[2Jy", "a\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
           "c\x9b31md", "bell\x07\x08", "rtl\u202eevil", "[link=https://evil.example]Zhipu[/link]",
           "Sensetime [/] Group", "[bold red]PASS[/]"]


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    return subprocess.run([sys.executable, "-m", "riskcheck", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def _inert(text: str) -> None:
    controls = [c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0
                or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"]
    assert not controls, f"control characters reached the terminal: {controls!r}"


@pytest.mark.parametrize("value", HOSTILE)
def test_terminal_safe_drops_every_control(value: str) -> None:
    _inert(terminal_safe(value))
    _inert(terminal_safe(value + "\nnext", one_line=True))
    assert "\n" not in terminal_safe("a\nb\u2028c", one_line=True)


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_check_table_and_warnings(tmp_path: Path) -> None:
    manifest = tmp_path / "riskcheck.yaml"
    lines = ["models:"] + [f'  - id: "{v.encode("unicode_escape").decode()}"' for v in HOSTILE]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run("check", str(manifest), "--offline", "--bundled", "--fail-on", "none")
    assert result.returncode == 0, result.stderr
    _inert(result.stdout)
    _inert(result.stderr)
    assert "[link=https://evil.example]Zhipu" in result.stdout  # shown as text, not a link


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("query", HOSTILE)
def test_screen_shows_markup_as_text(query: str) -> None:
    result = _run("screen", query, "--threshold", "0.5")
    assert result.returncode in (0, 1), result.stderr  # 1: a hit (Sensetime is listed)
    assert "Traceback" not in result.stderr
    _inert(result.stdout)
    _inert(result.stderr)


def test_scan_table_file_names(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    name = "app\x1b[2J\x9b31m[bold red]x.py"
    try:
        (repo / name).write_text('MODEL = "Qwen/Qwen2.5-7B-Instruct"\n'
                                 'from transformers import AutoModel\n'
                                 'AutoModel.from_pretrained(MODEL)\n', encoding="utf-8")
    except OSError:
        pytest.skip("this file system refuses control characters in file names")
    result = _run("scan", str(repo))
    assert result.returncode == 0, result.stderr
    _inert(result.stdout)
    assert "Qwen/Qwen2.5-7B-Instruct" in result.stdout


def test_resolve_table(tmp_path: Path) -> None:
    result = _run("resolve", "--offline", *HOSTILE[:3], "[link=https://e.example]q[/link]/m")
    assert result.returncode in (0, 1), result.stderr
    _inert(result.stdout)
    _inert(result.stderr)
