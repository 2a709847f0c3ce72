"""The public Python API: same answers and errors as the command line, caches under data_dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import riskcheck
from riskcheck.cli import app
from riskcheck.errors import InputError

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "rag-app" / "riskcheck.yaml"


def test_check_gives_the_report_the_command_gives(tmp_path: Path) -> None:
    report = riskcheck.check(EXAMPLE, offline=True, data_dir=tmp_path / "data", bundled=True)
    result = CliRunner().invoke(app, ["check", str(EXAMPLE), "--offline", "--bundled",
                                      "--format", "json"])
    document = json.loads(result.stdout)
    assert report.level.label == document["summary"]["level"]
    assert report.failed == document["summary"]["failed"] == (result.exit_code == 1)
    assert [a.resolution.ref.id for a in report.models] == [
        m["ref"]["id"] for m in document["models"]]


def test_check_policy_preset_and_fail_on_work_like_the_options(tmp_path: Path) -> None:
    lenient = riskcheck.check(EXAMPLE, offline=True, bundled=True, fail_on="critical")
    strict = riskcheck.check(EXAMPLE, offline=True, bundled=True, policy="strict")
    assert lenient.project.policy.fail_on.label == "critical"
    assert strict.project.policy.fail_on <= lenient.project.policy.fail_on


def test_bad_input_raises_the_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        riskcheck.check(tmp_path / "missing.yaml", offline=True)
    assert "\n" not in str(caught.value)
    with pytest.raises(InputError, match="country"):
        riskcheck.screen(["Huawei"], country="Atlantis", bundled=True)


def test_screen_finds_a_listed_organisation_and_not_a_clean_one() -> None:
    listed, clean = riskcheck.screen(["Huawei Technologies Co., Ltd.", "Acme Bakery Ltd"],
                                     country="China", bundled=True)
    assert listed.hits and listed.hits[0].band == "match"
    assert "EL" in {code for hit in listed.hits for code in hit.entity.lists}
    assert not clean.hits


def test_data_dir_holds_every_cache_and_is_restored_after_the_call(tmp_path: Path) -> None:
    from riskcheck import paths

    before = paths.cache_root()
    riskcheck.check(EXAMPLE, offline=True, data_dir=tmp_path / "mine", bundled=True)
    made = {p.name for p in (tmp_path / "mine" / "cache").iterdir()}
    assert "index" in made
    assert paths.cache_root() == before


def test_resolve_works_after_a_check_in_the_same_process() -> None:
    """riskcheck.resolve is a function, whatever stage modules a check imported before."""
    riskcheck.check(EXAMPLE, offline=True, bundled=True)
    qwen, unknown = riskcheck.resolve(["Qwen/Qwen2.5-7B-Instruct", "acme-internal/x-model"],
                                      offline=True)
    assert qwen.vendor is not None and qwen.vendor.country == "CN"
    assert unknown.status == "unresolved" and unknown.hint
