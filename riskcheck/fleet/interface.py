"""The organisation view's values: many projects' reports folded into one picture.

``riskcheck fleet`` reads each project (a saved result JSON, a manifest or a checkout), and
:func:`~riskcheck.fleet.aggregate.aggregate` turns the reports into a :class:`Fleet`. Every
field is a plain value, so the JSON form is a direct transcription (see docs/fleet.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from riskcheck.model import Level

ChangeKind = str
"""``project-added``, ``project-removed``, ``model-added``, ``model-removed``,
``finding-added``, ``finding-removed``, ``level-changed``."""


@dataclass(frozen=True)
class FleetProject:
    """One project of the fleet: its outcome and what it was screened against."""

    name: str
    source: str
    """The file or folder it was read from."""
    level: Level
    failed: bool
    fail_on: Level
    models: int
    critical_models: int
    bundled_data: bool
    list_versions: tuple[tuple[str, str, str | None, bool], ...]
    """(source, version, fetched_at or published, stale) per list screened against."""
    coverage: tuple[tuple[str, str], ...]
    """(source, state) per catalogue source: stored, bundled or missing."""
    flags: tuple[str, ...]
    """Why the project's screening data is weak: ``bundled``, ``stale: X``, ``missing: X``,
    ``bundled-only: X``. Empty when it was screened against fresh stored lists."""


@dataclass(frozen=True)
class FleetModel:
    """One model of one project."""

    project: str
    model: str
    vendor: str
    """Registry id of the direct vendor, empty when unresolved."""
    vendor_name: str
    countries: tuple[str, ...]
    level: Level
    criticality: str
    usage: str
    lists: tuple[str, ...]
    """Codes of the lists with a current match-band listing of a party of the model."""


@dataclass(frozen=True)
class Dependency:
    """How much of the fleet depends on one vendor, country or list."""

    key: str
    name: str
    projects: int
    models: int
    critical_models: int
    critical_share: float
    """Share of the fleet's critical models (criticality high or critical) that depend on it."""
    project_names: tuple[str, ...]
    roles: tuple[str, ...] = ()
    """For organisations: how models reach it (vendor, parent, upstream, serving ...)."""


@dataclass(frozen=True)
class Concentration:
    """The single provider (or country) the organisation relies on most."""

    dimension: str
    """``vendor`` or ``country``."""
    top: str
    top_name: str
    projects: int
    project_share: float
    """Share of projects with at least one model depending on ``top``."""
    model_share: float
    """Share of resolved models whose direct vendor is (or is based in) ``top``."""
    hhi: float
    """Herfindahl-Hirschman index of direct vendors (or their countries) over all resolved
    models of the fleet: 1 means everything rests on one."""


@dataclass(frozen=True)
class FleetFinding:
    """A finding at or above the fleet's level, with where it was found."""

    project: str
    model: str
    """Empty for a project-wide finding (concentration ...)."""
    level: Level
    kind: str
    summary: str
    party_id: str | None
    lists: tuple[str, ...]


@dataclass(frozen=True)
class FleetChange:
    """One difference against a previous fleet JSON (``--since``)."""

    kind: ChangeKind
    project: str
    model: str = ""
    detail: str = ""
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class Fleet:
    """Everything ``riskcheck fleet`` reports."""

    level: Level
    """Findings at or above this level are listed."""
    projects: tuple[FleetProject, ...]
    models: tuple[FleetModel, ...]
    vendors: tuple[Dependency, ...]
    countries: tuple[Dependency, ...]
    lists: tuple[Dependency, ...]
    concentration: tuple[Concentration, ...]
    findings: tuple[FleetFinding, ...]
    changes: tuple[FleetChange, ...] | None = None
    """None without ``--since``."""
    since: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def failing(self) -> tuple[FleetProject, ...]:
        """Projects that fail their own policy."""
        return tuple(p for p in self.projects if p.failed)
