"""riskcheck: screen the AI models a project depends on for sanctions and export-control risk."""

__version__ = "0.1.0"
