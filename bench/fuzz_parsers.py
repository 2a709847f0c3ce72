"""Mutation fuzzing of every list parser, the download payload checks, and the manifest and
policy parsers, for a bounded time per target.

Seeds are the parser test assets (tests/lists/assets) and, when present, the real official
files beside the project (../shared/lists-real; only their first 64 KiB, cut at a line end,
so one iteration stays fast). Each iteration mutates a seed (bit flips, truncation, splices
of two seeds, duplicated or deleted lines, hostile tokens: DTDs, BOMs, NULs, quotes, huge
numbers) and feeds it to the target. A documented error (riskcheck.errors.RiskcheckError) is
the expected way to reject input; ANY other exception is a crash: it is printed and its input
saved under --crash-dir.

    python bench/fuzz_parsers.py --seconds 60            # every target, 60 s each
    python bench/fuzz_parsers.py --target un_sc_xml --seconds 10 --seed 7
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ASSETS = REPO / "tests" / "lists" / "assets"
REAL = REPO.parent / "shared" / "lists-real"
MANIFESTS = [REPO / "examples" / "rag-app" / "riskcheck.yaml",
             REPO / "examples" / "exposed-stack" / "riskcheck.yaml",
             REPO / "examples" / "clean-stack" / "riskcheck.yaml"]
REAL_HEAD = 64 * 1024

# format id -> (source id, seed globs under ASSETS, seed globs under REAL)
LIST_TARGETS: dict[str, tuple[str, list[str], list[str]]] = {
    "ofac_legacy_csv": ("ofac_sdn", ["ofac/sdn.csv", "ofac/cons_prim.csv"],
                        ["ofac_sdn/*/sdn.csv", "ofac_cons/cons_prim.csv"]),
    "ofac_enhanced_xml": ("ofac_cons", ["ofac/cons_enhanced.xml"], []),
    "us_csl_csv": ("us_csl", ["csl/*.csv"], ["us_csl/*.csv", "us_csl/*/*.csv"]),
    "bis_dpl_tsv": ("us_bis_dpl", ["dpl/*.txt"], ["us_bis_dpl/*.txt", "us_bis_dpl/*/*.txt"]),
    "eu_fsf_xml": ("eu_fsf", ["eu/*.xml"], ["eu_fsf/*.xml", "eu_fsf/*/*.xml"]),
    "uk_sanctions_list": ("uk_sanctions", ["uk/uk_sanctions_list.*"], []),
    "ofsi_conlist_csv": ("uk_sanctions", ["uk/conlist_2016.csv"],
                         ["uk_hmt/*.csv", "uk_hmt/*/*.csv"]),
    "un_sc_xml": ("un_sc", ["un/*.xml"], ["un/*.xml", "un/*/*.xml"]),
    "riskcheck_transcription_yaml": ("us_dod_1260h", ["transcription/*.yaml"], []),
    "custom_csv": ("custom_fuzz", ["custom/*.csv"], []),
    "custom_yaml": ("custom_fuzz", ["custom/*.yaml"], []),
}
TOKENS = [b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b'"', b'""', b"\r\n", b"\n\n", b"\t", b",",
          b";", b"-0- ", b"] [", b"<", b">", b"</", b"<!DOCTYPE x [<!ENTITY e 'x'>]>", b"&e;",
          b"&amp;", b"<![CDATA[", b"]]>", b"\x1a", b"9" * 40, b"-1", b"2024-02-30", b"31/02/2024",
          b"\xc3", b"\xe9", b"\xf0\x9f\x98\x80", b"&#0;", b"&#x110000;", b"{", b"}", b"[", b"]",
          b"- ", b": ", b"&a ", b"*a", b"!!python/object:os.system", b"? ", b"|", b"%YAML 1.1\n",
          b"---\n", b"...\n", b"\\", b"\\ud800", b"PK\x03\x04", b"\x1f\x8b"]


@dataclass
class Crash:
    """One input that raised something other than a documented error."""

    target: str
    error: str
    where: str
    path: Path


@dataclass
class Stats:
    """What one target's run did."""

    target: str
    iterations: int = 0
    rejected: int = 0
    crashes: list[Crash] = field(default_factory=list)


