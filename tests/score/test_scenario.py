"""What-if scenarios: an assumed listing goes through ownership, lineage and scoring like a
real one, and the command reports today -> scenario per project and model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskcheck.cli import main
from riskcheck.model import Assumption, Level, Policy, Report
from riskcheck.score.scenario import assumed_matches, run_scenario, scenario_scorer
from tests.score.builders import SBERBANK_SDN, gigachat, match, qwen, scorer

ALIBABA = Assumption(organisations=("alibaba-group",))


def _report(*assessments, fail_on: Level = Level.HIGH) -> Report:  # type: ignore[no-untyped-def]
    from riskcheck.model import Project

    policy = Policy(fail_on=fail_on)
    level = max((a.level for a in assessments), default=Level.NONE)
    return Report(project=Project(name="p", owner=None, models=(), policy=policy),
                  models=tuple(assessments), list_versions=(), level=level,
                  score=0.0, failed=level >= fail_on, bundled_data=True)


def test_parent_listing_reaches_the_vendor_through_the_50_percent_rule() -> None:
    today = scorer().assess(qwen(), [], Policy())
    outcome, changed = run_scenario(_report(today), ALIBABA, scenario_scorer(ALIBABA, scorer()))
    (model,) = changed
    assert model.after > model.before and model.after >= Level.HIGH
    assert any(v.startswith("parent Alibaba Group") for v in model.via)
    assert any(v.startswith("ownership rule") for v in model.via)
    assert outcome.failed_after and not outcome.failed_before


def test_an_assumed_listing_is_never_matched_to_unrelated_models() -> None:
    today = scorer().assess(gigachat("api"), [match("sberbank", "parent", SBERBANK_SDN)],
                            Policy())
    assert assumed_matches(today.resolution, ALIBABA) == ()
    outcome, changed = run_scenario(_report(today), ALIBABA, scenario_scorer(ALIBABA, scorer()))
    assert changed == [] and outcome.after == outcome.before


def test_country_assumption_lists_every_party_based_there() -> None:
    resolution = qwen()
    found = assumed_matches(resolution, Assumption(countries=("CN",)))
    assert {m.party_id for m in found} == {p.organisation.id for p in resolution.parties
                                            if p.organisation.country == "CN"}
    assert all(m.band == "match" and m.entity.source == "scenario" for m in found)


def test_alternatives_never_suggest_an_assumed_vendor() -> None:
    scenario = Assumption(organisations=("meta", "mistral-ai", "ibm"))
    today = scorer().assess(qwen(), [], Policy())
    _, changed = run_scenario(_report(today), ALIBABA, scenario_scorer(scenario, scorer()))
    assert all(not alt.startswith(("meta-llama/", "mistralai/", "ibm-granite/"))
               for m in changed for alt in m.alternatives)


# --- the command --------------------------------------------------------------------------

PROJECTS = {
    "qwen-direct": "  - id: Qwen/Qwen2.5-7B-Instruct\n    usage: self-hosted\n",
    "qwen-finetune": "  - id: deepseek-ai/DeepSeek-R1-Distill-Qwen-7B\n    usage: self-hosted\n",
    "llama": "  - id: meta-llama/Llama-3.1-8B-Instruct\n    usage: self-hosted\n",
    "baai": "  - id: BAAI/bge-m3\n    usage: self-hosted\n",
}


@pytest.fixture
def fleet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RISKCHECK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CI", raising=False)
    root = tmp_path / "fleet"
    for name, models in PROJECTS.items():
        (root / name).mkdir(parents=True)
        (root / name / "riskcheck.yaml").write_text(
            f"version: 1\nproject:\n  name: {name}\nmodels:\n{models}", encoding="utf-8")
    return root


def _whatif(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    with pytest.raises(SystemExit) as done:
        main(["whatif", *args, "--bundled", "--offline", "-f", "json"])
    out = capsys.readouterr()
    return int(done.value.code or 0), json.loads(out.out) if out.out else {"err": out.err}


def test_whatif_alibaba_over_a_folder_of_projects(capsys: pytest.CaptureFixture[str],
                                                  fleet: Path) -> None:
    code, data = _whatif(capsys, "alibaba", str(fleet))
    assert data["scenario"]["organisations"] == [{"id": "alibaba-group", "name": "Alibaba Group"}]
    affected = {a["project"]: a for a in data["affected"]}
    assert set(affected) == {"qwen-direct", "qwen-finetune"}
    assert any("upstream" in v for v in affected["qwen-finetune"]["via"])
    assert data["summary"]["newly_failing"] == ["qwen-direct"]
    assert code == 1


def test_whatif_country_and_saved_results(capsys: pytest.CaptureFixture[str], fleet: Path,
                                         tmp_path: Path) -> None:
    saved = tmp_path / "llama.json"
    with pytest.raises(SystemExit):
        main(["check", str(fleet / "llama"), "--bundled", "--offline", "-f", "json",
              "-o", str(saved)])
    capsys.readouterr()
    code, data = _whatif(capsys, "--country", "United States", str(saved))
    assert data["scenario"]["countries"] == ["US"]
    (model,) = data["affected"]
    assert model["model"] == "meta-llama/Llama-3.1-8B-Instruct" and model["after"] != "none"
    assert code == 1


@pytest.mark.parametrize("args,needle", [
    (["no-such-organisation-xyz"], "unknown organisation"),
    ([], "name at least one organisation"),
    (["alibaba-group", "--list", "NOPE"], "unknown list code"),
    (["--country", "Atlantis"], "unknown country"),
])
def test_whatif_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], fleet: Path,
                                                 args: list[str], needle: str) -> None:
    code, data = _whatif(capsys, *args, str(fleet))
    assert code == 2 and needle in data["err"] and "Traceback" not in data["err"]


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_whatif_other_formats(capsys: pytest.CaptureFixture[str], fleet: Path, fmt: str) -> None:
    with pytest.raises(SystemExit):
        main(["whatif", "alibaba-group", str(fleet / "qwen-direct"), "--bundled", "--offline",
              "-f", fmt])
    out = capsys.readouterr().out
    assert "Qwen/Qwen2.5-7B-Instruct" in out and "\x1b" not in out
