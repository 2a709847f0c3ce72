"""What reading a project's own files (manifest, policy) can raise."""

from __future__ import annotations

from riskcheck.errors import InputError


class ManifestError(InputError):
    """A manifest (or policy file) is unreadable or invalid; carries file:line:column."""
