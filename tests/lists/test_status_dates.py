"""`lists status` says what a stored list is as of: its publication date, else its newest
listing (the CSL prints no publication date), not only when it was fetched."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from riskcheck.cli.lists import app as lists_app

ASSETS = Path(__file__).resolve().parent / "assets"


def test_a_list_without_a_publication_date_shows_its_newest_listing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    runner = CliRunner()
    imported = runner.invoke(lists_app, ["import", "us_csl", str(ASSETS / "csl" / "consolidated.csv"),
                                         "--data-dir", str(data), "--min-records", "1"])
    assert imported.exit_code == 0, imported.output
    status = runner.invoke(lists_app, ["status", "--data-dir", str(data), "-f", "json"])
    entry = next(e for e in json.loads(status.stdout)["sources"] if e["source"] == "us_csl")
    assert entry["published"] is None and entry["newest_listing"]
    table = runner.invoke(lists_app, ["status", "--data-dir", str(data)],
                          env={"COLUMNS": "160"})
    row = next(line for line in table.stdout.splitlines() if line.startswith("us_csl"))
    assert f"newest listing {entry['newest_listing']}" in row
