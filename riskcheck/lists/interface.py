"""The list-source interface: one parser per official file format."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from riskcheck.errors import DataError
from riskcheck.model import ListEntity, ListVersion


class ListDataError(DataError):
    """A list file is corrupt, truncated, of the wrong format, or implausible."""


class ListParser(ABC):
    """Parses one official file format into normalised :class:`ListEntity` records."""

    source_id: str
    """Catalogue id of the source this parser reads (``ofac_sdn``, ``us_csl`` ...)."""

    @abstractmethod
    def parse(self, path: Path) -> Iterator[ListEntity]:
        """Yield every entity in the file. Raises :class:`ListDataError` on bad data."""

    def published(self, path: Path) -> str | None:
        """The publication date printed in the file, as an ISO date, when it has one."""
        return None


@dataclass(frozen=True)
class EntitySet:
    """The entities a run screens against, and the citable versions they came from."""

    entities: tuple[ListEntity, ...]
    versions: tuple[ListVersion, ...]
    bundled: bool
    """True when these come from the snapshot shipped with riskcheck, not from downloads."""
