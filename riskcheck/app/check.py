"""The check use case: a manifest or a checkout in, a :class:`~riskcheck.model.Report` out.

Everything between the command line and the pipeline lives here: finding the manifest and the
policy beside it, who governs the policy (:mod:`riskcheck.score.trust`), the CI list-age and
coverage rules, the scan of a checkout for undeclared models, and the Hub's offline switch.
Never prints; errors are :class:`~riskcheck.errors.RiskcheckError` with a hint.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from riskcheck.errors import DataError, InputError
from riskcheck.model import Level, ListVersion, ModelRef, Policy, Project, Report


def manifest_in(directory: Path) -> Path | None:
    """The manifest inside a project directory, if it has one."""
    from riskcheck.project.manifest import MANIFEST_NAMES

    for name in MANIFEST_NAMES:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    return None


def _comparable(model_id: str) -> str:
    text = model_id.strip().casefold()
    for prefix in ("https://huggingface.co/", "http://huggingface.co/", "huggingface.co/",
                   "hf.co/", "hf://"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return text.removesuffix(":latest")


POLICY_NAMES = ("riskcheck-policy.yaml", "riskcheck-policy.yml")


def _policy_beside(manifest: Path) -> Path | None:
    """A ``riskcheck-policy.yaml`` next to the manifest (or in the checked directory)."""
    directory = manifest if manifest.is_dir() else manifest.parent
    for name in POLICY_NAMES:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    return None


def _governed_policy(project: Project, manifest: Path,
                     operator_file: Path | None) -> tuple[Project, tuple[str, ...]]:
    """The policy the run uses, and the pull-request settings it did not apply.

    The manifest's ``policy:`` block and a policy file beside it are written by whoever
    controls the repository. Without ``--policy`` they govern (minus the operator-only keys);
    with it the operator's file governs and they can only make the run stricter.
    """
    from riskcheck.score.trust import govern, without_operator_keys
    from riskcheck.project.policy import load_policy_file, load_preset

    proposed = project.policy
    beside = _policy_beside(manifest)
    origin = "the manifest's policy"
    if beside is not None and (operator_file is None or
                               beside.resolve() != operator_file.resolve()):
        proposed = load_policy_file(beside, base=proposed)
        origin = f"the manifest's policy and {beside.name}"
    if operator_file is None:
        governed = without_operator_keys(proposed, origin)
    else:
        operator = _operator_policy(operator_file)
        governed = govern(operator, proposed, load_preset("default"), origin=origin)
    return replace(project, policy=governed.policy), governed.ignored


def _operator_policy(path: Path) -> Policy:
    """The operator's policy: a policy file, or the name of a bundled preset (``strict``)."""
    from riskcheck.project.policy import load_policy_file, load_preset, preset_names

    if not path.exists() and str(path) in preset_names():
        return load_preset(str(path))
    if not path.exists():
        raise InputError(f"--policy: policy file not found: {path}",
                         hint="give a policy file, or a preset: " + ", ".join(preset_names()))
    return load_policy_file(path)


def _load_project(path: Path, scan: bool, include_docs: bool) -> tuple[Project, tuple[ModelRef, ...], list[str]]:
    """The project to check, models found in code but not declared, and notes."""
    from riskcheck.project.manifest import load_manifest

    if not path.is_dir():
        return load_manifest(path), (), []
    manifest = manifest_in(path)
    if manifest is None and not scan:
        raise InputError("directory has no riskcheck.yaml", path=str(path),
                         hint="pass a manifest file, create one with 'riskcheck init', "
                              "or drop --no-scan to check the models found in the code")
    project = load_manifest(manifest) if manifest is not None else None
    if not scan:
        return project, (), []  # type: ignore[return-value]
    from riskcheck.scan import scan_tree
    from riskcheck.scan.render import low_confidence_note, nothing_to_screen, screened_and_low

    result = scan_tree(path, include_docs=include_docs)
    screened, low = screened_and_low(result.references)
    found = [ref.to_model_ref() for ref in screened]
    low_notes = [low_confidence_note(low)] if low else []
    notes = _not_scanned(result.skipped) + low_notes
    if project is None and not found:
        docs = [] if include_docs else [r for r in scan_tree(path, include_docs=True).references
                                        if r.path not in {f.path for f in result.references}]
        raise InputError(nothing_to_screen(str(path), low, docs), path=str(path),
                         hint="pass a manifest file, or write one ('riskcheck init', see docs/manifest.md)")
    if project is None:
        name = path.resolve().name
        notes.insert(0, f"no riskcheck.yaml in {path}: checked the {len(found)} models found "
                        "in the code; run 'riskcheck init' to write a manifest")
        return Project(name=name, owner=None, models=tuple(found), path=str(path)), (), notes
    declared = {_comparable(ref.id) for ref in project.models}
    undeclared = tuple(ref for ref in found if _comparable(ref.id) not in declared)
    return project, undeclared, notes


