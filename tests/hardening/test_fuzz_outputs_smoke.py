"""The output fuzzer (bench/fuzz_outputs.py) for a fixed number of seeded iterations, and the
PDF failures it found, as regressions."""

from __future__ import annotations

import pytest
import importlib.util
from dataclasses import replace
from pathlib import Path

from riskcheck.formats.registry import get_format

BENCH = Path(__file__).resolve().parents[2] / "bench" / "fuzz_outputs.py"


def _fuzzer():
    spec = importlib.util.spec_from_file_location("fuzz_outputs", BENCH)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_text_formats_survive_hostile_ids_and_file_names(tmp_path: Path) -> None:
    fuzzer = _fuzzer()
    failures = fuzzer.run(11, None, 150, ["table", "json", "markdown", "sarif", "csv"],
                          tmp_path, quiet=True)
    assert failures == 0, list(tmp_path.iterdir())


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_pdf_survives_hostile_ids_and_file_names(tmp_path: Path) -> None:
    """Seed 2 found both PDF failures: at iteration 2 reportlab's Arabic shaping raised
    AttributeError ('hbAddPrivate') on a name mixing scripts (it depends on what was drawn
    before, so only the sequence reproduces it); at iteration 10 a lone surrogate raised
    UnicodeEncodeError."""
    fuzzer = _fuzzer()
    assert fuzzer.run(2, None, 12, ["pdf"], tmp_path, quiet=True) == 0, list(tmp_path.iterdir())


def test_pdf_with_a_file_name_that_is_not_utf8() -> None:
    name = "proj-\udcff\udcfe-x\udce9.py"
    report = _fuzzer()._fixture().make_report(6)
    first = report.models[0]
    ref = first.resolution.ref
    located = replace(ref, id=name, location=replace(ref.location, path=name)
                      if ref.location else None)
    report = replace(report, project=replace(report.project, name=name), warnings=(name,),
                     models=(replace(first, resolution=replace(first.resolution, ref=located)),
                             *report.models[1:]))
    assert get_format("pdf").render(report).startswith(b"%PDF")
