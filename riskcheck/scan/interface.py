"""The detector interface for repository scans: each detector reads one family of files."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from riskcheck.model import ModelRef, SourceLocation, Usage

Confidence = Literal["high", "medium", "low"]


@dataclass(frozen=True)
class FoundReference:
    """A model reference found in a file, with where and how it was found."""

    id: str
    """The reference as written (after following constants): HF id, tag, slug, API name."""
    path: str
    """Path relative to the scanned root, with forward slashes."""
    line: int
    column: int
    detector: str
    confidence: Confidence
    text: str
    """The source line (trimmed) the reference was read from."""
    usage: Usage = "unknown"
    base_url: str | None = None
    provider: str | None = None

    def to_model_ref(self) -> ModelRef:
        """The reference as a :class:`ModelRef` located at its source line."""
        return ModelRef(
            id=self.id,
            usage=self.usage,
            provider=self.provider,
            base_url=self.base_url,
            location=SourceLocation(path=self.path, line=self.line, column=self.column,
                                    detector=self.detector),
        )


@dataclass(frozen=True)
class SkippedFile:
    """A file the scan did not read, and why (binary, too large, unparsable, symlink ...)."""

    path: str
    reason: str


class Detector(ABC):
    """Finds model references in the files it claims."""

    name: str

    @abstractmethod
    def claims(self, path: PurePosixPath) -> bool:
        """Whether this detector reads the file at ``path`` (relative to the scan root)."""

    @abstractmethod
    def detect(self, path: PurePosixPath, text: str) -> Iterator[FoundReference]:
        """Yield references in ``text``. Raise :class:`DetectorError` if the file can't be parsed."""


class DetectorError(Exception):
    """A file could not be parsed; the scan reports it and moves on."""
