"""Rendering time of every format for a 50-model report; target: PDF under 2 s.

Baseline measured in the same run: JSON rendering of the same report. The first PDF render
is timed on its own ("cold": imports reportlab, parses the fonts), then warm medians.

With ``--scaling``, every format is rendered at each size of ``--sizes`` (default 1,000 and
10,000 models; PDF at ``--pdf-sizes``, default 100 and 1,000, as it takes about 5 ms a model)
and the growth of its time from the smallest to the largest size is compared with the growth
of the model count: about 1x the model growth is linear, a quadratic format shows about 10x
more. Each format's time is also given as a ratio of JSON at the same size, in the same run.
Exit 1 when a format grows more than ``--max-growth`` times faster than the model count.

    python bench/bench_formats.py [--models 50] [--repeat 5]
    python bench/bench_formats.py --scaling [--sizes 1000,10000] [--pdf-sizes 100,1000]
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


def _sizes(text: str) -> list[int]:
    return sorted({int(part) for part in text.split(",") if part.strip()})


def scaling(sizes: list[int], pdf_sizes: list[int], repeat: int, max_growth: float) -> int:
    """Time every format at every size; exit 1 when one grows faster than linearly."""
    from riskcheck.formats.registry import FORMATS, get_format

    make_report = _fixture_module().make_report
    get_format("pdf").render(make_report(2))  # imports reportlab and parses fonts once
    print(f"median of {repeat} runs per format and size (wall clock; CPU in brackets); "
          "'x json' is the JSON time at the same size, this run")
    failed = False
    for name in FORMATS:
        chosen = pdf_sizes if name == "pdf" else sizes
        times: dict[int, float] = {}
        for size in chosen:
            report = make_report(size)
            times[size], cpu = _time(get_format(name, width=100).render, report, repeat)
            baseline, _ = _time(get_format("json").render, report, repeat)
            print(f"{name:>9} {size:>6} models: {times[size] * 1000:9.1f} ms  "
                  f"[{cpu * 1000:9.1f} ms CPU]  {times[size] / size * 1e6:7.1f} us/model  "
                  f"({times[size] / baseline:5.2f}x json)")
        small, large = chosen[0], chosen[-1]
        if small == large:
            continue
        growth = (times[large] / times[small]) / (large / small)
        verdict = "linear" if growth <= max_growth else "SUPERLINEAR"
        failed = failed or growth > max_growth
        print(f"{name:>9} {small} -> {large}: time x{times[large] / times[small]:.1f} for "
              f"models x{large / small:.0f} (growth {growth:.2f} of linear) -> {verdict}")
    return 1 if failed else 0


def main() -> int:
    """Print per-format timings and the PDF/JSON ratio; exit 1 when PDF misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scaling", action="store_true",
                        help="time every format at several sizes and check it is linear")
    parser.add_argument("--sizes", type=_sizes, default=[1000, 10000])
    parser.add_argument("--pdf-sizes", type=_sizes, default=[100, 1000])
    parser.add_argument("--max-growth", type=float, default=2.0,
                        help="largest accepted (time growth / model growth)")
    args = parser.parse_args()
    if args.scaling:
        return scaling(args.sizes, args.pdf_sizes, args.repeat, args.max_growth)

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
