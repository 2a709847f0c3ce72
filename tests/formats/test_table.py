"""The terminal table: content, plain vs colour, width, wide characters."""

from __future__ import annotations

from dataclasses import replace

from rich.cells import cell_len

from riskcheck.formats.table import TableFormat
from riskcheck.model import Organisation, Party, Resolution


def test_plain_text_has_every_fact(report):
    text = TableFormat(width=260).render(report)
    assert "\x1b[" not in text
    for expected in ("qwen2.5:7b", "Alibaba Cloud (CN)", "↳ Alibaba Group (CN; inc. KY)",
                     "1260H Alibaba Group Holding Limited (Alibaba) 0.97",
                     "EL Beijing Zhipu Huazhang Technology Co., Ltd. 1.00",
                     "SDN PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA 0.95",
                     "UK Sberbank of Russia 0.93", "exception EXC-2026-004", "possible",
                     "served by Z.ai (Singapore) (SG)", "unresolved", "not screened",
                     "Mistral AI (FR)", "CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE",
                     "OK: no list match (vendor in FR)", "line 8"):
        assert expected in text, expected


def test_header_summary_and_warnings(report, bundled_report):
    text = TableFormat(width=200).render(report)
    lines = text.splitlines()
    assert lines[0].startswith("riskcheck 0.1.0 · rag-app (platform-security@example.com)")
    assert lines[1].startswith("Data: 6 stored lists: us_csl 2026-11-20")
    assert "(stale: us_dod_1260h)" in lines[1]
    summary = next(line for line in lines if line.startswith("Overall:"))
    assert summary == ("Overall: CRITICAL (score 1.00) · 6 models: 2 critical, 1 high, "
                       "1 medium, 1 low, 1 none; 1 unresolved · FAIL at fail-on high")
    assert lines[-1] == "warning: 1 model unresolved: acme-internal/summarizer-v2"
    assert "Project findings:" in text and "3 of 6 models" in text
    assert "  NONE mistralai/Mistral-7B-Instruct-v0.3: OK: no list match (vendor in FR)" in lines
    assert "  CRITICAL zai/glm-4.6: CRITICAL: vendor on the Entity List (Beijing Zhipu Huazhang)" \
        in lines
    assert "Used in code but not in the manifest (not assessed):" in lines
    assert "  deepseek-ai/DeepSeek-R1-Distill-Qwen-7B (src/app/embed.py:22)" in lines
    bundled = TableFormat(width=200).render(bundled_report)
    assert "Data: bundled snapshot as of 2026-11-01" in bundled


def test_pass_line(report):
    passing = replace(report, failed=False)
    assert "PASS at fail-on high" in TableFormat().render(passing)


def test_colour_only_when_asked(report):
    assert "\x1b[" in TableFormat(color=True).render(report)
    assert "\x1b[" not in TableFormat(color=False).render(report)


def test_lines_fit_width_100_with_wide_characters(report, names):
    # Put native-script vendor names in the table: wide CJK glyphs take two cells each.
    glm = report.models[1]
    vendor = Organisation(id="zhipu", name=names["cjk"], country="CN")
    res = replace(glm.resolution, parties=(Party(vendor, "vendor", "publisher"),))
    wide = replace(report, models=(replace(glm, resolution=res),) + report.models[2:])
    text = TableFormat(width=100).render(wide)
    assert names["cjk"][:4] in text
    for line in text.splitlines():
        assert cell_len(line) <= 100, line


def test_unresolved_without_hint_and_no_vendor(report):
    ref = report.models[4].resolution.ref
    bare = replace(report.models[4], resolution=Resolution(ref=ref, status="unresolved"))
    text = TableFormat().render(replace(report, models=(bare,)))
    assert "unresolved" in text and "not screened" in text
