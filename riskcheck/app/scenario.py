"""The scenario use case: score projects again as if an organisation (or a country's) were
listed tomorrow (``riskcheck whatif``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from riskcheck.app.check import project_reports
from riskcheck.errors import InputError
from riskcheck.model import ScenarioResult


def what_if(targets: list[str], *, list_code: str, program: str | None, countries: list[str],
            policy_file: Path | None, bundled: bool, data_dir: Path | None,
            offline: bool) -> ScenarioResult:
    """Run (or read) each project, then score it again under the assumed listing."""
    from riskcheck.model import Assumption, ScenarioResult
    from riskcheck.resolution.registry import load_registry
    from riskcheck.score.scenario import run_scenario, scenario_scorer

    registry = load_registry()
    paths = [Path(t) for t in targets if Path(t).exists()]
    orgs = [_organisation_id(t, registry) for t in targets if not Path(t).exists()]
    codes = [_country_code(c) for c in countries]
    if not orgs and not codes:
        raise InputError("name at least one organisation, or --country",
                         hint="e.g. riskcheck whatif alibaba-group . or riskcheck whatif "
                              "--country CN .")
    code = list_code.strip().upper()
    from riskcheck.project.policy_values import known_lists

    if code not in known_lists():
        raise InputError(f"--list: unknown list code {list_code!r}",
                         hint="choose one of: " + ", ".join(known_lists()))
    assumption = Assumption(organisations=tuple(dict.fromkeys(orgs)), countries=tuple(codes),
                            list_code=code, program=program)
    scorer = scenario_scorer(assumption, country_of={
        record.id: record.organisation.country or "" for record in registry})
    reports, warnings = project_reports(paths or [Path(".")], policy_file=policy_file,
                                        bundled=bundled, data_dir=data_dir, offline=offline)
    projects, affected = [], []
    for report, where in reports:
        outcome, changed = run_scenario(report, assumption, scorer, where)
        projects.append(outcome)
        affected.extend(changed)
    names = tuple((org_id, registry.organisation(org_id).name)  # type: ignore[union-attr]
                  for org_id in assumption.organisations)
    return ScenarioResult(assumption=assumption, assumed_names=names, projects=tuple(projects),
                          affected=tuple(affected), warnings=tuple(dict.fromkeys(warnings)))


def _organisation_id(text: str, registry: Any) -> str:
    """A registry id for ``text``: an id, a known name or alias, or the one organisation at the
    top of every registry entry whose id or name contains it (``alibaba`` -> Alibaba Group)."""
    from riskcheck.resolution.registry import normalise_name

    if registry.get(text) is not None:
        return text
    record = registry.by_name(text)
    if record is not None:
        return str(record.id)
    wanted = normalise_name(text)
    hits = [r for r in registry if wanted and (wanted in normalise_name(r.id) or
                                               wanted in normalise_name(r.organisation.name))]
    ids = {r.id for r in hits}
    tops = [r.id for r in hits
            if not ({step[0].id for step in registry.parent_chain(r.id)} & ids)]
    if len(tops) == 1:
        return str(tops[0])
    if not hits:
        raise InputError(f"unknown organisation {text!r}: not a registry id or name",
                         hint="use a registry id (riskcheck resolve shows them) or a path "
                              "that exists")
    raise InputError(f"organisation {text!r} is ambiguous: "
                     + ", ".join(sorted(str(t) for t in tops)[:8]),
                     hint="name one of them by its registry id")


def _country_code(text: str) -> str:
    from riskcheck.territories import user_code

    code = user_code(text)
    if code is None:
        raise InputError(f"--country: unknown country {text!r}",
                         hint="an ISO code (CN) or an English name (China)")
    return code


__all__ = ["what_if"]
