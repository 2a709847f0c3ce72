"""List severity (``lists/severity.yaml`` under the policy) times match confidence.

A listed entity may be on several lists; the most severe one (after policy and program
overrides) sets its base score, and every list is named in the details.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from riskcheck.data import lists_dir, read_yaml
from riskcheck.errors import DataError
from riskcheck.model import Level, ListEntity, Match, Policy
from riskcheck.score.weighing import Scale


@dataclass(frozen=True)
class OwnershipRule:
    """A list's parties pass their status to entities they own (OFAC 50% rule ...)."""

    name: str
    threshold: float
    inclusive: bool = True
    switch: str | None = None
    citation: str | None = None

    def reached(self, share: float) -> bool:
        """Whether an aggregate ``share`` triggers the rule."""
        return share >= self.threshold - 1e-9 if self.inclusive else share > self.threshold + 1e-9


@dataclass(frozen=True)
class ListSeverity:
    """What being on one list means, at the level the policy gives it."""

    code: str
    title: str
    level: Level
    effect: str
    detail: str
    citation: str | None = None
    ownership_rule: OwnershipRule | None = None
    source: str = "lists/severity.yaml"
    """Where the level comes from: the bundled table, a program override or the policy."""


class SeverityTable:
    """Severities by list code, with program overrides, loaded from YAML."""

    def __init__(self, data: dict[str, Any], scale: Scale) -> None:
        self.scale = scale
        self._lists = data
        self.codes = tuple(sorted(data))

    @staticmethod
    @functools.cache
    def bundled() -> SeverityTable:
        """The table shipped with riskcheck, read once per process."""
        return SeverityTable.load()

    @classmethod
    def load(cls, path: Path | None = None) -> SeverityTable:
        """Read ``lists/severity.yaml`` (or ``path``); raises DataError when it is unusable."""
        path = path or lists_dir() / "severity.yaml"
        try:
            raw = read_yaml(path)
            scale = Scale(
                scores={Level.parse(k): float(v) for k, v in raw["scale"]["scores"].items()},
                thresholds={Level.parse(k): float(v)
                            for k, v in raw["scale"]["thresholds"].items()},
            )
            lists = {str(code): spec for code, spec in raw["lists"].items()}
            for spec in lists.values():
                Level.parse(spec["level"])
                for key in ("title", "effect", "detail"):
                    if not isinstance(spec[key], str):
                        raise TypeError(f"{key} of a list must be text")
        except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise DataError(f"severity table {path} is unusable: {exc}",
                            hint="reinstall riskcheck or fix the file") from None
        return cls(lists, scale)

    def for_list(self, code: str, programs: tuple[str, ...], policy: Policy) -> ListSeverity:
        """Severity of being on list ``code`` under ``programs``, after every override."""
        spec = self._lists.get(code)
        if spec is None:
            # An unknown list code is not clean: it is scored like a user's own list.
            base = self._lists["CUSTOM"]
            spec = {**base, "title": f"list {code}"}
        rule = spec.get("ownership_rule")
        result = ListSeverity(
            code=code, title=spec["title"], level=Level.parse(spec["level"]),
            effect=spec["effect"], detail=" ".join(str(spec["detail"]).split()),
            citation=spec.get("citation"),
            ownership_rule=OwnershipRule(**rule) if rule else None,
        )
        lowered = [p.casefold() for p in programs]
        for pattern, override in sorted((spec.get("programs") or {}).items()):
            if any(pattern.casefold() in program for program in lowered):
                result = ListSeverity(
                    code=code, title=result.title, level=Level.parse(override["level"]),
                    effect=override.get("effect", result.effect),
                    detail=" ".join(str(override.get("detail", result.detail)).split()),
                    citation=result.citation, ownership_rule=result.ownership_rule,
                    source=f"lists/severity.yaml program {pattern!r}")
        overrides = dict(policy.severity_overrides)
        for program in programs:
            key = f"{code}:{program}"
            for name, level in overrides.items():
                if name.casefold() == key.casefold():
                    return _with_level(result, level, f"policy severity {name}")
        if code in overrides:
            return _with_level(result, overrides[code], f"policy severity {code}")
        return result

    def highest_level(self, code: str, policy: Policy, program: str | None = None) -> Level:
        """The highest level a record on ``code`` (under ``program``, else under any program
        the table or the policy names) can get under ``policy``."""
        spec = self._lists.get(code) or {}
        programs = [program] if program else [
            "", *(spec.get("programs") or {}),
            *(name.partition(":")[2] for name, _ in policy.severity_overrides
              if name.partition(":")[0] == code and name.partition(":")[2])]
        return max(self.for_list(code, (p,) if p else (), policy).level for p in programs)

    def for_entity(self, entity: ListEntity, policy: Policy) -> tuple[ListSeverity, ...]:
        """Severity of each list the entity is on, most severe first (ties by code)."""
        codes = entity.lists or ("CUSTOM",)
        found = [self.for_list(code, entity.programs, policy) for code in codes]
        return tuple(sorted(found, key=lambda s: (-int(s.level), s.code)))


def _with_level(severity: ListSeverity, level: Level, source: str) -> ListSeverity:
    return ListSeverity(severity.code, severity.title, level, severity.effect, severity.detail,
                        severity.citation, severity.ownership_rule, source)


def band_factor(match: Match, policy: Policy) -> tuple[float, str]:
    """Weight of a match's confidence band (``possible`` is capped at low elsewhere)."""
    if match.band == "match":
        return 1.0, f"name match confirmed (band match, score {match.score:.2f})"
    if match.band == "review":
        return policy.review_weight, (f"name match needs review (band review, score "
                                      f"{match.score:.2f})")
    return 0.5, f"possible name match only (band possible, score {match.score:.2f})"


def describe_listing(entity: ListEntity) -> str:
    """``RUSSIA-EO14024, 2022-04-06`` style context for a summary (may be empty)."""
    parts = list(entity.programs[:3])
    if entity.listed_on:
        parts.append(entity.listed_on)
    return ", ".join(parts)
