"""The shape of one vendor-registry file (``lists/vendors/<id>.yaml``), checked by hand.

Hand-written rather than jsonschema because the registry loads on every run (importing and
running jsonschema over ~150 files would cost more than the whole load budget) and because
each problem must read as one line naming the field, e.g. ``parents[0].share: must be ...``.
``lists/vendors/README.md`` documents every field; keep the two in step.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

KINDS = ("publisher", "parent", "lab", "reuploader", "finetuner", "host")
"""What an organisation is to riskcheck; ``roles`` may add further kinds."""
RELATIONS = ("subsidiary", "controlled", "affiliate", "investor")
"""How a parent holds its child: owned majority, controlled otherwise, minority, investor."""
TASKS = ("chat", "embedding", "reranker", "code", "vision", "speech", "image", "video", "other")
"""Task of a notable model (used to suggest alternatives of the same task)."""

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL_RE = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
HOST_RE = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")
NAMESPACE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class SchemaProblem(ValueError):
    """One thing wrong with a registry file; the message starts with the field path."""


def _fail(where: str, message: str) -> SchemaProblem:
    return SchemaProblem(f"{where}: {message}" if where else message)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, "must be a non-empty string")
    if value != value.strip():
        raise _fail(where, f"has leading/trailing whitespace: {value!r}")
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(where, "must be true or false")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(where, "must be a list")
    return value


def _texts(value: Any, where: str, pattern: re.Pattern[str] | None = None) -> list[str]:
    items = [_text(item, f"{where}[{i}]") for i, item in enumerate(_list(value, where))]
    for i, item in enumerate(items):
        if pattern is not None and not pattern.match(item):
            raise _fail(f"{where}[{i}]", f"{item!r} is not of the form {pattern.pattern}")
    if len({item.casefold() for item in items}) != len(items):
        raise _fail(where, "lists the same value twice")
    return items


def _mapping(value: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...]
             ) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, "must be a mapping")
    unknown = sorted(set(value) - set(required) - set(optional), key=str)
    if unknown:
        raise _fail(where, f"unknown field(s) {', '.join(map(str, unknown))}")
    missing = [key for key in required if key not in value]
    if missing:
        raise _fail(where, f"missing field(s) {', '.join(missing)}")
    return value


def _country(value: Any, where: str, countries: Mapping[str, str], *, nullable: bool) -> None:
    if value is None and nullable:
        return
    if not isinstance(value, str) or value not in countries:
        raise _fail(where, f"{value!r} is not an ISO 3166-1 alpha-2 code from lists/countries.yaml")


def _regex(value: Any, where: str) -> None:
    _text(value, where)
    try:
        # Same flags as registry_records.build_record, so the compiled pattern is cached once.
        re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise _fail(where, f"regex {value!r} does not compile ({exc})") from None


def _each(value: Any, where: str, check: Callable[[Any, str], None]) -> None:
    for i, item in enumerate(_list(value, where)):
        check(item, f"{where}[{i}]")


def _legal_name(item: Any, where: str) -> None:
    entry = _mapping(item, where, ("name", "verified"), ("note",))
    _text(entry["name"], f"{where}.name")
    _bool(entry["verified"], f"{where}.verified")
    if "note" in entry:
        _text(entry["note"], f"{where}.note")


def _former_name(item: Any, where: str) -> None:
    if isinstance(item, str):
        _text(item, where)
        return
    entry = _mapping(item, where, ("name",), ("until", "verified", "note"))
    _text(entry["name"], f"{where}.name")
    if "until" in entry and not (isinstance(entry["until"], str) and DATE_RE.match(entry["until"])):
        raise _fail(f"{where}.until", "must be a date written YYYY-MM-DD (quoted)")
    if "verified" in entry:
        _bool(entry["verified"], f"{where}.verified")
    if "note" in entry:
        _text(entry["note"], f"{where}.note")


def _identifier(item: Any, where: str) -> None:
    entry = _mapping(item, where, ("scheme", "value"), ("verified",))
    if not isinstance(entry["scheme"], str) or not ID_RE.match(entry["scheme"]):
        raise _fail(f"{where}.scheme", "must be a lower-case kebab-case scheme such as ru-ogrn or lei")
    _text(entry["value"], f"{where}.value")
    if "verified" in entry:
        _bool(entry["verified"], f"{where}.verified")


def _parent(item: Any, where: str) -> None:
    entry = _mapping(item, where, ("id", "relation", "verified"), ("share", "note"))
    if not isinstance(entry["id"], str) or not ID_RE.match(entry["id"]):
        raise _fail(f"{where}.id", "must be a registry id (lower-case kebab-case)")
    if entry["relation"] not in RELATIONS:
        raise _fail(f"{where}.relation", f"must be one of {', '.join(RELATIONS)}")
    _bool(entry["verified"], f"{where}.verified")
    share = entry.get("share")
    if "share" in entry and (isinstance(share, bool) or not isinstance(share, (int, float))
                             or not 0 < share <= 1):
        raise _fail(f"{where}.share", "must be a fraction in (0, 1]; omit it when unknown")
    if "note" in entry:
        _text(entry["note"], f"{where}.note")


def _family(item: Any, where: str) -> None:
    entry = _mapping(item, where, ("pattern", "family"), ())
    _regex(entry["pattern"], f"{where}.pattern")
    _text(entry["family"], f"{where}.family")


def _model(item: Any, where: str) -> None:
    entry = _mapping(item, where, ("id", "task"), ("params_b", "licence"))
    _text(entry["id"], f"{where}.id")
    if entry["task"] not in TASKS:
        raise _fail(f"{where}.task", f"must be one of {', '.join(TASKS)}")
    size = entry.get("params_b")
    if "params_b" in entry and (isinstance(size, bool) or not isinstance(size, (int, float))
                                or size <= 0):
        raise _fail(f"{where}.params_b", "must be a positive number (billions of parameters)")
    if "licence" in entry:
        _text(entry["licence"], f"{where}.licence")


def _citation(item: Any, where: str) -> None:
    entry = _mapping(item, where, ("url", "as_of", "verified"), ("about",))
    if not isinstance(entry["url"], str) or not URL_RE.match(entry["url"]):
        raise _fail(f"{where}.url", "must be an http(s) URL")
    if not isinstance(entry["as_of"], str) or not DATE_RE.match(entry["as_of"]):
        raise _fail(f"{where}.as_of", "must be a date written YYYY-MM-DD (quoted)")
    _bool(entry["verified"], f"{where}.verified")
    if "about" in entry:
        _text(entry["about"], f"{where}.about")


REQUIRED = ("id", "name", "kind", "verified", "country", "citations")
OPTIONAL = (
    "roles", "description", "legal_names", "native_names", "aliases", "former_names", "identifiers",
    "incorporated_in", "parents", "hf_orgs", "families", "ollama", "openrouter", "litellm",
    "api", "api_models", "models", "notes",
)
COUNTRY_REQUIRED_KINDS = ("publisher", "parent", "lab", "host")
"""Kinds whose jurisdiction drives scoring, so an unknown HQ country is not allowed."""


def check_vendor(doc: Any, stem: str, countries: Mapping[str, str]) -> None:
    """Raise :class:`SchemaProblem` for the first thing wrong with one parsed registry file."""
    entry = _mapping(doc, "", REQUIRED, OPTIONAL)
    if entry["id"] != stem:
        raise _fail("id", f"{entry['id']!r} must equal the file name stem {stem!r}")
    if not ID_RE.match(stem):
        raise _fail("id", "must be lower-case kebab-case (a-z, 0-9, single hyphens)")
    _text(entry["name"], "name")
    if entry["kind"] not in KINDS:
        raise _fail("kind", f"must be one of {', '.join(KINDS)}")
    for i, role in enumerate(_list(entry.get("roles", []), "roles")):
        if role not in KINDS:
            raise _fail(f"roles[{i}]", f"must be one of {', '.join(KINDS)}")
    _bool(entry["verified"], "verified")
    for key in ("description", "notes"):
        if key in entry:
            _text(entry[key], key)
    _country(entry["country"], "country", countries,
             nullable=entry["kind"] not in COUNTRY_REQUIRED_KINDS)
    _country(entry.get("incorporated_in"), "incorporated_in", countries, nullable=True)
    _each(entry.get("legal_names", []), "legal_names", _legal_name)
    for key in ("native_names", "aliases"):
        _texts(entry.get(key, []), key)
    _each(entry.get("former_names", []), "former_names", _former_name)
    _each(entry.get("identifiers", []), "identifiers", _identifier)
    _each(entry.get("parents", []), "parents", _parent)
    if any(p["id"] == stem for p in entry.get("parents", [])):
        raise _fail("parents", "an organisation cannot be its own parent")
    _texts(entry.get("hf_orgs", []), "hf_orgs", NAMESPACE_RE)
    _texts(entry.get("ollama", []), "ollama", re.compile(r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9._-]+)?$"))
    _texts(entry.get("openrouter", []), "openrouter", re.compile(r"^[a-z0-9][a-z0-9._-]*$"))
    _texts(entry.get("litellm", []), "litellm", re.compile(r"^[a-z0-9][a-z0-9_-]*$"))
    _each(entry.get("families", []), "families", _family)
    _each(entry.get("api_models", []), "api_models", _regex)
    _each(entry.get("models", []), "models", _model)
    for i, item in enumerate(_list(entry.get("api", []), "api")):
        where = f"api[{i}]"
        host = _mapping(item, where, ("host", "entity", "data_country"), ("verified", "note"))
        if not isinstance(host["host"], str) or not HOST_RE.match(host["host"]):
            raise _fail(f"{where}.host", "must be a lower-case host name (no scheme, port or path)")
        if not isinstance(host["entity"], str) or not ID_RE.match(host["entity"]):
            raise _fail(f"{where}.entity", "must be a registry id")
        _country(host["data_country"], f"{where}.data_country", countries, nullable=True)
        if "verified" in host:
            _bool(host["verified"], f"{where}.verified")
        if "note" in host:
            _text(host["note"], f"{where}.note")
    if not _list(entry["citations"], "citations"):
        raise _fail("citations", "needs at least one source")
    _each(entry["citations"], "citations", _citation)
