"""`lists status` says what a stored list is as of: its publication date, else its newest
listing (the CSL prints no publication date), not only when it was fetched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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


def _import(runner: CliRunner, data: Path, source: str, path: Path, *extra: str) -> None:
    done = runner.invoke(lists_app, ["import", source, str(path), "--data-dir", str(data),
                                     "--min-records", "1", *extra])
    assert done.exit_code == 0, done.output


def _status(runner: CliRunner, data: Path, source: str) -> dict:
    status = runner.invoke(lists_app, ["status", "--data-dir", str(data), "-f", "json"])
    return next(e for e in json.loads(status.stdout)["sources"] if e["source"] == source)


def test_an_archive_imported_today_is_as_old_as_its_data(tmp_path: Path) -> None:
    """The 2016 EU file imported now: its age counts from its publication date (2016-02-11),
    not from the import."""
    data, runner = tmp_path / "data", CliRunner()
    _import(runner, data, "eu_fsf", ASSETS / "eu" / "legacy_2016.xml")
    entry = _status(runner, data, "eu_fsf")
    assert entry["imported"] is True and entry["published"] == "2016-02-11"
    assert entry["state"] == "stale" and entry["age_days"] > 3000
    table = runner.invoke(lists_app, ["status", "--data-dir", str(data)], env={"COLUMNS": "160"})
    row = next(line for line in table.stdout.splitlines() if line.startswith("eu_fsf"))
    assert "stale" in row and "published 2016-02-11" in row


def test_an_imported_file_without_a_date_is_as_old_as_its_newest_listing(
        tmp_path: Path) -> None:
    data, runner = tmp_path / "data", CliRunner()
    _import(runner, data, "us_csl", ASSETS / "csl" / "consolidated.csv")
    entry = _status(runner, data, "us_csl")
    assert entry["published"] is None and entry["newest_listing"]
    from datetime import date

    days = (date.today() - date.fromisoformat(entry["newest_listing"])).days
    assert entry["age_days"] >= days - 1
    assert entry["state"] == ("stale" if days > entry["max_age_days"] else "fresh")


def test_a_download_unchanged_for_weeks_stays_current(tmp_path: Path) -> None:
    """A file downloaded from the publisher today is the current list, whatever its
    publication date: its age counts from the download (the last check)."""
    from datetime import datetime, timedelta, timezone

    from riskcheck.lists.store import StoredFile, VersionMeta, open_store
    from riskcheck.model import ListEntity

    now = datetime.now(timezone.utc).replace(microsecond=0)
    weeks_ago = (now - timedelta(days=40)).date().isoformat()
    entity = ListEntity(source="eu_fsf", source_id="EU.1", lists=("EU",), name="Example Co")
    for source, url in (("eu_fsf", "https://example.org/fsf.xml"), ("uk_sanctions",
                                                                      "import:fsf.xml")):
        meta = VersionMeta(title=source, sha256=source.encode().hex().ljust(64, "0")[:64],
                           fetched_at=now.isoformat(), published=weeks_ago,
                           files=(StoredFile(role="main", url=url, sha256="0" * 64),))
        with open_store(tmp_path / "data", create=True) as store:
            store.add_version(source, [entity], meta)
    runner = CliRunner()
    downloaded = _status(runner, tmp_path / "data", "eu_fsf")
    assert downloaded["imported"] is False and downloaded["state"] == "fresh"
    assert downloaded["age_days"] < 1
    imported = _status(runner, tmp_path / "data", "uk_sanctions")
    assert imported["imported"] is True and imported["state"] == "stale"
    assert imported["age_days"] >= 40


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_a_stale_archive_fails_check_in_ci_with_one_line_and_the_override_runs_it(
        tmp_path: Path, monkeypatch) -> None:
    """Never silently clean: in CI the stale archive fails the run (exit 3) with a line naming
    the source, what its age was judged from and what to do; --max-list-age (or the policy's
    max_list_age_days) screens the archive on purpose, and the run still reports it stale."""
    import subprocess
    import sys

    data, runner = tmp_path / "data", CliRunner()
    _import(runner, data, "eu_fsf", ASSETS / "eu" / "legacy_2016.xml")
    manifest = tmp_path / "riskcheck.yaml"
    manifest.write_text("version: 1\nproject: {name: archive}\nmodels:\n  - id: gpt-4o\n",
                        encoding="utf-8")
    env = {**__import__("os").environ, "CI": "true", "RISKCHECK_OFFLINE": "1"}

    def check(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "riskcheck", "-q", "check", str(manifest),
                               "--data-dir", str(data), "-f", "json", *args],
                              capture_output=True, text=True, timeout=300, env=env)

    failed = check()
    assert failed.returncode == 3, failed.stderr
    lines = [line for line in failed.stderr.splitlines() if line.strip()]
    assert "eu_fsf (published 2016-02-11)" in lines[0]
    assert "riskcheck lists update" in failed.stderr and "--max-list-age" in failed.stderr
    assert "Traceback" not in failed.stderr
    ran = check("--max-list-age", "36500")
    assert ran.returncode in (0, 1), ran.stderr
    assert [v["stale"] for v in json.loads(ran.stdout)["list_versions"]
            if v["source"] == "eu_fsf"] == [False]
    # Outside CI, without a limit given: the run goes on and the stale list is reported.
    env.pop("CI")
    reported = check()
    assert reported.returncode in (0, 1), reported.stderr
    result = json.loads(reported.stdout)
    assert [v["stale"] for v in result["list_versions"] if v["source"] == "eu_fsf"] == [True]
    assert any("stale" in w and "eu_fsf" in w for w in result["warnings"])
