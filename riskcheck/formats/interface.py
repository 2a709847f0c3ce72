"""The report-format interface."""

from __future__ import annotations

from abc import ABC, abstractmethod

from riskcheck.model import Report


class ReportFormat(ABC):
    """Renders a :class:`Report`. Text formats return ``str``; binary ones (PDF) ``bytes``."""

    name: str
    binary: bool = False

    @abstractmethod
    def render(self, report: Report) -> str | bytes:
        """Render the whole report."""
