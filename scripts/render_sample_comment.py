"""Render the sample pull-request comment from examples/rag-app on the bundled data.

Writes docs/sample-comment.md (the whole comment) and the part of README.md between the
``sample-comment`` markers (the verdict and the model table), so both show what
``riskcheck check examples/rag-app/riskcheck.yaml --format markdown`` prints today.
tests/formats/test_sample_comment.py fails when they are out of date.

    python scripts/render_sample_comment.py [--check]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "docs" / "sample-comment.md"
README = REPO / "README.md"
START, END = "<!-- sample-comment:start -->", "<!-- sample-comment:end -->"
EXAMPLE = "examples/rag-app/riskcheck.yaml"


def render() -> str:
    """The comment for the example, without the per-run id and time (so it is reproducible)."""
    sys.path.insert(0, str(REPO))
    from riskcheck.formats.json_load import load_report
    from riskcheck.formats.markdown import MarkdownFormat

    with tempfile.TemporaryDirectory() as folder:
        saved = Path(folder) / "result.json"
        result = subprocess.run(
            [sys.executable, "-m", "riskcheck", "-q", "check", EXAMPLE, "--offline", "--bundled",
             "--format", "json", "-o", str(saved)],
            cwd=REPO, capture_output=True, text=True, timeout=300)
        if result.returncode not in (0, 1):
            raise SystemExit(f"riskcheck check failed: {result.stderr.strip()}")
        json.loads(saved.read_text(encoding="utf-8"))  # a complete result
        report = replace(load_report(saved), metadata=None)
    return MarkdownFormat().render(report)


def readme_with(head: str, readme: str) -> str:
    before, start, rest = readme.partition(START)
    _, end, after = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"README.md has no {START} ... {END} markers")
    return f"{before}{START}\n{head.rstrip()}\n{END}{after}"


def head_of(comment: str) -> str:
    """The verdict and the model table: everything before the per-model blocks, its headings
    two levels down so they sit under the README's own section instead of starting new ones."""
    head = comment.split("### Findings by model", 1)[0]
    return "\n".join("##" + line if line.startswith("#") else line for line in head.splitlines())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a file is stale")
    args = parser.parse_args()
    comment = render()
    readme = README.read_text(encoding="utf-8")
    wanted = {SAMPLE: comment, README: readme_with(head_of(comment), readme)}
    stale = [path for path, text in wanted.items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(REPO)} is out of date: run "
                  "python scripts/render_sample_comment.py")
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
