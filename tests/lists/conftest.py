"""Fixtures for the list store, download and update tests: an isolated data directory, a
tiny fake parser (so these tests do not depend on the real parsers), and catalogues that
point at a local pytest-httpserver."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from riskcheck.lists.catalogue import Catalogue, load_catalogue
from riskcheck.lists.download import make_session
from riskcheck.lists.interface import ListDataError, ListParser
from riskcheck.model import Alias, ListEntity

REPO = Path(__file__).resolve().parents[2]
REAL = REPO.parent / "shared" / "lists-real"


class FakeParser(ListParser):
    """Reads ``id,name,aliases(|-separated),lists`` rows; a row ``BOOM`` raises mid-parse.

    Multi-file sets: every role's rows are read, so a changed ``add`` file changes the result.
    """

    def parse(self, files: Mapping[str, Path]) -> Iterator[ListEntity]:
        for role in sorted(files):
            with files[role].open(encoding="utf-8", newline="") as handle:
                for row in csv.reader(handle):
                    if not row or row[0].startswith("#") or row == ["\x1a"]:  # OFAC end marker
                        continue
                    if row[0] == "BOOM":
                        raise ListDataError(f"{self.source_id}: bad row in {files[role].name}")
                    aliases = tuple(Alias(name) for name in row[2].split("|") if name) \
                        if len(row) > 2 else ()
                    lists = tuple(row[3].split("|")) if len(row) > 3 and row[3] else ("CUSTOM",)
                    yield ListEntity(source=self.source_id, source_id=row[0], lists=lists,
                                     name=row[1], aliases=aliases, countries=("CN",))

    def published(self, files: Mapping[str, Path]) -> str | None:
        first = files["main"].read_text(encoding="utf-8").splitlines()[:1]
        if first and first[0].startswith("# published "):
            return first[0].split()[-1]
        return None


def fake_factory(format_id: str, source_id: str) -> ListParser:
    """A parser factory that serves every format with :class:`FakeParser`."""
    return FakeParser(source_id)


def rows(count: int, prefix: str = "E", *, extra: str = "") -> str:
    """``count`` fake CSV rows."""
    return "".join(f"{prefix}{i},{prefix} Company {i},{prefix}C{i}|Alias {i},EL\n"
                   for i in range(count)) + extra


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty data directory used as RISKCHECK_DATA_DIR."""
    directory = tmp_path / "data"
    monkeypatch.setenv("RISKCHECK_DATA_DIR", str(directory))
    for name in ("RISKCHECK_MIRROR_URL", "RISKCHECK_CONFIG", "RISKCHECK_EU_TOKEN",
                 "RISKCHECK_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    return directory


@pytest.fixture
def fake_parsers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Route every parser lookup of update/import to :class:`FakeParser`."""
    from riskcheck.lists import update

    monkeypatch.setattr(update, "default_parser_factory", fake_factory)


@pytest.fixture
def quick_session():  # type: ignore[no-untyped-def]
    """A session that retries twice without sleeping."""
    return make_session(retries=2, backoff_factor=0)


CatalogueMaker = Callable[..., Catalogue]


@pytest.fixture
def make_catalogue(tmp_path: Path, data_dir: Path) -> CatalogueMaker:
    """Write a small catalogue YAML and load it; sources given as id -> files mapping."""

    def make(sources: Mapping[str, Mapping[str, str]], *, format_id: str = "custom_csv",
             min_records: int = 1, env: Mapping[str, str] | None = None,
             extra: str = "") -> Catalogue:
        lines = ["schema_version: 1", "sources:"]
        for source_id, files in sources.items():
            fmt = "ofac_legacy_csv" if len(files) > 1 else format_id
            lines += [f"  - id: {source_id}", f"    title: Test list {source_id}",
                      "    publisher: Test", "    lists: [EL]", f"    format: {fmt}",
                      "    files:"]
            lines += [f"      {role}: {url}" for role, url in files.items()]
            lines += [f"    min_records: {min_records}", "    max_age_days: 7",
                      "    required_for_fresh: true"]
        path = tmp_path / "sources.yaml"
        path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
        return load_catalogue(data_dir, catalogue_path=path, env=dict(env or {}))

    return make
