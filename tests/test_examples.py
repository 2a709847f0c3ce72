"""Every example gives the outcome written in examples/README.md."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "examples" / "README.md").read_text(encoding="utf-8")


def expectations() -> dict[str, dict]:
    sections = re.split(r"^## ", README, flags=re.M)[1:]
    found = {}
    for section in sections:
        name = section.splitlines()[0].strip()
        outcome = re.search(r"Expected: exit code (\d), overall level (\w+)\.", section)
        if outcome is None:
            continue
        rows = {}
        for line in section.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if line.startswith("|") and len(cells) == 4 and cells[0] not in ("model", "---"):
                lists = sorted(c.strip() for c in cells[3].split(",") if c.strip())
                rows[cells[0]] = {"vendor": cells[1], "level": cells[2], "lists": lists}
        found[name] = {"exit": int(outcome.group(1)), "level": outcome.group(2), "models": rows}
    return found


EXPECTED = expectations()


def test_every_example_is_documented() -> None:
    on_disk = {p.parent.name for p in (REPO / "examples").glob("*/riskcheck.yaml")}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_outcome(name: str, tmp_path: Path) -> None:
    exe = shutil.which("riskcheck")
    command = [exe] if exe else [sys.executable, "-m", "riskcheck"]
    out = tmp_path / "result.json"
    result = subprocess.run(command + ["check", str(REPO / "examples" / name / "riskcheck.yaml"),
                                       "--format", "json", "-o", str(out)],
                            capture_output=True, text=True, timeout=300)
    expected = EXPECTED[name]
    assert result.returncode == expected["exit"], result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["level"] == expected["level"]
    assert data["summary"]["bundled_data"] is True
    actual = {}
    for model in data["models"]:
        vendor = (model["resolution"].get("vendor") or {}).get("id", "")
        lists = sorted({code for match in model["matches"]
                        if match["band"] == "match" and match["status"] == "current"
                        for code in match["lists"]})
        actual[model["ref"]["id"]] = {"vendor": vendor, "level": model["level"], "lists": lists}
    assert actual == expected["models"]
