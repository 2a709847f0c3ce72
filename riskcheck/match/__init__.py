"""Matching: find every listed entity that is the same organisation as a screened party."""

from riskcheck.match.interface import Screener

__all__ = ["Screener"]
