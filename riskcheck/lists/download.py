"""Fetching list files: retries, conditional GET, size caps, and checks that data is data.

Every file lands in a temp directory, is hashed while it streams, and is checked before a
parser sees it: empty, truncated (Content-Length mismatch), an HTML page where data was
expected, a gzip or zip that is broken or a decompression bomb, a zip member escaping its
folder. A gzip payload is decompressed for the parser; a zip is handed on as is to formats
that read zips (OFAC enhanced XML) and otherwise reduced to its single data member.
Credentials in URLs (``token=``, ``user:password@``) never appear in messages.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import socket
import threading
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlsplit

from riskcheck.redact import redact
from riskcheck.errors import DataError
from riskcheck.progress import NULL_PROGRESS, Progress

if TYPE_CHECKING:
    import requests

    from riskcheck.lists.catalogue import FileSpec
    from riskcheck.lists.store import StoredFile

CHUNK = 256 * 1024
MAX_BYTES = 512 * 1024 * 1024
"""Largest accepted download (the UK list in XML is tens of MB; nothing official nears this)."""
MAX_UNPACKED = 2 * 1024 * 1024 * 1024
MAX_ZIP_MEMBERS = 64
MAX_RATIO = 200
"""Largest compression ratio accepted in an archive (list XML compresses ~15-20x)."""
MAX_REDIRECTS = 5
TIMEOUT = (15.0, 120.0)
"""(connect, read) seconds; read is per socket read, not the whole body."""
DEADLINE = 600.0
"""Total seconds allowed per file (``--timeout``, RISKCHECK_DOWNLOAD_TIMEOUT): a server that
trickles bytes never trips the read timeout, so the whole transfer has a limit too."""
ZIP_FORMATS = {"ofac_enhanced_xml"}
"""Formats whose parser reads the zip itself."""
XML_FORMATS = {"ofac_enhanced_xml", "eu_fsf_xml", "un_sc_xml"}



class DownloadError(DataError):
    """A file could not be fetched, or what arrived is not the list file."""


@dataclass(frozen=True)
class Fetched:
    """The result of fetching one file."""

    role: str
    url: str
    """Redacted URL (or local path) it came from."""
    not_modified: bool
    path: Path | None = None
    """The file to parse (decompressed when the payload was gzip); None when not modified."""
    sha256: str = ""
    """Digest of the bytes as published (before decompression)."""
    size: int = 0
    etag: str | None = None
    last_modified: str | None = None


def make_session(*, retries: int = 3, backoff_factor: float = 1.0,
                 max_redirects: int = MAX_REDIRECTS) -> requests.Session:
    """The session list downloads use (:func:`riskcheck.http.session`): GET/HEAD retried on
    connection errors, 429 and 5xx with backoff, ``Retry-After`` honoured up to a minute."""
    from riskcheck.http import session

    return session(purpose="sanctions list update", retries=retries,
                   backoff_factor=backoff_factor, max_redirects=max_redirects)


def fetch_file(session: requests.Session, spec: FileSpec, dest: Path, *, format_id: str,
               previous: StoredFile | None = None, progress: Progress = NULL_PROGRESS,
               label: str = "", max_bytes: int = MAX_BYTES,
               timeout: tuple[float, float] = TIMEOUT, deadline: float | None = None) -> Fetched:
    """Fetch one file of a source into directory ``dest`` and check it.

    With ``previous`` (what the stored version got for this file) the request is
    conditional, and a 304 answer returns ``Fetched(not_modified=True)``. ``deadline`` is
    the total seconds allowed for the transfer (default :data:`DEADLINE`); it also caps the
    connect and read timeouts.
    """
    dest.mkdir(parents=True, exist_ok=True)
    raw_path = dest / f"{spec.role}.download"
    shown = redact(spec.url)
    if spec.local:
        digest, size = _copy_local(Path(spec.url), raw_path, max_bytes, label or spec.filename,
                                   mirror_hint=_mirror_hint(spec))
        etag = last_modified = None
    else:
        limit = DEADLINE if deadline is None else deadline
        result = _http_get(session, spec.url, raw_path, previous, progress,
                           label or spec.filename, max_bytes,
                           (min(timeout[0], limit), min(timeout[1], limit)), limit,
                           mirror_hint=_mirror_hint(spec))
        if result is None:
            return Fetched(role=spec.role, url=shown, not_modified=True,
                           etag=previous.etag if previous else None,
                           last_modified=previous.last_modified if previous else None)
        digest, size, etag, last_modified = result
    path = prepare_payload(raw_path, format_id=format_id, filename=spec.filename, where=shown)
    return Fetched(role=spec.role, url=shown, not_modified=False, path=path, sha256=digest,
                   size=size, etag=etag, last_modified=last_modified)


def _mirror_hint(spec: FileSpec) -> str | None:
    """What to do when a mirror lacks the file: add it there (not change the catalogue)."""
    if spec.mirror_of is None:
        return None
    return (f"the mirror has no {spec.filename}: add the file to the mirror (download it from "
            f"{redact(spec.mirror_of)}), or unset RISKCHECK_MIRROR_URL (mirror_url in "
            "config.yaml) to fetch from the publisher")


def _copy_local(source: Path, target: Path, max_bytes: int, label: str, *,
                mirror_hint: str | None = None) -> tuple[str, int]:
    try:
        size = source.stat().st_size
        if size > max_bytes:
            raise DownloadError(f"{label}: file {source} is {size} bytes, over the {max_bytes} limit")
        digest = hashlib.sha256()
        with source.open("rb") as reader, target.open("wb") as writer:
            while block := reader.read(CHUNK):
                digest.update(block)
                writer.write(block)
    except FileNotFoundError:
        raise DownloadError(f"{label}: file {source} does not exist",
                            hint=mirror_hint or "check the path in the catalogue or "
                                                "config.yaml") from None
    except OSError as exc:
        raise DownloadError(f"{label}: cannot read {source}: {exc.strerror}") from None
    return digest.hexdigest(), size


def _headers_within(limit: float, call: Callable[[], Any]) -> Any:
    """``call()`` (a request up to its response headers), or None after ``limit`` seconds.

    A server can send its status line and then one header byte at a time: every socket read
    succeeds, so the read timeout never trips. The request runs in a daemon thread the caller
    stops waiting for; the process does not wait for it at exit.
    """
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name="riskcheck-download-headers", daemon=True).start()
    if not done.wait(max(0.0, limit)):
        return None
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _http_get(session: requests.Session, url: str, target: Path, previous: StoredFile | None,
              progress: Progress, label: str, max_bytes: int, timeout: tuple[float, float],
              deadline: float = DEADLINE, *, mirror_hint: str | None = None
              ) -> tuple[str, int, str | None, str | None] | None:
    import requests

    started = time.monotonic()
    expired = threading.Event()

    def over_time() -> DownloadError:
        return DownloadError(f"{label}: download from {shown} took longer than the "
                             f"{deadline:g} s limit",
                             hint="raise it with --timeout SECONDS or RISKCHECK_DOWNLOAD_TIMEOUT; "
                                  "the previous version stays in force")

    shown = redact(url)
    headers = {"Accept-Encoding": "gzip"}
    if previous is not None and previous.etag:
        headers["If-None-Match"] = previous.etag
    if previous is not None and previous.last_modified:
        headers["If-Modified-Since"] = previous.last_modified
    try:
        response = _headers_within(deadline, lambda: session.get(
            url, headers=headers, stream=True, timeout=timeout))
        if response is None:
            raise over_time()
    except requests.TooManyRedirects:
        raise DownloadError(f"{label}: more than {MAX_REDIRECTS} redirects at {shown}",
                            hint="the publisher moved the file; update its URL in config.yaml") from None
    except requests.exceptions.RetryError as exc:
        raise DownloadError(f"{label}: still failing after retries at {shown} "
                            f"({_reason(exc)})", hint="try again later") from None
    except requests.Timeout:
        if time.monotonic() - started >= deadline:
            raise over_time() from None
        raise DownloadError(f"{label}: timed out fetching {shown}",
                            hint="check the network or proxy (HTTPS_PROXY) and retry") from None
    except requests.RequestException as exc:
        raise DownloadError(f"{label}: cannot connect to {urlsplit(shown).netloc or shown} "
                            f"({_reason(exc)})",
                            hint="check the network or proxy (HTTPS_PROXY), or use "
                                 "'riskcheck lists import' with files fetched elsewhere") from None
    with response:
        if response.status_code == 304 and previous is not None:
            return None
        if response.status_code != 200:
            missing = response.status_code in (404, 410) and mirror_hint is not None
            raise DownloadError(f"{label}: HTTP {response.status_code} from {shown}",
                                hint=mirror_hint if missing
                                else _status_hint(response.status_code))
        expected = response.headers.get("Content-Length")
        length = int(expected) if expected and expected.isdigit() else None
        if length is not None and length > max_bytes:
            raise DownloadError(f"{label}: {shown} is {length} bytes, over the {max_bytes} limit")
        digest = hashlib.sha256()
        size = 0

        def cut_off() -> None:
            # A blocked socket read only ends when the socket does: shut it down.
            expired.set()
            connection = getattr(response.raw, "_connection", None)
            sock = getattr(connection, "sock", None)
            try:
                if sock is not None:
                    sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        timer = threading.Timer(max(0.0, deadline - (time.monotonic() - started)), cut_off)
        timer.daemon = True
        timer.start()
        progress.start(label, label, total=length)
        try:
            with target.open("wb") as writer:
                for block in response.iter_content(CHUNK):
                    size += len(block)
                    if size > max_bytes:
                        raise DownloadError(f"{label}: {shown} exceeds the {max_bytes}-byte limit")
                    digest.update(block)
                    writer.write(block)
                    progress.advance(label, len(block))
                    if expired.is_set():
                        raise over_time()
        except (requests.exceptions.ChunkedEncodingError, requests.ConnectionError,
                requests.Timeout) as exc:
            if expired.is_set() or time.monotonic() - started >= deadline:
                raise over_time() from None
            if isinstance(exc, requests.Timeout):
                raise DownloadError(f"{label}: timed out fetching {shown}",
                                    hint="check the network or proxy and retry") from None
            raise DownloadError(f"{label}: download from {shown} was cut off ({_reason(exc)})",
                                hint="retry; the previous version stays in force") from None
        except requests.exceptions.ContentDecodingError:
            raise DownloadError(f"{label}: {shown} sent a corrupt compressed body",
                                hint="retry later") from None
        finally:
            timer.cancel()
            progress.finish(label)
        if expired.is_set():
            raise over_time()
        wire = response.raw.tell() if hasattr(response.raw, "tell") else size
        if length is not None and wire != length:
            raise DownloadError(f"{label}: download from {shown} is truncated "
                                f"({wire} of {length} bytes)", hint="retry; the previous version stays in force")
        return (digest.hexdigest(), size, response.headers.get("ETag"),
                response.headers.get("Last-Modified"))


_REASONS = (
    ("Failed to resolve", "DNS lookup failed"),
    ("Name or service not known", "DNS lookup failed"),
    ("nodename nor servname", "DNS lookup failed"),
    ("CERTIFICATE_VERIFY_FAILED",
     "TLS certificate not trusted; set REQUESTS_CA_BUNDLE for a company proxy"),
    ("SSLError", "TLS handshake failed"),
    ("ProxyError", "the proxy refused or failed the connection"),
    ("Connection refused", "connection refused"),
    ("Connection reset", "connection reset"),
    ("timed out", "timed out"),
    ("IncompleteRead", "connection closed before the end of the file"),
    ("RemoteDisconnected", "the server closed the connection"),
)


def _reason(exc: BaseException) -> str:
    """A short reason for a network failure, without urllib3's nested reprs."""
    text = redact(repr(exc))
    for marker, reason in _REASONS:
        if marker in text:
            return reason
    return redact(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)[:120]


