"""The list-source interface: one parser per official file format."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from riskcheck.errors import DataError
from riskcheck.model import ListEntity, ListVersion, SourceCoverage


class ListDataError(DataError):
    """A list file is corrupt, truncated, of the wrong format, or implausible."""


class ListParser(ABC):
    """Parses one official file format into normalised :class:`ListEntity` records."""

    roles: ClassVar[tuple[str, ...]] = ("main",)
    """The file roles this format reads (the catalogue's ``files`` keys), required ones first."""
    required_roles: ClassVar[tuple[str, ...]] = ("main",)
    """The roles a version cannot be parsed without; the others are optional."""

    def __init__(self, source_id: str) -> None:
        self.source_id = source_id
        """Catalogue id of the source being parsed (``ofac_sdn``, ``us_csl`` ...); one format
        can serve several sources (the OFAC CSV set serves SDN and Consolidated)."""

    @abstractmethod
    def parse(self, files: Mapping[str, Path]) -> Iterator[ListEntity]:
        """Yield every entity of one source version.

        ``files`` maps the catalogue's file roles to local paths: ``main`` for single-file
        sources; ``sdn``/``add``/``alt``/``comments`` (or ``prim`` ...) for multi-file sets.
        Raises :class:`ListDataError` on bad data.
        """

    def published(self, files: Mapping[str, Path]) -> str | None:
        """The publication date printed in the files, as an ISO date, when they have one."""
        return None


@dataclass(frozen=True)
class EntitySet:
    """The entities a run screens against, and the citable versions they came from."""

    entities: tuple[ListEntity, ...]
    versions: tuple[ListVersion, ...]
    bundled: bool
    """True when these come from the snapshot shipped with riskcheck, not from downloads."""
    coverage: tuple[SourceCoverage, ...] = ()
    """Per catalogue source: stored, bundled (snapshot entries) or missing."""
