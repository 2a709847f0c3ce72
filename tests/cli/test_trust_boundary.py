"""Nothing a pull request writes (manifest, its policy block, a policy beside it) can loosen
the operator's ``--policy``: it can only make the run stricter, and what it tried is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskcheck.cli import main
from riskcheck.model import CountryTier, Level, Policy
from riskcheck.score.trust import govern, without_operator_keys
from riskcheck.project.policy import load_preset

LOOSENING = """\
policy:
  severity: {SDN: none, EL: none, 1260H: none, CMIC: none, EU: none, UK: none, FCC: none}
  unresolved: ignore
  allowed_countries: [CN, RU]
  allowed_vendors: [baai]
  fail_on: critical
  review_weight: 0.1
  usage_weights: {api: 0.1, self-hosted: 0.1}
  country_tiers: {tier-1: {vendor_level: none, data_level: none}}
"""


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKCHECK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CI", raising=False)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    with pytest.raises(SystemExit) as done:
        main(["check", *args, "--offline", "--bundled", "-f", "json"])
    return int(done.value.code or 0), json.loads(capsys.readouterr().out)


def _project(tmp_path: Path, models: str, policy: str = "", beside: str | None = None) -> Path:
    manifest = tmp_path / "repo" / "riskcheck.yaml"
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(f"version: 1\nproject:\n  name: pr\n{policy}models:\n{models}",
                        encoding="utf-8")
    if beside is not None:
        (manifest.parent / "riskcheck-policy.yaml").write_text(beside, encoding="utf-8")
    return manifest


def _operator(tmp_path: Path, text: str = "policy:\n  fail_on: high\n") -> Path:
    path = tmp_path / "org-policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


BGE = "  - id: BAAI/bge-small-en-v1.5\n"
UNKNOWN = "  - id: some-unknown-org/some-model\n"


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("where", ["manifest", "beside"])
def test_pull_request_cannot_loosen_the_operator_policy(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, where: str) -> None:
    manifest = (_project(tmp_path, BGE + UNKNOWN, policy=LOOSENING) if where == "manifest"
                else _project(tmp_path, BGE + UNKNOWN, beside=LOOSENING))
    code, loose = _run(capsys, str(manifest))
    assert code == 0 and loose["summary"]["level"] in ("none", "low")  # no operator: PR governs
    code, data = _run(capsys, str(manifest), "--policy", str(_operator(tmp_path)))
    assert code == 1
    bge = next(m for m in data["models"] if m["ref"]["id"].startswith("BAAI/"))
    assert bge["level"] == "high"
    ignored = [w for w in data["warnings"] if " ignored " in w]
    for key in ("severity EL none", "severity SDN none", "fail_on critical", "unresolved_level none",
                "allowed_countries", "allowed_vendors", "review_weight 0.1", "usage_weights",
                "country_tiers"):
        assert any(key in w for w in ignored), (key, ignored)
    if where == "beside":
        assert all("riskcheck-policy.yaml" in w for w in ignored)


def test_stricter_pull_request_settings_are_applied(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    manifest = _project(tmp_path, "  - id: mistralai/Mistral-7B-Instruct-v0.3\n" + UNKNOWN,
                        policy="policy:\n  fail_on: medium\n  unresolved: fail\n"
                               "  denied_vendors: [mistral-ai]\n")
    code, data = _run(capsys, str(manifest), "--policy", str(_operator(tmp_path)))
    assert code == 1
    assert data["summary"]["fail_on"] == "medium"
    kinds = {f["kind"] for m in data["models"] for f in m["findings"]}
    assert "denied-vendor" in kinds
    assert not [w for w in data["warnings"] if " ignored " in w]


EXCEPTION = """\
exceptions:
  - id: EXC-PR-1
    model: BAAI/bge-small-en-v1.5
    lists: [EL]
    name: Beijing Academy of Artificial Intelligence
    reason: written by the pull request
    approver: nobody@example.com
    created: 2026-11-01
    expires: 2027-11-01
