"""The bundled snapshot: a small, dated subset of official-list entries shipped with riskcheck.

It lets ``riskcheck check`` screen the vendors that matter most for AI models before any list
has been downloaded. It is never a substitute for the official lists: every run that uses it
says so (``EntitySet.bundled``), and each list carries the snapshot label as its version.

Layout (``lists/snapshot/``): ``snapshot.yaml`` names the label, dates and one YAML file per
list code; each list file holds ``entries``. Field definitions are in the folder's README.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any


from riskcheck.data import read_yaml
from riskcheck.errors import DataError
from riskcheck.lists.interface import EntitySet
from riskcheck.model import Alias, Identifier, ListEntity, ListVersion

INDEX_FILE = "snapshot.yaml"
LIST_CODES = frozenset({"SDN", "CMIC", "SSI", "PLC", "FSE", "MBS", "CAP", "EL", "MEU", "MIEU",
                        "UVL", "DPL", "ISN", "DTC", "EU", "UK", "UN", "1260H", "FCC"})
CONFIDENCES = frozenset({"V", "S", "K"})
ALIAS_KINDS = frozenset({"aka", "fka", "nka", "native"})
ENTITY_TYPES = frozenset({"organisation", "person", "vessel", "aircraft", "unknown"})
ENTRY_FIELDS = frozenset({
    "id", "name", "written_as", "programs", "aliases", "native_names", "entity_type",
    "countries", "addresses", "identifiers", "listed_on", "removed_on", "citation", "url",
    "verified", "confidence", "as_of", "evidence", "parent", "remarks",
    "ofac_ent_num",
})
REQUIRED_FIELDS = ("id", "name", "citation", "url", "verified", "confidence", "as_of")
# Fields a list file may set once in ``defaults`` for all its entries (an entry's value wins).
DEFAULTABLE_FIELDS = frozenset({"programs", "countries", "citation", "url", "verified",
                                "confidence", "as_of", "evidence", "entity_type"})
_ID = re.compile(r"^[0-9a-z][0-9a-z-]*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HINT = "reinstall riskcheck, or fix the snapshot file (see lists/snapshot/README.md)"


def default_snapshot_dir() -> Path:
    """The bundled ``snapshot`` folder inside riskcheck's ``lists`` data."""
    from riskcheck.data import lists_dir

    return lists_dir() / "snapshot"


def load_snapshot(directory: Path | None = None) -> EntitySet:
    """Load the bundled snapshot as an :class:`EntitySet` with ``bundled=True``.

    ``directory`` defaults to the snapshot shipped with riskcheck (parsed once per process).
    Raises :class:`DataError` naming the file and entry when the data is malformed.
    """
    if directory is None:
        return _load_default()
    return _load(Path(directory))


@lru_cache(maxsize=1)
def _load_default() -> EntitySet:
    return _load(default_snapshot_dir())


def _load(directory: Path) -> EntitySet:
    index_path = directory / INDEX_FILE
    index = _read_yaml(index_path)
    if not isinstance(index, dict):
        raise DataError(f"{index_path}: expected a mapping with label and lists", hint=_HINT)
    label = _text(index.get("label"), index_path, "label")
    compiled_on = _date(index.get("compiled_on"), index_path, "compiled_on")
    lists = index.get("lists")
    if not isinstance(lists, dict) or not lists:
        raise DataError(f"{index_path}: 'lists' must map list codes to their files", hint=_HINT)

    entities: list[ListEntity] = []
    versions: list[ListVersion] = []
    seen_ids: dict[str, str] = {}
    for code, spec in lists.items():
        code = str(code)
        if code not in LIST_CODES or not isinstance(spec, dict):
            raise DataError(f"{index_path}: unknown list code or bad entry {code!r}", hint=_HINT)
        path = directory / _text(spec.get("file"), index_path, f"lists.{code}.file")
        loaded = _load_list_file(path, code)
        for entity in loaded:
            if entity.source_id in seen_ids:
                raise DataError(f"{path}: entry {entity.source_id}: id already used in "
                                f"{seen_ids[entity.source_id]}", hint=_HINT)
            seen_ids[entity.source_id] = path.name
        entities.extend(loaded)
        dates = [entity.listed_on for entity in loaded if entity.listed_on]
        versions.append(ListVersion(
            source=f"bundled:{code}",
            title=_text(spec.get("title"), index_path, f"lists.{code}.title"),
            version=label,
            published=max(dates) if dates else None,
            fetched_at=compiled_on,
            record_count=len(loaded),
            origin="bundled",
            url=spec.get("url"),
        ))
    return EntitySet(entities=tuple(entities), versions=tuple(versions), bundled=True)


