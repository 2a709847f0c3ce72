"""docs/sample-comment.md and the README's sample are what the Markdown format renders for
examples/rag-app today (scripts/render_sample_comment.py writes them)."""

from __future__ import annotations

import pytest
import subprocess
import sys
from pathlib import Path

from markdown_it import MarkdownIt

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_sample_comment_is_current() -> None:
    result = subprocess.run([sys.executable, "scripts/render_sample_comment.py", "--check"],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sample_comment_renders_its_table_and_blocks() -> None:
    text = (REPO / "docs" / "sample-comment.md").read_text(encoding="utf-8")
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert html.count("<tr>") == 5  # the header and the four models
    assert text.count("<details>") == text.count("</details>") >= 3
