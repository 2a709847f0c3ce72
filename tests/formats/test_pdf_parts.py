"""Parts of the PDF report: charts that carry information, numbered sources, policy words."""

from __future__ import annotations

import re
from dataclasses import replace

from riskcheck.formats import pdf_charts, pdf_words
from riskcheck.model import Level, Policy


def _rects(drawing) -> list:
    from reportlab.graphics.shapes import Rect

    return [shape for shape in drawing.contents if isinstance(shape, Rect)]


def test_a_model_at_none_has_a_visible_bar(report):
    drawing = pdf_charts.exposure_by_model(report, 480)
    bars = _rects(drawing)
    assert len(bars) == len(report.models)
    widths = sorted(bar.width for bar in bars)
    assert widths[0] >= 40, widths  # 'none' fills its column, not a 2-point sliver
    assert len(set(widths)) == len({a.level for a in report.models})


def test_many_models_are_charted_by_level(big_report):
    drawing = pdf_charts.levels_chart(big_report, 480)
    labels = [s.text for s in drawing.contents if hasattr(s, "text")]
    assert f"Models by level ({len(big_report.models)} models)" in labels
    assert sum(int(t.split()[0]) for t in labels if re.fullmatch(r"\d+ models?", t)) == \
        len(big_report.models)


def test_concentration_is_drawn_only_when_there_is_some(report):
    mistral = next(a for a in report.models if a.resolution.ref.id.startswith("mistralai/"))
    report = replace(report, project_findings=())  # no concentration finding of the policy
    two = replace(report, models=report.models[:2])
    assert pdf_charts.concentration(two, 480) is None  # two models: no concentration
    spread = replace(report, models=tuple(a for a in report.models
                                          if a.resolution.status == "resolved"))
    counts = pdf_charts.country_counts(spread)
    share = counts[0][1] / len(spread.models)
    drawn = pdf_charts.concentration(spread, 480)
    assert (drawn is not None) == (share > pdf_charts.CONCENTRATION_SHARE or
                                   pdf_charts.vendor_counts(spread)[0][1] / len(spread.models)
                                   > pdf_charts.CONCENTRATION_SHARE)
    same = replace(report, models=tuple(
        replace(mistral, resolution=replace(mistral.resolution, ref=replace(
            mistral.resolution.ref, id=f"mistralai/model-{i}"))) for i in range(4)))
    drawing = pdf_charts.concentration(same, 480)
    assert drawing is not None
    texts = [s.text for s in drawing.contents if hasattr(s, "text")]
    assert "4 (100%)" in texts and "Mistral AI" in texts
    # one country for models of four different vendors: the country panel only
    vendors = tuple(replace(a, resolution=replace(a.resolution, parties=tuple(
        replace(p, organisation=replace(p.organisation, id=f"v{i}", name=f"Vendor {i}"))
        if p.role == "vendor" else p for p in a.resolution.parties)))
        for i, a in enumerate(same.models))
    texts = [s.text for s in pdf_charts.concentration(replace(same, models=vendors),
                                                       480).contents if hasattr(s, "text")]
    assert "Models by vendor country" in texts and "Models by vendor" not in texts


def test_concentrated_needs_a_shared_known_vendor():
    assert not pdf_charts.concentrated([("unknown", 5)], 5, 3)
    assert not pdf_charts.concentrated([("CN", 1), ("US", 1)], 2, 3)
    assert not pdf_charts.concentrated([(f"c{i}", 1) for i in range(10)], 10, 3)
    assert not pdf_charts.concentrated([("CN", 2), ("US", 2)], 4, 3)  # half is no majority
    assert pdf_charts.concentrated([("CN", 3), ("US", 1)], 4, 3)


def test_bibliography_numbers_each_url_once():
    bib = pdf_words.Bibliography()
    text = bib.cite("rule (28 CFR 202.601) https://www.ecfr.gov/a/b. See https://x.org/y, "
                    "and again https://www.ecfr.gov/a/b")
    assert text == "rule (28 CFR 202.601) [1]. See [2], and again [1]"
    assert list(bib.entries) == ["https://www.ecfr.gov/a/b", "https://x.org/y"]
    assert bib.numbers(["https://x.org/y", "https://new.example/z"], "about Z") == "[2][3]"
    assert bib.entries["https://new.example/z"] == ["about Z"]
    assert bib.cite("no link here") == "no link here"


def test_policy_words_have_no_python_values():
    policy = Policy(fail_on=Level.MEDIUM, denied_vendors=("deepseek",), affiliates_rule=True,
                    max_country_share=0.5)
    rows = dict(pdf_words.policy_words(policy))
    text = " ".join(f"{k} {v}" for k, v in rows.items())
    assert not re.search(r"\b(True|False|None)\b|\(\(|\('|\[", text), text
    assert rows["Fails the run"] == "when any model or project finding reaches medium"
    assert rows["By usage"] == "api 100%, self-hosted 85%, unknown 100%"
    assert "vendors refused: deepseek" in rows["Refused and approved"]
    assert rows["BIS Affiliates Rule"].startswith("applied")
    assert ("more than 75% of the models depend on one vendor, or more than 50% of the "
            "models depend on one country") in rows["Concentration"]
    assert pdf_words.plain_value(False) == "no" and pdf_words.plain_value(None) == "not set"


def test_what_to_change_names_the_blocking_models(report):
    lines = pdf_words.what_to_change(report)
    blocking = [a.resolution.ref.id for a in report.models
                if a.level >= report.project.policy.fail_on]
    assert lines[0].startswith(f"{len(blocking)} models at high or above")
    for model in blocking:
        assert model in lines[0]
    passing = replace(report, failed=False, models=tuple(
        a for a in report.models if a.level < Level.HIGH), project_findings=())
    assert any(line.startswith("Nothing has to change to pass at fail-on high")
               for line in pdf_words.what_to_change(passing))


def test_headline_prefers_a_listing_to_a_country_at_equal_level(report):
    qwen = next(a for a in report.models if a.resolution.ref.id == "qwen2.5:7b")
    top = pdf_words.headline(qwen)
    assert top is not None and top.level == qwen.level
    same_level = [f for f in qwen.findings if f.level == top.level]
    assert top.kind in {"list-match", "parent-list-match", "serving-list-match"} or all(
        pdf_words.KIND_RANK.get(f.kind, 5) >= pdf_words.KIND_RANK.get(top.kind, 5)
        for f in same_level)


def test_official_source_of_a_mirrored_copy(report):
    sdn = next(v for v in report.list_versions if v.source == "ofac_sdn")
    page, files = pdf_words.official_sources()["ofac_sdn"]
    url, note = pdf_words.version_citation(replace(sdn, origin="store",
                                                   url="https://mirror.example/SDN.CSV"))
    assert url == page and "mirror" in note
    url, note = pdf_words.version_citation(replace(sdn, origin="store", url=files[0]))
    assert url == page and note == ""


def test_a_concentration_finding_draws_the_chart(report):
    from riskcheck.model import Finding

    finding = Finding("concentration", Level.LOW, "2 of 2 models depend on one vendor")
    two = replace(report, models=report.models[:2], project_findings=(finding,))
    assert pdf_charts.concentration(two, 480) is not None
