"""Glue shared by commands that run the check pipeline: build the stages, render the result."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from riskcheck.errors import DataError, ExitCode, InputError
from riskcheck.model import Level, Report


def resolve_manifest_path(path: Path) -> Path:
    """A manifest file, or the manifest inside a project directory."""
    if path.is_dir():
        from riskcheck.sources.manifest import MANIFEST_NAMES

        for name in MANIFEST_NAMES:
            candidate = path / name
            if candidate.is_file():
                return candidate
        raise InputError("directory has no riskcheck.yaml", path=str(path),
                         hint="pass a manifest file, or create one (see docs/manifest.md)")
    return path


def check_manifest(
    manifest: Path,
    *,
    fail_on: str | None,
    bundled: bool,
    max_list_age: int | None,
    data_dir: Path | None,
    offline: bool,
) -> Report:
    """Load the manifest, screen it, and return the report (never prints)."""
    from riskcheck.lists.select import load_entities
    from riskcheck.match.screener import NameScreener
    from riskcheck.pipeline import run_check
    from riskcheck.resolve.resolver import build_resolver
    from riskcheck.score.exposure import ExposureScorer
    from riskcheck.sources.manifest import load_manifest

    project = load_manifest(resolve_manifest_path(manifest))
    if fail_on is not None:
        try:
            level = Level.parse(fail_on)
        except ValueError as exc:
            raise InputError(f"--fail-on: {exc}") from None
        project = replace(project, policy=replace(project.policy, fail_on=level))
    max_age = max_list_age if max_list_age is not None else project.policy.max_list_age_days

    entity_set = load_entities(data_dir, bundled=bundled, max_age_days=max_age)
    if max_age is not None and not entity_set.bundled:
        stale = sorted(v.source for v in entity_set.versions if v.stale)
        if stale:
            raise DataError(
                f"lists older than {max_age} days: {', '.join(stale)}",
                hint="run 'riskcheck lists update' (or raise --max-list-age)",
            )
    warnings: list[str] = []
    if entity_set.bundled:
        label = entity_set.versions[0].version if entity_set.versions else "snapshot"
        warnings.append(
            f"screened against the bundled snapshot ({label}), not downloaded lists; "
            "run 'riskcheck lists update' for the full official lists"
        )
    if not project.models:
        warnings.append("the manifest declares no models")

    resolver = build_resolver(offline=offline, cache_dir=data_dir / "cache" if data_dir else None)
    return run_check(
        project,
        resolver=resolver,
        screener=NameScreener(entity_set.entities),
        scorer=ExposureScorer(),
        entity_set=entity_set,
        warnings=tuple(warnings),
    )


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


__all__ = ["ExitCode", "check_manifest", "emit", "resolve_manifest_path"]
