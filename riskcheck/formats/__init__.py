"""Output formats: one renderer per format, all reading the same :class:`~riskcheck.model.Report`."""

from riskcheck.formats.interface import ReportFormat

__all__ = ["ReportFormat"]
