"""The catalogue benchmark (bench/bench_resolve_catalogue.py) as a regression floor: no answer
on its hand-labelled references may be wrong with high confidence, and what resolves stays
right. The figures themselves are reported in docs/resolution.md."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _bench():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        import bench_resolve_catalogue
    finally:
        sys.path.remove(str(BENCH))
    return bench_resolve_catalogue


def test_catalogue_references_are_labelled_and_split() -> None:
    document = yaml.safe_load((BENCH / "resolve_catalogue.yaml").read_text(encoding="utf-8"))
    cases = document["references"]
    assert len(cases) == 270 and document["date"]
    for case in cases:
        assert case["kind"] in ("hf", "ollama", "litellm", "openrouter", "api", "cloud"), case
        assert case["part"] in ("tuned", "held-out"), case
        assert "exclude" in case or (case["publisher"] and case["label_source"]), case
    held = [c for c in cases if c["part"] == "held-out"]
    assert 0.3 <= len(held) / len(cases) <= 0.36


def test_fresh_sample_is_labelled_split_and_disjoint() -> None:
    first = yaml.safe_load((BENCH / "resolve_catalogue.yaml").read_text(encoding="utf-8"))
    fresh = yaml.safe_load((BENCH / "resolve_catalogue_fresh.yaml").read_text(encoding="utf-8"))
    cases = fresh["references"]
    assert len(cases) == 120 and fresh["date"]
    assert not {c["ref"] for c in cases} & {c["ref"] for c in first["references"]}
    for kind in ("hf", "ollama", "litellm", "openrouter", "api", "cloud"):
        of_kind = [c for c in cases if c["kind"] == kind]
        assert len(of_kind) == 20 and sum(c["part"] == "held-out" for c in of_kind) == 10
    for case in cases:
        assert "exclude" in case or (case["publisher"] and case["label_source"]), case


@pytest.mark.parametrize("data", ["resolve_catalogue.yaml", "resolve_catalogue_fresh.yaml"])
def test_no_confident_wrong_answer_and_resolved_answers_stay_right(data: str) -> None:
    bench = _bench()
    document = yaml.safe_load((BENCH / data).read_text(encoding="utf-8"))
    cases = [c for c in document["references"] if "exclude" not in c]
    figures = bench.measure(cases, verbose=True)
    assert figures["all"]["high_wrong"] == 0, figures["lines"]
    assert figures["all"]["accuracy"] >= 0.98, figures["lines"]
    assert figures["all"]["coverage"] >= 0.97, figures["lines"]
    assert figures["known"]["coverage"] >= 0.97, figures["lines"]
    right, total = figures["serving"]
    assert right == total, figures["lines"]
