"""Country exposure: where the model's organisations are based and where its inputs go.

Comprehensively sanctioned countries and regions, and tiers of countries of concern, come from
``lists/jurisdictions.yaml``; the policy moves countries between tiers, changes tier levels,
denies countries or accepts them (an accepted tier country is reported at level none; a
comprehensive embargo is never lifted by the policy).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from riskcheck.data import lists_dir, read_yaml
from riskcheck.errors import DataError
from riskcheck.model import Level, Policy


@dataclass(frozen=True)
class Embargo:
    """A comprehensively sanctioned country or region."""

    code: str
    name: str
    level: Level
    basis: str
    citation: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Tier:
    """A tier of countries of concern with its levels."""

    name: str
    title: str
    countries: tuple[str, ...]
    vendor_level: Level
    data_level: Level
    sources: tuple[str, ...] = ()
    verified: bool = True


@dataclass(frozen=True)
class Standing:
    """What a country means under the policy: the reason and the levels it carries."""

    code: str
    reason: str
    vendor_level: Level
    data_level: Level
    kind: str
    """``embargo``, ``tier``, ``denied`` or ``allowed``."""
    details: tuple[str, ...] = ()


class JurisdictionTable:
    """Embargoes and tiers of countries of concern, loaded from YAML."""

    def __init__(self, embargoes: tuple[Embargo, ...], tiers: tuple[Tier, ...],
                 names: dict[str, str] | None = None) -> None:
        self.embargoes = {e.code: e for e in embargoes}
        self.tiers = tiers
        self.names = names or {}

    def label(self, code: str) -> str:
        """``China (CN)`` when the name is known, else the code."""
        name = self.names.get(code)
        return f"{name} ({code})" if name else code

    @staticmethod
    @functools.cache
    def bundled() -> JurisdictionTable:
        """The table shipped with riskcheck, read once per process."""
        return JurisdictionTable.load()

    @classmethod
    def load(cls, path: Path | None = None) -> JurisdictionTable:
        """Read ``lists/jurisdictions.yaml`` (or ``path``); DataError when unusable."""
        path = path or lists_dir() / "jurisdictions.yaml"
        try:
            raw: dict[str, Any] = read_yaml(path)
            embargoes = tuple(
                Embargo(code=str(e["code"]), name=e["name"], level=Level.parse(e["level"]),
                        basis=" ".join(str(e["basis"]).split()), citation=e.get("citation"),
                        note=" ".join(str(e["note"]).split()) if e.get("note") else None)
                for e in raw["comprehensive"])
            tiers = tuple(
                Tier(name=str(name), title=spec["title"],
                     countries=tuple(str(c) for c in spec["countries"]),
                     vendor_level=Level.parse(spec["vendor_level"]),
                     data_level=Level.parse(spec["data_level"]),
                     sources=tuple(" ".join(str(s).split()) for s in spec.get("sources", ())),
                     verified=bool(spec.get("verified", True)))
                for name, spec in sorted(raw["tiers"].items()))
        except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise DataError(f"jurisdiction table {path} is unusable: {exc}",
                            hint="reinstall riskcheck or fix the file") from None
        from riskcheck.territories import iso_codes

        return cls(embargoes, tiers, iso_codes())

    def effective_tiers(self, policy: Policy) -> tuple[Tier, ...]:
        """The bundled tiers with the policy's ``country_tiers`` applied."""
        tiers = {tier.name: tier for tier in self.tiers}
        moved: set[str] = set()
        for change in policy.country_tiers:
            old = tiers.get(change.name)
            members = change.countries if change.countries is not None else (
                old.countries if old else ())
            if change.countries is not None:
                moved.update(change.countries)
            tiers[change.name] = Tier(
                name=change.name,
                title=old.title if old else f"country of concern ({change.name}, set by policy)",
                countries=members,
                vendor_level=change.vendor_level if change.vendor_level is not None else (
                    old.vendor_level if old else Level.MEDIUM),
                data_level=change.data_level if change.data_level is not None else (
                    old.data_level if old else Level.HIGH),
                sources=(old.sources if old else ()) + ("tier changed by policy country_tiers",),
                verified=old.verified if old else True)
        changed = {c.name for c in policy.country_tiers if c.countries is not None}
        result = []
        for name in sorted(tiers):
            tier = tiers[name]
            if name not in changed:
                # A country the policy put in another tier leaves its bundled tier.
                tier = Tier(tier.name, tier.title, tuple(c for c in tier.countries
                                                         if c not in moved),
                            tier.vendor_level, tier.data_level, tier.sources, tier.verified)
            result.append(tier)
        return tuple(result)

    def standing(self, code: str, policy: Policy) -> Standing | None:
        """What ``code`` means under the policy, or None when it carries no exposure."""
        code = code.upper()
        embargo = self.embargoes.get(code)
        if embargo is not None:
            details = [f"{embargo.basis}" + (f" {embargo.citation}" if embargo.citation else "")]
            if embargo.note:
                details.append(f"note: {embargo.note}")
            if code in policy.allowed_countries:
                details.append("allowed_countries does not lift a comprehensive embargo")
            return Standing(code, f"{embargo.name} ({code}), under a comprehensive embargo",
                            embargo.level, embargo.level, "embargo", tuple(details))
        if code in policy.denied_countries:
            fail = fail_level(policy)
            return Standing(code, f"{self.label(code)}, a country your policy denies",
                            fail, fail, "denied")
        for tier in self.effective_tiers(policy):
            if code in tier.countries:
                details = list(tier.sources)
                if not tier.verified:
                    details.append("tier membership not verified against its source: re-check")
                if code in policy.allowed_countries:
                    return Standing(code, f"{self.label(code)}, a {tier.title} accepted by "
                                          f"policy allowed_countries", Level.NONE, Level.NONE,
                                    "allowed", tuple(details))
                return Standing(code, f"{self.label(code)}, a {tier.title}", tier.vendor_level,
                                tier.data_level, "tier", tuple(details))
        return None

    def is_of_concern(self, code: str | None, policy: Policy) -> bool:
        """True when ``code`` is embargoed, denied or in a tier (allowed countries excepted)."""
        if not code:
            return False
        standing = self.standing(code, policy)
        return standing is not None and standing.kind != "allowed"


def fail_level(policy: Policy) -> Level:
    """The level that fails the run under ``policy`` (critical when nothing fails)."""
    return policy.fail_on if policy.fail_on != Level.NONE else Level.CRITICAL
