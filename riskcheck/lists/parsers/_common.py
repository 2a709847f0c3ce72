"""Helpers shared by the list parsers: checking downloads, encodings, CSV, safe XML and zip.

Every problem becomes a one-line :class:`ListDataError` that names the file and says what to
do; a parser never lets a ``csv.Error``, ``ParseError`` or ``UnicodeDecodeError`` escape.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from riskcheck.lists.interface import ListDataError
from riskcheck.model import Alias

MAX_MEMBER_BYTES = 512 * 1024 * 1024
"""Largest uncompressed zip member accepted; the biggest official XML is far below this."""

MAX_COMPRESSION_RATIO = 200
"""Official zips compress XML about 15:1; a far higher ratio is a zip bomb, not a list."""

UPDATE_HINT = "run 'riskcheck lists update' again, or check the source URL in lists/sources.yaml"

csv.field_size_limit(16 * 1024 * 1024)  # CSL remarks and OFAC comments exceed the 128 KiB default


def fail(path: Path, problem: str, hint: str | None = UPDATE_HINT) -> ListDataError:
    """A one-line error about ``path`` (named by its file name)."""
    return ListDataError(f"{path.name}: {problem}", hint=hint)


def role_path(files: Mapping[str, Path], role: str, fmt: str) -> Path:
    """The path given for a required file role."""
    path = files.get(role)
    if path is None:
        roles = ", ".join(sorted(files)) or "none"
        raise ListDataError(f"{fmt}: no '{role}' file was given (roles given: {roles})",
                            hint="check the source's files in lists/sources.yaml")
    return Path(path)


def read_head(path: Path, size: int = 4096) -> bytes:
    """The first bytes of a file, after checking that it exists and is not empty."""
    try:
        with path.open("rb") as handle:
            data = handle.read(size)
    except FileNotFoundError:
        raise fail(path, "file not found") from None
    except IsADirectoryError:
        raise fail(path, "is a directory, not a list file") from None
    except OSError as exc:
        raise fail(path, f"cannot read it ({exc.strerror})") from None
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path, "rb") as handle:
                data = handle.read(size)
        except (OSError, EOFError, zlib.error) as exc:
            raise fail(path, f"is not a valid gzip file ({exc}); the download is incomplete") from None
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n\x1a"):
        raise fail(path, "file is empty; the download failed or was cut off")
    return data


def reject_foreign(path: Path, head: bytes, what: str) -> None:
    """Raise when the content is an HTML page or JSON instead of ``what``."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        b"<html" in text[:1024] and not text.startswith(b"<?xml")
    ):
        raise fail(path, f"is an HTML page, not {what} (the server sent an error or login page)")
    if text[:1] in (b"{", b"["):
        raise fail(path, f"is JSON, not {what}; the download URL points at another format",
                   hint="use the CSV/XML URL given in lists/sources.yaml")


def is_zip(head: bytes) -> bool:
    """True for a zip archive."""
    return head[:4] == b"PK\x03\x04"


def open_binary(path: Path) -> IO[bytes]:
    """A binary stream of the file, transparently gunzipped."""
    with path.open("rb") as handle:
        magic = handle.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rb")
    return path.open("rb")


def detect_encoding(path: Path, candidates: Iterable[str] = ("utf-8",)) -> str:
    """The first of ``candidates`` that decodes the whole file (checked in chunks); latin-1 last.

    Official files are UTF-8 except HM Treasury's (Windows-1252); checking before streaming
    means a parse never stops half-way on a bad byte.
    """
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open_binary(path) as stream:
                while chunk := stream.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        except (OSError, EOFError, zlib.error) as exc:
            raise fail(path, f"cannot read it ({exc}); the download is incomplete") from None
        return encoding
    return "latin-1"


def open_text(path: Path, encoding: str) -> IO[str]:
    """A text stream for the csv module (universal newlines off, BOM removed)."""
    if encoding == "utf-8":
        encoding = "utf-8-sig"
    return io.TextIOWrapper(open_binary(path), encoding=encoding, newline="")


