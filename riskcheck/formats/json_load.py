"""Read a saved JSON result back into a :class:`Report` (for ``riskcheck report``).

The file is validated against ``result.schema.json`` first, so every later step can trust
its shape; a bad file becomes one :class:`~riskcheck.errors.InputError` naming the spot.
"""

from __future__ import annotations

import functools

import dataclasses
import json
import typing
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from riskcheck import model
from riskcheck.errors import InputError
from riskcheck.formats.json_format import SCHEMA_VERSION
from riskcheck.model import (
    Alias,
    Citation,
    Finding,
    Identifier,
    Level,
    ListEntity,
    ListVersion,
    SourceCoverage,
    Match,
    MatchExplanation,
    ModelAssessment,
    ModelRef,
    Organisation,
    Ownership,
    Party,
    Policy,
    Project,
    Report,
    Resolution,
    RunMetadata,
    ServingParty,
    SourceLocation,
)

_HINT = "pass a file written by 'riskcheck check --format json'"


@lru_cache(maxsize=1)
def result_schema() -> dict[str, Any]:
    """The JSON Schema of the result document (shipped in ``riskcheck/schemas``)."""
    text = resources.files("riskcheck").joinpath("schemas/result.schema.json").read_text("utf-8")
    return json.loads(text)


def load_report(path: Path) -> Report:
    """Read, validate and convert a saved result file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("result file not found", path=str(path), hint=_HINT) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise InputError(f"cannot read result file: {reason}", path=str(path), hint=_HINT) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg}", path=str(path), line=exc.lineno,
                         column=exc.colno, hint=_HINT) from None
    return report_from_dict(data, path=str(path))


def _check_version(data: Any, path: str | None) -> None:
    version = data.get("schema_version") if isinstance(data, dict) else None
    if not isinstance(version, str):
        raise InputError("not a riskcheck result (no schema_version)", path=path, hint=_HINT)
    ours_major, ours_minor = (int(x) for x in SCHEMA_VERSION.split("."))
    try:
        major, minor = (int(x) for x in version.split("."))
    except ValueError:
        raise InputError(f"bad schema_version {version!r}", path=path, hint=_HINT) from None
    if major != ours_major or minor > ours_minor:
        raise InputError(
            f"result schema_version {version} is not supported (this riskcheck reads "
            f"{ours_major}.0 to {SCHEMA_VERSION})", path=path,
            hint="re-run 'riskcheck check' with this version, or upgrade riskcheck")


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    import fastjsonschema

    return fastjsonschema.compile(result_schema())


def validate(data: Any, path: str | None = None) -> None:
    """Raise :class:`InputError` unless ``data`` is a result this version can read."""
    import fastjsonschema

    _check_version(data, path)
    try:
        _validator()(data)
    except fastjsonschema.JsonSchemaValueException as error:
        where = "/".join(str(p) for p in error.path[1:]) or "(top level)"
        raise InputError(f"invalid result at {where}: {error.message}", path=path,
                         hint=_HINT) from None


def report_from_dict(data: Any, *, path: str | None = None) -> Report:
    """The inverse of :func:`~riskcheck.formats.json_format.report_to_dict`."""
    validate(data, path)
    models = tuple(_assessment(m) for m in data["models"])
    proj = data["project"]
    declared = proj.get("declared_models")
    project = Project(
        name=proj["name"],
        owner=proj["owner"],
        models=tuple(_ref(r) for r in declared) if declared is not None
        else tuple(a.resolution.ref for a in models),
        policy=_decode(Policy, proj["policy"]),
        path=proj["manifest"],
        manifest_version=proj["manifest_version"],
    )
    run = data["run"]
    summary = data["summary"]
    return Report(
        project=project,
        models=models,
        list_versions=tuple(ListVersion(**v) for v in data["list_versions"]),
        level=Level.parse(summary["level"]),
        score=summary["score"],
        failed=summary["failed"],
        bundled_data=summary["bundled_data"],
        warnings=tuple(data["warnings"]),
        project_findings=tuple(_finding(f, ()) for f in data["project_findings"]),
        undeclared=tuple(_ref(r) for r in data.get("undeclared", ())),
        coverage=tuple(SourceCoverage(**c) for c in data.get("coverage", ())),
        metadata=None if run is None else RunMetadata(**run),
    )


def _ref(d: dict[str, Any]) -> ModelRef:
    loc = d["location"]
    return ModelRef(**{**d, "location": None if loc is None else SourceLocation(**loc)})


def _org(d: dict[str, Any]) -> Organisation:
    return Organisation(
        **{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()
           if k not in ("parents", "citations")},
        parents=tuple(Ownership(**p) for p in d["parents"]),
        citations=tuple(Citation(**c) for c in d["citations"]),
    )


def _resolution(d: dict[str, Any], ref: ModelRef) -> Resolution:
    parties = tuple(
        Party(organisation=_org(p["organisation"]), role=p["role"], relation=p["relation"],
              path=tuple(p["path"]), ownership=p["ownership"], upstream_model=p["upstream_model"])
        for p in d["parties"])
    serving = d["serving"]
    return Resolution(
        ref=ref, status=d["status"], family=d["family"], canonical_id=d["canonical_id"],
        parties=parties,
        serving=None if serving is None else ServingParty(
            organisation=_org(serving["organisation"]), host=serving["host"],
            data_country=serving["data_country"], first_party=serving["first_party"]),
        method=d["method"], confidence=d["confidence"], tried=tuple(d["tried"]), hint=d["hint"],
        override_conflict=d.get("override_conflict"),
        serving_candidates=tuple(Organisation(id=c["id"], name=c["name"], country=c["country"])
                                 for c in d.get("serving_candidates") or ()),
    )


def _entity(d: dict[str, Any]) -> ListEntity:
    simple = {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()
              if k not in ("aliases", "identifiers")}
    return ListEntity(**simple, aliases=tuple(Alias(**a) for a in d["aliases"]),
                      identifiers=tuple(Identifier(**i) for i in d["identifiers"]))


def _match(d: dict[str, Any]) -> Match:
    exp = d["explanation"]
    return Match(
        party_id=d["party_id"], party_role=d["party_role"], entity=_entity(d["entity"]),
        score=d["score"], band=d["band"], status=d["status"],
        also_listed=tuple(
            ListEntity(source=e["source"], source_id=e["source_id"], lists=tuple(e["lists"]),
                       programs=tuple(e["programs"]), name=d["entity"]["name"],
                       listed_on=e["listed_on"], url=e["url"])
            for e in d.get("also_listed", ())),
        explanation=MatchExplanation(
            query_name=exp["query_name"], matched_name=exp["matched_name"],
            alignment=exp["alignment"], features=tuple(exp["features"].items()),
            qualifiers=tuple(exp["qualifiers"])),
    )


def _finding(d: dict[str, Any], matches: tuple[Match, ...]) -> Finding:
    match = None
    if d["match"] is not None:
        match = _match(d["match"])
    elif d["match_ref"] is not None:
        if d["match_ref"] >= len(matches):
            raise InputError(f"finding refers to match {d['match_ref']}, which does not exist",
                             hint=_HINT)
        match = matches[d["match_ref"]]
    return Finding(kind=d["kind"], level=Level.parse(d["level"]), summary=d["summary"],
                   party_id=d["party_id"], match=match, score=d["score"],
                   details=tuple(d["details"]), exception_id=d["exception_id"])


def _assessment(d: dict[str, Any]) -> ModelAssessment:
    ref = _ref(d["ref"])
    matches = tuple(_match(m) for m in d["matches"])
    return ModelAssessment(
        resolution=_resolution(d["resolution"], ref), matches=matches,
        findings=tuple(_finding(f, matches) for f in d["findings"]),
        level=Level.parse(d["level"]), score=d["score"], verdict=d["verdict"],
        alternatives=tuple(d["alternatives"]),
    )


def _decode(tp: Any, value: Any) -> Any:
    """Rebuild a value of type ``tp`` from plain JSON data (used for the evolving Policy)."""
    if isinstance(tp, str):
        tp = eval(tp, vars(model))  # noqa: S307 - resolves a type name from model.py only
    origin = typing.get_origin(tp)
    if tp is Level:
        return Level.parse(value)
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp, vars(model))
        known = {f.name for f in dataclasses.fields(tp) if f.init}
        return tp(**{k: _decode(hints[k], v) for k, v in value.items() if k in known})
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        if value is None:
            return None
        for arg in typing.get_args(tp):
            if arg is not type(None):
                return _decode(arg, value)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in value)
        return tuple(_decode(a, v) for a, v in zip(args, value))
    if tp is float and isinstance(value, int):
        return float(value)
    return value
