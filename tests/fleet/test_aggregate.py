"""The fleet's numbers, computed from the examples' results and from edited copies of them."""

from __future__ import annotations

import copy
from pathlib import Path

from riskcheck.fleet.aggregate import aggregate
from riskcheck.fleet.render import to_dict
from riskcheck.formats.json_load import report_from_dict
from riskcheck.model import Level


def _reports(results: dict[str, dict]) -> list:
    return [(report_from_dict(data), f"{name}.json") for name, data in sorted(results.items())]


def test_dependencies_count_projects_models_and_critical_share(fleet_results) -> None:
    _, results = fleet_results
    fleet = aggregate(_reports(results))
    vendors = {d.key: d for d in fleet.vendors}
    # Qwen directly and through Nexusflow's fine-tune: two projects reach Alibaba.
    assert vendors["alibaba-cloud"].projects == 2
    assert set(vendors["alibaba-cloud"].project_names) == {"qwen-chat", "athene-analytics"}
    assert {"upstream", "vendor"} <= set(vendors["alibaba-cloud"].roles)
    assert vendors["meta"].projects == 1
    critical = sum(p.critical_models for p in fleet.projects)
    assert critical == 4  # llama-assistant's one model is of medium criticality
    assert vendors["alibaba-cloud"].critical_share == 0.5
    countries = {d.key: d for d in fleet.countries}
    assert countries["CN"].projects == 3 and countries["RU"].projects == 1
    lists = {d.key: d for d in fleet.lists}
    assert lists["1260H"].projects == 2 and lists["SDN"].project_names == ("gigachat-support",)
    by_dimension = {c.dimension: c for c in fleet.concentration}
    assert by_dimension["country"].top == "CN"
    assert by_dimension["country"].project_share == 0.6
    # Direct vendors: five models on five different vendors.
    assert by_dimension["vendor"].hhi == 0.2


def test_findings_respect_the_level(fleet_results) -> None:
    _, results = fleet_results
    high = aggregate(_reports(results), level=Level.HIGH)
    assert high.findings and {f.project for f in high.findings} == {"gigachat-support"}
    assert all(f.level >= Level.HIGH for f in high.findings)
    medium = aggregate(_reports(results), level=Level.MEDIUM)
    assert {"qwen-chat", "baai-search"} <= {f.project for f in medium.findings}
    assert [p.name for p in medium.failing] == ["gigachat-support"]


def test_weak_screening_data_is_flagged(fleet_results) -> None:
    _, results = fleet_results
    data = copy.deepcopy(results["qwen-chat"])
    data["summary"]["bundled_data"] = False
    data["list_versions"][0]["stale"] = True
    data["list_versions"][0]["origin"] = "store"
    blank = {"version": None, "published": None, "fetched_at": None, "record_count": 0,
             "snapshot_date": None, "required": False}
    data["coverage"] = [{**blank, "source": "us_csl", "state": "bundled"},
                        {**blank, "source": "uk_sanctions", "state": "missing"}]
    stale_source = data["list_versions"][0]["source"]
    fleet = aggregate([(report_from_dict(data), "q.json"),
                       (report_from_dict(results["llama-assistant"]), "l.json")])
    flags = {p.name: p.flags for p in fleet.projects}
    assert flags["qwen-chat"] == (f"stale: {stale_source}", "bundled-only: us_csl",
                                  "missing: uk_sanctions")
    assert flags["llama-assistant"][0] == "bundled"


def test_same_name_projects_stay_apart(fleet_results) -> None:
    _, results = fleet_results
    report = report_from_dict(results["qwen-chat"])
    fleet = aggregate([(report, "a/result.json"), (report, "b/result.json")])
    assert [p.name for p in fleet.projects] == ["qwen-chat (a/result.json)",
                                                "qwen-chat (b/result.json)"]
    assert fleet.vendors[0].projects == 2


def test_changes_since_a_previous_fleet(fleet_results) -> None:
    _, results = fleet_results
    before = to_dict(aggregate(_reports(results)))
    later = {k: v for k, v in results.items() if k != "baai-search"}
    raised = copy.deepcopy(later["qwen-chat"])
    raised["models"][0]["level"] = "high"
    later["qwen-chat"] = raised
    later["new-project"] = copy.deepcopy(results["llama-assistant"])
    later["new-project"]["project"]["name"] = "new-project"
    fleet = aggregate(_reports(later), previous=before, since="before.json")
    changes = {(c.kind, c.project, c.model, c.before, c.after) for c in fleet.changes}
    assert ("project-removed", "baai-search", "", "medium", "") in changes
    assert ("model-removed", "baai-search", "BAAI/bge-m3", "medium", "") in changes
    assert ("project-added", "new-project", "", "", "none") in changes
    assert ("level-changed", "qwen-chat", "Qwen/Qwen2.5-7B-Instruct", "medium", "high") in changes
    unchanged = aggregate(_reports(results), previous=before, since="before.json")
    assert unchanged.changes == ()


def test_json_round_trips_through_since(fleet_results, tmp_path: Path) -> None:
    from riskcheck.fleet.render import load_previous, render

    _, results = fleet_results
    path = tmp_path / "fleet.json"
    path.write_text(render(aggregate(_reports(results)), "json"), encoding="utf-8")
    previous = load_previous(path)
    assert previous["schema_version"] == "1.0" and previous["kind"] == "riskcheck-fleet"
    assert aggregate(_reports(results), previous=previous).changes == ()
