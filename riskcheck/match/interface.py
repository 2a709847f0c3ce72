"""The screener interface."""

from __future__ import annotations

from abc import ABC, abstractmethod

from riskcheck.model import Match, Resolution


class Screener(ABC):
    """Screens every party of a resolution against the loaded list entities."""

    @abstractmethod
    def screen(self, resolution: Resolution) -> tuple[Match, ...]:
        """Return the matches (band ``match``, ``review`` or ``possible``) for every party."""
