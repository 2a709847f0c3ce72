"""The fleet HTML page in a real headless Chromium: loads clean, fetches nothing, charts
render, and clicking a column header sorts the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fleet.browser import Browser, find_chromium

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium on PATH (install the distribution's package: apt-get install -y "
           "chromium, or set RISKCHECK_CHROMIUM)")


@pytest.fixture(scope="module")
def page(fleet_results, tmp_path_factory: pytest.TempPathFactory):
    from riskcheck.fleet.aggregate import aggregate
    from riskcheck.fleet.render import render
    from riskcheck.formats.json_load import load_report
    from riskcheck.model import Level

    folder, _ = fleet_results
    reports = [(load_report(p), p.name) for p in sorted(folder.glob("*.json"))]
    html = tmp_path_factory.mktemp("html") / "fleet.html"
    html.write_text(render(aggregate(reports, level=Level.MEDIUM), "html"), encoding="utf-8")
    browser = Browser(CHROMIUM)  # type: ignore[arg-type]
    try:
        browser.open(html)
        yield browser, html
    finally:
        browser.close()


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_loads_without_console_errors_or_requests(page) -> None:
    browser, html = page
    assert browser.evaluate("document.title").startswith("riskcheck fleet: 5 projects")
    assert browser.problems() == []
    assert browser.requests() == [html.resolve().as_uri()]


def test_charts_render(page) -> None:
    browser, _ = page
    charts = browser.evaluate(
        "Array.from(document.querySelectorAll('svg')).map(function(s){"
        "return [s.id, s.querySelectorAll('rect.bar').length,"
        " s.getBoundingClientRect().width > 100];})")
    by_id = {chart_id: (bars, visible) for chart_id, bars, visible in charts}
    assert by_id["chart-levels"] == (5, True)
    assert by_id["chart-vendors"][0] >= 5 and by_id["chart-vendors"][1]
    widths = browser.evaluate("Array.from(document.querySelectorAll('#chart-vendors rect.bar'))"
                              ".map(function(r){return r.getBBox().width;})")
    assert widths[0] > 0 and widths == sorted(widths, reverse=True)


def test_clicking_a_header_sorts(page) -> None:
    browser, _ = page
    column = ("Array.from(document.querySelectorAll('#projects tbody tr')).map(function(r){"
              "return r.cells[%d].textContent;})")
    names = browser.evaluate(column % 0)
    browser.click("#projects th:nth-child(2)")  # level
    levels = browser.evaluate(column % 1)
    order = ["none", "low", "medium", "high", "critical"]
    assert [order.index(x) for x in levels] == sorted(order.index(x) for x in levels)
    assert browser.evaluate(
        "document.querySelector('#projects th:nth-child(2)').getAttribute('aria-sort')"
    ) == "ascending"
    browser.click("#projects th:nth-child(2)")
    assert browser.evaluate(column % 1)[0] == "critical"
    browser.click("#projects th:nth-child(1)")
    assert browser.evaluate(column % 0) == sorted(names, key=str.lower)
    assert browser.problems() == []
