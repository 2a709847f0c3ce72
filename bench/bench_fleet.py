"""Aggregating 1,000 saved result JSONs with ``riskcheck fleet``; target: under 5 s.

The results are generated, seeded: each is one of the examples' real results (checked once on
the bundled data) with a new project name and a random subset of its models, so every file
passes the result schema. Baseline measured in the same run: reading and ``json.loads``-ing
the same files, the least any aggregation has to do. Timed: finding the files, loading and
validating each into a report, aggregating, and rendering the fleet as JSON and HTML; then the
whole command, start-up included, in a subprocess.

    python bench/bench_fleet.py [--results 1000] [--seed 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 5.0
LEVELS = ("none", "low", "medium", "high", "critical")


def templates(data_dir: Path) -> list[dict]:
    """The examples' results, as ``riskcheck check -f json`` writes them."""
    from riskcheck.app.check import check as check_manifest
    from riskcheck.formats.json_format import JsonFormat

    manifests = sorted((REPO / "examples").glob("*/riskcheck.yaml"))
    manifests += sorted((REPO / "examples" / "fleet").glob("*/riskcheck.yaml"))
    found = []
    for manifest in manifests:
        report = check_manifest(manifest, fail_on=None, bundled=True, max_list_age=None,
                                data_dir=data_dir, offline=True)
        found.append(json.loads(JsonFormat().render(report)))
    return found


def generate(folder: Path, count: int, seed: int, pool: list[dict]) -> None:
    """``count`` result files in ``folder``, the same ones for the same seed."""
    rng = random.Random(seed)
    for index in range(count):
        data = json.loads(json.dumps(rng.choice(pool)))
        data["project"]["name"] = f"repo-{index:04d}"
        data["models"] = rng.sample(data["models"], rng.randint(1, len(data["models"])))
        data["project_findings"] = []
        levels = [m["level"] for m in data["models"]]
        top = max(levels, key=LEVELS.index)
        summary = data["summary"]
        summary["level"], summary["models"] = top, len(levels)
        summary["counts"] = {level: levels.count(level) for level in LEVELS}
        summary["failed"] = LEVELS.index(top) >= LEVELS.index(summary["fail_on"])
        (folder / f"repo-{index:04d}.json").write_text(json.dumps(data), encoding="utf-8")


def baseline(folder: Path) -> float:
    start = time.perf_counter()
    for path in sorted(folder.glob("*.json")):
        json.loads(path.read_text(encoding="utf-8"))
    return time.perf_counter() - start


def fleet(folder: Path) -> tuple[float, dict[str, float], int]:
    from riskcheck.fleet.aggregate import aggregate
    from riskcheck.fleet.render import render
    from riskcheck.fleet.sources import collect
    from riskcheck.formats.json_load import load_report

    phases: dict[str, float] = {}
    start = time.perf_counter()
    items = collect([folder])
    reports = [(load_report(item.path), str(item.path)) for item in items]
    phases["load"] = time.perf_counter() - start
    mark = time.perf_counter()
    result = aggregate(reports)
    phases["aggregate"] = time.perf_counter() - mark
    for name in ("json", "html"):
        mark = time.perf_counter()
        render(result, name)
        phases[name] = time.perf_counter() - mark
    return time.perf_counter() - start, phases, len(result.models)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-fleet-") as tmp:
        root = Path(tmp)
        folder = root / "results"
        folder.mkdir()
        generate(folder, args.results, args.seed, templates(root / "data"))
        size = sum(p.stat().st_size for p in folder.glob("*.json"))
        base = statistics.median(baseline(folder) for _ in range(args.repeat))
        runs = [fleet(folder) for _ in range(args.repeat)]
        total = statistics.median(run[0] for run in runs)
        phases = runs[len(runs) // 2][1]
        start = time.perf_counter()
        command = subprocess.run([sys.executable, "-m", "riskcheck", "fleet", str(folder),
                                  "-f", "json", "-o", str(root / "fleet.json")],
                                 capture_output=True, text=True)
        end_to_end = time.perf_counter() - start
    print(f"{args.results} result JSONs ({size / 1e6:.1f} MB), {runs[0][2]} models, "
          f"seed {args.seed}, median of {args.repeat}")
    print(f"baseline (read + json.loads):  {base:.3f} s")
    print(f"fleet (load+validate, aggregate, render json+html): {total:.3f} s "
          f"= {total / base:.1f}x baseline")
    print("  " + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in phases.items()))
    print(f"riskcheck fleet -f json, whole command: {end_to_end:.3f} s "
          f"(exit {command.returncode}); target < {TARGET_SECONDS:.0f} s")
    if command.returncode not in (0, 1):
        print(command.stderr, file=sys.stderr)
        return 1
    return 0 if max(total, end_to_end) < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
