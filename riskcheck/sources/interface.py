"""The model-source interface: something that yields a :class:`~riskcheck.model.Project`."""

from __future__ import annotations

from abc import ABC, abstractmethod

from riskcheck.errors import InputError
from riskcheck.model import Project


class ManifestError(InputError):
    """A manifest (or policy file) is unreadable or invalid; carries file:line:column."""


class ModelSource(ABC):
    """Produces the project and the model references to check."""

    @abstractmethod
    def load(self) -> Project:
        """Read the source. Raises :class:`ManifestError` on bad input, never anything else."""
