"""The scorer interface."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from riskcheck.model import Finding, Match, ModelAssessment, Policy, Resolution


class Scorer(ABC):
    """Turns what a model resolved to and matched into findings and an exposure level."""

    @abstractmethod
    def assess(
        self, resolution: Resolution, matches: Sequence[Match], policy: Policy
    ) -> ModelAssessment:
        """Assess one model."""

    def project_findings(
        self, assessments: Sequence[ModelAssessment], policy: Policy
    ) -> tuple[Finding, ...]:
        """Findings about the project as a whole (concentration and the like)."""
        return ()
