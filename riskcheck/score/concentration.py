"""Concentration: how much of a project rests on one vendor or one country.

Shares are counted over resolved models (an unresolved model has no vendor to count), for all
models and for critical ones (criticality high or critical). The Herfindahl-Hirschman index
(sum of squared shares, 0..1) says how concentrated the whole spread is. A share above the
policy's limit is a ``concentration`` finding: low, or medium when the concentrated vendor or
country itself carries exposure (a tiered country, or a model at medium or above).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from riskcheck.model import Finding, Level, ModelAssessment, Policy
from riskcheck.score.weighing import Scale

CRITICAL_CRITICALITIES = ("high", "critical")


@dataclass(frozen=True)
class Spread:
    """Counts and shares of models per key (vendor id or country)."""

    dimension: str
    """``vendor`` or ``country``."""
    subset: str
    """``all`` or ``critical`` models."""
    counts: tuple[tuple[str, int], ...]
    total: int

    @property
    def hhi(self) -> float:
        """Herfindahl-Hirschman index of the shares (1 = everything on one key)."""
        if not self.total:
            return 0.0
        return round(sum((count / self.total) ** 2 for _, count in self.counts), 4)

    def share(self, key: str) -> float:
        """Share of models on ``key``."""
        return dict(self.counts).get(key, 0) / self.total if self.total else 0.0


def spreads(assessments: Sequence[ModelAssessment]) -> tuple[Spread, ...]:
    """Vendor and country spreads, for all resolved models and for critical ones."""
    result = []
    for subset in ("all", "critical"):
        chosen = [a for a in assessments if a.resolution.vendor is not None and (
            subset == "all" or a.resolution.ref.criticality in CRITICAL_CRITICALITIES)]
        for dimension in ("vendor", "country"):
            counter: Counter[str] = Counter()
            for a in chosen:
                vendor = a.resolution.vendor
                assert vendor is not None
                counter[vendor.id if dimension == "vendor" else (vendor.country or "unknown")] += 1
            counts = tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
            result.append(Spread(dimension, subset, counts, len(chosen)))
    return tuple(result)


def concentration_findings(assessments: Sequence[ModelAssessment], policy: Policy, scale: Scale,
                           country_of_concern: Callable[[str], bool]) -> list[Finding]:
    """A finding for every vendor or country whose share is above the policy's limit."""
    limits = {("vendor", "all"): policy.max_vendor_share,
              ("country", "all"): policy.max_country_share,
              ("vendor", "critical"): policy.max_critical_vendor_share,
              ("country", "critical"): policy.max_critical_country_share}
    unresolved = sum(1 for a in assessments if a.resolution.vendor is None)
    findings = []
    for spread in spreads(assessments):
        limit = limits[(spread.dimension, spread.subset)]
        if limit is None or spread.total < policy.concentration_min_models:
            continue
        for key, count in spread.counts:
            share = count / spread.total
            if share <= limit + 1e-9 or key == "unknown":
                continue
            models = [a for a in assessments if a.resolution.vendor is not None and
                      (a.resolution.vendor.id if spread.dimension == "vendor"
                       else a.resolution.vendor.country) == key]
            risky = any(a.level >= Level.MEDIUM for a in models)
            concern = country_of_concern(key) if spread.dimension == "country" else any(
                country_of_concern(a.resolution.vendor.country or "") for a in models
                if a.resolution.vendor)
            level = Level.MEDIUM if (risky or concern) else Level.LOW
            which = "models" if spread.subset == "all" else "critical models"
            summary = (f"{spread.dimension} {key} carries {count} of {spread.total} resolved "
                       f"{which} ({share:.0%}) \u2014 more than the {limit:.0%} your policy "
                       f"allows")
            details = [
                f"policy max_{'critical_' if spread.subset == 'critical' else ''}"
                f"{spread.dimension}_share = {limit:g}",
                f"HHI of the {spread.dimension} spread ({which}): {spread.hhi:g} "
                f"(1 = all on one {spread.dimension})",
                "spread: " + ", ".join(f"{k} {c}" for k, c in spread.counts),
                "models: " + ", ".join(sorted(a.resolution.ref.id for a in models)),
            ]
            if risky or concern:
                details.append("medium because the concentrated "
                               f"{spread.dimension} itself carries exposure")
            if unresolved:
                details.append(f"{unresolved} unresolved model(s) not counted")
            findings.append(Finding(
                kind="concentration", level=level, summary=summary,
                party_id=key if spread.dimension == "vendor" else None,
                score=scale.score_of(level), details=tuple(details)))
    return findings
