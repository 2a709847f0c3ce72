"""Discovery on real code: unique-model recall and precision of `riskcheck scan` on public
repositories, against the models written by hand in bench/real_repos.yaml.

The repositories are checked out outside the project, one folder per entry named as its
``name`` (at the commit given in the YAML), in the folder named by RISKCHECK_REAL_REPOS.
Without that variable (or with a repository folder missing) the benchmark is skipped.

Counting, per repository, on unique model ids (case-insensitive):
- reported: ids of high and medium confidence references (what `check DIR` screens);
  low-confidence ids are counted separately and never as reported.
- recall: expected ids reported / expected ids.
- precision: reported ids that are expected or acceptable / reported ids.
- references in test files (under a ``tests/`` or ``test/`` folder, ``test_*.py``, ``*_test.go``,
  ``*.test.ts`` ...) are left out of both.

Run: RISKCHECK_REAL_REPOS=/path/to/checkouts python bench/bench_scan_real.py [--part tuned|held-out]
     [--verbose]   (lists misses and false positives)
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from riskcheck.scan import scan_tree  # noqa: E402

EXPECTED = HERE / "real_repos.yaml"
ENV = "RISKCHECK_REAL_REPOS"
TESTS = {"tests", "test"}
TEST_FILE = re.compile(r"(^test_.*\.py|_test\.(py|go)|\.(test|spec)\.[jt]sx?)$")


def is_test(path: str) -> bool:
    """Tests are out of the measured scope: ids found only there are not counted either way."""
    parts = path.split("/")
    return bool(TESTS.intersection(parts[:-1])) or bool(TEST_FILE.search(parts[-1]))


@dataclass
class Outcome:
    name: str
    part: str
    expected: set[str]
    reported: set[str]
    acceptable: list[str]
    low: set[str]
    files: int
    seconds: float
    misses: set[str] = field(default_factory=set)
    false: set[str] = field(default_factory=set)

    @property
    def hits(self) -> int:
        return len(self.expected & self.reported)

    @property
    def correct(self) -> int:
        return len(self.reported) - len(self.false)


def _ok(model: str, expected: set[str], acceptable: list[str]) -> bool:
    return model in expected or any(fnmatch.fnmatchcase(model, pattern) for pattern in acceptable)


def evaluate(entry: dict, root: Path) -> Outcome:
    expected = {str(e["id"]).casefold() for e in entry["expected"]}
    acceptable = [str(a).casefold() for a in entry.get("acceptable") or []]
    started = time.perf_counter()
    result = scan_tree(root / entry["name"])
    seconds = time.perf_counter() - started
    kept = [r for r in result.references if not is_test(r.path)]
    reported = {r.id.casefold() for r in kept if r.confidence in ("high", "medium")}
    low = {r.id.casefold() for r in kept if r.confidence == "low"} - reported
    outcome = Outcome(entry["name"], entry["part"], expected, reported, acceptable, low,
                      result.files_scanned, seconds)
    outcome.misses = expected - reported
    outcome.false = {m for m in reported if not _ok(m, expected, acceptable)}
    return outcome


def _pct(numerator: int, denominator: int) -> str:
    return f"{100 * numerator / denominator:.0f}%" if denominator else "n/a"


def table(outcomes: list[Outcome], title: str) -> list[str]:
    lines = [f"### {title}", "",
             "| repository | expected | found | recall | reported | correct | precision | low only | files | seconds |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for o in outcomes:
        lines.append(f"| {o.name} | {len(o.expected)} | {o.hits} | {_pct(o.hits, len(o.expected))} | "
                     f"{len(o.reported)} | {o.correct} | {_pct(o.correct, len(o.reported))} | "
                     f"{len(o.low)} | {o.files} | {o.seconds:.2f} |")
    expected = sum(len(o.expected) for o in outcomes)
    hits = sum(o.hits for o in outcomes)
    reported = sum(len(o.reported) for o in outcomes)
    correct = sum(o.correct for o in outcomes)
    lines.append(f"| **total** | {expected} | {hits} | **{_pct(hits, expected)}** | {reported} | "
                 f"{correct} | **{_pct(correct, reported)}** | {sum(len(o.low) for o in outcomes)} | "
                 f"{sum(o.files for o in outcomes)} | {sum(o.seconds for o in outcomes):.2f} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("tuned", "held-out"))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    folder = os.environ.get(ENV)
    if not folder:
        print(f"skipped: set {ENV} to the folder holding the repository checkouts")
        return 0
    root = Path(folder)
    data = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    entries = [e for e in data["repositories"] if not args.part or e["part"] == args.part]
    missing = [e["name"] for e in entries if not (root / e["name"]).is_dir()]
    if missing:
        print(f"skipped: not checked out under {root}: {', '.join(missing)}")
        return 0
    outcomes = [evaluate(e, root) for e in entries]
    for part in ("tuned", "held-out"):
        chosen = [o for o in outcomes if o.part == part]
        if chosen:
            print("\n".join(table(chosen, f"{part} part")))
            print()
    if len({o.part for o in outcomes}) > 1:
        print("\n".join(table(outcomes, "all repositories")))
    if args.verbose:
        for o in outcomes:
            if o.misses or o.false:
                print(f"\n{o.name}: missed {sorted(o.misses)}; not models {sorted(o.false)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
