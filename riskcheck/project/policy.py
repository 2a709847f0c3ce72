"""Policy settings: from a manifest's ``policy:`` block or a separate ``riskcheck-policy.yaml``.

A policy starts from a preset (``lists/policies/<preset>.yaml``: default, strict, permissive),
then every key the user wrote replaces the preset's value. Exceptions come from a top-level
``exceptions:`` list. Every invalid value raises a one-line :class:`InputError` naming
file:line:column. The keys are documented in docs/scoring.md and
riskcheck/schemas/policy.schema.json.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path
from typing import Any

from riskcheck.data import lists_dir, read_yaml
from riskcheck.errors import DataError, InputError
from riskcheck.model import CRITICALITIES, CountryTier, Level, Policy
from riskcheck.project import policy_values as v
from riskcheck.project.policy_exceptions import parse_exceptions
from riskcheck.yamlio import Locator, PathKey, load_yaml, read_text

KEYS = (
    "preset", "fail_on", "fail_on_unresolved", "unresolved", "max_list_age_days", "severity",
    "country_tiers", "denied_vendors", "allowed_vendors", "denied_countries", "allowed_countries",
    "affiliates_rule", "lineage_weight", "review_weight", "usage_weights", "criticality_weights",
    "concentration", "exception_level", "alternatives_from", "allow_vendor_overrides",
    "allow_exceptions_from",
)
"""Every key of a ``policy:`` block, in documentation order."""

OPERATOR_KEYS = ("allow_vendor_overrides", "allow_exceptions_from")
"""Keys honoured only in the operator's policy (``--policy``), never from a pull request."""
EXCEPTION_ORIGINS = ("manifest",)

CONCENTRATION_KEYS = ("max_vendor_share", "max_country_share", "max_critical_vendor_share",
                      "max_critical_country_share", "min_models")
TIER_KEYS = ("countries", "vendor_level", "data_level")
FILE_KEYS = ("version", "policy", "exceptions")


def presets_dir() -> Path:
    """Folder of the bundled presets."""
    return lists_dir() / "policies"


def preset_names() -> tuple[str, ...]:
    """Names of the bundled presets (file stems)."""
    return tuple(sorted(path.stem for path in presets_dir().glob("*.yaml")))


@functools.cache
def load_preset(name: str) -> Policy:
    """The bundled preset ``name`` as a :class:`Policy` (its file is read once per process)."""
    path = presets_dir() / f"{name}.yaml"
    try:
        # Through riskcheck's data cache, which keeps no positions: the presets are shipped
        # valid (a test reads each both ways), so the located parse is for error messages only.
        return _preset(name, read_yaml(path), Locator(path=str(path)))
    except (InputError, DataError):
        pass
    data, locator = load_yaml(read_text(path, "policy preset"), str(path))
    return _preset(name, data, locator)


def _preset(name: str, data: Any, locator: Locator) -> Policy:
    block = v.mapping(data, locator, (), FILE_KEYS).get("policy")
    block = v.mapping(block, locator, ("policy",), KEYS)
    if "preset" in block:
        raise locator.error("a preset cannot name another preset", ("policy", "preset"))
    return replace(_apply(block, locator, ("policy",), Policy()), preset=name)


def parse_policy(data: Any, locator: Locator, where: PathKey = ("policy",), *,
                 exceptions: Any = None, exceptions_where: PathKey = ("exceptions",),
                 base: Policy | None = None) -> Policy:
    """Build a :class:`Policy` from a parsed ``policy:`` block and ``exceptions:`` list.

    The starting point is the preset the block names, else ``base``, else the default preset.
    Raises :class:`InputError` located at the offending key or value.
    """
    block = v.mapping(data, locator, where, KEYS)
    if "preset" in block:
        name = v.text(block["preset"], locator, (*where, "preset"))
        if name not in preset_names():
            raise locator.error(f"unknown preset {name!r}", (*where, "preset"),
                                hint="choose one of: " + ", ".join(preset_names()))
        start = load_preset(name)
        if base is not None:
            start = replace(start, exceptions=base.exceptions)
    else:
        start = base if base is not None else load_preset("default")
    policy = _apply(block, locator, where, start)
    if exceptions is not None:
        found = parse_exceptions(exceptions, locator, exceptions_where,
                                 known=tuple(e.id for e in policy.exceptions))
        policy = replace(policy, exceptions=(*policy.exceptions, *found))
    return policy


