"""Result JSONs of the example fleet, checked once per module on the bundled data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FLEET = REPO / "examples" / "fleet"


def _results(folder: Path, data_dir: Path) -> dict[str, dict]:
    from riskcheck.app.check import check as check_manifest
    from riskcheck.formats.json_format import JsonFormat

    found = {}
    for project in sorted(p for p in FLEET.iterdir() if (p / "riskcheck.yaml").is_file()):
        report = check_manifest(project / "riskcheck.yaml", fail_on=None, bundled=True,
                                max_list_age=None, data_dir=data_dir, offline=True)
        text = JsonFormat().render(report)
        (folder / f"{project.name}.json").write_text(text, encoding="utf-8")
        found[project.name] = json.loads(text)
    return found


@pytest.fixture(scope="module")
def fleet_results(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    """A folder of the examples' result JSONs (as CI artifacts) and their parsed content."""
    folder = tmp_path_factory.mktemp("artifacts")
    return folder, _results(folder, tmp_path_factory.mktemp("data"))


def write_result(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path