"""


def test_pull_request_exceptions_need_the_operator_to_allow_them(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    manifest = _project(tmp_path, BGE, beside=EXCEPTION)
    code, data = _run(capsys, str(manifest), "--policy", str(_operator(tmp_path)))
    assert code == 1
    assert not any(f["exception_id"] for m in data["models"] for f in m["findings"])
    assert any("EXC-PR-1" in w and "allow_exceptions_from" in w for w in data["warnings"])
    allowing = _operator(tmp_path, "policy:\n  fail_on: high\n  allow_exceptions_from: manifest\n")
    code, data = _run(capsys, str(manifest), "--policy", str(allowing))
    assert any(f["exception_id"] == "EXC-PR-1" for m in data["models"] for f in m["findings"])


def test_conflicting_vendor_override_is_a_finding_and_the_registry_vendor_is_screened(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    manifest = _project(tmp_path, "  - id: BAAI/bge-small-en-v1.5\n    vendor: meta\n")
    code, data = _run(capsys, str(manifest), "--fail-on", "low")
    assert code == 1
    (model,) = data["models"]
    assert model["resolution"]["vendor"]["id"] == "baai"
    assert model["resolution"]["override_conflict"] == "baai"
    assert any(m["band"] == "match" and "EL" in m["lists"] for m in model["matches"])
    assert "vendor-override" in {f["kind"] for f in model["findings"]}
    # The manifest cannot allow it for itself ...
    manifest = _project(tmp_path, "  - id: BAAI/bge-small-en-v1.5\n    vendor: meta\n",
                        policy="policy:\n  allow_vendor_overrides: true\n")
    code, data = _run(capsys, str(manifest), "--fail-on", "low")
    assert code == 1 and data["models"][0]["resolution"]["vendor"]["id"] == "baai"
    assert any("allow_vendor_overrides ignored" in w for w in data["warnings"])
    # ... the operator can.
    allowing = _operator(tmp_path, "policy:\n  allow_vendor_overrides: true\n")
    code, data = _run(capsys, str(manifest), "--policy", str(allowing), "--fail-on", "low")
    (model,) = data["models"]
    assert model["resolution"]["vendor"]["id"] == "meta"
    assert "vendor-override" not in {f["kind"] for f in model["findings"]}
    assert any("honoured" in t for t in model["resolution"]["tried"])


def test_override_within_the_same_corporate_family_is_no_conflict(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    manifest = _project(tmp_path, "  - id: Qwen/Qwen2.5-7B-Instruct\n"
                                  "    vendor: alibaba-group\n")
    code, data = _run(capsys, str(manifest))
    (model,) = data["models"]
    assert model["resolution"]["override_conflict"] is None
    assert model["resolution"]["vendor"]["id"] == "alibaba-group"


# --- govern() on its own -------------------------------------------------------------------

BASE = load_preset("default")


def test_govern_keeps_the_stricter_value_of_each_setting() -> None:
    from dataclasses import replace

    operator = replace(BASE, fail_on=Level.HIGH, max_list_age_days=7, denied_vendors=("a",),
                       allowed_countries=("AE",), max_vendor_share=0.5)
    proposed = replace(BASE, fail_on=Level.MEDIUM, max_list_age_days=30, denied_vendors=("b",),
                       allowed_countries=("AE", "CN"), max_vendor_share=None,
                       lineage_weight=0.9)
    result = govern(operator, proposed, BASE)
    p = result.policy
    assert p.fail_on == Level.MEDIUM and p.max_list_age_days == 7
    assert p.denied_vendors == ("a", "b") and p.allowed_countries == ("AE",)
    assert p.max_vendor_share == 0.5 and p.lineage_weight == 0.9
    assert len(result.ignored) == 3  # list age, the CN allowance, the share limit


def test_govern_accepts_tier_changes_that_only_raise() -> None:
    from dataclasses import replace

    raising = replace(BASE, country_tiers=(CountryTier(name="tier-1", vendor_level=Level.HIGH),))
    lowering = replace(BASE, country_tiers=(CountryTier(name="tier-1", countries=("RU",)),))
    assert govern(BASE, raising, BASE).policy.country_tiers == raising.country_tiers
    kept = govern(BASE, lowering, BASE)
    assert kept.policy.country_tiers == BASE.country_tiers
    assert any("country_tiers" in line and "CN" in line for line in kept.ignored)


def test_severity_raise_is_kept_and_a_program_cannot_undercut() -> None:
    from dataclasses import replace

    raised = replace(BASE, severity_overrides=(("1260H", Level.CRITICAL),))
    assert govern(BASE, raised, BASE).policy.severity_overrides == (("1260H", Level.CRITICAL),)
    program = replace(BASE, severity_overrides=(("SDN:RUSSIA-EO14024", Level.LOW),))
    result = govern(BASE, program, BASE)
    assert result.policy.severity_overrides == () and result.ignored


def test_without_operator_the_operator_only_keys_are_dropped() -> None:
    from dataclasses import replace

    proposed = replace(Policy(), allow_vendor_overrides=True, allow_exceptions_from=("manifest",))
    result = without_operator_keys(proposed)
    assert not result.policy.allow_vendor_overrides and result.policy.allow_exceptions_from == ()
    assert len(result.ignored) == 2


def test_policy_option_takes_a_preset_name(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    manifest = _project(tmp_path, BGE)
    code, data = _run(capsys, str(manifest), "--policy", "strict")
    assert data["summary"]["fail_on"] == "medium"
    with pytest.raises(SystemExit) as done:
        main(["check", str(manifest), "--offline", "--bundled", "--policy", "no-such-preset"])
    err = capsys.readouterr().err
    assert done.value.code == 2 and "strict" in err and "Traceback" not in err
