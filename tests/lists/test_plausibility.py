"""A shrunken or truncated list never replaces a full one; a trickling server hits the deadline."""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from riskcheck.cli import main
from riskcheck.lists.store import open_store
from riskcheck.lists.update import update_lists

ASSETS = Path(__file__).parent / "assets" / "ofac"
NOW = datetime(2026, 12, 4, tzinfo=timezone.utc)
FULL = (ASSETS / "sdn.csv").read_bytes()
LINES = FULL.splitlines(keepends=True)
MARKER = b"\x1a"


def test_real_sdn_asset_ends_with_the_marker() -> None:
    assert LINES[-1] == MARKER and LINES[-2].endswith(b"\r\n")


def shrunk(keep: int) -> bytes:
    """The first ``keep`` records, ending properly (a smaller but complete-looking file)."""
    return b"".join(LINES[:keep]) + MARKER


def cut(keep: int) -> bytes:
    """The first ``keep`` records, cut at a record boundary: no end-of-file marker."""
    return b"".join(LINES[:keep])


def stored_count(data_dir: Path, source: str) -> int:
    with open_store(data_dir) as store:
        [(version, *_)] = [store.current(source)]
        return version.record_count


@pytest.fixture
def sdn_catalogue(httpserver: HTTPServer, make_catalogue):  # type: ignore[no-untyped-def]
    return make_catalogue({"ofac_x": {"main": httpserver.url_for("/SDN.CSV")}},
                          format_id="ofac_legacy_csv")


def serve(httpserver: HTTPServer, body: bytes) -> None:
    httpserver.clear()
    httpserver.expect_request("/SDN.CSV").respond_with_data(body, content_type="text/csv")


def update(catalogue, session, data_dir: Path, **kwargs):  # type: ignore[no-untyped-def]
    [outcome] = update_lists(data_dir=data_dir, catalogue=catalogue, session=session, now=NOW,
                             **kwargs)
    return outcome


