"""The PDF of every example, rendered as an auditor sees it: page count, margins, page images.

The examples are checked on the bundled data (as the README runs them) and each page is
rendered to PNG with poppler's ``pdftoppm``; word boxes come from poppler's ``pdftotext
-bbox``. Both are in Debian's ``poppler-utils`` (``.ci/run`` installs it); without them the
tests skip. Set ``RISKCHECK_PDF_PAGES=<dir>`` to keep the page images for a look.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MM = 72 / 25.4
A4 = (595.28, 841.89)
LEFT = RIGHT = TOP = 18 * MM
BOTTOM = 20 * MM
FOOTER_BAND = (7 * MM, 13 * MM)
"""The footer line (run id, page number) sits in the bottom margin, 10 mm from the edge."""
SLACK = 1.0
"""Points a glyph box may pass a margin (font bearings)."""

PAGE_LIMITS = {"rag-app": 6, "clean-stack": 4, "exposed-stack": 8}
"""Most pages per example: 4-model rag-app was 7 pages before the summary page (13 earlier)."""

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftoppm, pdftotext) not installed; .ci/run installs it")


@pytest.fixture(scope="module")
def example_pdfs(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf-examples")
    env = {**os.environ, "RISKCHECK_DATA_DIR": str(out / "data"), "RISKCHECK_OFFLINE": "1",
           "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    pdfs = {}
    for name in PAGE_LIMITS:
        target = out / f"{name}.pdf"
        result = subprocess.run(
            [sys.executable, "-m", "riskcheck", "check",
             str(REPO / "examples" / name / "riskcheck.yaml"), "--bundled", "--format", "pdf",
             "-o", str(target)], capture_output=True, text=True, timeout=300, env=env)
        assert result.returncode in (0, 1), result.stderr
        pdfs[name] = target
    return pdfs


def _words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every word's box (xMin, yMin, xMax, yMax from the top left, points) per page."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = []
    for page in re.split(r"<page ", bbox)[1:]:
        pages.append([(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w
                      in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                    r'yMax="([\d.]+)">(.*?)</word>', page)])
    return pages


@needs_poppler
@pytest.mark.parametrize("name", sorted(PAGE_LIMITS))
def test_example_page_count_and_margins(example_pdfs, name):
    pages = _words(example_pdfs[name])
    assert 1 <= len(pages) <= PAGE_LIMITS[name], len(pages)
    width, height = A4
    for number, words in enumerate(pages, start=1):
        assert words, f"page {number} is empty"
        for x0, y0, x1, y1, word in words:
            assert x0 >= LEFT - SLACK and x1 <= width - RIGHT + SLACK, (number, word, x0, x1)
            in_frame = y0 >= TOP - SLACK and y1 <= height - BOTTOM + SLACK
            in_footer = height - FOOTER_BAND[1] <= y0 and y1 <= height - FOOTER_BAND[0]
            assert in_frame or in_footer, (number, word, y0, y1)


@needs_poppler
@pytest.mark.parametrize("name", sorted(PAGE_LIMITS))
def test_first_page_is_full_and_a_summary(example_pdfs, name):
    first = _words(example_pdfs[name])[0]
    text = " ".join(w[4] for w in first)
    for heading in ("Overall exposure:", "Models by level", "Lists screened",
                    "The worst findings"):
        assert heading in text, heading
    assert "What would have to change" in text or "Why it passes" in text
    # not half empty: text reaches the lower quarter of the page (above the footer)
    body = [w for w in first if w[3] <= A4[1] - BOTTOM + SLACK]
    assert max(w[3] for w in body) > A4[1] * 0.75


@needs_poppler
@pytest.mark.parametrize("name", sorted(PAGE_LIMITS))
def test_every_page_renders_with_ink(example_pdfs, name, tmp_path):
    from PIL import Image

    keep = os.environ.get("RISKCHECK_PDF_PAGES")
    folder = Path(keep) if keep else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(example_pdfs[name]),
                    str(folder / name)], check=True, capture_output=True)
    images = sorted(folder.glob(f"{name}-*.png"))
    assert len(images) == len(_words(example_pdfs[name]))
    for number, image_path in enumerate(images, start=1):
        image = Image.open(image_path).convert("L")
        dark = sum(image.histogram()[:128])
        # page 1 is a full summary; any later page holds at least a few lines besides the footer
        share = 0.02 if number == 1 else 0.0004
        assert dark > share * image.width * image.height, image_path.name


@needs_poppler
def test_clean_example_has_no_empty_heading(example_pdfs):
    text = " ".join(w[4] for page in _words(example_pdfs["clean-stack"]) for w in page)
    for heading in ("Findings of models", "Project findings", "Kinds of finding"):
        assert heading not in text, heading
    assert "Why it passes" in text
