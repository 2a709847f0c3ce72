"""SARIF 2.1.0: schema-valid, one rule per kind, levels, locations, stable fingerprints."""

from __future__ import annotations

import json
from dataclasses import replace

import jsonschema

from riskcheck.formats import facts
from riskcheck.formats.sarif import SarifFormat, fingerprint
from riskcheck.model import SourceLocation


def _sarif(report) -> dict:
    return json.loads(SarifFormat().render(report))


def test_valid_against_official_schema(report, big_report, bundled_report, sarif_schema_path):
    schema = json.loads(sarif_schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    for r in (report, big_report, bundled_report, replace(report, metadata=None)):
        errors = sorted(validator.iter_errors(_sarif(r)), key=lambda e: e.path)
        assert not errors, errors[0].message


def test_driver_and_rules(report):
    run = _sarif(report)["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "riskcheck" and driver["version"] == "0.1.0"
    assert "informationUri" not in driver  # riskcheck has no public home page to point at yet
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == [f"riskcheck/{kind}" for kind in facts.KIND_HELP]
    assert all(rule["help"]["text"] for rule in driver["rules"])


def test_one_result_per_finding_with_levels(report):
    results = _sarif(report)["runs"][0]["results"]
    total = sum(len(a.findings) for a in report.models) + len(report.project_findings)
    assert len(results) == total
    by_level = {r["properties"]["exposureLevel"]: r["level"] for r in results}
    assert by_level == {"critical": "error", "high": "error", "medium": "warning",
                        "low": "note"}
    rules = _sarif(report)["runs"][0]["tool"]["driver"]["rules"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_locations(report):
    results = _sarif(report)["runs"][0]["results"]
    qwen = results[0]["locations"][0]["physicalLocation"]
    assert qwen == {"artifactLocation": {"uri": "riskcheck.yaml", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 8, "startColumn": 5}}
    glm = results[2]["locations"][0]["physicalLocation"]
    assert glm["artifactLocation"]["uri"] == "src/app/llm.py"
    assert glm["region"] == {"startLine": 14, "startColumn": 17}
    project = results[-1]["locations"][0]["physicalLocation"]
    assert project["region"] == {"startLine": 1}


def test_paths_are_uris(report):
    ref = report.models[0].resolution.ref
    odd = replace(ref, location=SourceLocation(path=".\\deploy dir\\riskcheck.yaml", line=3))
    model = replace(report.models[0], resolution=replace(report.models[0].resolution, ref=odd))
    result = _sarif(replace(report, models=(model,)))["runs"][0]["results"][0]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "deploy%20dir/riskcheck.yaml"


def test_fingerprints_stable_and_distinct(report, make):
    first = [r["partialFingerprints"] for r in _sarif(report)["runs"][0]["results"]]
    again = [r["partialFingerprints"] for r in _sarif(make())["runs"][0]["results"]]
    assert first == again
    values = [f["riskcheckFinding/v1"] for f in first]
    assert len(set(values)) == len(values)
    finding = report.models[0].findings[0]
    reworded = replace(finding, summary="different words", score=0.1)
    assert fingerprint("qwen2.5:7b", finding) == fingerprint("qwen2.5:7b", reworded)


def test_exception_is_a_suppression_and_run_properties(report):
    run = _sarif(report)["runs"][0]
    falcon = next(r for r in run["results"]
                  if r["properties"].get("model", "").startswith("tiiuae"))
    assert falcon["suppressions"][0]["status"] == "accepted"
    props = run["properties"]
    assert [v["source"] for v in props["listVersions"]] == [v.source for v in report.list_versions]
    assert props["listVersions"][0]["version"] == report.list_versions[0].version
    assert props["overallLevel"] == "critical" and props["failed"] is True
