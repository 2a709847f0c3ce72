"""Markdown from untrusted values renders inert under a CommonMark renderer with tables.

Model ids, file names and project names come from the pull request; listed names from
downloaded files. None of them may close a code span early, start a line, a heading or an HTML
element, make a link or an image, or ping someone with an @mention.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from riskcheck.formats.markdown import code, esc

HOSTILE = [
    "a``<a href=\"https://evil.example\">click</a>``b",
    "x\r### PASS: no exposure\ry",
    "x\n\n<img src=https://evil.example/p.png>",
    "ping @security-team and @org/admins",
    "see https://evil.example/x and www.evil.example",
    "[link](https://evil.example) ![img](https://evil.example/i.png)",
    "| cell | break |",
    "a\u2028b\u2029c\x85d\x0be\x0cf",
    "<script>alert(1)</script>",
    "*bold* _em_ ~~strike~~ \\",
]

RENDERER = MarkdownIt("commonmark").enable("table")


def _check_inert(html: str) -> None:
    assert "<a " not in html and "<img" not in html and "<script" not in html, html
    assert not re.search(r"<h[1-6]>[^<]*PASS", html), html
    assert not re.search(r"@[\w-]", html), "a live @mention"
    assert not re.search(r"(?<![\w\u200b])(https?://|www\.)", html), "a bare address GFM links"


@pytest.mark.parametrize("value", HOSTILE)
def test_esc_and_code_are_inert(value: str) -> None:
    for rendered in (esc(value), code(value), f"| {code(value)} | {esc(value)} |\n|---|---|"):
        html = RENDERER.render(rendered)
        _check_inert(html)
        assert html.count("<p>") + html.count("<table>") <= 1, html  # stays on its line


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_check_markdown_with_hostile_ids_and_project(tmp_path: Path) -> None:
    lines = ["version: 1", 'project: {name: "@org/admins <b>x</b> https://evil.example"}',
             "models:"]
    lines += [f'  - id: "{v.encode("unicode_escape").decode().replace(chr(34), chr(92) + chr(34))}"'
              for v in HOSTILE]
    manifest = tmp_path / "riskcheck.yaml"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = dict(os.environ)
    result = subprocess.run([sys.executable, "-m", "riskcheck", "check", str(manifest),
                             "--offline", "--bundled", "--fail-on", "none", "--format",
                             "markdown"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    html = RENDERER.render(result.stdout)
    # riskcheck's own text may link its sources; the hostile values must not add any.
    own_links = RENDERER.render(result.stdout.replace("evil.example", "x")).count("<a ")
    assert html.count("<a ") == own_links
    assert "<img" not in html and "<script" not in html
    assert not re.search(r"<h[1-6]>[^<]*PASS: no exposure", html)  # riskcheck's own heading only
    assert not re.search(r"@(security-team|org)", html)


def test_watch_summary_escapes_every_value() -> None:
    from riskcheck.model import Level
    from riskcheck.watch.changes import Change, WatchDiff
    from riskcheck.watch.notify import markdown_summary

    changes = tuple(Change("new-match", value, value, Level.HIGH) for value in HOSTILE)
    text = markdown_summary("@org/admins <b>x</b>", "2026-12-04", WatchDiff(False, changes),
                            Level.HIGH)
    html = RENDERER.render(text)
    _check_inert(html)
    assert html.count("<tr>") == len(HOSTILE) + 1  # one row per change, none split or joined


def test_apostrophes_and_hashes_render_as_themselves() -> None:
    """Each character is escaped once: a reference written for one is never escaped again."""
    from markdown_it import MarkdownIt

    from riskcheck.formats.markdown import esc

    text = "People's Republic #1 & <Co> \"Ltd\""
    rendered = MarkdownIt("commonmark").render(esc(text))
    import html as _html

    assert _html.unescape(rendered.strip().removeprefix("<p>").removesuffix("</p>")) == text