def load_policy_file(path: Path, base: Policy | None = None) -> Policy:
    """Read a ``riskcheck-policy.yaml`` (``policy:`` settings and ``exceptions:``) over ``base``.

    Settings the file writes replace those of ``base`` (or of the preset it names); exceptions
    are added to ``base``'s. Raises :class:`InputError` for unreadable or invalid files.
    """
    data, locator = load_yaml(read_text(path, "policy file"), str(path))
    if data is None:
        raise InputError("policy file is empty", path=str(path), line=1, column=1,
                         hint="write a 'policy:' mapping and/or an 'exceptions:' list")
    top = v.mapping(data, locator, (), FILE_KEYS)
    if "version" in top and top["version"] != 1:
        raise locator.error("policy file version must be 1", ("version",))
    return parse_policy(top.get("policy"), locator, ("policy",), exceptions=top.get("exceptions"),
                        base=base)


def _apply(block: dict[Any, Any], loc: Locator, where: PathKey, start: Policy) -> Policy:
    """``start`` with every key of ``block`` applied, in a fixed order."""
    changes: dict[str, Any] = {}

    def at(key: str) -> PathKey:
        return (*where, key)

    if "fail_on" in block:
        changes["fail_on"] = v.level(block["fail_on"], loc, at("fail_on"))
    if "fail_on_unresolved" in block:
        changes["fail_on_unresolved"] = v.boolean(block["fail_on_unresolved"], loc,
                                                  at("fail_on_unresolved"))
    if "unresolved" in block:
        changes.update(_unresolved(block["unresolved"], loc, at("unresolved")))
    if "max_list_age_days" in block:
        changes["max_list_age_days"] = v.whole(block["max_list_age_days"], loc,
                                               at("max_list_age_days"), optional=True)
    if "severity" in block:
        changes["severity_overrides"] = _severity(block["severity"], loc, at("severity"))
    if "country_tiers" in block:
        changes["country_tiers"] = _tiers(block["country_tiers"], loc, at("country_tiers"))
    for key in ("denied_vendors", "allowed_vendors"):
        if key in block:
            changes[key] = v.vendor_ids(block[key], loc, at(key))
    for key in ("denied_countries", "allowed_countries"):
        if key in block:
            changes[key] = v.countries(block[key], loc, at(key))
    if "affiliates_rule" in block:
        changes["affiliates_rule"] = v.boolean(block["affiliates_rule"], loc, at("affiliates_rule"))
    for key in ("lineage_weight", "review_weight"):
        if key in block:
            changes[key] = v.number(block[key], loc, at(key))
    if "usage_weights" in block:
        changes["usage_weights"] = v.weights(block["usage_weights"], loc, at("usage_weights"),
                                             v.USAGES, 1.0, start.usage_weights)
    if "criticality_weights" in block:
        changes["criticality_weights"] = v.weights(
            block["criticality_weights"], loc, at("criticality_weights"), CRITICALITIES, 2.0,
            start.criticality_weights)
    if "concentration" in block:
        changes.update(_concentration(block["concentration"], loc, at("concentration")))
    if "exception_level" in block:
        chosen = v.level(block["exception_level"], loc, at("exception_level"))
        if chosen > Level.LOW:
            raise loc.error("exception_level must be none or low", at("exception_level"))
        changes["exception_level"] = chosen
    if "alternatives_from" in block:
        changes["alternatives_from"] = v.level(block["alternatives_from"], loc,
                                               at("alternatives_from"))
    if "allow_vendor_overrides" in block:
        changes["allow_vendor_overrides"] = v.boolean(block["allow_vendor_overrides"], loc,
                                                      at("allow_vendor_overrides"))
    if "allow_exceptions_from" in block:
        raw = block["allow_exceptions_from"]
        items = [raw] if isinstance(raw, str) else v.sequence(raw, loc, at("allow_exceptions_from"))
        chosen = []
        for item in items:
            word = v.text(item, loc, at("allow_exceptions_from"))
            if word not in EXCEPTION_ORIGINS:
                raise loc.error(f"allow_exceptions_from: unknown origin {word!r}",
                                at("allow_exceptions_from"),
                                hint="choose from: " + ", ".join(EXCEPTION_ORIGINS))
            chosen.append(word)
        changes["allow_exceptions_from"] = tuple(dict.fromkeys(chosen))
    overlap = set(changes.get("denied_vendors", start.denied_vendors)) & set(
        changes.get("allowed_vendors", start.allowed_vendors))
    if overlap:
        raise loc.error(f"vendor {sorted(overlap)[0]!r} is both denied and allowed",
                        at("allowed_vendors"), hint="keep it in one of the two lists")
    return replace(start, **changes)


