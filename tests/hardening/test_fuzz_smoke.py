"""A short, deterministic run of bench/fuzz_parsers.py so CI exercises every fuzz target.

A fixed seed and a fixed number of iterations per target (not a time budget) make a failure
reproducible: ``python bench/fuzz_parsers.py --target NAME --seed 20261129``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.hardening.conftest import REPO

ITERATIONS = 150
SEED = 20261129


def _fuzzer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("fuzz_parsers", REPO / "bench" / "fuzz_parsers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_parsers"] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


FUZZER = _fuzzer()


@pytest.mark.slow
@pytest.mark.parametrize("target", sorted(FUZZER.targets()))
def test_fuzz_target_has_no_crash(target: str, tmp_path: Path) -> None:
    """Mutated seeds are accepted or rejected with a documented error, never anything else."""
    stats = FUZZER.fuzz(target, 30.0, seed=SEED, crash_dir=tmp_path,
                        max_iterations=ITERATIONS)
    assert stats.iterations > 0
    assert not stats.crashes, "; ".join(f"{c.error} at {c.where} (input {c.path})"
                                        for c in stats.crashes)
