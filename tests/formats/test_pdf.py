"""The PDF report: text extraction (all scripts), structure, and a rendered page."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from riskcheck.formats.pdf import PdfFormat
from riskcheck.formats.pdf_fonts import ARABIC, CJK, SANS, runs, shaping_available


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    """Extracted text with Arabic presentation forms folded back and whitespace collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def pdf_bytes(make) -> bytes:
    return PdfFormat().render(make())


def test_is_a_pdf_with_metadata(pdf_bytes):
    assert pdf_bytes.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf_bytes))
    assert reader.metadata.title == "riskcheck report: rag-app"
    assert len(reader.pages) >= 4


def test_cover_page(pdf_bytes, report):
    cover = _flat(_pages(pdf_bytes)[0])
    assert "Project: rag-app" in cover and "Overall exposure: CRITICAL" in cover
    assert "FAIL at fail-on high" in cover and "2026-11-29T08:00:00" in cover
    for version in report.list_versions:
        assert version.source in cover and version.published in cover
        assert version.version[:32] in cover and version.version[32:] in cover


def test_every_script_is_extractable(pdf_bytes, names):
    text = _flat(" ".join(_pages(pdf_bytes)))
    assert names["cjk"] in text
    assert names["cyrillic"] in text and "ООО «СберДевайсы»" in text
    for word in names["arabic"].split() + names["arabic_alias"].split():
        assert word in text, word


@pytest.mark.skipif(not shaping_available(), reason="uharfbuzz not installed")
def test_arabic_is_shaped(pdf_bytes):
    raw = " ".join(_pages(pdf_bytes))
    # Joined Arabic letters are drawn with contextual (presentation-form) glyphs.
    assert any("\ufb50" <= ch <= "\ufeff" for ch in raw)


def test_findings_footer_and_appendix(pdf_bytes):
    pages = _pages(pdf_bytes)
    text = _flat(" ".join(pages))
    for expected in ("Findings by model", "Exposure by model", "Models by vendor country",
                     "90 FR 4617", "Also listed as:", "Alignment:", "Qualifiers:",
                     "Exceptions in force", "EXC-2026-004", "Appendix: methodology",
                     "Policy and thresholds", "Kinds of finding", "Sources"):
        assert expected in text, expected
    for number, page in enumerate(pages, start=1):
        assert f"Page {number}" in page
        assert "run 3f9c2a7b1d4e" in page


def test_exception_approver_shown(pdf_bytes, report):
    if not getattr(report.project.policy, "exceptions", ()):
        pytest.skip("this model.py has no policy exceptions")
    text = _flat(" ".join(_pages(pdf_bytes)))
    assert "Approved exceptions (policy)" in text and "J. Doe (compliance)" in text
    assert "2027-04-01" in text


def test_runs_pick_a_font_per_script(names):
    fonts = {font for font, _ in runs(f"Zhipu {names['cjk']} {names['arabic']} ПАО")}
    assert fonts == {SANS, CJK, ARABIC}


def test_output_is_deterministic(pdf_bytes, make):
    assert PdfFormat().render(make()) == pdf_bytes


def test_fifty_models(big_report):
    pdf = PdfFormat().render(big_report)
    text = _flat(" ".join(_pages(pdf)))
    assert "acme-internal/summarizer-v2-46" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) absent")
def test_pages_render_to_png(pdf_bytes, tmp_path: Path):
    from PIL import Image

    source = tmp_path / "report.pdf"
    source.write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(source), str(tmp_path / "page")],
                   check=True, capture_output=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(PdfReader(io.BytesIO(pdf_bytes)).pages)
    for image_path in images:
        image = Image.open(image_path).convert("L")
        dark = sum(image.histogram()[:128])
        assert dark > 0.002 * image.width * image.height, image_path.name


def test_cover_states_the_coverage_per_source(report):
    from dataclasses import replace

    from riskcheck.model import SourceCoverage

    coverage = (SourceCoverage(source="ofac_sdn", state="stored", version="abc",
                               fetched_at="2026-12-03T10:00:00+00:00", record_count=18000,
                               required=True),
                SourceCoverage(source="us_csl", state="bundled", record_count=40,
                               snapshot_date="2026-11-29", required=True),
                SourceCoverage(source="un_sc", state="missing", required=True))
    text = _flat(" ".join(_pages(PdfFormat().render(replace(report, coverage=coverage)))[:2]))
    assert "Coverage per source" in text
    assert "ofac_sdn stored version 2026-12-03 18000" in text
    assert "us_csl bundled snapshot entries 2026-11-29 40" in text
    assert "un_sc NOT SCREENED (missing)" in text
