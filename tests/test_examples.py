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


@pytest.mark.slow  # over half a second: left out of the fast loop
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


def fleet_expectations() -> dict:
    section = next(s for s in re.split(r"^## ", README, flags=re.M) if s.startswith("fleet\n"))
    outcome = re.search(r"Expected fleet: exit code (\d), failing projects ([\w, -]+)\.", section)
    spread = re.search(r"Expected concentration: vendor ([\w-]+) in (\d+) of (\d+) projects, "
                       r"country (\w+) in (\d+) of \d+ projects\.", section)
    assert outcome and spread, "examples/README.md: the fleet section lost its expectations"
    projects, lists, header = {}, {}, None
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or cells[0] == "---":
            continue
        if cells[0] in ("project", "list"):
            header = cells[0]
        elif header == "project":
            projects[cells[0]] = {"level": cells[1], "failed": cells[2] == "FAIL"}
        elif header == "list":
            lists[cells[0]] = {"projects": int(cells[1]), "models": int(cells[2])}
    return {"exit": int(outcome.group(1)),
            "failing": [n.strip() for n in outcome.group(2).split(",")],
            "vendor": (spread.group(1), int(spread.group(2)), int(spread.group(3))),
            "country": (spread.group(4), int(spread.group(5))),
            "projects": projects, "lists": lists}


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_fleet_example_outcome(tmp_path: Path) -> None:
    expected = fleet_expectations()
    out = tmp_path / "fleet.json"
    result = subprocess.run([sys.executable, "-m", "riskcheck", "fleet",
                             str(REPO / "examples" / "fleet"), "--bundled", "--offline",
                             "--format", "json", "-o", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == expected["exit"], result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["failing_projects"] == expected["failing"]
    assert {p["name"]: {"level": p["level"], "failed": p["failed"]}
            for p in data["projects"]} == expected["projects"]
    assert {d["list"]: {"projects": d["projects"], "models": d["models"]}
            for d in data["lists"]} == expected["lists"]
    vendor, country = data["concentration"]["vendor"], data["concentration"]["country"]
    assert (vendor["top"], vendor["projects"], data["summary"]["projects"]) == expected["vendor"]
    assert (country["top"], country["projects"]) == expected["country"]


def whatif_expectations() -> list[tuple[list[str], int, list[tuple[str, str, str]], list[str]]]:
    """``Expected whatif `ARGS`: exit code N; reached p a->b, ...; newly failing p, ...``."""
    text = (REPO / "examples" / "README.md").read_text(encoding="utf-8")
    found = []
    for args, code, reached, failing in re.findall(
            r"Expected whatif `([^`]+)`: exit code (\d+); reached ([^;]+); newly failing "
            r"([^.\n]*)\.", text):
        models = [tuple(item.strip().replace("->", " ").split()) for item in reached.split(",")]
        found.append((args.split(), int(code), models,
                      [p.strip() for p in failing.split(",") if p.strip()]))
    return found


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("case", whatif_expectations(), ids=lambda c: " ".join(c[0]))
def test_fleet_whatif_outcome(case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    args, code, reached, failing = case
    out = tmp_path / "whatif.json"
    result = subprocess.run([sys.executable, "-m", "riskcheck", "whatif", *args,
                             str(REPO / "examples" / "fleet"), "--bundled", "--offline",
                             "--format", "json", "-o", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == code, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert sorted((a["project"], a["before"], a["after"]) for a in data["affected"]) == \
        sorted(reached)
    assert data["summary"]["newly_failing"] == failing


def test_whatif_expectations_are_found() -> None:
    assert len(whatif_expectations()) == 2