def csv_rows(stream: IO[str], path: Path, what: str, *, delimiter: str = ",",
             ) -> Iterator[tuple[int, list[str]]]:
    """``(line, row)`` pairs; a broken quote or truncated record raises :class:`ListDataError`.

    ``strict`` makes the csv module reject an unterminated quoted field at end of file, which is
    how a download cut off mid-record looks.
    """
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    line = 1
    try:
        for row in reader:
            yield line, row
            line = reader.line_num + 1
    except csv.Error as exc:
        raise fail(path, f"malformed CSV at line {reader.line_num or line} ({exc}); the file is "
                         f"truncated or not {what}") from None
    except UnicodeDecodeError as exc:
        raise fail(path, f"undecodable byte 0x{exc.object[exc.start]:02x} near line {line}; "
                         f"not {what}") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise fail(path, f"cannot read it ({exc}); the download is incomplete") from None


def csv_records(path: Path, what: str, *, required: Iterable[str], delimiter: str = ",",
                header: Callable[[str], str] = str.strip, preamble: str | None = None,
                width: str = "exact", squash: bool = True,
                ) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, {column: value})`` for each data row of a CSV file that starts with a header.

    One loop for every list published as CSV with a header: a file that is not CSV (HTML, a
    zip, a PDF) is refused before it is read; the encoding is UTF-8, else Windows-1252; a
    first line starting with ``preamble`` (a banner such as "Report Date: ...") is skipped;
    the header, each cell passed through ``header``, must hold every ``required`` column;
    blank rows and repeated headers (files joined together) are skipped; a row must have as
    many cells as the header (``width="exact"``) or at least as many (``"at_least"``), else
    the file is truncated or another file; values have their whitespace squashed (or are
    only stripped). A file with a header and no data row is refused as cut off.
    """
    reject_foreign(path, read_head(path), what)
    wanted = list(required)
    names: list[str] | None = None
    count = 0
    with open_text(path, detect_encoding(path, ("utf-8", "cp1252"))) as stream:
        for line, row in csv_rows(stream, path, what, delimiter=delimiter):
            if names is None:
                if (line == 1 and preamble and row
                        and row[0].strip().lower().startswith(preamble)):
                    continue
                names = [header(cell.lstrip("\ufeff")) for cell in row]
                missing = [c for c in wanted if c not in names]
                if missing:
                    raise fail(path, f"missing column(s) {', '.join(missing)} in the header on "
                                     f"line {line} (found {len(names)} column(s)); the download "
                                     f"is probably not {what}")
                continue
            if not any(cell.strip() for cell in row):
                continue
            if [header(cell) for cell in row] == names:
                continue  # a repeated header (files joined together) is not an entry
            if len(row) < len(names) or (width == "exact" and len(row) != len(names)):
                raise fail(path, f"expected {len(names)} columns, found {len(row)} on line "
                                 f"{line}; the file is truncated or not {what}")
            count += 1
            yield line, {name: (" ".join(value.split()) if squash else value.strip())
                         for name, value in zip(names, row)}
    if count == 0:
        raise fail(path, f"no records found; the file is not {what} or is cut off")


def xml_records(path: Path, what: str, records: Iterable[str], *,
                roots: tuple[str, ...] = (), context: Iterable[str] = (),
                ) -> Iterator[tuple[str, Element]]:
    """``(tag, element)`` for each complete record element of a streamed XML list file.

    One loop for every list published as XML: the file (or its single zip member) is streamed
    with entities and DTDs refused, ``roots`` (when given) checked, and each element whose
    local tag is in ``records`` (or in ``context``: reference tables read on the way) handed
    over when complete, then cleared, so memory stays flat on files of hundreds of MB. A file
    with no record element is refused as another file or cut off.
    """
    wanted = set(records)
    side = set(context)
    count = 0
    with xml_source(path, what) as stream:
        for event, element in xml_events(stream, path, what, roots=roots):
            if event != "end":
                continue
            tag = local(element.tag)
            if tag in wanted:
                count += 1
            elif tag not in side:
                continue
            yield tag, element
            element.clear()
    if count == 0:
        names = " or ".join(f"<{tag}>" for tag in sorted(wanted))
        raise fail(path, f"no {names} records found; the file is not {what} or is cut off")


def local(tag: str) -> str:
    """An element tag without its namespace."""
    return tag.rpartition("}")[2]


def xml_events(source: IO[bytes], path: Path, what: str,
               events: tuple[str, ...] = ("start", "end"),
               roots: tuple[str, ...] = ()) -> Iterator[tuple[str, Element]]:
    """Stream ``(event, element)`` pairs with DTDs, entities and external references refused.

    With ``roots``, the document element (namespace ignored) must be one of them, so a file of
    another format is refused before anything is read from it.
    """
    try:
        stream = iterparse(source, events=events, forbid_dtd=True, forbid_entities=True,
                           forbid_external=True)
        for event, element in stream:
            if roots:
                tag = local(element.tag)
                if tag not in roots:
                    expected = " or ".join(f"<{root}>" for root in roots)
                    raise fail(path, f"root element is <{tag}>, expected {expected}; not {what}")
                roots = ()
            yield event, element
    except DefusedXmlException as exc:
        raise fail(path, f"the XML declares a DTD or entities ({type(exc).__name__}), which "
                         "official lists never do; refusing to parse it") from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        raise fail(path, f"malformed XML at line {line}, column {column} ({exc.msg}); the file "
                         f"is truncated or not {what}") from None
    except LookupError as exc:  # an <?xml encoding="..."?> Python does not know
        raise fail(path, f"declares an unknown text encoding ({exc}); the file is damaged or "
                         f"not {what}") from None
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        raise fail(path, f"cannot read it ({exc}); the download is incomplete") from None


@contextmanager
def xml_source(path: Path, what: str) -> Iterator[IO[bytes]]:
    """The XML bytes of ``path``: the file itself, gunzipped, or the single XML inside a zip."""
    head = read_head(path)
    if not is_zip(head):
        reject_foreign(path, head, what)
        with open_binary(path) as stream:
            yield stream
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise fail(path, f"is not a valid zip archive ({exc}); the download is incomplete") from None
    with archive:
        member = _single_xml_member(path, archive)
        try:
            stream = archive.open(member)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
            raise fail(path, f"cannot open {member.filename!r} in the zip ({exc})") from None
        with stream:
            yield stream


def _single_xml_member(path: Path, archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) != 1:
        raise fail(path, f"the zip holds {len(members)} files; expected exactly one XML file")
    info = members[0]
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or ".." in parts or ":" in name or "\x00" in name:
        raise fail(path, f"the zip member name {info.filename!r} is unsafe (absolute path or "
                         "'..'); refusing the archive")
    if not name.lower().endswith(".xml"):
        raise fail(path, f"the zip holds {info.filename!r}, not an XML file")
    if info.flag_bits & 0x1:
        raise fail(path, "the zip member is encrypted; official lists never are")
    if info.file_size > MAX_MEMBER_BYTES:
        raise fail(path, f"the zip member is {info.file_size} bytes uncompressed, over the "
                         f"{MAX_MEMBER_BYTES} byte limit")
    if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
        raise fail(path, "the zip member's compression ratio is implausibly high (zip bomb?)")
    return info


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d %b %Y", "%B %d, %Y", "%Y/%m/%d")


@lru_cache(maxsize=8192)
def iso_date(text: str | None, formats: tuple[str, ...] = DATE_FORMATS) -> str | None:
    """An ISO date for ``text`` in one of ``formats``; None when absent or not a real date.

    Dates outside 1900..today+1 year are typos in the source (the DPL has a "3033") and are
    not turned into facts.
    """
    if not text:
        return None
    value = text.strip()[:19]
    if "T" in value:
        value = value.split("T", 1)[0]
    for fmt in formats:
        try:
            parsed = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if 1900 <= parsed.year <= date.today().year + 1:
            return parsed.isoformat()
        return None
    return None


def unique(values: Iterable[str | None]) -> tuple[str, ...]:
    """Non-empty stripped values, in order, without repeats."""
    seen: dict[str, None] = {}
    for value in values:
        if value:
            cleaned = " ".join(value.split())
            if cleaned:
                seen.setdefault(cleaned, None)
    return tuple(seen)


def dedupe_aliases(primary: str, aliases: Iterable[Alias]) -> tuple[Alias, ...]:
    """Aliases without blanks, without repeats and without the primary name itself.

    Names that differ only in case or spacing are repeats; the first (strongest-ordered)
    occurrence wins, so callers list strong aliases before weak ones.
    """
    seen = {" ".join(primary.split()).casefold()}
    kept: list[Alias] = []
    for alias in aliases:
        name = " ".join(alias.name.split())
        key = name.casefold()
        if name and key not in seen:
            seen.add(key)
            kept.append(alias if name == alias.name else Alias(name, alias.kind, alias.strength))
    return tuple(kept)


def natural_order(name: str) -> str | None:
    """'SURNAME, Given' -> 'Given SURNAME' for a person's name with exactly one comma."""
    if name.count(",") != 1:
        return None
    surname, given = (part.strip() for part in name.split(","))
    if not surname or not given:
        return None
    return f"{given} {surname}"
