"""Batch screening speed of two versions of riskcheck, measured back to back in one run.

Run:  python bench/bench_batch_ab.py --base REV [--rounds 3] [--names 2000] [--jobs 1]
      python bench/bench_batch_ab.py --base-dir DIR [--head-dir DIR] ...
Needs ../shared/lists-real beside the repository (the real list snapshots).

The machine's speed varies from minute to minute with other work, so absolute rates measured
at different times do not compare; this script runs both versions in the same minutes and
reports the ratio head/base of each round. Each version runs in its own process (loading the
same entities, with its own name index cache); every round both screen the same new names
(seeded, 2125: listed organisation names as a user might type them, bench_matching's
``perturb``), as ``riskcheck screen --input`` does by default: a fresh engine loaded from the
index cache (its caches cold), hits from 0.80 up, limit 10, the pool's start-up included.
Which version goes first alternates between rounds. Reported per round: names per second
(wall clock) and names per CPU second (the CPU time the screening processes got, which
other work on the machine changes less); then the medians and the median ratio. A single
query's median latency is measured the same way (warm engine, one process).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from checkouts import add_side_arguments, check_sides, describe, scratch_dir, side_env, side_root

SEED = 2125


def _cpu() -> float:
    """CPU seconds of this process and of its waited-for children (pool workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def worker(cache_dir: Path) -> None:
    """One side: load the entities, build the index cache, then answer commands on stdin."""
    from real_lists import load_real_entities

    from riskcheck.match.batch import NameQuery, screen_names, screening_pool
    from riskcheck.match.engine import MatchEngine

    entities = load_real_entities()
    MatchEngine(entities, cache_dir=cache_dir, cache_key="ab")  # builds and stores the index
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        t0 = time.perf_counter()
        engine = MatchEngine(entities, cache_dir=cache_dir, cache_key="ab")
        load = time.perf_counter() - t0
        if "single" in command:
            engine.search("warm up")
            timings = []
            for name in command["single"]:
                t0 = time.perf_counter()
                engine.search(name)
                timings.append(time.perf_counter() - t0)
            print(json.dumps({"median_ms": statistics.median(timings) * 1000}), flush=True)
            continue
        queries = [NameQuery(name) for name in command["names"]]
        t0, c0 = time.perf_counter(), _cpu()
        with screening_pool(engine, command["jobs"], len(queries)) as pool:
            screen_names(engine, queries, threshold=0.80, pool=pool)
        wall, cpu = time.perf_counter() - t0, _cpu() - c0
        print(json.dumps({"wall": wall, "cpu": cpu, "load_ms": load * 1000}), flush=True)


class Side:
    """A version of riskcheck running in a worker process."""

    def __init__(self, label: str, root: Path, cache_dir: Path) -> None:
        self.label = label
        self.root = root
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", str(cache_dir)],
            env=side_env(root), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.rounds: list[dict] = []

    def ask(self, command: dict) -> dict:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self.wait()

    def wait(self) -> dict:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            sys.exit(f"the {self.label} worker stopped")
        return json.loads(line)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def main() -> None:
    """Run the rounds, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_side_arguments(parser)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--names", type=int, default=2000, help="new names per round")
    parser.add_argument("--jobs", type=int, default=1, help="screening processes (1: in-process)")
    parser.add_argument("--single", type=int, default=1000, help="queries for the single-query median")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    check_sides(args)
    from bench_matching import perturb
    from real_lists import available, load_real_entities

    if not available():
        sys.exit("real list snapshots (../shared/lists-real) or list parsers are missing")
    entities = load_real_entities()
    orgs = [e for e in entities if e.entity_type in ("organisation", "unknown")]
    rng = random.Random(SEED)

    def names(count: int) -> list[str]:
        return [perturb(rng.choice(rng.choice(orgs).all_names), rng) for _ in range(count)]

    with scratch_dir() as tmp:
        sides = [Side(label, side_root(rev, directory, Path(tmp)), Path(tmp) / f"cache-{label}")
                 for label, rev, directory in (("base", args.base, args.base_dir),
                                               ("head", None, args.head_dir))]
        for side in sides:
            side.wait()
        print(f"base {describe(sides[0].root)}, head {describe(sides[1].root)}; "
              f"{args.names} new names per round, {args.jobs} process{'es' if args.jobs > 1 else ''}, "
              f"load average {os.getloadavg()[0]:.1f} at the start")
        ratios, cpu_ratios = [], []
        for number in range(args.rounds):
            batch = names(args.names)
            order = sides if number % 2 == 0 else sides[::-1]
            got = {side.label: side.ask({"names": batch, "jobs": args.jobs}) for side in order}
            for side in sides:
                side.rounds.append(got[side.label])
            base, head = got["base"], got["head"]
            ratios.append(base["wall"] / head["wall"])
            cpu_ratios.append(base["cpu"] / head["cpu"])
            print(f"round {number + 1} ({order[0].label} first): "
                  + "; ".join(f"{label} {args.names / got[label]['wall']:.0f} names/s, "
                              f"{args.names / got[label]['cpu']:.0f} per CPU s"
                              for label in ("base", "head"))
                  + f"; head/base {ratios[-1]:.2f} wall, {cpu_ratios[-1]:.2f} CPU")
        single = names(args.single)
        latency = {side.label: side.ask({"single": single})["median_ms"] for side in sides}
        for side in sides:
            walls = [args.names / r["wall"] for r in side.rounds]
            cpus = [args.names / r["cpu"] for r in side.rounds]
            loads = [r["load_ms"] for r in side.rounds]
            print(f"{side.label}: median {statistics.median(walls):.0f} names/s wall "
                  f"(rounds {', '.join(f'{w:.0f}' for w in walls)}), median "
                  f"{statistics.median(cpus):.0f} names per CPU second; single query median "
                  f"{latency[side.label]:.3f} ms; index load {statistics.median(loads):.0f} ms")
        print(f"head/base: median {statistics.median(ratios):.2f} wall, "
              f"{statistics.median(cpu_ratios):.2f} CPU (load average {os.getloadavg()[0]:.1f} at the end)")
        for side in sides:
            side.close()


if __name__ == "__main__":
    main()
