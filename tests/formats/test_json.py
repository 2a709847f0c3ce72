"""The JSON result: layout, determinism, schema, and the round trip through json_load."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from riskcheck import model
from riskcheck.errors import InputError
from riskcheck.formats.json_format import JsonFormat, report_to_dict
from riskcheck.formats.json_load import load_report, report_from_dict, result_schema
from riskcheck.model import Finding, Level, RunMetadata


def test_top_level_layout_and_order(report):
    data = report_to_dict(report)
    assert list(data) == ["schema_version", "tool", "project", "summary", "models",
                          "project_findings", "undeclared", "list_versions", "coverage", "warnings",
                          "run"]
    assert data["schema_version"] == "1.1"
    assert data["tool"] == {"name": "riskcheck", "version": "0.1.0"}
    assert data["summary"]["counts"] == {"none": 1, "low": 1, "medium": 1, "high": 1,
                                         "critical": 2}
    assert data["summary"]["unresolved"] == 1
    assert data["summary"]["failed"] is True and data["summary"]["fail_on"] == "high"
    assert data["run"]["run_id"] == "3f9c2a7b1d4e"


def test_model_block(report, names):
    glm = report_to_dict(report)["models"][1]
    assert glm["ref"]["id"] == "zai/glm-4.6"
    assert glm["ref"]["location"] == {"path": "src/app/llm.py", "line": 14, "column": 17,
                                      "detector": "litellm"}
    assert glm["resolution"]["vendor"] == {"id": "zhipu", "name": "Zhipu AI", "country": "CN"}
    assert glm["resolution"]["serving"]["host"] == "api.z.ai"
    match = glm["matches"][0]
    assert match["entity"]["lists"] == ["EL"]
    assert match["entity"]["aliases"][0] == {"name": names["cjk"], "kind": "native",
                                             "strength": "strong"}
    assert match["explanation"]["features"] == {"name_jaro": 1.0, "token_overlap": 1.0}
    assert glm["findings"][0]["match_ref"] == 0
    assert glm["findings"][1]["match_ref"] is None
    assert glm["level"] == "critical"


def test_text_keeps_native_scripts_unescaped(report, names):
    text = JsonFormat().render(report)
    assert names["cjk"] in text and names["cyrillic"] in text and names["arabic"] in text
    assert text.endswith("}\n")


def test_floats_are_rounded(report):
    noisy = replace(report, score=0.1 + 0.2)
    assert report_to_dict(noisy)["summary"]["score"] == 0.3


def test_identical_inputs_give_identical_text_outside_run(make):
    first = make()
    second = replace(make(), metadata=RunMetadata("0.1.0", "2026-11-30T10:00:00+00:00",
                                                         99, "ffffffffffff"))
    a, b = report_to_dict(first), report_to_dict(second)
    assert a["run"] != b["run"]
    a.pop("run"), b.pop("run")
    assert json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)
    assert JsonFormat().render(make()) == JsonFormat().render(make())


def test_output_validates_against_shipped_schema(report, big_report, bundled_report):
    validator = jsonschema.Draft202012Validator(result_schema())
    jsonschema.Draft202012Validator.check_schema(result_schema())
    for r in (report, big_report, bundled_report, replace(report, metadata=None)):
        validator.validate(report_to_dict(r))


def test_round_trip_is_exact(report, big_report, bundled_report):
    for r in (report, big_report, bundled_report, replace(report, metadata=None)):
        assert report_from_dict(report_to_dict(r)) == r


def test_round_trip_through_text_file(tmp_path: Path, report):
    path = tmp_path / "result.json"
    path.write_text(JsonFormat().render(report), encoding="utf-8")
    assert load_report(path) == report


def test_project_finding_with_its_own_match_round_trips(report):
    match = report.models[0].matches[0]
    extra = Finding("concentration", Level.MEDIUM, "two models share a listed parent",
                    match=match, score=0.5)
    r = replace(report, project_findings=(extra,))
    data = report_to_dict(r)
    assert data["project_findings"][0]["match"]["entity"]["source"] == "us_dod_1260h"
    assert report_from_dict(data) == r


def test_declared_models_kept_when_they_differ(report):
    extra_ref = model.ModelRef(id="declared-but-skipped")
    r = replace(report, project=replace(report.project,
                                        models=report.project.models + (extra_ref,)))
    data = report_to_dict(r)
    assert data["project"]["declared_models"][-1]["id"] == "declared-but-skipped"
    assert report_from_dict(data) == r


def test_policy_exceptions_round_trip(report):
    exception_cls = getattr(model, "PolicyException", None)
    if exception_cls is None or "exceptions" not in model.Policy.__dataclass_fields__:
        pytest.skip("Policy has no exceptions field in this version of model.py")
    exc = exception_cls(id="EXC-2026-004", model="tiiuae/Falcon3-7B-Instruct", lists=("UN",),
                        reason="reviewed: different organisation", approver="j.doe (compliance)",
                        created="2026-10-01", expires="2027-04-01", level=Level.LOW)
    r = replace(report, project=replace(report.project,
                                        policy=replace(report.project.policy, exceptions=(exc,))))
    data = report_to_dict(r)
    assert data["project"]["policy"]["exceptions"][0]["approver"] == "j.doe (compliance)"
    assert report_from_dict(data) == r


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_bad_files_raise_input_error_with_path(tmp_path: Path, report):
    with pytest.raises(InputError, match="result file not found"):
        load_report(tmp_path / "missing.json")
    with pytest.raises(InputError, match=r"bad\.json:1:2: not JSON") as caught:
        load_report(_write(tmp_path, "{nope"))
    assert "riskcheck check --format json" in str(caught.value)
    with pytest.raises(InputError, match="no schema_version"):
        load_report(_write(tmp_path, {"models": []}))
    data = report_to_dict(report)
    with pytest.raises(InputError, match="schema_version 2.0 is not supported"):
        load_report(_write(tmp_path, {**data, "schema_version": "2.0"}))
    with pytest.raises(InputError, match="schema_version 1.9 is not supported"):
        load_report(_write(tmp_path, {**data, "schema_version": "1.9"}))
    broken = json.loads(json.dumps(data))
    broken["models"][0]["level"] = "severe"
    with pytest.raises(InputError, match=r"invalid result at models/0/level"):
        load_report(_write(tmp_path, broken))
    dangling = json.loads(json.dumps(data))
    dangling["models"][0]["findings"][0]["match_ref"] = 7
    with pytest.raises(InputError, match="refers to match 7"):
        report_from_dict(dangling)