def _read_yaml(path: Path) -> Any:
    return read_yaml(path, hint=_HINT)


def _load_list_file(path: Path, code: str) -> list[ListEntity]:
    document = _read_yaml(path)
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise DataError(f"{path}: expected a mapping with 'list' and 'entries'", hint=_HINT)
    if str(document.get("list")) != code:
        raise DataError(f"{path}: file says list {document.get('list')!r}, index says {code}",
                        hint=_HINT)
    defaults = document.get("defaults") or {}
    if not isinstance(defaults, dict) or not set(defaults) <= DEFAULTABLE_FIELDS:
        raise DataError(f"{path}: 'defaults' may only set {', '.join(sorted(DEFAULTABLE_FIELDS))}",
                        hint=_HINT)
    if not document["entries"]:
        _check_empty_review(document.get("reviewed"), path)
    return [_entity({**defaults, **raw} if isinstance(raw, dict) else raw, path, code, number)
            for number, raw in enumerate(document["entries"], start=1)]


def _check_empty_review(reviewed: Any, path: Path) -> None:
    """An empty list file must say which list was read, when, and that nothing was relevant:
    an empty subset is a reviewed fact, never a placeholder."""
    if not isinstance(reviewed, dict):
        raise DataError(f"{path}: no entries and no 'reviewed' block saying the list was read",
                        hint=_HINT)
    _text(reviewed.get("source"), path, "reviewed.source")
    _date(reviewed.get("reviewed_on"), path, "reviewed.reviewed_on")
    if reviewed.get("relevant") != 0:
        raise DataError(f"{path}: no entries, but 'reviewed.relevant' is not 0", hint=_HINT)


def _entity(raw: Any, path: Path, code: str, number: int) -> ListEntity:
    where = f"{path}: entry {number}"
    if not isinstance(raw, dict):
        raise DataError(f"{where}: expected a mapping", hint=_HINT)
    if isinstance(raw.get("id"), str):
        where = f"{path}: entry {raw['id']}"
    unknown = sorted(set(raw) - ENTRY_FIELDS)
    if unknown:
        raise DataError(f"{where}: unknown field(s) {', '.join(unknown)}", hint=_HINT)
    for key in REQUIRED_FIELDS:
        if raw.get(key) in (None, ""):
            raise DataError(f"{where}: missing required field '{key}'", hint=_HINT)
    entry_id = _text(raw["id"], where, "id")
    if not _ID.match(entry_id):
        raise DataError(f"{where}: id must be lower-case kebab-case", hint=_HINT)

    confidence = raw["confidence"]
    verified = raw["verified"]
    if confidence not in CONFIDENCES or not isinstance(verified, bool):
        raise DataError(f"{where}: confidence must be V, S or K and verified true/false",
                        hint=_HINT)
    # Only facts read in an official or real list file count as verified.
    if verified != (confidence == "V"):
        raise DataError(f"{where}: verified must be true exactly when confidence is V",
                        hint=_HINT)

    listed_on = _date(raw.get("listed_on"), where, "listed_on", optional=True)
    removed_on = _date(raw.get("removed_on"), where, "removed_on", optional=True)
    as_of = _date(raw["as_of"], where, "as_of")
    if listed_on and removed_on and removed_on < listed_on:
        raise DataError(f"{where}: removed_on {removed_on} is before listed_on {listed_on}",
                        hint=_HINT)

    entity_type = raw.get("entity_type", "organisation")
    if entity_type not in ENTITY_TYPES:
        raise DataError(f"{where}: unknown entity_type {entity_type!r}", hint=_HINT)
    countries = tuple(_texts(raw.get("countries"), where, "countries"))
    for country in countries:
        if not _COUNTRY.match(country):
            raise DataError(f"{where}: country {country!r} is not an ISO 3166 alpha-2 code",
                            hint=_HINT)

    aliases = [_alias(item, where) for item in _items(raw.get("aliases"), where, "aliases")]
    native = [_alias(item, where, native=True)
              for item in _items(raw.get("native_names"), where, "native_names")]
    return ListEntity(
        source="bundled",
        source_id=entry_id,
        lists=(code,),
        programs=tuple(_texts(raw.get("programs"), where, "programs")),
        entity_type=entity_type,
        name=_text(raw["name"], where, "name"),
        aliases=tuple(aliases + native),
        countries=countries,
        addresses=tuple(_texts(raw.get("addresses"), where, "addresses")),
        identifiers=tuple(_identifier(item, where)
                          for item in _items(raw.get("identifiers"), where, "identifiers")),
        listed_on=listed_on,
        removed_on=removed_on,
        remarks=_remarks(raw, confidence, verified, as_of, [a.name for a in native]),
        citation=_text(raw["citation"], where, "citation"),
        url=_text(raw["url"], where, "url"),
    )


