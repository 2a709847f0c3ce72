"""Downloads: retries, conditional GET, and every way a payload can be wrong."""

from __future__ import annotations

import gzip
import hashlib
import io
import random
import socket
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from riskcheck.lists.catalogue import FileSpec
from riskcheck.lists.download import (
    DownloadError,
    check_zip,
    fetch_file,
    make_session,
    prepare_payload,
    redact,
)
from riskcheck.lists.store import StoredFile

CSV = b"id,name\n1,Acme Trading\n2,Globex\n"


def spec(url: str, filename: str = "list.csv", role: str = "main") -> FileSpec:
    return FileSpec(role=role, url=url, filename=filename)


@pytest.fixture
def session():  # type: ignore[no-untyped-def]
    return make_session(retries=2, backoff_factor=0)


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def start(self, key: str, description: str, total: float | None = None) -> None:
        self.events.append(("start", total))

    def advance(self, key: str, amount: float) -> None:
        self.events.append(("advance", amount))

    def finish(self, key: str) -> None:
        self.events.append(("finish", None))


def test_redact_hides_tokens_and_passwords() -> None:
    text = redact("GET https://bob:hunter2@host/x?token=abc123&format=xml&api_key=K&sig=S failed")
    assert "hunter2" not in text and "abc123" not in text and "=K" not in text and "=S" not in text
    assert "bob:***@" in text and "token=***" in text and "format=xml" in text
    assert redact("https://host/a.csv") == "https://host/a.csv"


def test_download_streams_hashes_and_reports_progress(httpserver: HTTPServer, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/list.csv").respond_with_data(
        CSV, headers={"ETag": '"v1"', "Last-Modified": "Sun, 01 Nov 2026 00:00:00 GMT"})
    progress = Recorder()
    result = fetch_file(session, spec(httpserver.url_for("/list.csv")), tmp_path,
                        format_id="custom_csv", progress=progress)
    assert result.path is not None and result.path.read_bytes() == CSV
    assert result.sha256 == hashlib.sha256(CSV).hexdigest() and result.size == len(CSV)
    assert result.etag == '"v1"' and result.last_modified.startswith("Sun")
    assert progress.events[0] == ("start", len(CSV)) and progress.events[-1] == ("finish", None)
    assert sum(a for kind, a in progress.events if kind == "advance") == len(CSV)  # type: ignore[misc]


