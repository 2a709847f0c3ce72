"""Render the first page of the example PDF report as docs/pdf-page1.png (shown in the README).

    python scripts/render_pdf_preview.py

Runs ``riskcheck check examples/rag-app/riskcheck.yaml --bundled --offline -f pdf`` and turns
page 1 into a PNG with ``pdftoppm`` (Debian's poppler-utils). Run it again when the PDF's first
page changes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "docs" / "pdf-page1.png"


def main() -> None:
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm not found: install poppler-utils")
    with tempfile.TemporaryDirectory() as work:
        pdf = Path(work) / "report.pdf"
        subprocess.run([sys.executable, "-m", "riskcheck", "check",
                        "examples/rag-app/riskcheck.yaml", "--bundled", "--offline",
                        "-f", "pdf", "-o", str(pdf)], cwd=REPO, check=False)
        if not pdf.is_file():
            sys.exit("the check wrote no PDF")
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(Path(work) / "page")], check=True)
        shutil.copyfile(Path(work) / "page.png", TARGET)
    sys.stdout.write(f"wrote {TARGET.relative_to(REPO)}\n")


if __name__ == "__main__":
    main()
