"""Seeded fuzzing of model ids, file names and listed names through every output format.

Each iteration takes the canned six-model report of the format tests and replaces its model
ids, the file names of their locations, the undeclared references, a listed name and a
warning with generated text: C0/C1 controls and ESC sequences, bidirectional overrides, lone
surrogates (file names that are not UTF-8), Markdown/HTML/Rich markup, spreadsheet formulas,
line breaks of every kind, wide scripts, and very long runs (up to 5,000 characters). The
report is rendered in every format and written the way the CLI writes it. A crash is any
exception; the outputs must also be valid:

* text formats encode to UTF-8 without error (riskcheck.encoding), JSON and SARIF parse;
* the plain table holds no ESC or other C0/C1 control but tab and line feed;
* the PDF starts with %PDF.

A failing input is printed and saved (as JSON with escapes) under --crash-dir.

    python bench/fuzz_outputs.py --seconds 60
    python bench/fuzz_outputs.py --iterations 200 --seed 7 --formats json,markdown
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import tempfile
import time
import traceback
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

TOKENS = [
    "\x00", "\x07", "\x08", "\x1b", "\x1b[2J", "\x1b[31m", "\x1b]8;;https://evil.example\x07x"
    "\x1b]8;;\x07", "\x9b", "\x85", "\x7f", "\r", "\n", "\r\n", "\u2028", "\u2029", "\t", "\v",
    "\u202e", "\u2066", "\u200f", "\u200b", "\ufeff", "\udcff", "\udc80", "\ud800", "\udfff",
    "``", "`", "|", "\\", "*", "_", "~", "#", "## PASS", "<img src=x onerror=alert(1)>",
    "<a href='https://evil.example'>x</a>", "<!--", "-->", "</details>", "<summary>", "&amp;",
    "&#0;", "[/]", "[link=https://evil.example]x[/link]", "[bold]", "@team", "@org/team",
    "https://evil.example/x", "www.evil.example", "=HYPERLINK(\"http://x\")", "@SUM(1)", "+1",
    "-1", "\"", "'", ",", ";", "华为技术有限公司", "شركة", "Сбербанк", "😀", "e\u0301", "%s", "{0}",
    "../", "/", "./", ":", "?", "%00", "%", " ",
]
PLAIN = "abcdefghijklmnopqrstuvwxyz0123456789-._/"
FORMATS = ["table", "json", "markdown", "sarif", "csv", "pdf"]


def _fixture():
    path = REPO / "tests" / "formats" / "conftest.py"
    spec = importlib.util.spec_from_file_location("format_fixture_fuzz", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def hostile(rng: random.Random) -> str:
    """One generated value: plain text with hostile tokens, sometimes very long."""
    parts = []
    for _ in range(rng.randint(1, 8)):
        if rng.random() < 0.5:
            parts.append(rng.choice(TOKENS))
        else:
            parts.append("".join(rng.choice(PLAIN) for _ in range(rng.randint(1, 12))))
    text = "".join(parts)
    if rng.random() < 0.08:
        text = (text or "x") * (rng.randint(2000, 5000) // max(len(text), 1) + 1)
        text = text[:rng.randint(2000, 5000)]
    return text or "x"


def mutate(report, rng: random.Random):
    """The report with hostile model ids, file names, a listed name and a warning."""
    models = []
    for assessment in report.models:
        ref = assessment.resolution.ref
        if rng.random() < 0.7:
            ref = replace(ref, id=hostile(rng))
        if ref.location is not None and rng.random() < 0.7:
            ref = replace(ref, location=replace(ref.location, path=hostile(rng)))
        matches = assessment.matches
        if matches and rng.random() < 0.5:
            first = matches[0]
            entity = replace(first.entity, name=hostile(rng), remarks=hostile(rng))
            matches = (replace(first, entity=entity, party_id=hostile(rng)), *matches[1:])
        models.append(replace(assessment, resolution=replace(assessment.resolution, ref=ref),
                              matches=matches, verdict=hostile(rng) if rng.random() < 0.2
                              else assessment.verdict))
    undeclared = tuple(
        replace(ref, id=hostile(rng),
                location=replace(ref.location, path=hostile(rng)) if ref.location else None)
        for ref in report.undeclared)
    return replace(report, models=tuple(models), undeclared=undeclared,
                   warnings=(hostile(rng), *report.warnings),
                   project=replace(report.project, name=hostile(rng), path=hostile(rng)))


_CONTROLS = {chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0))}


def check_output(name: str, content: str | bytes) -> None:
    """Raise AssertionError when ``content`` is not a valid output of format ``name``."""
    from riskcheck.cli.outputs import _bytes

    data = _bytes(content)
    if name == "pdf":
        assert data.startswith(b"%PDF"), "not a PDF"
        return
    text = data.decode("utf-8")  # strict
    if name in ("json", "sarif"):
        json.loads(text)
    if name == "table":
        bad = sorted({f"U+{ord(c):04X}" for c in text if c in _CONTROLS})
        assert not bad, f"controls in the plain table: {', '.join(bad)}"


def run(seed: int, seconds: float | None, iterations: int | None, formats: list[str],
        crash_dir: Path, quiet: bool = False) -> int:
    """Fuzz; return the number of distinct failures (by format and exception type)."""
    from riskcheck.formats.registry import get_format

    base = _fixture().make_report(6)
    renderers = {name: get_format(name, width=100) if name == "table" else get_format(name)
                 for name in formats}
    rng = random.Random(seed)
    failures: dict[str, int] = {}
    done = 0
    start = time.monotonic()
    while True:
        if iterations is not None and done >= iterations:
            break
        if seconds is not None and time.monotonic() - start >= seconds:
            break
        report = mutate(base, rng)
        done += 1
        for name, renderer in renderers.items():
            try:
                check_output(name, renderer.render(report))
            except Exception as exc:  # noqa: BLE001 - every exception is a finding here
                key = f"{name}:{type(exc).__name__}"
                failures[key] = failures.get(key, 0) + 1
                if failures[key] == 1:
                    crash_dir.mkdir(parents=True, exist_ok=True)
                    saved = crash_dir / f"{name}-{type(exc).__name__}-{seed}-{done}.json"
                    values = {"ids": [a.resolution.ref.id for a in report.models],
                              "paths": [a.resolution.ref.location.path for a in report.models
                                        if a.resolution.ref.location],
                              "warning": report.warnings[0], "project": report.project.name}
                    saved.write_text(json.dumps(values, ensure_ascii=True, indent=1))
                    print(f"FAIL {key} (iteration {done}): {exc}\n  input: {saved}")
                    if not quiet:
                        traceback.print_exc()
    elapsed = time.monotonic() - start
    print(f"seed {seed}: {done} reports x {len(formats)} formats in {elapsed:.1f} s "
          f"({done * len(formats) / max(elapsed, 1e-9):.0f} renders/s); "
          f"{len(failures)} distinct failures")
    return len(failures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--iterations", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--crash-dir", type=Path,
                        default=Path(tempfile.gettempdir()) / "riskcheck-fuzz-outputs")
    args = parser.parse_args()
    if args.seconds is None and args.iterations is None:
        args.seconds = 30.0
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    return 1 if run(args.seed, args.seconds, args.iterations, formats, args.crash_dir) else 0


if __name__ == "__main__":
    sys.exit(main())