def _unresolved(value: Any, loc: Locator, where: PathKey) -> dict[str, Any]:
    """``fail`` | ``warn`` | ``ignore`` | a level -> (fail_on_unresolved, unresolved_level)."""
    word = str(value).strip().lower() if isinstance(value, str) else value
    if word == "fail":
        return {"fail_on_unresolved": True}
    if word == "warn":
        return {"fail_on_unresolved": False, "unresolved_level": Level.LOW}
    if word == "ignore":
        return {"fail_on_unresolved": False, "unresolved_level": Level.NONE}
    try:
        return {"fail_on_unresolved": False, "unresolved_level": Level.parse(str(value))}
    except ValueError:
        raise loc.error(f"unresolved must be fail, warn, ignore or a level, not {value!r}",
                        where) from None


def _severity(value: Any, loc: Locator, where: PathKey) -> tuple[tuple[str, Level], ...]:
    """``{CODE: level}`` or ``{CODE:PROGRAM: level}`` overrides, sorted for determinism."""
    result: dict[str, Level] = {}
    for key, item in v.mapping(value, loc, where).items():
        code, _, program = str(key).partition(":")
        code = v.list_code(code, loc, (*where, key), key=True)
        name = f"{code}:{program.strip()}" if program.strip() else code
        result[name] = v.level(item, loc, (*where, key))
    return tuple(sorted(result.items()))


def _tiers(value: Any, loc: Locator, where: PathKey) -> tuple[CountryTier, ...]:
    """``{tier: [countries]}`` or ``{tier: {countries, vendor_level, data_level}}``."""
    tiers = []
    owner: dict[str, str] = {}
    for name, item in v.mapping(value, loc, where).items():
        here = (*where, name)
        spec = {"countries": item} if isinstance(item, (list, str)) or item is None else \
            v.mapping(item, loc, here, TIER_KEYS)
        members = None
        if "countries" in spec:
            members = v.countries(spec["countries"], loc, (*here, "countries"))
            for code in members:
                if code in owner:
                    raise loc.error(f"country {code} is in tiers {owner[code]!r} and {name!r}",
                                    (*here, "countries"), hint="a country belongs to one tier")
                owner[code] = str(name)
        levels = {key: v.level(spec[key], loc, (*here, key))
                  for key in ("vendor_level", "data_level") if key in spec}
        tiers.append(CountryTier(name=str(name), countries=members, **levels))
    return tuple(sorted(tiers, key=lambda tier: tier.name))


def _concentration(value: Any, loc: Locator, where: PathKey) -> dict[str, Any]:
    """Concentration limits (shares 0..1 or null) and the minimum project size."""
    block = v.mapping(value, loc, where, CONCENTRATION_KEYS)
    changes: dict[str, Any] = {}
    for key in CONCENTRATION_KEYS[:4]:
        if key in block:
            changes[key] = v.number(block[key], loc, (*where, key), optional=True)
    if "min_models" in block:
        changes["concentration_min_models"] = v.whole(block["min_models"], loc,
                                                      (*where, "min_models"), low=1)
    return changes
