"""Shared helpers for the list parser tests (not fixtures: conftest.py belongs to the store)."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskcheck.lists.interface import ListDataError, ListParser
from riskcheck.lists.parsers import get_parser
from riskcheck.model import ListEntity

ASSETS = Path(__file__).resolve().parent / "assets"
REPO = Path(__file__).resolve().parents[2]
REAL = REPO.parent / "shared" / "lists-real"


def asset(*parts: str) -> Path:
    """Path of a test asset."""
    return ASSETS.joinpath(*parts)


def parse(format_id: str, source_id: str = "test_source", **files: Path
          ) -> tuple[list[ListEntity], ListParser]:
    """Parse ``files`` (role=path) with the registered parser; return entities and parser."""
    parser = get_parser(format_id, source_id)
    return list(parser.parse(files)), parser


def by_name(entities: list[ListEntity], name: str) -> ListEntity:
    """The single entity called ``name``."""
    found = [entity for entity in entities if entity.name == name]
    assert len(found) == 1, f"{name!r}: {len(found)} entities"
    return found[0]


def parse_error(format_id: str, *fragments: str, source_id: str = "test_source",
                **files: Path) -> str:
    """Parse, expect a ListDataError, check it is one line and mentions every fragment."""
    parser = get_parser(format_id, source_id)
    with pytest.raises(ListDataError) as caught:
        list(parser.parse(files))
    message = str(caught.value)
    assert "\n" not in message, message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    return message


def real(*parts: str) -> Path:
    """A real list snapshot beside the project; skips the test when the folder is absent."""
    if not REAL.is_dir():
        pytest.skip("real list snapshots not present (../shared/lists-real)")
    return REAL.joinpath(*parts)
