"""Safer alternatives ("the way out") for a model with exposure.

The risky model's task comes from the family table of ``lists/alternatives.yaml`` and its size
class from the parameter count in its name (``-7B`` -> small), or ``api`` when it is called by
API and its size is unknown. An unknown task gives no suggestion rather than a wrong one.
Candidates share task and size class and come from vendors that are not denied, not matched on
a list for this model, not flagged by the optional screen, and not based in an embargoed,
denied or tiered country.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from riskcheck.data import lists_dir, read_yaml
from riskcheck.errors import DataError
from riskcheck.model import Match, Policy, Resolution
from riskcheck.resolution.name_patterns import NamePattern

TASKS = ("chat", "embedding", "reranker", "code", "vision", "speech")
SIZES = ("tiny", "small", "medium", "large", "api")
MAX_SUGGESTIONS = 3

_PARAMS = re.compile(r"(?:(\d+)x)?(\d+(?:\.\d+)?)\s*([bm])(?![a-z0-9])", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """One catalogue model."""

    id: str
    vendor: str
    country: str
    task: str
    size: str
    licence: str
    url: str

    def describe(self) -> str:
        """The suggestion as one line of the report."""
        return (f"{self.id} ({self.vendor}, {self.country}; {self.size}; licence: "
                f"{self.licence}) {self.url}")


@dataclass(frozen=True)
class TaskRule:
    """A family pattern and the task (and default size) it implies."""

    pattern: NamePattern
    """Searched case-insensitively in the model's family, canonical id and reference."""
    task: str | None
    size: str | None = None


def size_class(billions: float) -> str:
    """tiny < 3B, small 3-15B, medium >15-70B, large > 70B."""
    if billions < 3:
        return "tiny"
    if billions <= 15:
        return "small"
    if billions <= 70:
        return "medium"
    return "large"


def parameter_count(text: str) -> float | None:
    """Largest parameter count written in a model name, in billions (``8x7B`` = 56)."""
    best = None
    for experts, number, unit in _PARAMS.findall(text):
        value = float(number) * (int(experts) if experts else 1)
        value = value / 1000 if unit.lower() == "m" else value
        if best is None or value > best:
            best = value
    return best


class AlternativesCatalogue:
    """The catalogue and the family table, loaded from YAML."""

    def __init__(self, rules: tuple[TaskRule, ...], candidates: tuple[Candidate, ...]) -> None:
        self.rules = rules
        self.candidates = candidates

    @staticmethod
    @functools.cache
    def bundled() -> AlternativesCatalogue:
        """The table shipped with riskcheck, read once per process."""
        return AlternativesCatalogue.load()

    @classmethod
    def load(cls, path: Path | None = None) -> AlternativesCatalogue:
        """Read ``lists/alternatives.yaml`` (or ``path``); DataError when unusable."""
        custom = path is not None
        path = path or lists_dir() / "alternatives.yaml"
        try:
            raw = read_yaml(path)
            rules = tuple(TaskRule(NamePattern(r["pattern"]), r.get("task"), r.get("size"))
                          for r in raw["tasks"])
            if custom:
                # The shipped patterns are compiled by the tests; compiling them all here cost
                # more than suggesting alternatives for a whole check.
                for rule in rules:
                    re.compile(rule.pattern.pattern, re.IGNORECASE)
            candidates = tuple(Candidate(**{k: str(v) for k, v in m.items()})
                               for m in raw["models"])
            for c in candidates:
                if c.task not in TASKS or c.size not in SIZES:
                    raise ValueError(f"{c.id}: task {c.task!r} / size {c.size!r} unknown")
            for r in rules:
                if r.task is not None and r.task not in TASKS:
                    raise ValueError(f"task {r.task!r} unknown")
        except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, re.error) as exc:
            raise DataError(f"alternatives catalogue {path} is unusable: {exc}",
                            hint="reinstall riskcheck or fix the file") from None
        return cls(rules, candidates)

    def profile(self, resolution: Resolution) -> tuple[str | None, str | None]:
        """(task, size class) of a model, either None when it cannot be told."""
        names = [n for n in (resolution.family, resolution.canonical_id, resolution.ref.id) if n]
        text = " ".join(names).lower()
        rule = next((r for r in self.rules if r.pattern.search(text)), None)
        if rule is None or rule.task is None:
            return None, None
        count = None
        for name in names[1:] + names[:1]:
            count = parameter_count(name.split("/")[-1])
            if count is not None:
                break
        if count is not None:
            return rule.task, size_class(count)
        if resolution.ref.usage == "api":
            return rule.task, "api"
        return rule.task, rule.size

    def suggest(self, resolution: Resolution, matches: tuple[Match, ...], policy: Policy,
                country_of_concern: Callable[[str], bool],
                vendor_screen: Callable[[str], bool] | None = None) -> tuple[str, ...]:
        """Up to three suggestions, each ``id (vendor, country; size; licence) url``."""
        task, size = self.profile(resolution)
        if task is None or size is None:
            return ()
        # Not a way out: the model's own vendor and owners, anyone matched on a list for it,
        # and any involved organisation based in a country of concern.
        excluded = {p.organisation.id for p in resolution.parties
                    if p.role in ("vendor", "parent")
                    or country_of_concern(p.organisation.country or "")}
        if resolution.serving is not None:
            excluded.add(resolution.serving.organisation.id)
        excluded.update(m.party_id for m in matches if m.status == "current")
        chosen = []
        for candidate in self.candidates:
            if candidate.task != task or candidate.size != size:
                continue
            if candidate.vendor in excluded or candidate.vendor in policy.denied_vendors:
                continue
            if country_of_concern(candidate.country):
                continue
            if vendor_screen is not None and vendor_screen(candidate.vendor):
                continue
            chosen.append(candidate)
        # Approved vendors first; otherwise the catalogue's own order (curated, stable).
        chosen.sort(key=lambda c: c.vendor not in policy.allowed_vendors)
        return tuple(c.describe() for c in chosen[:MAX_SUGGESTIONS])