def _status_hint(status: int) -> str:
    if status in (401, 403):
        return ("the publisher refused access; for the EU list check RISKCHECK_EU_TOKEN, "
                "otherwise retry later or use 'riskcheck lists import'")
    if status in (404, 410):
        return ("the file is not at this address; check the source page and set the new URL "
                "under sources.<id>.files in config.yaml")
    if status == 429 or status >= 500:
        return "the server is failing or rate-limiting; retry later"
    return "check the URL in the catalogue or config.yaml"


# --- payload checks -----------------------------------------------------------------------


def prepare_payload(path: Path, *, format_id: str, filename: str, where: str) -> Path:
    """Check a fetched file and return the path a parser should read.

    gzip -> decompressed sibling; zip -> itself (formats that read zips) or its one data
    member; anything else -> itself. Raises :class:`DownloadError` for bad payloads.
    """
    with path.open("rb") as reader:
        head = reader.read(4096)
    if not head.strip(b"\x00\t\r\n \xef\xbb\xbf"):
        raise DownloadError(f"{filename}: {where} returned an empty file",
                            hint="retry later; the previous version stays in force")
    if head[:2] == b"\x1f\x8b":
        plain = path.with_name(_strip_suffix(filename, ".gz") or f"{path.stem}.data")
        _gunzip(path, plain, filename, where)
        with plain.open("rb") as reader:
            head = reader.read(4096)
        _sniff(head, format_id, filename, where)
        return plain
    if head[:4] == b"PK\x03\x04":
        member = check_zip(path, filename, where)
        if format_id in ZIP_FORMATS:
            final = path.with_name(filename if filename.lower().endswith(".zip")
                                   else f"{filename}.zip")
            path.replace(final)
            return final
        target = path.with_name(PurePosixPath(member).name)
        with zipfile.ZipFile(path) as archive, archive.open(member) as reader, \
                target.open("wb") as writer:
            shutil.copyfileobj(reader, writer, CHUNK)
        with target.open("rb") as reader:
            _sniff(reader.read(4096), format_id, filename, where)
        return target
    _sniff(head, format_id, filename, where)
    final = path.with_name(filename)
    path.replace(final)
    return final


