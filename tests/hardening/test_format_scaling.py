"""Every text format renders in time linear in the number of models.

Markdown once compared each model with every flagged one (``a not in flagged`` on whole
assessments): 10,000 models took about 65 s. A quadratic format grows about 100x from 300 to
3,000 models, a linear one about 10x; the bound leaves room for a busy machine.
PDF is covered by ``bench/bench_formats.py --scaling`` (5 ms a model is too slow for here).
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

from riskcheck.formats.registry import get_format
from riskcheck.model import ModelAssessment

FIXTURE = Path(__file__).resolve().parents[1] / "formats" / "conftest.py"


def _make_report(n_models: int):
    spec = importlib.util.spec_from_file_location("format_fixture_scaling", FIXTURE)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module.make_report(n_models)


def _cpu_seconds(render, report) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        render(report)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("name", ["table", "json", "markdown", "sarif", "csv"])
def test_rendering_time_grows_linearly(name: str) -> None:
    small, large = _make_report(300), _make_report(3000)
    render = get_format(name, width=100).render if name == "table" else get_format(name).render
    growth = _cpu_seconds(render, large) / max(_cpu_seconds(render, small), 1e-4)
    assert growth < 35, f"{name}: 10x the models took {growth:.0f}x the time"


def test_markdown_never_compares_whole_assessments(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cause of the quadratic time: membership tests over the list of assessments."""
    report = _make_report(60)
    calls = []
    original = ModelAssessment.__eq__

    def counting(self, other):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(self, other)

    monkeypatch.setattr(ModelAssessment, "__eq__", counting)
    get_format("markdown").render(report)
    assert not calls, f"{len(calls)} comparisons of whole model assessments"