def _head(path: Path) -> bytes:
    data = path.read_bytes()
    if len(data) <= REAL_HEAD:
        return data
    cut = data.rfind(b"\n", 0, REAL_HEAD)
    return data[: cut + 1 if cut > 0 else REAL_HEAD]


def _seeds(asset_globs: list[str], real_globs: list[str]) -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    for pattern in asset_globs:
        found += [(p.name, p.read_bytes()) for p in sorted(ASSETS.glob(pattern)) if p.is_file()]
    if REAL.is_dir():
        for pattern in real_globs:
            found += [(p.name, _head(p)) for p in sorted(REAL.glob(pattern)) if p.is_file()]
    return found


def mutate(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    """One to four random mutations of ``data``."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(9)
        pos = rng.randrange(len(buf) + 1)
        if choice == 0 and buf:  # flip bits
            for _ in range(rng.randint(1, 8)):
                buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
        elif choice == 1:  # truncate
            del buf[pos:]
        elif choice == 2:  # insert a hostile token
            buf[pos:pos] = rng.choice(TOKENS)
        elif choice == 3 and buf:  # delete a span
            del buf[pos:pos + rng.randint(1, 200)]
        elif choice == 4 and others:  # splice another seed in
            other = rng.choice(others)
            start = rng.randrange(len(other) + 1)
            buf[pos:] = other[start:start + rng.randint(1, 4000)]
        elif choice == 5:  # duplicate or drop whole lines
            lines = bytes(buf).splitlines(keepends=True)
            if lines:
                index = rng.randrange(len(lines))
                if rng.random() < 0.5:
                    lines.insert(index, lines[rng.randrange(len(lines))])
                else:
                    del lines[index]
                buf = bytearray(b"".join(lines))
        elif choice == 6 and buf:  # random bytes
            buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif choice == 7:  # repeat a span (long fields, many rows)
            span = bytes(buf[pos:pos + rng.randint(1, 64)])
            buf[pos:pos] = span * rng.randint(2, 50)
        else:  # change the line endings
            buf = bytearray(bytes(buf).replace(b"\r\n", b"\n") if rng.random() < 0.5
                            else bytes(buf).replace(b"\n", b"\r\n"))
    return bytes(buf)


def _list_runner(format_id: str, source_id: str) -> Callable[[Path], None]:
    from riskcheck.lists.parsers import get_parser

    def run(path: Path) -> None:
        parser = get_parser(format_id, source_id)
        for entity in parser.parse({"main": path}):
            assert isinstance(entity.name, str)
        parser.published({"main": path})
    return run


def _payload_runner(format_id: str) -> Callable[[Path], None]:
    from riskcheck.lists.download import prepare_payload

    def run(path: Path) -> None:
        prepare_payload(path, format_id=format_id, filename="LIST.DATA", where="fuzz")
    return run


def _manifest_runner(path: Path) -> None:
    from riskcheck.project.manifest import load_manifest

    load_manifest(path)


def _policy_runner(path: Path) -> None:
    from riskcheck.project.policy import load_policy_file

    load_policy_file(path)


def targets() -> dict[str, tuple[Callable[[Path], None], list[tuple[str, bytes]]]]:
    """Every fuzz target: name -> (runner, seeds)."""
    found: dict[str, tuple[Callable[[Path], None], list[tuple[str, bytes]]]] = {}
    for format_id, (source_id, asset_globs, real_globs) in LIST_TARGETS.items():
        seeds = _seeds(asset_globs, real_globs)
        if seeds:
            found[format_id] = (_list_runner(format_id, source_id), seeds)
    zipped = _seeds(["ofac/cons_enhanced.xml", "csl/consolidated.csv"], [])
    found["download_payload"] = (_payload_runner("ofac_enhanced_xml"), zipped)
    found["manifest"] = (_manifest_runner, [(p.name, p.read_bytes()) for p in MANIFESTS
                                            if p.is_file()])
    policies = sorted((REPO / "lists" / "policies").glob("*.yaml"))
    found["policy"] = (_policy_runner, [(p.name, p.read_bytes()) for p in policies])
    return found


def fuzz(name: str, seconds: float, *, seed: int = 0, crash_dir: Path | None = None,
         max_iterations: int | None = None) -> Stats:
    """Fuzz one target for ``seconds``; return its statistics and crashes."""
    import gzip
    import io
    import zipfile

    from riskcheck.errors import RiskcheckError

    runner, seeds = targets()[name]
    rng = random.Random(seed)
    stats = Stats(name)
    corpus = [data for _, data in seeds]
    seen: set[str] = set()
    deadline = time.monotonic() + seconds
    with tempfile.TemporaryDirectory(prefix=f"fuzz-{name}-") as work:
        while time.monotonic() < deadline and (max_iterations is None
                                                or stats.iterations < max_iterations):
            filename, data = rng.choice(seeds)
            data = mutate(data, rng, corpus)
            if name == "download_payload" and rng.random() < 0.5:
                packed = io.BytesIO()
                if rng.random() < 0.5:
                    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
                        archive.writestr(rng.choice(["CONS_ENHANCED.XML", "../x.xml", "a/b.xml"]),
                                         data)
                    data = mutate(packed.getvalue(), rng, []) if rng.random() < 0.3 \
                        else packed.getvalue()
                else:
                    data = gzip.compress(data)[: rng.choice([None, rng.randrange(1, 200)])]
            folder = Path(work) / str(stats.iterations % 50)
            folder.mkdir(exist_ok=True)
            path = folder / filename
            path.write_bytes(data)
            stats.iterations += 1
            try:
                runner(path)
            except RiskcheckError:
                stats.rejected += 1
            except RecursionError as exc:
                _record(stats, exc, data, filename, crash_dir, seen)
            except Exception as exc:  # noqa: BLE001 - anything undocumented is the finding
                _record(stats, exc, data, filename, crash_dir, seen)
            finally:
                for leftover in folder.iterdir():
                    if leftover.is_file():
                        leftover.unlink()
    return stats


def _record(stats: Stats, exc: BaseException, data: bytes, filename: str,
            crash_dir: Path | None, seen: set[str]) -> None:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    where = f"{Path(frame.filename).name}:{frame.lineno}"
    key = f"{type(exc).__name__}@{where}"
    if key in seen:  # one saved input per distinct crash site
        return
    seen.add(key)
    folder = crash_dir or Path(tempfile.gettempdir()) / "riskcheck-fuzz-crashes"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stats.target}-{hashlib.sha1(data).hexdigest()[:12]}-{filename}"
    path.write_bytes(data)
    stats.crashes.append(Crash(stats.target, f"{type(exc).__name__}: {str(exc)[:200]}", where,
                               path))


def main(argv: list[str] | None = None) -> int:
    """Command line: fuzz the chosen targets, print figures, exit 1 when anything crashed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="time per target")
    parser.add_argument("--target", action="append", help="only these targets (repeatable)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--crash-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    available = targets()
    chosen = args.target or list(available)
    total_crashes = 0
    print(f"{'target':<30} {'seconds':>7} {'iterations':>10} {'exec/s':>8} {'rejected':>9} "
          f"{'crashes':>7}")
    for name in chosen:
        started = time.monotonic()
        stats = fuzz(name, args.seconds, seed=args.seed, crash_dir=args.crash_dir)
        took = time.monotonic() - started
        print(f"{name:<30} {took:7.1f} {stats.iterations:10d} {stats.iterations / took:8.1f} "
              f"{stats.rejected:9d} {len(stats.crashes):7d}", flush=True)
        for crash in stats.crashes:
            print(f"    CRASH {crash.error} at {crash.where}; input: {crash.path}")
        total_crashes += len(stats.crashes)
    print(f"targets: {len(chosen)}, crashes: {total_crashes}")
    return 1 if total_crashes else 0


if __name__ == "__main__":
    sys.exit(main())
