"""Time and peak memory of riskcheck's list parsers on every supported real list file.

For each file: the parser's CPU time and wall time (best of N runs), entities per second, and the peak of
Python allocations while parsing (tracemalloc, measured in a separate pass so it does not slow
the timed runs). The baseline, measured in the same run, is a plain pass over the same bytes
without normalisation: ``csv.reader`` for CSV/TSV, ``ElementTree.iterparse`` (clearing each
element) for XML, ``yaml.safe_load`` for YAML; the ratio shows what normalisation costs.

Targets (for parse + store, checked with bench/bench_lists.py): < 20 s and < 500 MB in total.

Run: python bench/bench_parse.py [--runs N] [--no-memory]   (needs ../shared/lists-real)
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import resource
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree.ElementTree import iterparse

import yaml

from riskcheck.lists.parsers import get_parser

REPO = Path(__file__).resolve().parents[1]
REAL = REPO.parent / "shared" / "lists-real"

# label, format, source id, role -> path (relative to lists-real; "@" = relative to the repo)
FILES: list[tuple[str, str, str, dict[str, str]]] = [
    ("OFAC SDN CSV set", "ofac_legacy_csv", "ofac_sdn", {
        "main": "ofac_sdn/2024-05-03/sdn.csv", "add": "ofac_sdn/watchman-2025-12/add.csv",
        "alt": "ofac_sdn/watchman-2025-12/alt.csv",
        "comments": "ofac_sdn/watchman-2025-12/sdn_comments.csv"}),
    ("OFAC consolidated CSV set", "ofac_legacy_csv", "ofac_cons", {
        "main": "ofac_cons/cons_prim.csv", "add": "ofac_cons/cons_add.csv",
        "alt": "ofac_cons/cons_alt.csv", "comments": "ofac_cons/cons_comments.csv"}),
    ("OFAC CONS_ENHANCED.ZIP", "ofac_enhanced_xml", "ofac_cons",
     {"main": "ofac_cons/CONS_ENHANCED.ZIP"}),
    ("CSL 2022 (gz)", "us_csl_csv", "us_csl", {"main": "us_csl/2022-05/consolidated.csv.gz"}),
    ("BIS DPL", "bis_dpl_tsv", "us_bis_dpl", {"main": "us_bis_dpl/dpl.txt"}),
    ("EU FSF 2016", "eu_fsf_xml", "eu_fsf", {"main": "eu_fsf/2016-02/data.xml"}),
    ("OFSI ConList 2016", "ofsi_conlist_csv", "uk_sanctions", {"main": "uk_hmt/2016-02/data.csv"}),
    ("UN SC consolidated", "un_sc_xml", "un_sc", {"main": "un/UN_consolidated.xml"}),
    ("DoD 1260H transcription", "riskcheck_transcription_yaml", "us_dod_1260h",
     {"main": "@lists/transcriptions/dod_1260h.yaml"}),
    ("FCC transcription", "riskcheck_transcription_yaml", "us_fcc_covered",
     {"main": "@lists/transcriptions/fcc_covered.yaml"}),
]


def _path(relative: str) -> Path:
    return REPO / relative[1:] if relative.startswith("@") else REAL / relative


def _open_bytes(path: Path) -> io.BufferedIOBase:
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic[:2] == b"\x1f\x8b":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if magic == b"PK\x03\x04":
        archive = zipfile.ZipFile(path)
        return archive.open(archive.infolist()[0])  # type: ignore[return-value]
    return path.open("rb")


def baseline(format_id: str, files: dict[str, Path]) -> int:
    """A plain pass over the same files: rows or elements seen, nothing normalised."""
    count = 0
    for path in files.values():
        if format_id.endswith("yaml"):
            count += len(yaml.safe_load(path.read_text(encoding="utf-8")) or ())
        elif format_id.endswith("xml"):
            with _open_bytes(path) as stream:
                for _, element in iterparse(stream):
                    count += 1
                    element.clear()
        else:
            delimiter = "\t" if format_id == "bis_dpl_tsv" else ","
            encoding = "cp1252" if format_id == "ofsi_conlist_csv" else "latin-1"
            with io.TextIOWrapper(_open_bytes(path), encoding=encoding, newline="") as text:
                count += sum(1 for _ in csv.reader(text, delimiter=delimiter))
    return count


def parse(format_id: str, source_id: str, files: dict[str, Path]) -> int:
    """riskcheck's parser; returns the number of entities."""
    return sum(1 for _ in get_parser(format_id, source_id).parse(files))


def best_of(runs: int, work: Callable[[], int]) -> tuple[float, float, int]:
    """Fastest CPU time and fastest wall time of ``runs`` calls, and the call's result.

    CPU time is the figure compared: on a shared machine wall time mostly measures the
    other processes.
    """
    best_cpu = best_wall = float("inf")
    result = 0
    for _ in range(runs):
        cpu, wall = time.process_time(), time.perf_counter()
        result = work()
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best_cpu, best_wall, result


def peak_mb(work: Callable[[], int]) -> float:
    """Peak of traced Python allocations during ``work``, in MB."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def main() -> int:
    """Print per-file figures, totals and the ratio to the baseline."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=3)
    options.add_argument("--no-memory", action="store_true")
    args = options.parse_args()
    if not REAL.is_dir():
        print(f"real list snapshots not found at {REAL}; nothing to measure")
        return 0
    print(f"{'file':28} {'entities':>9} {'cpu s':>7} {'wall s':>7} {'base s':>7} {'ratio':>6} "
          f"{'ent/s':>8} {'peak MB':>8}")
    total_parse = total_base = total_wall = 0.0
    total_entities = 0
    peaks: list[float] = []
    for label, format_id, source_id, roles in FILES:
        files = {role: _path(rel) for role, rel in roles.items()}
        if not all(path.exists() for path in files.values()):
            print(f"{label:28} missing, skipped")
            continue
        def run(f: str = format_id, s: str = source_id, p: dict[str, Path] = files) -> int:
            return parse(f, s, p)

        def plain(f: str = format_id, p: dict[str, Path] = files) -> int:
            return baseline(f, p)

        seconds, wall, entities = best_of(args.runs, run)
        base, _, _ = best_of(args.runs, plain)
        peak = float("nan") if args.no_memory else peak_mb(run)
        peaks.append(peak)
        total_parse += seconds
        total_wall += wall
        total_base += base
        total_entities += entities
        print(f"{label:28} {entities:9,d} {seconds:7.3f} {wall:7.3f} {base:7.3f} "
              f"{seconds / base:6.1f} {entities / seconds:8,.0f} {peak:8.1f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'TOTAL':28} {total_entities:9,d} {total_parse:7.3f} {total_wall:7.3f} {total_base:7.3f} "
          f"{total_parse / total_base:6.1f} {total_entities / total_parse:8,.0f} "
          f"{max(peaks, default=float('nan')):8.1f}")
    print(f"process peak RSS: {rss:.0f} MB; target for parse+store of all files: < 20 s, < 500 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
