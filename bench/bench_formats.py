"""Rendering time of every format for a 50-model report; target: PDF under 2 s.

Baseline measured in the same run: JSON rendering of the same report. The first PDF render
is timed on its own ("cold": imports reportlab, parses the fonts), then warm medians.

    python bench/bench_formats.py [--models 50] [--repeat 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_PDF_SECONDS = 2.0


def _fixture_module():
    """The canned report builder shared with the format tests."""
    path = REPO / "tests" / "formats" / "conftest.py"
    spec = importlib.util.spec_from_file_location("format_fixture", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _time(render, report, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds (CPU shows the work when the machine is busy)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        render(report)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> int:
    """Print per-format timings and the PDF/JSON ratio; exit 1 when PDF misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from riskcheck.formats.registry import FORMATS, get_format

    report = _fixture_module().make_report(args.models)
    pdf = get_format("pdf")
    start, start_cpu = time.perf_counter(), time.process_time()
    size = len(pdf.render(report))
    cold_pdf, cold_cpu = time.perf_counter() - start, time.process_time() - start_cpu

    baseline, baseline_cpu = _time(get_format("json").render, report, args.repeat)
    print(f"report: {args.models} models; median of {args.repeat} runs per format "
          "(wall clock; CPU in brackets)")
    print(f"baseline json: {baseline * 1000:8.1f} ms  [{baseline_cpu * 1000:7.1f} ms CPU]")
    results = {}
    for name in FORMATS:
        results[name], cpu = _time(get_format(name, width=100).render, report, args.repeat)
        ratio = results[name] / baseline
        print(f"{name:>13}: {results[name] * 1000:8.1f} ms  [{cpu * 1000:7.1f} ms CPU]  "
              f"({ratio:6.1f}x json)")
    print(f"     pdf cold: {cold_pdf * 1000:8.1f} ms  [{cold_cpu * 1000:7.1f} ms CPU]  "
          f"({cold_pdf / baseline:6.1f}x json; first render: imports reportlab, parses fonts), "
          f"{size / 1024:.0f} KiB")
    worst = max(cold_pdf, results["pdf"])
    verdict = "OK" if worst < TARGET_PDF_SECONDS else "TOO SLOW"
    print(f"pdf target < {TARGET_PDF_SECONDS:.1f} s: worst {worst:.2f} s wall "
          f"({cold_cpu:.2f} s CPU) -> {verdict}")
    if worst > 2 * cold_cpu:
        print("note: wall clock far above CPU time: the machine is busy; rerun when idle")
    return 0 if worst < TARGET_PDF_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
