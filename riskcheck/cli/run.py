"""Glue shared by commands that run the check pipeline: build the stages, render the result."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from riskcheck.errors import DataError, ExitCode, InputError
from riskcheck.model import Level, ModelRef, Project, Report


def manifest_in(directory: Path) -> Path | None:
    """The manifest inside a project directory, if it has one."""
    from riskcheck.sources.manifest import MANIFEST_NAMES

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


def _load_project(path: Path, scan: bool, include_docs: bool) -> tuple[Project, tuple[ModelRef, ...], list[str]]:
    """The project to check, models found in code but not declared, and notes."""
    from riskcheck.sources.manifest import load_manifest

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
    if project is None and not found:
        docs = [] if include_docs else [r for r in scan_tree(path, include_docs=True).references
                                        if r.path not in {f.path for f in result.references}]
        raise InputError(nothing_to_screen(str(path), low, docs), path=str(path),
                         hint="pass a manifest file, or write one ('riskcheck init', see docs/manifest.md)")
    if project is None:
        name = path.resolve().name
        notes = [f"no riskcheck.yaml in {path}: checked the {len(found)} models found in the code; "
                 "run 'riskcheck init' to write a manifest", *low_notes]
        return Project(name=name, owner=None, models=tuple(found), path=str(path)), (), notes
    declared = {_comparable(ref.id) for ref in project.models}
    undeclared = tuple(ref for ref in found if _comparable(ref.id) not in declared)
    return project, undeclared, low_notes


CI_MAX_LIST_AGE_DAYS = 7
"""In CI (``CI`` set) stored lists older than this fail the run unless told otherwise."""


def report_specs(specs: list[str]) -> list[tuple[str, Path]]:
    """Validate ``--report FORMAT=PATH`` options before any work is done."""
    from riskcheck.formats.registry import parse_report_specs

    return parse_report_specs(specs)


def check_manifest(
    manifest: Path,
    *,
    fail_on: str | None,
    bundled: bool,
    max_list_age: int | None,
    data_dir: Path | None,
    offline: bool,
    scan: bool = True,
    include_docs: bool = False,
    fail_on_undeclared: bool = False,
    policy_file: Path | None = None,
) -> Report:
    """Load the manifest (or scan a directory), screen it, and return the report (never prints)."""
    from riskcheck.lists.select import load_entities
    from riskcheck.match.batch import engine_for
    from riskcheck.match.screener import NameScreener
    from riskcheck.pipeline import run_check
    from riskcheck.resolve.resolver import build_resolver
    from riskcheck.score.exposure import ExposureScorer

    project, undeclared, notes = _load_project(manifest, scan, include_docs)
    policy_path = policy_file or _policy_beside(manifest)
    if policy_path is not None:
        from riskcheck.sources.policy import load_policy_file

        project = replace(project, policy=load_policy_file(policy_path, base=project.policy))
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
        stale = sorted(v.source for v in entity_set.versions if v.stale)
        if stale:
            raise DataError(
                f"lists older than {max_age} days: {', '.join(stale)}",
                hint="run 'riskcheck lists update' (or raise --max-list-age)",
            )
    warnings: list[str] = list(notes)
    if entity_set.bundled:
        label = entity_set.versions[0].version if entity_set.versions else "snapshot"
        warnings.append(
            f"screened against the bundled snapshot ({label}), not downloaded lists; "
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
    if not project.models and not undeclared:
        warnings.append("no models to check")

    # HF_HUB_OFFLINE is the Hugging Face tools' own switch; honouring it keeps air-gapped
    # sites that already set it from waiting on Hub timeouts.
    hub_offline = offline or os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes")
    resolver = build_resolver(offline=hub_offline, cache_dir=_cache_dir(data_dir))
    return run_check(
        project,
        resolver=resolver,
        screener=NameScreener(engine_for(entity_set, _cache_dir(data_dir))),
        scorer=ExposureScorer(),
        entity_set=entity_set,
        warnings=tuple(warnings),
        undeclared=undeclared,
        fail_on_undeclared=fail_on_undeclared,
    )


def _cache_dir(data_dir: Path | None) -> Path:
    if data_dir is not None:
        return data_dir / "cache"
    # The store module (sqlite3 and all) is only needed to find the default folder.
    from riskcheck.lists.store import default_data_dir

    return default_data_dir() / "cache"


def emit(report: Report, format_name: str, output: Path | None) -> None:
    """Render ``report`` in ``format_name`` to ``output`` (or stdout)."""
    import sys

    from riskcheck.cli import console
    from riskcheck.cli.options import write_output
    from riskcheck.formats.registry import get_format

    if format_name == "table":
        to_terminal = output is None or str(output) == "-"
        renderer = get_format("table", color=console.color_enabled() and to_terminal
                              and sys.stdout.isatty())
    else:
        renderer = get_format(format_name)
    if renderer.binary and (output is None or str(output) == "-") and sys.stdout.isatty():
        raise InputError(f"{format_name} output is binary",
                         hint="write it to a file with --output report." + format_name)
    write_output(renderer.render(report), output)


__all__ = ["ExitCode", "check_manifest", "emit", "manifest_in", "report_specs"]
