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
from riskcheck.model import Level


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


def test_page_one_is_the_executive_summary(pdf_bytes, report):
    cover = _flat(_pages(pdf_bytes)[0])
    assert "Project: rag-app" in cover and "Overall exposure: CRITICAL" in cover
    assert "FAIL at fail-on high" in cover and "2026-11-29T08:00:00" in cover
    assert "What would have to change" in cover and "3 models at high or above" in cover
    assert "Models by level" in cover and "The worst findings" in cover
    assert "CRITICAL zai/glm-4.6: vendor on an official list" in cover
    for version in report.list_versions:  # every list with its date, labelled
        assert version.source in cover and f"published {version.published}" in cover
    assert "stored copy (STALE)" in cover


def test_list_versions_are_numbered_sources(pdf_bytes, report):
    text = _flat(" ".join(_pages(pdf_bytes)))
    sources = text[text.rindex("Sources"):]
    for number, version in enumerate(report.list_versions, start=1):
        assert f"[{number}]" in sources and f"version sha256 {version.version}" in sources


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
    for expected in ("Findings of models at low or above", "Level of each model",
                     "90 FR 4617", "also listed as:", "alignment:", "qualifier:",
                     "Exceptions in force", "EXC-2026-004", "Appendix: how the result",
                     "Policy", "Kinds of finding in this report", "Sources"):
        assert expected in text, expected
    for number, page in enumerate(pages, start=1):
        assert f"Page {number}" in page
        assert "run 3f9c2a7b1d4e" in page


def test_each_explanation_is_printed_once(pdf_bytes, report):
    text = _flat(" ".join(_pages(pdf_bytes)))
    # every list match is explained once (matched names, alignment, qualifiers, record),
    # except minor findings of a model another finding sets higher: listed by record only
    explained = {(f.match.party_id, f.match.entity.source, f.match.entity.source_id)
                 for a in report.models for f in a.findings
                 if f.match is not None and f.level >= min(a.level, Level.MEDIUM)}
    assert len(explained) >= 4
    assert text.count("matched '") == len(explained)
    # the second rendering of the same explanation (capitalised labels) is gone
    assert "Alignment:" not in text and "Qualifiers:" not in text


def test_urls_are_cited_by_number_once(pdf_bytes):
    text = _flat(" ".join(_pages(pdf_bytes)))
    body, sources = text[:text.rindex("Sources")], text[text.rindex("Sources"):]
    assert "://" not in body, body[body.index("://") - 60:body.index("://") + 40]
    assert re.search(r"\[\d+\]", body)
    urls = re.findall(r"\[\d+\] (https?://\S+)", sources)
    assert urls and len(urls) == len(set(urls))


def test_policy_in_human_words(pdf_bytes):
    text = _flat(" ".join(_pages(pdf_bytes)))
    appendix = text[text.index("Appendix: how the result"):text.rindex("Sources")]
    assert not re.search(r"\b(True|False|None)\b", appendix), appendix
    assert "api, 1.0" not in appendix and "fail_on" not in appendix
    assert "when any model or project finding reaches high" in appendix
    assert "api 100%, self-hosted 85%" in appendix


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
    # A finding repeated across models is explained under its first model only.
    assert "explained above, under" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= 20


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


def test_summary_states_the_coverage_per_source(report):
    from dataclasses import replace

    from riskcheck.model import SourceCoverage

    coverage = (SourceCoverage(source="ofac_sdn", state="stored", version="abc",
                               published="2026-12-01",
                               fetched_at="2026-12-03T10:00:00+00:00", record_count=18000,
                               required=True),
                SourceCoverage(source="us_csl", state="bundled", record_count=40,
                               snapshot_date="2026-11-29", required=True),
                SourceCoverage(source="un_sc", state="missing", required=True))
    pdf = PdfFormat().render(replace(report, coverage=coverage))
    text = _flat(_pages(pdf)[0])
    assert "Lists screened" in text
    assert ("OFAC Specially Designated Nationals (ofac_sdn) stored copy published 2026-12-01; "
            "fetched 2026-12-03 18,000") in text
    assert ("US Consolidated Screening List (us_csl) bundled snapshot snapshot as of "
            "2026-11-29 40") in text
    assert "(un_sc) NOT SCREENED: missing, required" in text
    assert "Not screened, list missing: un_sc" in text


def test_stored_list_cites_the_official_source_not_the_mirror(report):
    from dataclasses import replace

    from riskcheck.formats.pdf_words import official_sources

    sdn = next(v for v in report.list_versions if v.source == "ofac_sdn")
    mirrored = replace(sdn, origin="store", url="https://mirror.example.org/lists/SDN.CSV")
    versions = tuple(mirrored if v is sdn else v for v in report.list_versions)
    text = _flat(" ".join(_pages(PdfFormat().render(replace(report, list_versions=versions)))))
    page = official_sources()["ofac_sdn"][0]
    assert re.sub(r"\s", "", page) in re.sub(r"\s", "", text)
    assert "mirror.example.org" not in text
    assert "this copy came from a mirror or an imported file" in text


def test_a_clean_project_has_no_empty_section(report):
    from dataclasses import replace

    clean_models = tuple(replace(a, findings=(), matches=(), level=Level.NONE, score=0.0)
                         for a in report.models if a.resolution.status == "resolved")
    clean = replace(report, models=clean_models, project_findings=(), level=Level.NONE,
                    failed=False, undeclared=(), warnings=(),
                    project=replace(report.project, policy=replace(
                        report.project.policy, exceptions=())))
    pdf = PdfFormat().render(clean)
    text = _flat(" ".join(_pages(pdf)))
    for heading in ("Findings of models", "Project findings", "Exceptions in force",
                    "Kinds of finding", "Warnings", "Models by vendor"):
        assert heading not in text, heading
    assert "Why it passes" in text and "Nothing has to change to pass at fail-on high" in text
    assert "No finding at low or above" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= 3


def test_detail_level_can_be_raised(report):
    text = _flat(" ".join(_pages(PdfFormat(level="high").render(report))))
    assert "Findings of models at high or above" in text
    assert "2 models below high appear in the table above" in text
