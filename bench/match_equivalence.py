"""Behaviour check for matcher changes meant to change nothing (speed work): results of
several thousand searches, dumped by two versions of riskcheck and compared field by field.

Run:  python bench/match_equivalence.py --base REV           (commit REV against this checkout)
      python bench/match_equivalence.py --base-dir DIR       (another checkout against this one)
      [--head-dir DIR] [--keep DIR] [--size N]
Exit code 0 when every search gives the same hits (entities, scores, bands, statuses,
explanations, order), 1 otherwise (the first differences are printed).
Needs ../shared/lists-real beside the repository (the real list snapshots).

Queries (written 2026-12-05; seeded, 2121; sources: the real list snapshots loaded by
bench/real_lists.py, see ../shared/lists-real/SOURCES.md, and the vendor registry in
lists/vendors): listed organisation names as a user might type them (bench_matching's
``typed_variant`` and ``perturb``), listed names as they are, invented near-misses (the most
distinctive word replaced by a made-up one), names mixed from the words of two listed names,
queries with a country (the entity's own or another), several names of one entity in one
search, person names searched as persons, and every organisation of the vendor registry
through the party screener (real company names with their aliases and weak aliases). Each
plain query is searched as batch screening runs it (hits from 0.80, limit 10) and at the
lowest band (0.70, limit 50); the typed variants are also screened as a batch with worker
processes (``screen_names`` with a pool), which must give the same answers.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from checkouts import add_side_arguments, check_sides, describe, scratch_dir, side_env, side_root

SEED = 2121


# --- the queries (made once, by this checkout, and read by both sides) -----------------------

def make_queries(size: int) -> list[dict]:
    """The query set: ``size`` typed variants and proportionate shares of the other kinds."""
    from bench_matching import near_miss, perturb, typed_variant
    from real_lists import load_real_entities

    from riskcheck.match.engine import MatchEngine
    from riskcheck.match.tokens import ORG, analyze_org

    entities = load_real_entities()
    engine = MatchEngine(entities)
    rng = random.Random(SEED)
    orgs = [e for e in entities if e.entity_type in ("organisation", "unknown")
            and any(t.kind != ORG for t in analyze_org(e.name))]
    persons = [e for e in entities if e.entity_type == "person"]
    countries = sorted({c for e in orgs for c in e.countries if c})
    out: list[dict] = []

    def add(kind: str, names: str | list[str], **extra: object) -> None:
        out.append({"id": f"{kind}:{len(out)}", "kind": kind, "names": names, **extra})

    for entity in rng.sample(orgs, size):
        add("typed", typed_variant(rng.choice(entity.all_names), rng))
    for entity in rng.sample(orgs, size * 2 // 3):
        add("perturbed", perturb(rng.choice(entity.all_names), rng))
    for entity in rng.sample(orgs, size // 3):
        add("listed", rng.choice(entity.all_names))
    for entity in rng.sample(orgs, size * 2 // 3):
        negative = near_miss(entity.name, engine, rng)
        if negative:
            add("near-miss", negative)
    for _ in range(size // 3):
        first, second = rng.sample(orgs, 2)
        words = [t.text for t in analyze_org(first.name)][:2] + [t.text for t in analyze_org(second.name)][-2:]
        add("mixed", " ".join(words))
    for entity in rng.sample(orgs, size // 3):
        country = rng.choice(entity.countries) if entity.countries and rng.random() < 0.6 else rng.choice(countries)
        add("country", typed_variant(entity.name, rng), country=country)
    for entity in rng.sample([e for e in orgs if len(e.all_names) > 1], size // 5):
        add("several", rng.sample(list(entity.all_names), min(3, len(entity.all_names))))
    for entity in rng.sample(persons, min(len(persons), size // 5)):
        add("person", perturb(rng.choice(entity.all_names), rng), types=["person"])
    return out


# --- one side: run every query, write the results -------------------------------------------

def _hit(hit) -> list:  # type: ignore[no-untyped-def]
    e, x = hit.entity, hit.explanation
    return [e.source, e.source_id, hit.score, hit.band, hit.status, x.query_name, x.matched_name,
            x.alignment, [list(f) for f in x.features], list(x.qualifiers)]


def dump(queries_path: Path, out_path: Path) -> None:
    """Run the queries with the riskcheck first on the path; one JSON line per search."""
    from real_lists import load_real_entities

    from riskcheck.match.batch import NameQuery, screen_names, screening_pool
    from riskcheck.match.engine import MatchEngine
    from riskcheck.match.screener import NameScreener
    from riskcheck.resolution.registry import load_registry

    queries = [json.loads(line) for line in queries_path.read_text(encoding="utf-8").splitlines()]
    entities = load_real_entities()
    engine = MatchEngine(entities)
    started = time.perf_counter()
    with out_path.open("w", encoding="utf-8") as out:
        def write(key: str, hits: list) -> None:
            out.write(json.dumps([key, hits], ensure_ascii=False) + "\n")

        for query in queries:
            types = tuple(query.get("types") or ("organisation", "unknown"))
            for min_score, limit in ((0.80, 10), (None, 50)):
                hits = engine.search(query["names"], country=query.get("country"), entity_types=types,
                                     limit=limit, min_score=min_score)
                write(f"{query['id']}@{min_score}/{limit}", [_hit(h) for h in hits])
        # Batch screening with worker processes, on a fresh engine (cold caches).
        typed = [NameQuery(q["names"], q.get("country")) for q in queries if q["kind"] in ("typed", "country")]
        fresh = MatchEngine(entities)
        with screening_pool(fresh, 2, len(typed)) as pool:
            results = screen_names(fresh, typed, threshold=0.80, pool=pool)
        for number, result in enumerate(results):
            write(f"batch:{number}", [_hit(h) for h in result.hits])
        # The party screener over the vendor registry (real names, aliases, weak aliases).
        screener = NameScreener(engine)
        for record in load_registry():
            organisation = record.organisation
            write(f"registry:{organisation.id}", [_hit(h) for h in screener.screen_organisation(organisation)])
    print(f"   {len(queries)} queries searched in {time.perf_counter() - started:.1f} s")


# --- comparing two sides ------------------------------------------------------------------------

def compare(base: Path, head: Path, shown: int = 10) -> int:
    """Print how the two dumps differ; the number of searches whose hits differ."""
    def read(path: Path) -> dict[str, list]:
        return {key: hits for key, hits in map(json.loads, path.read_text(encoding="utf-8").splitlines())}

    old, new = read(base), read(head)
    keys = sorted(old.keys() | new.keys())
    differ = [k for k in keys if old.get(k) != new.get(k)]
    hits = sum(len(v) for v in old.values())
    print(f"{len(keys)} searches ({len(old)} base, {len(new)} head), {hits} hits in base: "
          f"{len(differ)} differ")
    for key in differ[:shown]:
        print(f"-- {key}\n   base: {old.get(key)}\n   head: {new.get(key)}")
    return len(differ)


def main() -> None:
    """Dump with both sides, compare."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_side_arguments(parser)
    parser.add_argument("--size", type=int, default=1500, help="typed variants (other kinds in proportion)")
    parser.add_argument("--keep", type=Path, help="folder to keep the queries and both dumps in")
    parser.add_argument("--dump", nargs=2, type=Path, metavar=("QUERIES", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dump:
        dump(*args.dump)
        return
    check_sides(args)
    from real_lists import available

    if not available():
        sys.exit("real list snapshots (../shared/lists-real) or list parsers are missing")
    with scratch_dir() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        queries = make_queries(args.size)
        queries_path = folder / "queries.jsonl"
        queries_path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in queries),
                                encoding="utf-8")
        print(f"{len(queries)} queries (seed {SEED}) in {queries_path.name}")
        dumps = []
        for label, rev, directory in (("base", args.base, args.base_dir), ("head", None, args.head_dir)):
            root = side_root(rev, directory, Path(tmp))
            print(f"{label}: {describe(root)}")
            out = folder / f"{label}.jsonl"
            subprocess.run([sys.executable, str(Path(__file__).resolve()), "--dump", str(queries_path), str(out)],
                           env=side_env(root), check=True)
            dumps.append(out)
        sys.exit(1 if compare(*dumps) else 0)


if __name__ == "__main__":
    main()
