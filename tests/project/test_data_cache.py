"""riskcheck's own YAML data is kept as JSON between runs; the cache never changes an answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskcheck import data
from riskcheck.errors import DataError


def _cache_files() -> list[Path]:
    folder = data._cache_folder()
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def test_second_read_comes_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "table.yaml"
    path.write_text("a: [1, 2.5, true, null, text]\nb: {c: é}\n", encoding="utf-8")
    first = data.read_yaml(path)
    assert len(_cache_files()) == 1

    def no_yaml(*_: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(data, "_parse_yaml", no_yaml)
    assert data.read_yaml(path) == first == {"a": [1, 2.5, True, None, "text"], "b": {"c": "é"}}
    assert type(data.read_yaml(path)["a"][1]) is float


def test_an_edit_misses(tmp_path: Path) -> None:
    path = tmp_path / "table.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    assert data.read_yaml(path) == {"a": 1}
    path.write_text("a: 2\n", encoding="utf-8")  # same size, maybe the same timestamp
    assert data.read_yaml(path) == {"a": 2}


@pytest.mark.parametrize("text", ["day: 2024-01-31\n", "1: one\n", "x: .nan\n", "{true: 1}\n"])
def test_values_json_cannot_keep_are_not_cached(tmp_path: Path, text: str) -> None:
    path = tmp_path / "table.yaml"
    path.write_text(text, encoding="utf-8")
    first = data.read_yaml(path)
    second = data.read_yaml(path)
    assert repr(first) == repr(second)
    assert _cache_files() == []


@pytest.mark.parametrize("damage", ["", "{", "[]", '{"key": "x", "data": 1}', "\x00\xff"])
def test_a_damaged_cache_file_is_ignored_and_replaced(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "table.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    data.read_yaml(path)
    (cached,) = _cache_files()
    cached.write_bytes(damage.encode("latin-1"))
    assert data.read_yaml(path) == {"a": 1}
    assert json.loads(cached.read_text(encoding="utf-8"))["data"] == {"a": 1}


def test_unwritable_cache_still_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr(data, "_cache_folder", lambda: blocker / "yaml")
    path = tmp_path / "table.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    assert data.read_yaml(path) == {"a": 1}
    assert data.read_yaml(path) == {"a": 1}


def test_errors_are_the_same_with_a_cache(tmp_path: Path) -> None:
    path = tmp_path / "table.yaml"
    with pytest.raises(DataError, match="data file missing"):
        data.read_yaml(path)
    path.write_text("a: [1\n", encoding="utf-8")
    with pytest.raises(DataError, match="invalid YAML at line"):
        data.read_yaml(path)
    assert _cache_files() == []


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_bundled_data_reads_the_same_from_the_cache() -> None:
    for path in sorted(data.lists_dir().glob("*.yaml")):
        assert data.read_yaml(path) == data._parse_yaml(path, path.read_bytes(), "")