def _strip_suffix(name: str, suffix: str) -> str:
    return name[: -len(suffix)] if name.lower().endswith(suffix) else ""


def _gunzip(source: Path, target: Path, filename: str, where: str) -> None:
    packed = source.stat().st_size
    total = 0
    try:
        with gzip.open(source, "rb") as reader, target.open("wb") as writer:
            while block := reader.read(CHUNK):
                total += len(block)
                if total > MAX_UNPACKED or total > max(packed, 1) * MAX_RATIO * 4:
                    raise DownloadError(f"{filename}: gzip from {where} unpacks to too much data "
                                        "(possible decompression bomb)")
                writer.write(block)
    except (OSError, EOFError, zlib.error) as exc:
        raise DownloadError(f"{filename}: gzip from {where} is corrupt or truncated ({exc})",
                            hint="retry; the previous version stays in force") from None


def check_zip(path: Path, filename: str, where: str) -> str:
    """Reject unsafe or broken zips; return the name of the data member (the largest file)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if not members:
                raise DownloadError(f"{filename}: zip from {where} is empty")
            if len(members) > MAX_ZIP_MEMBERS:
                raise DownloadError(f"{filename}: zip from {where} has {len(members)} files, "
                                    f"more than {MAX_ZIP_MEMBERS}")
            total = 0
            for info in members:
                name = PurePosixPath(info.filename.replace("\\", "/"))
                if name.is_absolute() or ".." in name.parts or ":" in info.filename:
                    raise DownloadError(f"{filename}: zip from {where} has an unsafe member path "
                                        f"{info.filename!r}")
                total += info.file_size
                if info.file_size > max(info.compress_size, 1) * MAX_RATIO:
                    raise DownloadError(f"{filename}: zip member {info.filename!r} compresses "
                                        f"more than {MAX_RATIO}:1 (possible decompression bomb)")
            if total > MAX_UNPACKED:
                raise DownloadError(f"{filename}: zip from {where} unpacks to {total} bytes, "
                                    f"over {MAX_UNPACKED}")
            bad = archive.testzip()
            if bad is not None:
                raise DownloadError(f"{filename}: zip member {bad!r} from {where} is corrupt")
            return max(members, key=lambda info: info.file_size).filename
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        # testzip() decompresses every member: a damaged deflate stream or a bad header
        # offset surfaces as zlib.error, OSError, EOFError or ValueError, not BadZipFile.
        raise DownloadError(f"{filename}: zip from {where} is corrupt or truncated "
                            f"({type(exc).__name__}: {exc})",
                            hint="retry; the previous version stays in force") from None


def _sniff(head: bytes, format_id: str, filename: str, where: str) -> None:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")) or (
            format_id not in XML_FORMATS and text.startswith(b"<") and b"<html" in text) or (
            b"<html" in text[:1024] and b"<body" in text):
        raise DownloadError(f"{filename}: {where} returned an HTML page instead of the list file",
                            hint="the publisher may be down or have moved the file; check its "
                                 "page and retry, or use 'riskcheck lists import'")
    if format_id in XML_FORMATS and not text.startswith(b"<"):
        raise DownloadError(f"{filename}: {where} did not return XML",
                            hint="check the URL; the previous version stays in force")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DownloadError(f"{filename}: {where} returned binary data, not a list file",
                            hint="check the URL; the previous version stays in force")

