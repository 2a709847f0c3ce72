"""Policy parsing: presets as data, every key, located one-line errors, policy files."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml

from riskcheck.errors import ExitCode, InputError
from riskcheck.model import CountryTier, Level, Policy
from riskcheck.project.policy import (
    CONCENTRATION_KEYS,
    KEYS,
    load_policy_file,
    load_preset,
    parse_policy,
    preset_names,
)
from riskcheck.yamlio import load_yaml

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "riskcheck" / "schemas" / "policy.schema.json").read_text())


def parse(text: str, **kwargs: object) -> Policy:
    data, locator = load_yaml(text, "riskcheck.yaml")
    data = data or {}
    return parse_policy(data.get("policy"), locator, ("policy",),
                        exceptions=data.get("exceptions"), **kwargs)  # type: ignore[arg-type]


def error(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        parse(text)
    return caught.value


def test_presets_are_data_and_default_equals_model_defaults() -> None:
    assert preset_names() == ("default", "permissive", "strict")
    assert load_preset("default") == Policy()


def test_strict_preset_is_for_government_contractors() -> None:
    strict = load_preset("strict")
    assert strict.fail_on == Level.MEDIUM
    assert dict(strict.severity_overrides) == {"1260H": Level.HIGH, "FCC": Level.HIGH}
    assert strict.fail_on_unresolved is True
    assert strict.affiliates_rule is True
    assert strict.preset == "strict"


def test_permissive_preset_fails_only_on_critical() -> None:
    permissive = load_preset("permissive")
    assert permissive.fail_on == Level.CRITICAL
    assert permissive.unresolved_level == Level.LOW
    assert permissive.max_vendor_share is None


def test_no_policy_block_is_the_default_preset() -> None:
    assert parse("models: []\n") == Policy()


def test_keys_replace_the_preset_values() -> None:
    policy = parse("""
policy:
  preset: strict
  fail_on: high
  severity: {SDN: high, "EU:RUS": medium}
  denied_vendors: [deepseek]
  allowed_vendors: [zai-sg]
  denied_countries: [kp]
  allowed_countries: [HK]
  lineage_weight: 0.3
  usage_weights: {self-hosted: 0.5}
  concentration: {max_vendor_share: 0.4, min_models: 5}
  country_tiers:
    tier-1: {vendor_level: high}
    tier-3: [SG]
  unresolved: warn
  exception_level: none
  alternatives_from: high
""")
    assert policy.preset == "strict" and policy.fail_on == Level.HIGH
    assert dict(policy.severity_overrides) == {"SDN": Level.HIGH, "EU:RUS": Level.MEDIUM}
    assert policy.denied_vendors == ("deepseek",) and policy.allowed_vendors == ("zai-sg",)
    assert policy.denied_countries == ("KP",) and policy.allowed_countries == ("HK",)
    assert policy.lineage_weight == 0.3
    assert dict(policy.usage_weights) == {"api": 1.0, "self-hosted": 0.5, "unknown": 1.0}
    assert policy.max_vendor_share == 0.4 and policy.concentration_min_models == 5
    assert policy.max_country_share == 0.75, "strict's other limits are kept"
    assert policy.country_tiers == (CountryTier("tier-1", None, Level.HIGH, None),
                                    CountryTier("tier-3", ("SG",)))
    assert policy.unresolved_level == Level.LOW and policy.fail_on_unresolved is False
    assert policy.exception_level == Level.NONE and policy.alternatives_from == Level.HIGH


@pytest.mark.parametrize("value, level, fails", [
    ("fail", Level.MEDIUM, True), ("warn", Level.LOW, False), ("ignore", Level.NONE, False),
    ("high", Level.HIGH, False)])
def test_unresolved_setting(value: str, level: Level, fails: bool) -> None:
    policy = parse(f"policy:\n  unresolved: {value}\n")
    assert policy.unresolved_level == level and policy.fail_on_unresolved is fails


def test_manifest_call_signature_is_kept() -> None:
    data, locator = load_yaml("policy:\n  fail_on: low\n", "m.yaml")
    assert parse_policy(data["policy"], locator).fail_on == Level.LOW
    assert parse_policy(None, locator) == Policy()


@pytest.mark.parametrize("text, message, position", [
    ("policy:\n  fail_on: severe\n", "unknown level 'severe'", "2:12"),
    ("policy:\n  nonsense: 1\n", "unknown key 'nonsense'", "2:3"),
    ("policy:\n  preset: lax\n", "unknown preset 'lax'", "2:11"),
    ("policy:\n  lineage_weight: 2\n", "lineage_weight is 2", "2:19"),
    ("policy:\n  denied_vendors: [DeepSeek]\n", "'DeepSeek' is not a registry vendor id", "2:20"),
    ("policy:\n  denied_countries: [China]\n", "'China' is not a country code", "2:22"),
    ("policy:\n  denied_countries: [XX]\n", "unknown country code 'XX'", "2:22"),
    ("policy:\n  severity: {OFAC: high}\n", "unknown list code 'OFAC'", "2:14"),
    ("policy:\n  unresolved: maybe\n", "unresolved must be fail, warn, ignore or a level", "2:15"),
    ("policy:\n  exception_level: high\n", "exception_level must be none or low", "2:20"),
    ("policy:\n  concentration: {max_vendor_share: 1.5}\n", "max_vendor_share is 1.5", "2:37"),
    ("policy:\n  denied_vendors: [a]\n  allowed_vendors: [a]\n", "both denied and allowed",
     "3:20"),
    ("policy:\n  country_tiers: {tier-1: [CN], tier-2: [CN]}\n", "country CN is in tiers",
     "2:41"),
    ("policy: [1]\n", "policy must be a mapping", "1:9"),
])
def test_invalid_policy_is_one_located_line(text: str, message: str, position: str) -> None:
    caught = error(text)
    assert message in str(caught)
    assert str(caught).startswith(f"riskcheck.yaml:{position}: ")
    assert "\n" not in str(caught)
    assert caught.exit_code == ExitCode.USAGE


EXCEPTION = """
exceptions:
  - id: EX-1
    model: Qwen/Qwen2.5-7B-Instruct
    list: 1260H
    name: Alibaba Group Holding Limited
    reason: vendor assessment 2026-03, weights run air-gapped
    approver: compliance@example.com
    created: 2026-03-01
    expires: 2027-03-01