def _remarks(raw: dict[str, Any], confidence: str, verified: bool, as_of: str,
             native: list[str]) -> str:
    """The entry's remarks plus the provenance a reader needs to weigh it."""
    parts = [str(raw["remarks"]).strip()] if raw.get("remarks") else []
    if raw.get("parent"):
        parts.append(f"Parent: {raw['parent']}.")
    if native:
        # These names help matching but are not printed on the list; say so wherever shown.
        parts.append(f"Native-script name(s) from registry/press, not on the list: "
                     f"{', '.join(native)}.")
    state = "verified" if verified else "not verified against the official list"
    parts.append(f"[bundled snapshot: confidence {confidence}, {state}, as of {as_of}]")
    return " ".join(parts)


def _alias(item: Any, where: str, *, native: bool = False) -> Alias:
    if isinstance(item, str):
        item = {"name": item}
    if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"]:
        raise DataError(f"{where}: each alias needs a non-empty 'name'", hint=_HINT)
    if native:
        if not item.get("source"):
            raise DataError(f"{where}: native_names need a 'source'", hint=_HINT)
        # Weak: the list itself does not print this name.
        return Alias(name=item["name"], kind="native", strength="weak")
    kind = item.get("kind", "aka")
    strength = item.get("strength")
    if kind not in ALIAS_KINDS or strength not in (None, "strong", "weak"):
        raise DataError(f"{where}: alias {item['name']!r} has a bad kind or strength",
                        hint=_HINT)
    return Alias(name=item["name"], kind=kind, strength=strength)


def _identifier(item: Any, where: str) -> Identifier:
    if not isinstance(item, dict) or not item.get("scheme") or item.get("value") in (None, ""):
        raise DataError(f"{where}: each identifier needs 'scheme' and 'value'", hint=_HINT)
    return Identifier(scheme=str(item["scheme"]), value=str(item["value"]))


def _items(value: Any, where: str, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise DataError(f"{where}: '{field}' must be a list", hint=_HINT)
    return value


def _texts(value: Any, where: str, field: str) -> list[str]:
    return [_text(item, where, field) for item in _items(value, where, field)]


def _text(value: Any, where: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{where}: '{field}' must be non-empty text", hint=_HINT)
    return value


def _date(value: Any, where: object, field: str, *, optional: bool = False) -> str | None:
    """Normalise a YAML date (parsed or quoted) to ``YYYY-MM-DD``."""
    if value is None and optional:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise DataError(f"{where}: '{field}' must be a date written YYYY-MM-DD", hint=_HINT)
