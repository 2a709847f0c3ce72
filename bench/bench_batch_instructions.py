"""Instructions per screened name of two versions of riskcheck, counted by valgrind.

Run:  python bench/bench_batch_instructions.py --base REV [--names 1000] [--warm 300]
      python bench/bench_batch_instructions.py --base-dir DIR [--head-dir DIR] ...
Needs ../shared/lists-real beside the repository (the real list snapshots) and valgrind
(its callgrind tool; Debian's ``valgrind`` package).

Wall-clock rates on a shared machine vary from minute to minute by more than a change of a
few per cent (see bench_batch_ab.py, which measures them back to back); the number of
instructions a screening executes does not. Each version runs in its own process under
callgrind, twice: once loading the entities and the name index and warming up (imports, the
matching tables, the first search of a run: ``--warm`` names on a first engine), once doing
the same and then screening ``--names`` new names (seeded, 2131: listed organisation names as
a user might type them, bench_matching's ``perturb``) as ``riskcheck screen --input`` does by
default (a fresh engine loaded from the index cache, hits from 0.80, limit 10, through
``screening_pool``). The warm-up also searches a few names in other scripts (Han, Cyrillic,
Greek, Arabic, Hangul, kana), so that libraries loaded at a run's first such name are not
counted as work per name. The difference, divided by the names, is the work per name; the figure
printed is instructions per name and the ratio head/base. Both sides read the same entities
(parsed by each side's own code, then pickled, so that the runs under callgrind skip the
parsing) and hash strings with the same seed.

Instructions are not time: a change that saves instructions the processor runs quickly
(dictionary look-ups that hit its caches) saves less time than the count says. Read this
figure beside bench_batch_ab.py's, not instead of it.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from checkouts import add_side_arguments, check_sides, describe, scratch_dir, side_env, side_root

SEED = 2131
_SCRIPTS = ("华为技术有限公司", "北京智谱华章科技有限公司", "ПАО Сбербанк России", "Ελληνική Τράπεζα",
            "شركة الاتصالات", "삼성전자", "ソフトバンク株式会社")


def worker(entities_path: Path, cache_dir: Path, warm: int, count: int) -> None:
    """One run of one side: warm up, then screen ``count`` new names (none when 0)."""
    from bench_matching import perturb

    from riskcheck.match.batch import NameQuery, screen_names, screening_pool
    from riskcheck.match.engine import MatchEngine

    entities = pickle.loads(entities_path.read_bytes())
    orgs = [e for e in entities if e.entity_type in ("organisation", "unknown")]
    rng = random.Random(SEED)
    warm_names = [perturb(rng.choice(rng.choice(orgs).all_names), rng) for _ in range(warm)]
    names = [perturb(rng.choice(rng.choice(orgs).all_names), rng) for _ in range(count)]
    engine = MatchEngine(entities, cache_dir=cache_dir, cache_key="instructions")
    # Names in other scripts too: what a run loads at its first such name (the pinyin
    # library's tables take about 0.2 s) is loaded here, not counted as work per name.
    for name in (*warm_names, *_SCRIPTS):
        engine.search(name, min_score=0.80)
    # A fresh engine either way (loading it is start-up, not work per name).
    engine = MatchEngine(entities, cache_dir=cache_dir, cache_key="instructions")
    queries = [NameQuery(name) for name in names]
    with screening_pool(engine, 1, len(queries)) as pool:
        screen_names(engine, queries, threshold=0.80, pool=pool)


def prepare(root: Path, scratch: Path, label: str) -> tuple[Path, Path]:
    """Parse the real lists with the side's own code, pickle them, build its index cache."""
    entities_path = scratch / f"entities-{label}.pickle"
    cache_dir = scratch / f"cache-{label}"
    cache_dir.mkdir(parents=True, exist_ok=True)
    code = ("import pickle, sys; from real_lists import load_real_entities; "
            "open(sys.argv[1], 'wb').write(pickle.dumps(load_real_entities(), protocol=5))")
    # Run from the scratch folder: ``python -c`` puts the working directory first on the path.
    subprocess.run([sys.executable, "-c", code, str(entities_path)], env=side_env(root), check=True,
                   cwd=scratch)
    # The index is built once here, not under callgrind.
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", str(entities_path),
                    str(cache_dir), "0", "0"], env=side_env(root), check=True)
    return entities_path, cache_dir


def count_instructions(root: Path, entities_path: Path, cache_dir: Path, warm: int, names: int) -> int:
    """Instructions callgrind counts for one run of the worker."""
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
         str(Path(__file__).resolve()), "--worker", str(entities_path), str(cache_dir), str(warm),
         str(names)], check=False, env=side_env(root), capture_output=True, text=True)
    found = re.search(r"Collected\s*:\s*(\d+)", run.stderr)
    if run.returncode != 0 or found is None:
        sys.exit(f"the run under callgrind failed ({root}):\n{run.stderr[-2000:]}")
    return int(found.group(1))


def per_name(root: Path, entities_path: Path, cache_dir: Path, warm: int, names: int) -> float:
    """Instructions per screened name: the run with names minus the run without."""
    with ThreadPoolExecutor(max_workers=2) as runs:
        without = runs.submit(count_instructions, root, entities_path, cache_dir, warm, 0)
        with_names = runs.submit(count_instructions, root, entities_path, cache_dir, warm, names)
        return (with_names.result() - without.result()) / names


def main() -> None:
    """Count both sides, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_side_arguments(parser)
    parser.add_argument("--names", type=int, default=1000, help="new names screened")
    parser.add_argument("--warm", type=int, default=300, help="names searched before, to warm up")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        entities_path, cache_dir, warm, count = args.worker
        worker(Path(entities_path), Path(cache_dir), int(warm), int(count))
        return
    check_sides(args)
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    from real_lists import available

    if not available():
        sys.exit("real list snapshots (../shared/lists-real) or list parsers are missing")
    with scratch_dir() as tmp:
        scratch = Path(tmp)
        figures = {}
        for label, rev, directory in (("base", args.base, args.base_dir), ("head", None, args.head_dir)):
            root = side_root(rev, directory, scratch)
            entities_path, cache_dir = prepare(root, scratch, label)
            figures[label] = per_name(root, entities_path, cache_dir, args.warm, args.names)
            print(f"{label} ({describe(root)}): {figures[label]:,.0f} instructions per name "
                  f"({args.names} names, {args.warm} to warm up)", flush=True)
        print(f"head/base: {figures['head'] / figures['base']:.3f} of the instructions per name "
              f"(load average {os.getloadavg()[0]:.1f}; the count does not depend on it)")


if __name__ == "__main__":
    main()