"""


def test_exceptions_are_parsed_with_dates_and_location() -> None:
    policy = parse(EXCEPTION)
    (ex,) = policy.exceptions
    assert (ex.id, ex.lists, ex.name, ex.created, ex.expires) == (
        "EX-1", ("1260H",), "Alibaba Group Holding Limited", "2026-03-01", "2027-03-01")
    assert ex.location is not None and ex.location.line == 3
    assert ex.level is None


@pytest.mark.parametrize("change, message", [
    (("    list: 1260H\n", ""), "exception must say which list(s) it covers"),
    (("    name: Alibaba Group Holding Limited\n", ""), "exception must name the listed entity"),
    (("    name: Alibaba Group Holding Limited\n", "    source_id: '7'\n"),
     "source_id needs the list source too"),
    (("    expires: 2027-03-01\n", "    expires: 2025-01-01\n"), "expires (2025-01-01) before"),
    (("    expires: 2027-03-01\n", "    expires: next year\n"), "must be an ISO date"),
    (("    approver: compliance@example.com\n", ""), "missing 'approver'"),
    (("    list: 1260H\n", "    list: DOD\n"), "unknown list code 'DOD'"),
])
def test_invalid_exceptions(change: tuple[str, str], message: str) -> None:
    caught = error(EXCEPTION.replace(*change))
    assert message in str(caught)
    assert str(caught).startswith("riskcheck.yaml:")


def test_duplicate_exception_ids_are_rejected() -> None:
    text = EXCEPTION + EXCEPTION.split("exceptions:\n")[1]
    assert "duplicate exception id 'EX-1'" in str(error(text))


def test_policy_file_over_a_base_policy(tmp_path: Path) -> None:
    base = parse(EXCEPTION + "policy:\n  fail_on: low\n")
    path = tmp_path / "riskcheck-policy.yaml"
    path.write_text("version: 1\npolicy:\n  denied_vendors: [deepseek]\n" + EXCEPTION.replace(
        "EX-1", "EX-2"), encoding="utf-8")
    policy = load_policy_file(path, base)
    assert policy.fail_on == Level.LOW, "settings not written keep the base's value"
    assert policy.denied_vendors == ("deepseek",)
    assert [e.id for e in policy.exceptions] == ["EX-1", "EX-2"]


def test_policy_file_naming_a_preset_starts_from_it(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("policy:\n  preset: strict\n", encoding="utf-8")
    assert load_policy_file(path, Policy(fail_on=Level.LOW)) == load_preset("strict")


def test_policy_file_errors(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("policy:\n  fail_on: high\nmodels: []\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"p\.yaml:3:1: unknown key 'models'"):
        load_policy_file(path)
    with pytest.raises(InputError, match="policy file not found"):
        load_policy_file(tmp_path / "absent.yaml")
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="policy file is empty"):
        load_policy_file(path)


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


@pytest.mark.parametrize("name", ["default", "strict", "permissive"])
def test_schema_accepts_every_preset(name: str) -> None:
    data = yaml.safe_load((REPO / "lists" / "policies" / f"{name}.yaml").read_text())
    jsonschema.validate(_jsonable(data), SCHEMA)


def test_schema_accepts_exceptions_and_rejects_unknown_keys() -> None:
    jsonschema.validate(_jsonable(yaml.safe_load(EXCEPTION)), SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"policy": {"nonsense": 1}}, SCHEMA)


def test_schema_documents_exactly_the_parser_keys() -> None:
    policy = SCHEMA["$defs"]["policy"]["properties"]
    assert set(policy) == set(KEYS)
    assert set(policy["concentration"]["properties"]) == set(CONCENTRATION_KEYS)
    for key, spec in policy.items():
        assert spec.get("description"), f"{key} lacks a description"


def test_every_policy_field_is_reachable_from_a_key() -> None:
    reachable = {"fail_on", "fail_on_unresolved", "unresolved_level", "max_list_age_days",
                 "preset", "severity_overrides", "country_tiers", "denied_vendors",
                 "allowed_vendors", "denied_countries", "allowed_countries", "affiliates_rule",
                 "lineage_weight", "review_weight", "usage_weights", "criticality_weights",
                 "max_vendor_share", "max_country_share", "max_critical_vendor_share",
                 "max_critical_country_share", "concentration_min_models", "exceptions",
                 "exception_level", "alternatives_from", "allow_vendor_overrides",
                 "allow_exceptions_from"}
    assert {f.name for f in fields(Policy)} == reachable


def test_presets_read_the_same_from_the_data_cache_as_parsed_with_positions() -> None:
    from riskcheck.project.policy import _preset, presets_dir
    from riskcheck.yamlio import load_yaml, read_text

    for name in preset_names():
        path = presets_dir() / f"{name}.yaml"
        data, locator = load_yaml(read_text(path), str(path))  # also refuses duplicate keys
        load_preset.cache_clear()
        parsed = load_preset(name)  # parses the YAML and fills the data cache
        load_preset.cache_clear()
        cached = load_preset(name)
        assert parsed == cached == _preset(name, data, locator)
