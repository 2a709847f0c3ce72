"""Helpers for the hardening tests: run the installed CLI, build a known-good list store, and
fingerprint a store so a test can prove a failure left it untouched."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ASSETS = REPO / "tests" / "lists" / "assets"
CORPUS = HERE / "corpus"
REAL = REPO.parent / "shared" / "lists-real"

GOOD_CONFIG = """\
# Small test versions stand in for the official lists, so the floor is one record.
sources:
  ofac_sdn: {min_records: 1}
  ofac_cons: {min_records: 1, variant: enhanced_xml}
  us_csl: {min_records: 1}
  us_bis_dpl: {min_records: 1}
  eu_fsf: {min_records: 1}
  uk_sanctions: {min_records: 1}
  un_sc: {min_records: 1}
  us_dod_1260h: {enabled: false}
  us_fcc_covered: {enabled: false}
"""

GOOD_FILES: dict[str, dict[str, Path]] = {
    "ofac_sdn": {"main": ASSETS / "ofac" / "sdn.csv", "add": ASSETS / "ofac" / "add.csv",
                 "alt": ASSETS / "ofac" / "alt.csv",
                 "comments": ASSETS / "ofac" / "sdn_comments.csv"},
    "ofac_cons": {"main": ASSETS / "ofac" / "cons_enhanced.xml"},
    "us_csl": {"main": ASSETS / "csl" / "consolidated.csv"},
    "us_bis_dpl": {"main": ASSETS / "dpl" / "dpl.txt"},
    "eu_fsf": {"main": ASSETS / "eu" / "fsf_1_1.xml"},
    "uk_sanctions": {"main": ASSETS / "uk" / "uk_sanctions_list.xml"},
    "un_sc": {"main": ASSETS / "un" / "consolidated.xml"},
}
"""One good version per source, stored before every hostile import."""


def riskcheck_executable() -> list[str]:
    """The installed console script (beside this interpreter), else ``python -m riskcheck``."""
    script = Path(sys.executable).with_name("riskcheck")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "riskcheck"]


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a CLI subprocess: the test's isolated one, online unless told."""
    env = dict(os.environ)
    env.pop("RISKCHECK_OFFLINE", None)
    env.pop("RISKCHECK_DEBUG", None)
    env.update({"NO_COLOR": "1", "COLUMNS": "120", "PYTHONIOENCODING": "utf-8"})
    env.update(extra)
    return env


def run_cli(args: list[str], *, env: dict[str, str] | None = None, timeout: float = 120,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``riskcheck ARGS`` in a subprocess and capture its output as text."""
    return subprocess.run([*riskcheck_executable(), *args], capture_output=True, text=True,
                          env=env or cli_env(), timeout=timeout, cwd=cwd, check=False,
                          encoding="utf-8", errors="replace")


def assert_one_line_error(result: subprocess.CompletedProcess[str], *, code: int,
                          fragment: str | None = None, names: str | None = None) -> str:
    """The run failed with ``code`` and ONE ``riskcheck: error:`` line (no traceback)."""
    stderr = result.stderr
    assert "Traceback" not in stderr, stderr
    assert "internal error" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("riskcheck: error:")]
    assert len(errors) == 1, f"expected one error line, got:\n{stderr}"
    others = [line for line in stderr.splitlines()
              if line.strip() and not line.startswith(("riskcheck: error:", "riskcheck: warning:"))]
    assert not others, f"stray stderr lines:\n{stderr}"
    assert result.returncode == code, f"exit {result.returncode} != {code}; stderr: {stderr}"
    line = errors[0]
    if fragment is not None:
        assert fragment.lower() in line.lower(), f"{fragment!r} not in {line!r}"
    if names is not None:
        assert names in line, f"the error does not name {names!r}: {line!r}"
    return line


def write_config(data_dir: Path, text: str = GOOD_CONFIG) -> Path:
    """Write ``config.yaml`` into ``data_dir``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def build_good_store(data_dir: Path) -> None:
    """A store holding one good version of every source in :data:`GOOD_FILES`."""
    from riskcheck.lists.catalogue import load_catalogue
    from riskcheck.lists.update import import_files

    write_config(data_dir)
    catalogue = load_catalogue(data_dir)
    for source, files in GOOD_FILES.items():
        outcome = import_files(source, files, data_dir=data_dir, catalogue=catalogue)
        assert outcome.status == "updated", outcome.message


@dataclass(frozen=True)
class StoreState:
    """What must not change when an update or import fails."""

    integrity: str
    current: tuple[tuple[str, str, int, int], ...]
    """(source, sha256, record_count, stored entity rows) of every current version."""
    versions: int


def store_state(data_dir: Path) -> StoreState:
    """Read the store directly with sqlite3 (read-only), independent of riskcheck's code."""
    path = data_dir / "store.sqlite"
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        rows = db.execute(
            "SELECT v.source, v.sha256, v.record_count, "
            "(SELECT COUNT(*) FROM entities e WHERE e.version_id = v.id) "
            "FROM versions v WHERE v.current = 1 ORDER BY v.source").fetchall()
        versions = db.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
    finally:
        db.close()
    return StoreState(integrity, tuple(tuple(row) for row in rows), versions)  # type: ignore[misc]


@pytest.fixture(scope="session")
def good_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with a good version of every test source (built once)."""
    data_dir = tmp_path_factory.mktemp("good-store")
    build_good_store(data_dir)
    shutil.rmtree(data_dir / "tmp", ignore_errors=True)
    return data_dir


def copy_store(template: Path, target: Path) -> Path:
    """A private copy of a data directory (the store is closed, so the copy is whole)."""
    shutil.copytree(template, target)
    return target


@pytest.fixture
def good_store(good_store_template: Path, tmp_path: Path) -> Path:
    """A private copy of the good store for one test."""
    return copy_store(good_store_template, tmp_path / "data")
