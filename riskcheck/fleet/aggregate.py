"""Fold many projects' reports into one :class:`Fleet`, and compare it with an earlier one."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from riskcheck.fleet.interface import (
    Concentration,
    Dependency,
    Fleet,
    FleetChange,
    FleetFinding,
    FleetModel,
    FleetProject,
)
from riskcheck.model import Level, ModelAssessment, Report

CRITICAL = ("high", "critical")
"""Criticalities that make a model critical (as in the project-level concentration rule)."""

_ROLE_ORDER = ("vendor", "parent", "upstream", "upstream-parent", "serving", "serving-parent")


def _current_lists(assessment: ModelAssessment) -> tuple[str, ...]:
    return tuple(sorted({code for match in assessment.matches
                         if match.band == "match" and match.status == "current"
                         for code in match.all_lists}))


def _flags(report: Report) -> tuple[str, ...]:
    flags = []
    if report.bundled_data:
        flags.append("bundled")
    stale = sorted(v.source for v in report.list_versions if v.stale)
    if stale:
        flags.append("stale: " + ", ".join(stale))
    if not report.bundled_data:
        bundled = sorted(c.source for c in report.coverage if c.state == "bundled")
        if bundled:
            flags.append("bundled-only: " + ", ".join(bundled))
    missing = sorted(c.source for c in report.coverage if c.state == "missing")
    if missing:
        flags.append("missing: " + ", ".join(missing))
    return tuple(flags)


def _unique_names(reports: Sequence[tuple[Report, str]]) -> list[str]:
    """Project names, with the source added where two projects share a name."""
    counts = Counter(report.project.name for report, _ in reports)
    return [report.project.name if counts[report.project.name] == 1
            else f"{report.project.name} ({source})" for report, source in reports]


class _Tally:
    """Projects, models and critical models depending on one key."""

    def __init__(self) -> None:
        self.name = ""
        self.projects: dict[str, None] = {}
        self.models: set[tuple[str, int]] = set()
        self.critical: set[tuple[str, int]] = set()
        self.roles: set[str] = set()

    def add(self, project: str, index: int, critical: bool, role: str | None = None) -> None:
        self.projects.setdefault(project, None)
        self.models.add((project, index))
        if critical:
            self.critical.add((project, index))
        if role:
            self.roles.add(role)

    def dependency(self, key: str, critical_total: int) -> Dependency:
        return Dependency(
            key=key, name=self.name or key, projects=len(self.projects), models=len(self.models),
            critical_models=len(self.critical),
            critical_share=round(len(self.critical) / critical_total, 4) if critical_total else 0.0,
            project_names=tuple(sorted(self.projects)),
            roles=tuple(r for r in _ROLE_ORDER if r in self.roles))


def _ranked(tallies: dict[str, _Tally], critical_total: int) -> tuple[Dependency, ...]:
    found = [tally.dependency(key, critical_total) for key, tally in tallies.items()]
    return tuple(sorted(found, key=lambda d: (-d.projects, -d.models, d.key)))


def _hhi(counter: Counter[str]) -> float:
    total = sum(counter.values())
    return round(sum((n / total) ** 2 for n in counter.values()), 4) if total else 0.0


def aggregate(reports: Sequence[tuple[Report, str]], *, level: Level = Level.HIGH,
              previous: dict[str, Any] | None = None, since: str | None = None,
              warnings: Iterable[str] = ()) -> Fleet:
    """The fleet of ``reports`` (each with the file or folder it came from)."""
    names = _unique_names(reports)
    projects: list[FleetProject] = []
    models: list[FleetModel] = []
    findings: list[FleetFinding] = []
    vendors: dict[str, _Tally] = defaultdict(_Tally)
    countries: dict[str, _Tally] = defaultdict(_Tally)
    lists: dict[str, _Tally] = defaultdict(_Tally)
    direct_vendor: Counter[str] = Counter()
    direct_country: Counter[str] = Counter()
    critical_total = 0

    for name, (report, source) in zip(names, reports):
        critical_here = 0
        for index, assessment in enumerate(report.models):
            resolution = assessment.resolution
            ref = resolution.ref
            critical = ref.criticality in CRITICAL
            critical_here += critical
            vendor = resolution.vendor
            codes = _current_lists(assessment)
            models.append(FleetModel(
                project=name, model=ref.id, vendor=vendor.id if vendor else "",
                vendor_name=vendor.name if vendor else "", countries=resolution.countries,
                level=assessment.level, criticality=ref.criticality, usage=ref.usage,
                lists=codes))
            for party in resolution.parties:
                tally = vendors[party.organisation.id]
                tally.name = party.organisation.name
                tally.add(name, index, critical, party.role)
            if resolution.serving is not None:
                tally = vendors[resolution.serving.organisation.id]
                tally.name = resolution.serving.organisation.name
                tally.add(name, index, critical, "serving")
            for country in resolution.countries:
                countries[country].add(name, index, critical)
            for code in codes:
                lists[code].add(name, index, critical)
            if vendor is not None:
                direct_vendor[vendor.id] += 1
                direct_country[vendor.country or "unknown"] += 1
            for finding in assessment.findings:
                if finding.level >= level:
                    findings.append(FleetFinding(
                        project=name, model=ref.id, level=finding.level, kind=finding.kind,
                        summary=finding.summary, party_id=finding.party_id,
                        lists=tuple(finding.match.all_lists) if finding.match else ()))
        for finding in report.project_findings:
            if finding.level >= level:
                findings.append(FleetFinding(
                    project=name, model="", level=finding.level, kind=finding.kind,
                    summary=finding.summary, party_id=finding.party_id,
                    lists=tuple(finding.match.all_lists) if finding.match else ()))
        critical_total += critical_here
        projects.append(FleetProject(
            name=name, source=source, level=report.level, failed=report.failed,
            fail_on=report.project.policy.fail_on, models=len(report.models),
            critical_models=critical_here, bundled_data=report.bundled_data,
            list_versions=tuple((v.source, v.version, v.fetched_at or v.published, v.stale)
                                for v in report.list_versions),
            coverage=tuple((c.source, c.state) for c in report.coverage),
            flags=_flags(report)))

    vendor_deps = _ranked(vendors, critical_total)
    country_deps = _ranked(countries, critical_total)
    concentration = []
    total_projects = len(projects)
    total_resolved = sum(direct_vendor.values())
    for dimension, deps, direct in (("vendor", vendor_deps, direct_vendor),
                                    ("country", country_deps, direct_country)):
        if not deps:
            continue
        top = deps[0]
        concentration.append(Concentration(
            dimension=dimension, top=top.key, top_name=top.name, projects=top.projects,
            project_share=round(top.projects / total_projects, 4) if total_projects else 0.0,
            model_share=round(direct.get(top.key, 0) / total_resolved, 4) if total_resolved
            else 0.0,
            hhi=_hhi(direct)))
    findings.sort(key=lambda f: (-f.level, f.project, f.model, f.kind, f.summary))
    fleet = Fleet(
        level=level, projects=tuple(projects), models=tuple(models), vendors=vendor_deps,
        countries=country_deps, lists=_ranked(lists, critical_total),
        concentration=tuple(concentration), findings=tuple(findings),
        since=since, warnings=tuple(dict.fromkeys(warnings)))
    if previous is None:
        return fleet
    from dataclasses import replace

    return replace(fleet, changes=compare(previous, fleet))


def _finding_key(f: dict[str, Any]) -> tuple[str, ...]:
    return (f["project"], f["model"], f["kind"], f.get("party_id") or "", f["level"],
            f["summary"])


def compare(previous: dict[str, Any], fleet: Fleet) -> tuple[FleetChange, ...]:
    """What changed since ``previous`` (a fleet JSON document, already validated)."""
    from riskcheck.fleet.render import to_dict

    now = to_dict(fleet)
    changes: list[FleetChange] = []
    before_projects = {p["name"]: p for p in previous["projects"]}
    after_projects = {p["name"]: p for p in now["projects"]}
    for name in sorted(after_projects.keys() - before_projects.keys()):
        changes.append(FleetChange("project-added", name, after=after_projects[name]["level"]))
    for name in sorted(before_projects.keys() - after_projects.keys()):
        changes.append(FleetChange("project-removed", name,
                                   before=before_projects[name]["level"]))
    for name in sorted(before_projects.keys() & after_projects.keys()):
        old, new = before_projects[name]["level"], after_projects[name]["level"]
        if old != new:
            changes.append(FleetChange("level-changed", name, before=old, after=new))
    before_models = {(m["project"], m["model"]): m for m in previous["models"]}
    after_models = {(m["project"], m["model"]): m for m in now["models"]}
    for key in sorted(after_models.keys() - before_models.keys()):
        changes.append(FleetChange("model-added", *key, after=after_models[key]["level"]))
    for key in sorted(before_models.keys() - after_models.keys()):
        changes.append(FleetChange("model-removed", *key, before=before_models[key]["level"]))
    for key in sorted(before_models.keys() & after_models.keys()):
        old, new = before_models[key]["level"], after_models[key]["level"]
        if old != new:
            changes.append(FleetChange("level-changed", *key, before=old, after=new))
    before_findings = {_finding_key(f): f for f in previous["findings"]}
    after_findings = {_finding_key(f): f for f in now["findings"]}
    for key in sorted(after_findings.keys() - before_findings.keys()):
        changes.append(FleetChange("finding-added", key[0], key[1], detail=key[5],
                                   after=key[4]))
    for key in sorted(before_findings.keys() - after_findings.keys()):
        changes.append(FleetChange("finding-removed", key[0], key[1], detail=key[5],
                                   before=key[4]))
    return tuple(changes)
