"""The shape of one vendor-registry file (``lists/vendors/<id>.yaml``).

The field rules live in the JSON Schema shipped as ``riskcheck/schemas/vendor.schema.json``
(documented field by field, mirroring ``lists/vendors/README.md``); fastjsonschema compiles it
once to plain Python, which keeps the cold load of ~200 files cheap. What JSON Schema cannot
say stays here: the id equals the file name, country codes exist in ``lists/territories.yaml``,
regexes compile, names are not repeated ignoring case, no organisation is its own parent.
Every problem reads as one line starting with the field, e.g. ``parents[0].share: must be ...``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schemas" / "vendor.schema.json"
"""The shipped schema; part of the registry cache key, so editing it re-validates the YAML."""


@cache
def vendor_schema() -> dict[str, Any]:
    """The vendor-file JSON Schema, as shipped inside the package."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


KINDS: tuple[str, ...] = tuple(vendor_schema()["$defs"]["kind"]["enum"])
"""What an organisation is to riskcheck; ``roles`` may add further kinds."""


class SchemaProblem(ValueError):
    """One thing wrong with a registry file; the message starts with the field path."""


def _fail(where: str, message: str) -> SchemaProblem:
    return SchemaProblem(f"{where}: {message}" if where else message)


def _inline(node: Any, defs: Mapping[str, Any]) -> Any:
    """``node`` with every local ``$ref`` replaced by the definition it names.

    fastjsonschema turns each ``$ref`` into a call that formats the item's path with
    ``locals()`` eagerly, which made validating the registry three times slower than inline
    code. The referenced definition wins over siblings, so its "what to write" description
    reaches error messages (the sibling only documents the field).
    """
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        return {**siblings, **_inline(defs[node["$ref"].removeprefix("#/$defs/")], defs)}
    return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}


@cache
def _validator(detailed: bool) -> Callable[[Any], Any]:
    # Detailed exceptions embed every sub-schema in the generated code, tripling compile time;
    # good files (nearly all) only need the lean validator, a bad one re-runs the detailed one.
    import fastjsonschema

    schema = vendor_schema()
    return fastjsonschema.compile(_inline(schema, schema["$defs"]), detailed_exceptions=detailed)


_TYPE_WORDS = {"string": "a string", "boolean": "true or false", "array": "a list",
               "object": "a mapping", "number": "a number", "null": "null", "integer": "an integer"}
_BOUNDS = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}


def _field(path: list[str]) -> str:
    where = ""
    for part in path[1:]:  # path[0] is the root, "data"
        where += f"[{part}]" if part.isdigit() else f".{part}" if where else part
    return where


def _problem(error: Any) -> SchemaProblem:
    """Turn fastjsonschema's exception into a one-line message that says what to write."""
    where, rule, spec, value = _field(error.path), error.rule, error.rule_definition, error.value
    schema = error.definition if isinstance(error.definition, dict) else {}
    # Scalar definitions describe what to write ("a registry id (...)"); containers' descriptions
    # are field documentation and would not read as a hint.
    scalar = schema.get("type") not in ("object", "array") and "properties" not in schema
    wanted = f"; write {schema['description']}" if scalar and "description" in schema else ""
    if rule == "additionalProperties":
        unknown = sorted(str(k) for k in value if k not in schema.get("properties", {}))
        return _fail(where, f"unknown field(s) {', '.join(unknown)}")
    if rule == "required":
        return _fail(where, f"missing field(s) {', '.join(k for k in spec if k not in value)}")
    if rule == "type":
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in ([spec] if isinstance(spec, str) else spec))
        return _fail(where, f"must be {words}, not {value!r}{wanted}")
    if rule == "enum":
        return _fail(where, f"must be one of {', '.join(map(str, spec))}, not {value!r}")
    if rule in _BOUNDS:
        return _fail(where, f"must be {_BOUNDS[rule]} {spec}, not {value!r}{wanted}")
    if rule == "minItems":
        return _fail(where, f"needs at least {spec} entr{'y' if spec == 1 else 'ies'}")
    if rule == "uniqueItems":
        return _fail(where, "lists the same value twice")
    return _fail(where, f"{value!r} is not valid{wanted or ' (' + error.message + ')'}")


def _country(value: Any, where: str, countries: Mapping[str, str]) -> None:
    if value is not None and value not in countries:
        raise _fail(where, f"{value!r} is not an ISO 3166-1 alpha-2 code from lists/territories.yaml")


def _regex(value: str, where: str) -> None:
    try:
        # Same flags as registry.records.NamePattern, so the compiled pattern is cached once.
        re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise _fail(where, f"regex {value!r} does not compile ({exc})") from None


def _distinct(values: list[str], where: str) -> None:
    # Look-ups fold case, so two spellings differing only in case are the same claim.
    if len({value.casefold() for value in values}) != len(values):
        raise _fail(where, "lists the same value twice (ignoring case)")


def check_vendor(doc: Any, stem: str, countries: Mapping[str, str]) -> None:
    """Raise :class:`SchemaProblem` for the first thing wrong with one parsed registry file."""
    import fastjsonschema

    try:
        _validator(False)(doc)
    except fastjsonschema.JsonSchemaValueException as lean:
        try:
            _validator(True)(doc)
        except fastjsonschema.JsonSchemaValueException as error:
            raise _problem(error) from None
        raise SchemaProblem(str(lean)) from None  # same schema: only if fastjsonschema disagrees
    if doc["id"] != stem:
        raise _fail("id", f"{doc['id']!r} must equal the file name stem {stem!r}")
    _country(doc["country"], "country", countries)
    _country(doc.get("incorporated_in"), "incorporated_in", countries)
    for i, host in enumerate(doc.get("api", [])):
        _country(host["data_country"], f"api[{i}].data_country", countries)
    for key in ("native_names", "hf_orgs", "ollama", "openrouter", "litellm"):
        _distinct(doc.get(key, []), key)
    _distinct([a if isinstance(a, str) else a["name"] for a in doc.get("aliases", [])], "aliases")
    if any(parent["id"] == stem for parent in doc.get("parents", [])):
        raise _fail("parents", "an organisation cannot be its own parent")
    for i, family in enumerate(doc.get("families", [])):
        _regex(family["pattern"], f"families[{i}].pattern")
    for i, pattern in enumerate(doc.get("api_models", [])):
        _regex(pattern, f"api_models[{i}]")
