"""Model sources: where the list of models a project uses comes from (manifest, repository scan)."""

from riskcheck.project.interface import ManifestError

__all__ = ["ManifestError"]
