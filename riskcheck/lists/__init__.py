"""Official lists: parsing, bundled snapshot, download and the local store."""

from riskcheck.lists.interface import EntitySet, ListDataError, ListParser

__all__ = ["EntitySet", "ListDataError", "ListParser"]