def _not_scanned(skipped: tuple) -> list[str]:  # type: ignore[type-arg]
    """One warning naming the code files the scan had to skip (symbolic links aside)."""
    files = [s for s in skipped if not s.reason.startswith("symlink")]
    if not files:
        return []
    shown = "; ".join(f"{s.path} ({s.reason})" for s in files[:5])
    more = f"; and {len(files) - 5} more" if len(files) > 5 else ""
    return [f"{len(files)} file(s) not scanned, models they name are not checked: "
            f"{shown}{more}"]


CI_MAX_LIST_AGE_DAYS = 7
"""In CI (``CI`` set) stored lists older than this fail the run unless told otherwise."""


def _stale_phrase(version: ListVersion, as_of: str | None) -> str:
    """``eu_fsf (published 2016-02-11)``, ``ofac_sdn (newest listing 2022-02-24)`` or
    ``us_csl (fetched 2026-11-01)``: what the stale version's age was judged from."""
    if version.published:
        return f"{version.source} (published {version.published})"
    if as_of:
        return f"{version.source} (newest listing {as_of})"
    return f"{version.source} (fetched {(version.fetched_at or '?')[:10]})"


def check(
    manifest: Path,
    *,
    fail_on: str | None = None,
    bundled: bool = False,
    max_list_age: int | None = None,
    data_dir: Path | None = None,
    offline: bool = False,
    scan: bool = True,
    include_docs: bool = False,
    fail_on_undeclared: bool = False,
    policy_file: Path | None = None,
    require_coverage: bool = True,
) -> Report:
    """Load the manifest (or scan a directory), screen it, and return the report (never prints)."""
    from riskcheck.lists.select import load_entities
    from riskcheck.match.batch import engine_for
    from riskcheck.match.screener import NameScreener
    from riskcheck.paths import cache_dir, cache_root
    from riskcheck.pipeline import run_check
    from riskcheck.resolution.resolver import build_resolver
    from riskcheck.score.exposure import ExposureScorer

    project, undeclared, notes = _load_project(manifest, scan, include_docs)
    project, ignored = _governed_policy(project, manifest, policy_file)
    if fail_on is not None:
        try:
            level = Level.parse(fail_on)
        except ValueError as exc:
            raise InputError(f"--fail-on: {exc}") from None
        project = replace(project, policy=replace(project.policy, fail_on=level))
    max_age = max_list_age if max_list_age is not None else project.policy.max_list_age_days
    if max_age is None and os.environ.get("CI"):
        max_age = CI_MAX_LIST_AGE_DAYS

    entity_set = load_entities(data_dir, bundled=bundled, max_age_days=max_age)
    if max_age is not None and not entity_set.bundled:
        stale = [v for v in entity_set.versions if v.stale and v.origin == "store"]
        if stale:
            as_of = {c.source: c.as_of for c in entity_set.coverage if c.state == "stored"}
            raise DataError(
                f"stored lists older than {max_age} days: "
                + ", ".join(_stale_phrase(v, as_of.get(v.source)) for v in stale),
                hint="run 'riskcheck lists update' for the current lists; to screen an "
                     "archive on purpose, raise --max-list-age (or the policy's "
                     "max_list_age_days)",
            )
    missing = [c for c in entity_set.coverage if c.state == "missing"]
    required_missing = sorted(c.source for c in missing if c.required)
    if required_missing and require_coverage and os.environ.get("CI"):
        raise DataError(
            f"required list{'s' if len(required_missing) > 1 else ''} neither stored nor in the "
            f"bundled snapshot: {', '.join(required_missing)}",
            hint="run 'riskcheck lists update' (or 'lists import') before the check, "
                 "or set required_for_fresh: false for it in sources.yaml",
        )
    warnings: list[str] = list(notes) + list(ignored)
    if entity_set.bundled and missing:
        warnings.append("not screened (neither stored nor in the bundled snapshot): "
                        + ", ".join(c.source for c in missing))
    if entity_set.bundled:
        # Named by the day it was compiled, as every report names it (formats/facts.py).
        compiled = max((v.fetched_at or "" for v in entity_set.versions), default="")
        named = f"snapshot compiled {compiled[:10]}" if compiled else "snapshot"
        warnings.append(
            f"screened against the bundled {named}, not downloaded lists; "
            "run 'riskcheck lists update' for the full official lists"
        )
    elif entity_set.coverage:
        partial = [c.source for c in entity_set.coverage if c.state != "stored"]
        if partial:
            warnings.append(
                "not stored, screened from the bundled snapshot or missing: "
                + ", ".join(f"{c.source} ({c.state})" for c in entity_set.coverage
                            if c.state != "stored")
            )
    older = [c for c in entity_set.coverage if c.newer_bundled]
    if older:
        # One warning for every such list: the same cause and the same remedy (each stored
        # version's own date is in the report's data line).
        warnings.append(
            "stored lists older than bundled entries, which are screened too: "
            + ", ".join(f"{c.source} ({c.newer_bundled} up to {c.newer_bundled_until})"
                        for c in older)
            + "; run 'riskcheck lists update' for the current lists")
    if not project.models and not undeclared:
        warnings.append("no models to check")

    from riskcheck.app.resolve import hub_offline

    resolver = build_resolver(offline=hub_offline(offline), cache_dir=cache_root(data_dir),
                              allow_vendor_overrides=project.policy.allow_vendor_overrides)
    return run_check(
        project,
        resolver=resolver,
        screener=NameScreener(engine_for(entity_set, cache_dir("index", data_dir))),
        scorer=ExposureScorer(),
        entity_set=entity_set,
        warnings=tuple(warnings),
        undeclared=undeclared,
        fail_on_undeclared=fail_on_undeclared,
    )


