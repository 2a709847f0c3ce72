"""Scoring: resolutions and matches to exposure levels under the project's policy."""

from riskcheck.score.interface import Scorer

__all__ = ["Scorer"]
