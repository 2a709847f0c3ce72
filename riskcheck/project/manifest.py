"""The ``riskcheck.yaml`` manifest (format v1): the models a project declares it uses.

Validation runs against the JSON Schema shipped in ``riskcheck/schemas/manifest.schema.json``;
every violation is reported as one line at the ``file:line:column`` where it was written.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from riskcheck.model import ModelRef, Policy, Project, SourceLocation
from riskcheck.project.interface import ManifestError
from riskcheck.project.policy import parse_policy
from riskcheck.local_hosts import is_local_base_url
from riskcheck.yamlio import Locator, PathKey, load_yaml, read_text

MANIFEST_NAMES = ("riskcheck.yaml", "riskcheck.yml")


SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "manifest.schema.json"
"""The shipped schema; ``_manifest_validator.py`` is fastjsonschema's code generated from it."""

VALIDATOR_ENTRY = "validate_https___riskcheck_dev_schemas_manifest_v1_json"
"""The generated function that checks a whole manifest (named after the schema's ``$id``)."""


@lru_cache(maxsize=1)
def manifest_schema() -> dict[str, Any]:
    """The manifest's JSON Schema, as shipped inside the package."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def load_manifest(path: Path) -> Project:
    """Read, validate and convert a manifest. Raises :class:`ManifestError` on bad input."""
    text = read_text(path, "manifest")
    data, locator = load_yaml(text, str(path))
    return parse_manifest(data, locator, path)


def parse_manifest(data: Any, locator: Locator, path: Path) -> Project:
    """Validate parsed YAML against the schema and build the :class:`Project`."""
    if data is None:
        raise ManifestError("manifest is empty", path=locator.path, line=1, column=1,
                            hint="declare at least 'models:' with one '- id: ...' entry "
                                 "(see docs/manifest.md)")
    if not isinstance(data, dict):
        raise _located(locator, (), f"manifest must be a mapping, not a {_kind(data)}",
                       hint="start the file with 'models:' (see docs/manifest.md)")
    _validate(data, locator)

    models = tuple(
        _model_ref(entry, (*("models",), index), locator)
        for index, entry in enumerate(data["models"])
    )
    _reject_duplicates(models, locator)
    project = data.get("project") or {}
    policy = _policy(data, locator)
    return Project(
        name=project.get("name") or _default_name(path),
        owner=project.get("owner"),
        models=models,
        policy=policy,
        path=locator.path,
        manifest_version=int(data.get("version", 1)),
    )


def _policy(data: dict[str, Any], locator: Locator) -> Policy:
    if "exceptions" in data:
        return parse_policy(data.get("policy"), locator, ("policy",),
                            exceptions=data.get("exceptions"))
    return parse_policy(data.get("policy"), locator, ("policy",))


def _default_name(path: Path) -> str:
    parent = path.resolve().parent.name
    return parent or path.stem


def _model_ref(entry: dict[str, Any], where: PathKey, locator: Locator) -> ModelRef:
    line, column = locator.position((*where, "id"))
    usage = entry.get("usage", "unknown")
    local = is_local_base_url(entry.get("base_url"))
    if usage == "self-hosted" and (entry.get("provider") or (entry.get("base_url") and not local)):
        key = "provider" if entry.get("provider") else "base_url"
        raise _located(locator, (*where, key), f"'{key}' only applies to usage: api",
                       hint="set 'usage: api' or remove the key")
    if local and usage == "unknown" and not entry.get("provider"):
        # A model served from localhost, a private address or a cluster-internal name runs on
        # the project's own machines: nobody else receives its inputs.
        usage = "self-hosted"
    if (entry.get("provider") or entry.get("base_url")) and usage == "unknown":
        usage = "api"
    return ModelRef(
        id=entry["id"].strip(),
        source=entry.get("source"),
        usage=usage,
        provider=entry.get("provider"),
        base_url=entry.get("base_url"),
        criticality=entry.get("criticality", "medium"),
        purpose=entry.get("purpose"),
        vendor_override=entry.get("vendor"),
        location=SourceLocation(path=locator.path, line=line or 1, column=column or 1,
                                detector="manifest"),
    )


def _reject_duplicates(models: tuple[ModelRef, ...], locator: Locator) -> None:
    seen: dict[tuple[str, str, str, str], ModelRef] = {}
    for index, ref in enumerate(models):
        key = (ref.id.casefold(), ref.usage, (ref.provider or "").casefold(),
               (ref.base_url or "").rstrip("/").casefold())
        first = seen.get(key)
        if first is not None:
            first_line = first.location.line if first.location else "?"
            raise _located(locator, ("models", index, "id"),
                           f"duplicate model {ref.id!r} (first declared on line {first_line})",
                           hint="remove one entry, or give them different usage/provider/base_url")
        seen[key] = ref


# --- schema validation --------------------------------------------------------------------


@lru_cache(maxsize=1)
def _validator() -> Callable[[Any], Any]:
    # fastjsonschema turns the schema into plain Python; importing and running the reference
    # jsonschema package would cost more than the rest of a 50-model check. The code is
    # generated ahead of time (a test keeps it equal to the schema): generating and compiling
    # it took ~25 ms of every run.
    try:
        from riskcheck.project import _manifest_validator as generated
    except ImportError:  # a fastjsonschema older than the one that generated it
        import fastjsonschema

        return fastjsonschema.compile(manifest_schema())  # type: ignore[no-any-return]
    return getattr(generated, VALIDATOR_ENTRY)  # type: ignore[no-any-return]


def _validate(data: dict[str, Any], locator: Locator) -> None:
    import fastjsonschema

    try:
        _validator()(data)
    except fastjsonschema.JsonSchemaValueException as error:
        raise _describe(error, locator) from None


def _describe(error: Any, locator: Locator) -> ManifestError:
    where: PathKey = tuple(int(p) if isinstance(p, str) and p.isdigit() else p
                           for p in error.path[1:])  # path[0] is the root, "data"
    name = _human_path(where)
    value = error.value
    keyword = error.rule
    schema = error.definition or {}
    if keyword == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        key = next(k for k in value if k not in allowed)
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "allowed keys: " + ", ".join(allowed)
        place = f" in {name}" if name else ""
        return _located(locator, (*where, key), f"unknown key {key!r}{place}", key=True, hint=hint)
    if keyword == "required":
        missing = next(k for k in error.rule_definition if k not in value)
        allowed = sorted(schema.get("properties", {}))
        unknown = [k for k in value if k not in allowed]
        if unknown:
            # A missing key next to an unknown one is almost always a typo: name the typo.
            key = min(unknown, key=lambda k: 0 if difflib.get_close_matches(
                str(k), [missing], n=1) else 1)
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean {close[0]!r}?" if close else "allowed keys: " + ", ".join(allowed)
            place = f" in {name}" if name else ""
            return _located(locator, (*where, key), f"unknown key {key!r}{place}", key=True,
                            hint=hint)
        place = name or "the manifest"
        return _located(locator, where, f"{place} is missing the required key {missing!r}",
                        hint=_required_hint(missing))
    if keyword == "type":
        expected = error.rule_definition
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return _located(locator, where,
                        f"{name} must be {_article(expected)} (got {_kind(value)})",
                        hint=_type_hint(where))
    if keyword == "enum":
        choices = ", ".join(str(choice) for choice in error.rule_definition)
        return _located(locator, where, f"{name} must be one of: {choices} (got {value!r})",
                        hint=_enum_hint(value, error.rule_definition))
    if keyword == "const":
        return _located(locator, where, f"{name} must be {error.rule_definition!r} (got {value!r})",
                        hint="this riskcheck reads manifest format version 1")
    if keyword == "pattern" and where and where[-1] == "base_url":
        return _located(locator, where, f"{name} must be a URL (got {value!r})",
                        hint="write it like https://api.example.com/v1")
    if keyword == "pattern" and where and where[-1] == "vendor":
        return _located(locator, where, f"{name} must be a registry vendor id (got {value!r})",
                        hint="lower-case letters, digits and dashes, e.g. 'zhipu'; "
                             "see 'riskcheck resolve --help'")
    if keyword in ("minLength", "pattern"):
        return _located(locator, where, f"{name} must not be empty", hint="write a value")
    if keyword == "maxLength":
        return _located(locator, where, f"{name} is too long",
                        hint=f"keep it under {error.rule_definition} characters")
    return _located(locator, where, f"{name or 'manifest'}: {error.message}")


def _located(locator: Locator, where: PathKey, message: str, *, key: bool = False,
             hint: str | None = None) -> ManifestError:
    line, column = locator.position(where, key=key)
    return ManifestError(message, path=locator.path, line=line, column=column, hint=hint)


def _human_path(where: PathKey) -> str:
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "number"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


def _article(expected: str) -> str:
    nouns = {"object": "a mapping", "array": "a list", "string": "a string",
             "integer": "a whole number", "number": "a number", "boolean": "true or false"}
    return nouns.get(expected, expected)


def _type_hint(where: PathKey) -> str:
    if where == ("models",):
        return "write 'models:' followed by entries like '- id: Qwen/Qwen2.5-7B-Instruct'"
    if len(where) == 2 and where[0] == "models":
        return "each model is a mapping such as '- id: Qwen/Qwen2.5-7B-Instruct'"
    if where and where[-1] == "id":
        return "quote the id if YAML reads it as another type, e.g. id: \"glm4\""
    return "see docs/manifest.md"


def _required_hint(missing: str) -> str:
    if missing == "models":
        return "add 'models:' with one '- id: ...' entry per model"
    if missing == "id":
        return "give the model's id exactly as your code writes it"
    return "see docs/manifest.md"


def _enum_hint(value: Any, choices: list[Any]) -> str:
    close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1)
    return f"did you mean {close[0]!r}?" if close else "see docs/manifest.md"