def project_reports(paths: list[Path], *, policy_file: Path | None, bundled: bool,
                    data_dir: Path | None, offline: bool,
                    ) -> tuple[list[tuple[Report, str]], list[str]]:
    """The report of every project ``paths`` stand for (``fleet``, ``whatif``): saved results
    are read, manifests and checkouts checked now. A folder found inside a folder whose code
    names no model is skipped with a warning; bundled-only screening is said once."""
    from riskcheck.fleet.sources import collect
    from riskcheck.formats.json_load import load_report

    reports: list[tuple[Report, str]] = []
    warnings: list[str] = []
    for item in collect(paths):
        if item.kind == "result":
            reports.append((load_report(item.path), str(item.path)))
            continue
        try:
            report = check(item.path, fail_on=None, bundled=bundled, max_list_age=None,
                                    data_dir=data_dir, offline=offline, policy_file=policy_file)
        except InputError as skipped:
            if not item.scan_only:
                raise
            warnings.append(f"skipped {item.path}: {skipped.message}")
            continue
        reports.append((report, str(item.path)))
    if not reports:
        raise InputError("no projects found", hint="give result JSONs, manifests or folders")
    bundled_projects = [r.project.name for r, _ in reports if r.bundled_data]
    if bundled_projects:
        warnings.append("screened against the bundled snapshot, not downloaded lists: "
                        + ", ".join(bundled_projects))
    return reports, warnings


__all__ = ["check", "manifest_in", "project_reports"]
