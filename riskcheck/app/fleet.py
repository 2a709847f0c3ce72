"""The organisation view: many projects' results aggregated (``riskcheck fleet``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from riskcheck.app.check import project_reports
from riskcheck.fleet.render import FORMATS
from riskcheck.model import Level


def fleet(paths: list[Path], *, level: Level = Level.HIGH, since: Path | None = None,
          policy_file: Path | None = None, bundled: bool = False, data_dir: Path | None = None,
          offline: bool = False) -> Any:
    """Aggregate the projects ``paths`` stand for (saved result JSONs, manifests, checkouts or
    folders of them): dependence per vendor, country and list, concentration, findings at or
    above ``level``, and changes since a previous fleet JSON."""
    from riskcheck.fleet.aggregate import aggregate
    from riskcheck.fleet.render import load_previous

    previous = load_previous(since) if since is not None else None
    reports, warnings = project_reports(paths, policy_file=policy_file, bundled=bundled,
                                        data_dir=data_dir, offline=offline)
    return aggregate(reports, level=level, previous=previous,
                     since=str(since) if since is not None else None, warnings=warnings)


def render(result: Any, format_name: str, width: int | None = None) -> str | bytes:
    """A fleet in one of :data:`FORMATS` (``width``: the table's line width)."""
    from riskcheck.fleet.render import render as draw

    return draw(result, format_name, width)


__all__ = ["FORMATS", "fleet", "render"]