def test_server_error_is_retried_then_succeeds(httpserver: HTTPServer, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_ordered_request("/list.csv").respond_with_data("oops", status=500)
    httpserver.expect_ordered_request("/list.csv").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/list.csv").respond_with_data(CSV)
    result = fetch_file(session, spec(httpserver.url_for("/list.csv")), tmp_path,
                        format_id="custom_csv")
    assert result.path is not None and result.path.read_bytes() == CSV
    assert len(httpserver.log) == 3


def test_persistent_server_error_fails_after_the_retries(httpserver: HTTPServer, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/list.csv").respond_with_data("down", status=503)
    with pytest.raises(DownloadError, match="HTTP 503.*retry later"):
        fetch_file(session, spec(httpserver.url_for("/list.csv")), tmp_path, format_id="custom_csv")
    assert len(httpserver.log) == 3


def test_not_found_is_not_retried_and_the_token_is_redacted(httpserver: HTTPServer, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/content").respond_with_data("no", status=404)
    url = httpserver.url_for("/content") + "?token=SECRET42"
    with pytest.raises(DownloadError) as caught:
        fetch_file(session, spec(url, "eu.xml"), tmp_path, format_id="eu_fsf_xml")
    message = str(caught.value)
    assert "HTTP 404" in message and "token=***" in message and "SECRET42" not in message
    assert "config.yaml" in message and "\n" not in message
    assert len(httpserver.log) == 1


def test_conditional_get_returns_not_modified(httpserver: HTTPServer, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/list.csv", headers={"If-None-Match": '"v1"'}).respond_with_data(
        "", status=304)
    previous = StoredFile(role="main", url="x", sha256="s", etag='"v1"',
                          last_modified="Sun, 01 Nov 2026 00:00:00 GMT")
    result = fetch_file(session, spec(httpserver.url_for("/list.csv")), tmp_path,
                        format_id="custom_csv", previous=previous)
    assert result.not_modified and result.path is None
    request = httpserver.log[0][0]
    assert request.headers["If-Modified-Since"] == "Sun, 01 Nov 2026 00:00:00 GMT"


def test_html_error_page_is_rejected(httpserver: HTTPServer, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = b"<!DOCTYPE html>\n<html><head><title>Maintenance</title></head><body>Back soon</body></html>"
    httpserver.expect_request("/list.csv").respond_with_data(page, content_type="text/html")
    with pytest.raises(DownloadError, match="HTML page instead of the list file"):
        fetch_file(session, spec(httpserver.url_for("/list.csv")), tmp_path, format_id="custom_csv")


def test_html_page_is_rejected_where_xml_is_expected(httpserver: HTTPServer, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/c.xml").respond_with_data(b"<html><body>Error</body></html>")
    with pytest.raises(DownloadError, match="HTML page"):
        fetch_file(session, spec(httpserver.url_for("/c.xml"), "c.xml"), tmp_path, format_id="un_sc_xml")


def test_non_xml_is_rejected_for_xml_formats(httpserver: HTTPServer, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/c.xml").respond_with_data(b'{"error": "quota"}')
    with pytest.raises(DownloadError, match="did not return XML"):
        fetch_file(session, spec(httpserver.url_for("/c.xml"), "c.xml"), tmp_path, format_id="un_sc_xml")


def test_empty_body_is_rejected(httpserver: HTTPServer, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/list.csv").respond_with_data(b"\r\n")
    with pytest.raises(DownloadError, match="empty file"):
        fetch_file(session, spec(httpserver.url_for("/list.csv")), tmp_path, format_id="custom_csv")


def test_size_cap(httpserver: HTTPServer, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/list.csv").respond_with_data(CSV * 100)
    with pytest.raises(DownloadError, match="over the 100 limit"):
        fetch_file(session, spec(httpserver.url_for("/list.csv")), tmp_path,
                   format_id="custom_csv", max_bytes=100)


def test_redirect_loop_is_capped(httpserver: HTTPServer, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/loop").respond_with_response(
        Response(status=302, headers={"Location": "/loop"}))
    with pytest.raises(DownloadError, match="more than 5 redirects"):
        fetch_file(session, spec(httpserver.url_for("/loop")), tmp_path, format_id="custom_csv")


def test_transfer_gzip_is_decoded(httpserver: HTTPServer, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/list.csv").respond_with_data(
        gzip.compress(CSV), headers={"Content-Encoding": "gzip"})
    result = fetch_file(session, spec(httpserver.url_for("/list.csv")), tmp_path, format_id="custom_csv")
    assert result.path is not None and result.path.read_bytes() == CSV


def test_gzip_file_is_unpacked_for_the_parser(httpserver: HTTPServer, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    packed = gzip.compress(CSV)
    httpserver.expect_request("/consolidated.csv.gz").respond_with_data(packed)
    result = fetch_file(session, spec(httpserver.url_for("/consolidated.csv.gz"), "consolidated.csv.gz"),
                        tmp_path, format_id="us_csl_csv")
    assert result.path is not None and result.path.name == "consolidated.csv"
    assert result.path.read_bytes() == CSV and result.sha256 == hashlib.sha256(packed).hexdigest()


def test_truncated_gzip_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "main.download"
    path.write_bytes(gzip.compress(CSV * 50)[:-20])
    with pytest.raises(DownloadError, match="corrupt or truncated"):
        prepare_payload(path, format_id="us_csl_csv", filename="c.csv.gz", where="here")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_is_kept_for_formats_that_read_zips(tmp_path: Path) -> None:
    path = tmp_path / "main.download"
    path.write_bytes(_zip({"SDN_ENHANCED.XML": b"<?xml version='1.0'?><sanctionsData/>"}))
    result = prepare_payload(path, format_id="ofac_enhanced_xml", filename="SDN_ENHANCED.ZIP", where="x")
    assert result.name == "SDN_ENHANCED.ZIP" and zipfile.is_zipfile(result)


def test_zip_member_is_extracted_for_other_formats(tmp_path: Path) -> None:
    path = tmp_path / "main.download"
    path.write_bytes(_zip({"readme.txt": b"hi", "data/consolidated.csv": CSV * 10}))
    result = prepare_payload(path, format_id="us_csl_csv", filename="consolidated.zip", where="x")
    assert result.name == "consolidated.csv" and result.read_bytes() == CSV * 10


@pytest.mark.parametrize("name", ["../evil.xml", "/etc/passwd", "a/../../b.xml", "C:\\x.xml"])
def test_zip_path_traversal_is_rejected(tmp_path: Path, name: str) -> None:
    path = tmp_path / "z.zip"
    path.write_bytes(_zip({name: b"<x/>"}))
    with pytest.raises(DownloadError, match="unsafe member path"):
        check_zip(path, "z.zip", "x")


def test_zip_bomb_ratio_and_member_count_are_rejected(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(_zip({"big.xml": b"<" + b"a" * 5_000_000}))
    with pytest.raises(DownloadError, match="decompression bomb"):
        check_zip(bomb, "bomb.zip", "x")
    many = tmp_path / "many.zip"
    many.write_bytes(_zip({f"f{i}.xml": b"<x/>" for i in range(70)}))
    with pytest.raises(DownloadError, match="has 70 files"):
        check_zip(many, "many.zip", "x")


def test_corrupt_zip_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "main.download"
    noise = random.Random(7).randbytes(5000)  # incompressible, so the cut lands in the data
    path.write_bytes(_zip({"a.xml": b"<x>" + noise + b"</x>"})[:2000])
    with pytest.raises(DownloadError, match="corrupt"):
        prepare_payload(path, format_id="ofac_enhanced_xml", filename="A.ZIP", where="x")


@pytest.fixture
def short_body_server() -> Iterator[str]:
    """A raw HTTP server that promises 1000 bytes and sends 300, then hangs up."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n"
                             b"Content-Type: text/csv\r\n\r\n" + b"1,Acme\n" * 43)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/list.csv"
    stop.set()
    thread.join(2)
    listener.close()


def test_truncated_body_is_rejected(short_body_server: str, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DownloadError, match="cut off|truncated"):
        fetch_file(session, spec(short_body_server), tmp_path, format_id="custom_csv")


def test_connection_refused_names_the_host_and_what_to_do(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(DownloadError, match=rf"cannot connect to 127.0.0.1:{port}.*lists import"):
        fetch_file(session, spec(f"http://127.0.0.1:{port}/x.csv"), tmp_path, format_id="custom_csv")


def test_proxy_environment_is_honoured(httpserver: HTTPServer, session, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", httpserver.url_for("/"))
    httpserver.expect_request("/lists/x.csv").respond_with_data(CSV)
    result = fetch_file(session, spec("http://lists.example.invalid/lists/x.csv", "x.csv"), tmp_path,
                        format_id="custom_csv")
    assert result.path is not None and result.path.read_bytes() == CSV
    assert httpserver.log[0][0].headers["Host"] == "lists.example.invalid"


def test_local_file_is_copied_and_checked(tmp_path: Path) -> None:
    source = tmp_path / "mine.csv"
    source.write_bytes(CSV)
    local = FileSpec(role="main", url=str(source), filename="mine.csv", local=True)
    result = fetch_file(None, local, tmp_path / "work", format_id="custom_csv")  # type: ignore[arg-type]
    assert result.path is not None and result.path.read_bytes() == CSV
    missing = FileSpec(role="main", url=str(tmp_path / "nope.csv"), filename="nope.csv", local=True)
    with pytest.raises(DownloadError, match="does not exist"):
        fetch_file(None, missing, tmp_path / "work", format_id="custom_csv")  # type: ignore[arg-type]
