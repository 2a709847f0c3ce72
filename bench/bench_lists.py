"""Time and memory to parse AND store every supported real list file, and to load them back.

Targets: parse + store of everything < 20 s in total, peak memory < 500 MB, loading every
current entity (``ListStore.entity_set``) < 300 ms. The baseline, measured in the same run,
is reading the same files and computing their sha256 (what any update does at the least).

Run: python bench/bench_lists.py   (needs ../shared/lists-real beside the repository)
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from riskcheck.lists.catalogue import bundled_lists_dir
from riskcheck.lists.parsers import get_parser
from riskcheck.lists.store import VersionMeta, decode_snapshot, open_store

REPO = Path(__file__).resolve().parents[1]
REAL = REPO.parent / "shared" / "lists-real"

# (source id, format, role -> path relative to lists-real, or absolute for bundled files)
SETS: list[tuple[str, str, dict[str, str]]] = [
    ("ofac_sdn", "ofac_legacy_csv", {"main": "ofac_sdn/2024-05-03/sdn.csv",
                                     "add": "ofac_sdn/watchman-2025-12/add.csv",
                                     "alt": "ofac_sdn/watchman-2025-12/alt.csv",
                                     "comments": "ofac_sdn/watchman-2025-12/sdn_comments.csv"}),
    ("ofac_cons", "ofac_legacy_csv", {"main": "ofac_cons/cons_prim.csv",
                                      "add": "ofac_cons/cons_add.csv",
                                      "alt": "ofac_cons/cons_alt.csv",
                                      "comments": "ofac_cons/cons_comments.csv"}),
    ("ofac_cons_xml", "ofac_enhanced_xml", {"main": "ofac_cons/CONS_ENHANCED.ZIP"}),
    ("us_csl", "us_csl_csv", {"main": "us_csl/2022-05/consolidated.csv.gz"}),
    # us_csl/watchman-subset-2023-11/csl.csv is left out: it was cut mid-record when trimmed
    # for watchman's tests, and the parser rightly rejects it as truncated.
    ("us_bis_dpl", "bis_dpl_tsv", {"main": "us_bis_dpl/dpl.txt"}),
    ("eu_fsf", "eu_fsf_xml", {"main": "eu_fsf/2016-02/data.xml"}),
    ("uk_sanctions", "ofsi_conlist_csv", {"main": "uk_hmt/2016-02/data.csv"}),
    ("un_sc", "un_sc_xml", {"main": "un/UN_consolidated.xml"}),
    ("us_dod_1260h", "riskcheck_transcription_yaml",
     {"main": str(bundled_lists_dir() / "transcriptions" / "dod_1260h.yaml")}),
    ("us_fcc_covered", "riskcheck_transcription_yaml",
     {"main": str(bundled_lists_dir() / "transcriptions" / "fcc_covered.yaml")}),
]


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline(paths: list[Path]) -> float:
    """Seconds to read every file and hash it."""
    start = time.perf_counter()
    for path in paths:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return time.perf_counter() - start


def main() -> int:
    if not REAL.is_dir():
        print("real list snapshots not present (../shared/lists-real); nothing to measure")
        return 0
    sets = [(sid, fmt, {role: (REAL / rel if not Path(rel).is_absolute() else Path(rel))
                        for role, rel in files.items()}) for sid, fmt, files in SETS]
    paths = [path for _, _, files in sets for path in files.values()]
    total_bytes = sum(path.stat().st_size for path in paths)
    base = min(baseline(paths) for _ in range(3))
    print(f"{'source':<16}{'format':<30}{'MB':>7}{'records':>9}{'parse+store s':>15}")
    total = 0.0
    total_cpu = 0.0
    records = 0
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp))
        for source_id, format_id, files in sets:
            gc.collect()
            start, cpu = time.perf_counter(), time.process_time()
            parser = get_parser(format_id, source_id)
            version = store.add_version(source_id, parser.parse(files), VersionMeta(
                title=source_id, sha256="0" * 64, fetched_at="2026-11-29T00:00:00Z",
                published=parser.published(files)))
            elapsed = time.perf_counter() - start
            total += elapsed
            total_cpu += time.process_time() - cpu
            records += version.record_count
            size = sum(path.stat().st_size for path in files.values()) / 1e6
            print(f"{source_id:<16}{format_id:<30}{size:>7.1f}{version.record_count:>9}"
                  f"{elapsed:>15.2f}")
        loads, load_cpu, floor, raw = [], [], [], []
        for _ in range(5):
            gc.collect()
            start, cpu = time.perf_counter(), time.process_time()
            loaded = store.entity_set(max_age_days=36500)
            loads.append(time.perf_counter() - start)
            load_cpu.append(time.process_time() - cpu)
            # Floor for the same work: fetch the same rows and json-decode them, no objects.
            cpu = time.process_time()
            rows = [data for (data,) in store._db.execute("SELECT data FROM entities")]
            json.loads("[" + ",".join(rows) + "]")
            floor.append(time.process_time() - cpu)
            # Floor of the fast path: read and unpickle the version snapshots, no objects.
            cpu = time.process_time()
            for (blob,) in store._db.execute("SELECT data FROM snapshots"):
                decode_snapshot(blob)
            raw.append(time.process_time() - cpu)
        store.close()
    print(f"\nfiles: {len(paths)}, {total_bytes / 1e6:.1f} MB, {records} records")
    print(f"parse + store, all files: {total:.2f} s wall, {total_cpu:.2f} s CPU (target < 20 s)")
    print(f"baseline read + sha256 of the same files: {base:.3f} s; ratio {total / base:.0f}x")
    print(f"entity_set() load of {len(loaded.entities)} entities: median "
          f"{statistics.median(loads) * 1000:.0f} ms wall, best {min(loads) * 1000:.0f} ms wall, "
          f"best {min(load_cpu) * 1000:.0f} ms CPU (target < 300 ms)")
    print(f"  baseline: the same rows json-decoded, no objects: best {min(floor) * 1000:.0f} ms "
          f"CPU (ratio {min(load_cpu) / min(floor):.1f}x); snapshots unpickled, no objects: "
          f"{min(raw) * 1000:.0f} ms CPU (ratio {min(load_cpu) / min(raw):.1f}x)")
    start = time.process_time()
    sum(range(10**6))
    print(f"calibration: sum(range(10**6)) takes {(time.process_time() - start) * 1000:.0f} ms "
          "CPU here (about 10-15 ms on a current laptop)")
    print(f"machine: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
          "(wall times on a shared machine overstate; CPU times are per process)")
    print(f"peak memory (max RSS of this process): {peak_rss_mb():.0f} MB (target < 500 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
