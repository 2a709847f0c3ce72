"""Counts and numbers every fleet format shows the same way."""

from __future__ import annotations

from typing import Any

from riskcheck.fleet.interface import Fleet
from riskcheck.model import Level


def summary(fleet: Fleet) -> dict[str, Any]:
    """Counts over the fleet."""
    by_level = {level.label: 0 for level in reversed(Level)}
    for model in fleet.models:
        by_level[model.level.label] += 1
    return {
        "projects": len(fleet.projects),
        "models": len(fleet.models),
        "critical_models": sum(p.critical_models for p in fleet.projects),
        "models_by_level": by_level,
        "failing_projects": [p.name for p in fleet.failing],
        "findings": len(fleet.findings),
        "projects_with_weak_data": [p.name for p in fleet.projects if p.flags],
    }


def percent(share: float) -> str:
    """``0.4`` -> ``40%``."""
    return f"{share * 100:.0f}%"
