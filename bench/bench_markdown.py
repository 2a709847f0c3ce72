"""Size of the pull-request Markdown: the examples, and generated 50- and 500-model manifests.

Targets (issue 19): each 4-model example (rag-app, the README's example, and exposed-stack,
18 findings on the bundled data and more on real lists) at most 8,000 characters; every
generated manifest within the Markdown budget (default 60,000 characters, under GitHub's
65,536-character comment limit), naming every model at or above ``medium``. clean-stack is
measured without a target.

The data is the bundled snapshot, or a list store given with ``--data-dir`` (for instance one
built from the real snapshots as tests/formats/test_markdown_real.py builds it).

The generated manifests draw, with a fixed seed, from the model ids the vendor registry
(lists/vendors/*.yaml, ``models:``) names, each used as written or as a numbered fine-tune in
its publisher's namespace, by API or self-hosted. Each size is checked once through the CLI
(``riskcheck check --offline --bundled --format markdown``), as a CI job runs it.

    python bench/bench_markdown.py [--sizes 50,200,500] [--seed 19] [--budget 60000]
                                   [--data-dir STORE]

Measured 2026-12-05: see docs/output.md, section markdown. Seed 19 and the examples were used
while the format's cut lengths and compact findings were chosen; seed 7 is the held-out draw,
measured once afterwards and never used to tune anything.

Exit 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_TARGETS = {"rag-app": 8_000, "exposed-stack": 8_000}
GITHUB_LIMIT = 65_536


def registry_models() -> list[str]:
    """Every model id the vendor registry names, sorted (the draw does not depend on file
    order)."""
    ids: set[str] = set()
    for path in sorted((REPO / "lists" / "vendors").glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(document, dict):
            for entry in document.get("models") or []:
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    ids.add(entry["id"])
    return sorted(ids)


def manifest(size: int, seed: int) -> str:
    """A manifest of ``size`` distinct models drawn from the registry with ``seed``."""
    rng = random.Random(seed)
    pool = registry_models()
    lines = ["version: 1", f"project: {{name: generated-{size}}}", "policy: {fail_on: high}",
             "models:"]
    seen: set[str] = set()
    while len(seen) < size:
        base = rng.choice(pool)
        model = base if base not in seen else f"{base}-ft-{len(seen)}"
        if model in seen:
            continue
        seen.add(model)
        usage = rng.choice(("self-hosted", "api"))
        lines.append(f"  - {{id: {model!r}, usage: {usage}}}")
    return "\n".join(lines) + "\n"


def markdown_of(path: Path, budget: int, data_dir: str | None = None) -> tuple[str, int]:
    """The Markdown of ``riskcheck check`` on ``path`` and its exit code."""
    data = ["--data-dir", data_dir] if data_dir else ["--bundled"]
    result = subprocess.run(
        [sys.executable, "-m", "riskcheck", "-q", "check", str(path), "--offline", *data,
         "--format", "markdown", "--markdown-budget", str(budget)],
        capture_output=True, text=True, timeout=600, cwd=REPO)
    if result.returncode not in (0, 1):
        raise SystemExit(f"riskcheck failed on {path}: {result.stderr.strip()}")
    return result.stdout, result.returncode


def table_rows(text: str) -> dict[str, str]:
    """Model -> level word, from the table that opens the comment."""
    rows = {}
    for match in re.finditer(r"^\| <code>(.*?)</code> \| [^|]* \| [^|]* \| \S+ (\w+) \|", text,
                             re.M):
        rows[match.group(1)] = match.group(2).lower()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,500")
    parser.add_argument("--data-dir", default=None, help="a list store (default: bundled data)")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--budget", type=int, default=60_000)
    args = parser.parse_args()
    failed = False
    print(f"examples ({'store ' + args.data_dir if args.data_dir else 'bundled data'}):")
    for example in ("rag-app", "exposed-stack", "clean-stack"):
        relative = Path("examples") / example / "riskcheck.yaml"
        text, _ = markdown_of(relative, args.budget, args.data_dir)
        models = len(yaml.safe_load((REPO / relative).read_text(encoding="utf-8"))["models"])
        target = EXAMPLE_TARGETS.get(example)
        ok = target is None or len(text) <= target
        failed = failed or not ok
        mark = "" if target is None else (f" (target {target:,}: {'ok' if ok else 'OVER'})")
        print(f"  {example:<14} {models:>3} models {len(text):>7,} characters{mark}")
    print(f"generated manifests (seed {args.seed}, budget {args.budget:,}):")
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",") if s.strip()):
            path = Path(folder) / f"m{size}.yaml"
            path.write_text(manifest(size, args.seed), encoding="utf-8")
            full, _ = markdown_of(path, 10_000_000, args.data_dir)
            text, _ = markdown_of(path, args.budget, args.data_dir)
            rows = table_rows(text)
            named = table_rows(full)
            serious = {m for m, level in named.items()
                       if level in ("medium", "high", "critical")}
            missing = serious - set(rows)
            ok = len(text) <= args.budget and not missing
            failed = failed or not ok
            print(f"  {size:>4} models: unbudgeted {len(full):>8,} -> {len(text):>7,} "
                  f"characters ({'within' if ok else 'OVER'} budget); table names "
                  f"{len(rows)} models, {len(serious) - len(missing)} of {len(serious)} at "
                  f"medium or above")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
