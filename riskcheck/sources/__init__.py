"""Model sources: where the list of models a project uses comes from (manifest, repository scan)."""

from riskcheck.sources.interface import ManifestError, ModelSource

__all__ = ["ManifestError", "ModelSource"]
