"""Updating and importing sources: each source independent, old versions kept on failure."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from riskcheck.errors import InputError
from riskcheck.lists.catalogue import load_catalogue
from riskcheck.lists.interface import ListParser
from riskcheck.lists.store import open_store
from riskcheck.lists.update import import_files, infer_role, update_lists
from riskcheck.model import ListEntity

from .conftest import FakeParser, fake_factory, rows

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


def run(catalogue, session, data_dir: Path, ids=None, **kwargs):  # type: ignore[no-untyped-def]
    return update_lists(ids, data_dir=data_dir, catalogue=catalogue, session=session,
                        parser_factory=kwargs.pop("factory", fake_factory), now=NOW, **kwargs)


def test_update_stores_a_version_then_304_means_unchanged(
        httpserver: HTTPServer, make_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    body = "# published 2026-11-28\n" + rows(20)
    httpserver.expect_request("/a.csv").respond_with_data(body, headers={"ETag": '"e1"'})
    catalogue = make_catalogue({"custom_a": {"main": httpserver.url_for("/a.csv")}})
    [outcome] = run(catalogue, quick_session, data_dir)
    assert outcome.status == "updated" and outcome.version.record_count == 20
    assert outcome.version.published == "2026-11-28"
    httpserver.clear()
    httpserver.expect_request("/a.csv", headers={"If-None-Match": '"e1"'}).respond_with_data(
        "", status=304)
    [again] = update_lists(data_dir=data_dir, catalogue=catalogue, session=quick_session,
                           parser_factory=fake_factory,
                           now=datetime(2026, 12, 5, tzinfo=timezone.utc))
    assert again.status == "unchanged" and "304" in again.message
    with open_store(data_dir) as store:
        [version] = store.versions("custom_a")
        assert version.checked_at == "2026-12-05T00:00:00Z"
        assert version.fetched_at == "2026-11-29T08:00:00Z"


def test_same_content_without_validators_is_unchanged(
        httpserver: HTTPServer, make_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/a.csv").respond_with_data(rows(5))
    catalogue = make_catalogue({"custom_a": {"main": httpserver.url_for("/a.csv")}})
    assert run(catalogue, quick_session, data_dir)[0].status == "updated"
    [again] = run(catalogue, quick_session, data_dir)
    assert again.status == "unchanged" and "same content" in again.message


def test_changed_content_is_a_new_version(
        httpserver: HTTPServer, make_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_ordered_request("/a.csv").respond_with_data(rows(5))
    httpserver.expect_ordered_request("/a.csv").respond_with_data(rows(7))
    catalogue = make_catalogue({"custom_a": {"main": httpserver.url_for("/a.csv")}})
    run(catalogue, quick_session, data_dir)
    [second] = run(catalogue, quick_session, data_dir)
    assert second.status == "updated" and second.previous_count == 5
    assert second.version.record_count == 7 and "(was 5)" in second.message


def test_one_failing_source_keeps_its_old_version_and_others_update(
        httpserver: HTTPServer, make_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_ordered_request("/a.csv").respond_with_data(rows(5))
    httpserver.expect_ordered_request("/b.csv").respond_with_data(rows(3, "B"))
    httpserver.expect_ordered_request("/a.csv").respond_with_data("gone", status=404)
    httpserver.expect_ordered_request("/b.csv").respond_with_data(rows(4, "B"))
    catalogue = make_catalogue({"custom_a": {"main": httpserver.url_for("/a.csv")},
                                "custom_b": {"main": httpserver.url_for("/b.csv")}})
    run(catalogue, quick_session, data_dir)
    outcomes = {o.source: o for o in run(catalogue, quick_session, data_dir)}
    failed = outcomes["custom_a"]
    assert failed.failed and failed.version is not None and failed.version.record_count == 5
    assert failed.message.startswith("custom_a a.csv: HTTP 404") and "config.yaml" in failed.message
    assert "keeping version fetched 2026-11-29T08:00:00Z" in failed.message
    assert "\n" not in failed.message
    assert outcomes["custom_b"].status == "updated" and outcomes["custom_b"].version.record_count == 4


def test_first_download_failing_says_nothing_is_stored(
        httpserver: HTTPServer, make_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/a.csv").respond_with_data("<html><body>Error</body></html>")
    catalogue = make_catalogue({"custom_a": {"main": httpserver.url_for("/a.csv")}})
    [outcome] = run(catalogue, quick_session, data_dir)
    assert outcome.failed and "HTML page" in outcome.message
    assert "nothing stored yet" in outcome.message and outcome.version is None


def test_record_count_under_minimum_fails_and_keeps_old(
        httpserver: HTTPServer, make_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_ordered_request("/a.csv").respond_with_data(rows(50))
    httpserver.expect_ordered_request("/a.csv").respond_with_data(rows(3))
    catalogue = make_catalogue({"custom_a": {"main": httpserver.url_for("/a.csv")}}, min_records=10)
    run(catalogue, quick_session, data_dir)
    [outcome] = run(catalogue, quick_session, data_dir)
    assert outcome.failed and "only 3 records parsed, expected at least 10" in outcome.message
    with open_store(data_dir) as store:
        assert [v.record_count for v in store.versions("custom_a")] == [50]


def test_parse_error_mid_file_keeps_old_version(
        httpserver: HTTPServer, make_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_ordered_request("/a.csv").respond_with_data(rows(5))
    httpserver.expect_ordered_request("/a.csv").respond_with_data(rows(500, extra="BOOM\n"))
    catalogue = make_catalogue({"custom_a": {"main": httpserver.url_for("/a.csv")}})
    run(catalogue, quick_session, data_dir)
    [outcome] = run(catalogue, quick_session, data_dir)
    assert outcome.failed and "bad row" in outcome.message
    with open_store(data_dir) as store:
        assert len(store.entity_set().entities) == 5
        assert store._db.execute("SELECT COUNT(*) FROM entities").fetchone()[0] == 5


class BuggyParser(ListParser):
    def parse(self, files: Mapping[str, Path]) -> Iterator[ListEntity]:
        raise KeyError("column 'Name' missing")
        yield  # pragma: no cover


def test_parser_bug_is_reported_as_a_failure_not_a_crash(
        httpserver: HTTPServer, make_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/a.csv").respond_with_data(rows(5))
    httpserver.expect_request("/b.csv").respond_with_data(rows(5, "B"))
    catalogue = make_catalogue({"custom_a": {"main": httpserver.url_for("/a.csv")},
                                "custom_b": {"main": httpserver.url_for("/b.csv")}})
    factory = lambda fmt, sid: BuggyParser(sid) if sid == "custom_a" else FakeParser(sid)
    outcomes = run(catalogue, quick_session, data_dir, factory=factory)
    assert outcomes[0].failed and "KeyError" in outcomes[0].message
    assert outcomes[1].status == "updated"


EOF = "\x1a\r\n"
"""OFAC legacy CSVs end with this line; without it the file counts as truncated."""


def test_multi_file_set_refetches_unchanged_files_when_others_changed(
        httpserver: HTTPServer, make_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    names = {"main": "SDN.CSV", "add": "ADD.CSV", "alt": "ALT.CSV", "comments": "SDN_COMMENTS.CSV"}
    for role, name in names.items():
        httpserver.expect_request(f"/{name}").respond_with_data(
            rows(3, role.upper(), extra=EOF), headers={"ETag": f'"{role}1"'})
    catalogue = make_catalogue({"ofac_x": {role: httpserver.url_for(f"/{n}")
                                           for role, n in names.items()}})
    [first] = run(catalogue, quick_session, data_dir)
    assert first.version is not None, first.message
    assert first.version.record_count == 12
    httpserver.clear()
    for role, name in names.items():
        if role == "add":  # only ADD.CSV changed upstream
            httpserver.expect_request(f"/{name}").respond_with_data(rows(4, "ADD", extra=EOF))
        else:
            httpserver.expect_request(f"/{name}", headers={"If-None-Match": f'"{role}1"'}
                                      ).respond_with_data("", status=304)
            httpserver.expect_request(f"/{name}").respond_with_data(rows(3, role.upper(), extra=EOF))
    [second] = run(catalogue, quick_session, data_dir)
    assert second.status == "updated" and second.version.record_count == 13


def test_mirror_serves_the_official_file_names(
        httpserver: HTTPServer, quick_session, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/mirror/consolidated.csv").respond_with_data(rows(5000))
    catalogue = load_catalogue(data_dir, env={"RISKCHECK_MIRROR_URL": httpserver.url_for("/mirror/")})
    [outcome] = update_lists(["us_csl"], data_dir=data_dir, catalogue=catalogue,
                             session=quick_session, parser_factory=fake_factory, now=NOW)
    assert outcome.status == "updated"
    assert outcome.version.url.endswith("/mirror/consolidated.csv")


def test_offline_uses_only_what_is_stored(
        httpserver: HTTPServer, make_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/a.csv").respond_with_data(rows(5))
    catalogue = make_catalogue({"custom_a": {"main": httpserver.url_for("/a.csv")},
                                "custom_b": {"main": httpserver.url_for("/b.csv")}})
    run(catalogue, quick_session, data_dir, ["custom_a"])
    requests_before = len(httpserver.log)
    outcomes = run(catalogue, quick_session, data_dir, offline=True)
    assert len(httpserver.log) == requests_before
    assert [o.status for o in outcomes] == ["offline", "failed"]
    assert "--offline" in outcomes[1].message


def test_temp_files_are_removed_and_old_leftovers_cleaned(
        httpserver: HTTPServer, make_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    leftover = data_dir / "tmp" / "update-killed"  # from an update that was SIGKILLed
    recent = data_dir / "tmp" / "update-running"   # a concurrent update's folder
    for folder in (leftover, recent):
        folder.mkdir(parents=True)
        (folder / "main.download").write_text("partial")
    os.utime(leftover, (time.time() - 3 * 86400,) * 2)
    httpserver.expect_request("/a.csv").respond_with_data(rows(5))
    catalogue = make_catalogue({"custom_a": {"main": httpserver.url_for("/a.csv")}})
    run(catalogue, quick_session, data_dir)
    assert [p.name for p in (data_dir / "tmp").iterdir()] == ["update-running"]


def test_import_infers_roles_from_official_names(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "fetched"
    folder.mkdir()
    for name, count in (("sdn.csv", 5000), ("add.csv", 2), ("alt.csv", 1), ("sdn_comments.csv", 1)):
        (folder / name).write_text(rows(count, name[:3].upper(), extra=EOF))
    catalogue = load_catalogue(data_dir, env={})
    paths = sorted(folder.iterdir())
    outcome = import_files("ofac_sdn", paths, data_dir=data_dir, catalogue=catalogue,
                           parser_factory=fake_factory, now=NOW)
    assert outcome.status == "updated" and outcome.version.record_count == 5004
    assert outcome.version.url.endswith("/SDN.CSV")
    again = import_files("ofac_sdn", paths, data_dir=data_dir, catalogue=catalogue,
                         parser_factory=fake_factory, now=NOW)
    assert again.status == "unchanged"
    with open_store(data_dir) as store:
        [version] = store.versions("ofac_sdn")
        assert {f.role: f.url for f in version.files}["add"] == "import:add.csv"


def test_import_rejects_unknown_files_and_missing_main(data_dir: Path, tmp_path: Path) -> None:
    catalogue = load_catalogue(data_dir, env={})
    stray = tmp_path / "whatever.csv"
    stray.write_text(rows(2))
    spec = catalogue.get("ofac_sdn")
    with pytest.raises(InputError, match="cannot tell which file of ofac_sdn"):
        infer_role(spec, stray)
    add = tmp_path / "ADD.CSV"
    add.write_text(rows(2))
    with pytest.raises(InputError, match="needs its main file"):
        import_files("ofac_sdn", [add], data_dir=data_dir, catalogue=catalogue,
                     parser_factory=fake_factory)
    assert infer_role(catalogue.get("us_csl"), stray) == "main"
    assert infer_role(spec, tmp_path / "CONS_ALT.CSV.gz") == "alt"
