"""The pull-request Markdown on real lists: a 200-model project stays under GitHub's comment
limit and names every model at or above medium; the 4-model examples stay within 8,000
characters.

The store is built from the real snapshots beside the project (../shared/lists-real, see its
SOURCES.md): OFAC SDN 2024-05-03, CSL 2022-05, EU FSF and OFSI ConList 2016-02, UN, and the
shipped 1260H and FCC transcriptions. Skipped when the snapshots are absent.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.lists.parser_helpers import real

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
GITHUB_LIMIT = 65_536


def _riskcheck(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, RISKCHECK_OFFLINE="1")
    env.pop("CI", None)
    result = subprocess.run([sys.executable, "-m", "riskcheck", "-q", *args], capture_output=True,
                            text=True, timeout=600, cwd=REPO, env=env)
    assert result.returncode in (0, 1), result.stderr
    return result


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("real-store")
    imports = [
        ("ofac_sdn", [f"main={real('ofac_sdn', '2024-05-03', 'sdn.csv')}"]),
        ("us_csl", [str(real("us_csl", "2022-05", "consolidated.csv.gz"))]),
        ("eu_fsf", [str(real("eu_fsf", "2016-02", "data.xml")), "--min-records", "100"]),
        ("uk_sanctions", [str(real("uk_hmt", "2016-02", "data.csv")), "--variant",
                          "ofsi_conlist", "--min-records", "100"]),
        ("un_sc", [str(real("un", "UN_consolidated.xml")), "--min-records", "100"]),
    ]
    transcriptions = REPO / "lists" / "transcriptions"
    imports += [("us_dod_1260h", [str(transcriptions / "dod_1260h.yaml")]),
                ("us_fcc_covered", [str(transcriptions / "fcc_covered.yaml")])]
    for source, args in imports:
        _riskcheck("lists", "import", source, *args, "--data-dir", str(data))
    return data


def _manifest(size: int) -> str:
    spec = importlib.util.spec_from_file_location("bench_markdown",
                                                  REPO / "bench" / "bench_markdown.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module.manifest(size, 19)


def test_200_models_fit_a_comment_and_name_every_model_at_medium_or_above(
        store: Path, tmp_path: Path) -> None:
    manifest = tmp_path / "riskcheck.yaml"
    manifest.write_text(_manifest(200), encoding="utf-8")
    saved = tmp_path / "result.json"
    text = _riskcheck("check", str(manifest), "--data-dir", str(store), "--format", "markdown",
                      "--report", f"json={saved}").stdout
    assert len(text) <= 60_000 < GITHUB_LIMIT
    data = json.loads(saved.read_text(encoding="utf-8"))
    serious = {m["ref"]["id"] for m in data["models"]
               if m["level"] in ("medium", "high", "critical")}
    assert len(serious) > 20  # the project is not trivially clean
    rows = set(re.findall(r"^\| <code>(.*?)</code> \|", text, re.M))
    assert serious <= rows


@pytest.mark.parametrize("example", ["rag-app", "exposed-stack"])
def test_four_model_examples_are_at_most_8000_characters_on_real_lists(
        store: Path, example: str) -> None:
    """Issue 19: a 4-model report is at most 8 KB, on the real lists too (where the
    exposed-stack's Russian parent matches many more records than in the snapshot)."""
    manifest = REPO / "examples" / example / "riskcheck.yaml"
    assert len(yaml.safe_load(manifest.read_text(encoding="utf-8"))["models"]) == 4
    text = _riskcheck("check", str(manifest), "--data-dir", str(store),
                      "--format", "markdown").stdout
    assert "stored lists" in text  # screened against the real lists, not the snapshot
    # The archives are years old: reported stale (outside CI the run goes on).
    data = next(line for line in text.splitlines() if line.startswith("Data: "))
    assert "(stale: " in data and "eu_fsf" in data.split("(stale: ", 1)[1]
    assert len(text) <= 8_000, len(text)
    rows = set(re.findall(r"^\| <code>(.*?)</code> \|", text, re.M))
    assert len(rows) == 4  # every model named, none folded