def test_shrunken_download_is_refused_and_the_old_version_stays(
        httpserver: HTTPServer, sdn_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    serve(httpserver, FULL)
    first = update(sdn_catalogue, quick_session, data_dir)
    assert first.status == "updated", first.message
    full = first.version.record_count
    assert full >= 10
    serve(httpserver, shrunk(4))
    refused = update(sdn_catalogue, quick_session, data_dir)
    assert refused.failed
    assert f"refused: 4 records, {round(100 * (full - 4) / full)}% fewer than stored {full}; " \
           "--accept-shrink to take it" in refused.message
    assert refused.version is not None and refused.version.record_count == full
    assert stored_count(data_dir, "ofac_x") == full
    with open_store(data_dir) as store:
        assert "ofac_x" in store.refusals()
    serve(httpserver, FULL)  # the publisher fixes the file: the refusal note goes
    assert update(sdn_catalogue, quick_session, data_dir).status == "unchanged"
    with open_store(data_dir) as store:
        assert "ofac_x" not in store.refusals()
    serve(httpserver, shrunk(4))
    taken = update(sdn_catalogue, quick_session, data_dir, accept_shrink=True)
    assert taken.status == "updated" and taken.version.record_count == 4
    assert stored_count(data_dir, "ofac_x") == 4


def test_a_small_shrink_within_the_limit_is_stored(
        httpserver: HTTPServer, sdn_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    serve(httpserver, FULL)
    full = update(sdn_catalogue, quick_session, data_dir).version.record_count
    serve(httpserver, shrunk(len(LINES) - 2))  # one record fewer: well under 20%
    outcome = update(sdn_catalogue, quick_session, data_dir)
    assert outcome.status == "updated" and outcome.version.record_count == full - 1


def test_max_shrink_is_a_per_source_setting(
        httpserver: HTTPServer, make_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    catalogue = make_catalogue({"ofac_x": {"main": httpserver.url_for("/SDN.CSV")}},
                               format_id="ofac_legacy_csv")
    assert catalogue.get("ofac_x").max_shrink == 20.0
    data_dir.mkdir(parents=True, exist_ok=True)
    config = data_dir / "config.yaml"
    config.write_text("sources:\n  ofac_x:\n    max_shrink: 90\n")
    from riskcheck.lists.catalogue import load_catalogue

    relaxed = load_catalogue(data_dir, catalogue_path=data_dir.parent / "sources.yaml",
                             config_path=config, env={})
    assert relaxed.get("ofac_x").max_shrink == 90.0
    serve(httpserver, FULL)
    update(relaxed, quick_session, data_dir)
    serve(httpserver, shrunk(4))
    assert update(relaxed, quick_session, data_dir).status == "updated"


def test_sdn_cut_at_a_record_boundary_is_refused_as_truncated(
        httpserver: HTTPServer, sdn_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    serve(httpserver, FULL)
    full = update(sdn_catalogue, quick_session, data_dir).version.record_count
    serve(httpserver, cut(len(LINES) - 2))
    outcome = update(sdn_catalogue, quick_session, data_dir, accept_shrink=True)
    assert outcome.failed and "end-of-file marker" in outcome.message
    assert stored_count(data_dir, "ofac_x") == full


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    captured = capsys.readouterr()
    return int(done.value.code or 0), captured.out, captured.err


def test_import_refuses_a_shrink_until_accepted_and_status_says_so(
        capsys, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.yaml").write_text("sources:\n  ofac_sdn:\n    min_records: 1\n")
    (tmp_path / "full").mkdir()
    (tmp_path / "small").mkdir()
    (tmp_path / "full" / "SDN.CSV").write_bytes(FULL)
    (tmp_path / "small" / "SDN.CSV").write_bytes(shrunk(4))
    code, out, err = cli(capsys, "lists", "import", "ofac_sdn", str(tmp_path / "full" / "SDN.CSV"))
    assert code == 0, err
    full = stored_count(data_dir, "ofac_sdn")
    code, out, err = cli(capsys, "lists", "import", "ofac_sdn", str(tmp_path / "small" / "SDN.CSV"))
    assert code == 3
    assert "refused: 4 records" in err and "--accept-shrink" in err
    assert stored_count(data_dir, "ofac_sdn") == full
    code, out, err = cli(capsys, "lists", "status")
    # The state cell may wrap within its column ("new version" / "refused") at 120 columns.
    assert "new version" in out and "refused" in out
    assert f"fewer than stored {full}" in " ".join(out.split())
    code, out, err = cli(capsys, "lists", "status", "--format", "json")
    [entry] = [e for e in json.loads(out)["sources"] if e["source"] == "ofac_sdn"]
    assert entry["refused"] and entry["record_count"] == full
    code, out, err = cli(capsys, "lists", "import", "ofac_sdn", "--accept-shrink",
                         str(tmp_path / "small" / "SDN.CSV"))
    assert code == 0, err
    assert stored_count(data_dir, "ofac_sdn") == 4
    code, out, err = cli(capsys, "lists", "status", "--format", "json")
    [entry] = [e for e in json.loads(out)["sources"] if e["source"] == "ofac_sdn"]
    assert entry["refused"] is None


def test_update_table_shows_the_refusal_and_exits_3(
        httpserver: HTTPServer, capsys, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data_dir.mkdir(parents=True, exist_ok=True)
    names = {"main": "SDN.CSV", "add": "ADD.CSV", "alt": "ALT.CSV",
             "comments": "SDN_COMMENTS.CSV"}
    files = ", ".join(f"{role}: '{httpserver.url_for('/' + name)}'" for role, name in names.items())
    (data_dir / "config.yaml").write_text(
        f"sources:\n  ofac_sdn:\n    min_records: 1\n    files: {{{files}}}\n")

    def publish(sdn: bytes) -> None:
        serve(httpserver, sdn)
        for name in ("ADD.CSV", "ALT.CSV", "SDN_COMMENTS.CSV"):
            httpserver.expect_request(f"/{name}").respond_with_data(
                (ASSETS / name.lower()).read_bytes(), content_type="text/csv")

    publish(FULL)
    code, out, err = cli(capsys, "lists", "update", "ofac_sdn")
    assert code == 0, err
    publish(shrunk(4))
    code, out, err = cli(capsys, "lists", "update", "ofac_sdn")
    assert code == 3
    assert "refused: 4 records" in out and "failed" in out


# --- total deadline -----------------------------------------------------------------------


class TrickleServer:
    """A real socket server: sends headers promising a big body, then one byte a tenth second."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self.trickle, args=(conn,), daemon=True).start()

    headers_only = False
    """Trickle the headers themselves (a status line, then one header byte at a time)."""

    def trickle(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                if self.headers_only:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                else:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\n"
                                 b"Content-Length: 100000\r\n\r\n")
                while not self.stop.is_set():
                    conn.sendall(b"x")
                    time.sleep(0.1)
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.thread.join(2)


@pytest.fixture
def trickle():  # type: ignore[no-untyped-def]
    server = TrickleServer()
    yield server
    server.close()


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_trickling_server_hits_the_total_deadline(
        trickle: TrickleServer, make_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    catalogue = make_catalogue({"custom_slow": {"main": f"http://127.0.0.1:{trickle.port}/a.csv"}})
    started = time.monotonic()
    outcome = update(catalogue, quick_session, data_dir, timeout=1.0)
    elapsed = time.monotonic() - started
    assert outcome.failed
    assert "custom_slow" in outcome.message and "1 s limit" in outcome.message
    assert elapsed < 4


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_trickled_headers_hit_the_total_deadline(
        trickle: TrickleServer, make_catalogue, quick_session, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    trickle.headers_only = True
    catalogue = make_catalogue({"custom_slow": {"main": f"http://127.0.0.1:{trickle.port}/a.csv"}})
    started = time.monotonic()
    outcome = update(catalogue, quick_session, data_dir, timeout=1.0)
    assert outcome.failed
    assert "custom_slow" in outcome.message and "1 s limit" in outcome.message
    assert time.monotonic() - started < 4


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_cli_timeout_from_env_fails_the_update_with_exit_3(
        trickle: TrickleServer, capsys, data_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.yaml").write_text(
        "custom:\n  - id: custom_slow\n    title: Slow\n    format: custom_csv\n"
        f"    files: {{main: 'http://127.0.0.1:{trickle.port}/a.csv'}}\n")
    monkeypatch.setenv("RISKCHECK_DOWNLOAD_TIMEOUT", "1")
    started = time.monotonic()
    code, out, err = cli(capsys, "lists", "update", "custom_slow")
    assert code == 3
    assert "custom_slow" in err and "1 s limit" in err
    assert time.monotonic() - started < 4


def test_import_of_a_small_archived_edition_needs_min_records(
        capsys, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "small").mkdir()
    (tmp_path / "small" / "SDN.CSV").write_bytes(shrunk(4))
    code, out, err = cli(capsys, "lists", "import", "ofac_sdn", str(tmp_path / "small" / "SDN.CSV"))
    assert code == 3 and "only 4 records" in err and "--min-records 4" in err
    code, out, err = cli(capsys, "lists", "import", "ofac_sdn", "--min-records", "4",
                         str(tmp_path / "small" / "SDN.CSV"))
    assert code == 0, err
    assert stored_count(data_dir, "ofac_sdn") == 4
