"""Errors that name the real fix: a file of another format given to ``lists import``, a
file missing from a mirror."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from riskcheck.lists.identify import identify

REPO = Path(__file__).resolve().parents[2]

CONLIST = (
    "Last Updated,12/02/2016\n"
    "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,DOB,Town of Birth,Country of Birth,"
    "Nationality,Passport Details,NI Number,Position,Address 1,Address 2,Address 3,Address 4,"
    "Address 5,Address 6,Post/Zip Code,Country,Other Information,Group Type,Alias Type,Regime,"
    "Listed On,Last Updated,Group ID\n"
    "EXAMPLE BANK,,,,,,,,,,,,,,,,,,,,,Russia,,Entity,Primary name,Russia,01/03/2022,"
    "01/03/2022,90001\n"
)


def _riskcheck(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskcheck", *args], capture_output=True,
                          text=True, timeout=120, cwd=REPO, env=env)


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_an_ofsi_conlist_given_to_uk_sanctions_names_the_variant(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text(CONLIST, encoding="utf-8")
    store = tmp_path / "store"
    result = _riskcheck("lists", "import", "uk_sanctions", str(data), "--data-dir", str(store))
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "data.csv looks like the OFSI consolidated list CSV" in lines[0]
    assert "riskcheck lists import uk_sanctions data.csv --variant ofsi_conlist" in lines[0]
    assert "UK-Sanctions-List" not in lines[0]  # never a file the user did not give
    done = _riskcheck("lists", "import", "uk_sanctions", str(data), "--data-dir", str(store),
                      "--variant", "ofsi_conlist", "--min-records", "1")
    assert done.returncode == 0, done.stderr
    assert "imported 1 records" in done.stdout


def test_a_file_of_another_source_names_that_source(tmp_path: Path) -> None:
    data = tmp_path / "ConList.csv"
    data.write_text(CONLIST, encoding="utf-8")
    result = _riskcheck("lists", "import", "us_csl", str(data), "--data-dir",
                        str(tmp_path / "store"))
    assert result.returncode == 3
    assert ("it is a file of uk_sanctions: riskcheck lists import uk_sanctions ConList.csv "
            "--variant ofsi_conlist") in result.stderr


def test_an_unknown_variant_is_a_usage_error(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text(CONLIST, encoding="utf-8")
    result = _riskcheck("lists", "import", "uk_sanctions", str(data), "--data-dir",
                        str(tmp_path / "store"), "--variant", "nope")
    assert result.returncode == 2
    assert "no variant 'nope'" in result.stderr and "ofsi_conlist" in result.stderr


def test_a_broken_import_names_the_given_file_not_the_download_name(tmp_path: Path) -> None:
    data = tmp_path / "mine.csv"
    data.write_text("just,some\ncolumns,here\n", encoding="utf-8")
    result = _riskcheck("lists", "import", "us_csl", str(data), "--data-dir",
                        str(tmp_path / "store"))
    assert result.returncode == 3
    assert result.stderr.startswith("riskcheck: error: mine.csv:"), result.stderr
    assert "consolidated.csv" not in result.stderr and "lists update" not in result.stderr


@pytest.mark.parametrize("head,expected", [
    (CONLIST, "ofsi_conlist_csv"),
    ("Unique ID,Name 6,Name 1\nRUS0001,X,\n", "uk_sanctions_list"),
    ('<?xml version="1.0"?>\n<Designations xmlns:x="y"><Designation/></Designations>',
     "uk_sanctions_list"),
    ("_id,source,entity_number,type,programs,name\n", "us_csl_csv"),
    ('36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA"\n', "ofac_legacy_csv"),
    ('<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="x">', "un_sc_xml"),
    ('<?xml version="1.0"?><export xmlns="http://eu.europa.ec/fpi/fsd/export">', "eu_fsf_xml"),
    ('<?xml version="1.0"?><sanctionsData xmlns="x">', "ofac_enhanced_xml"),
    ("name,aliases,country\nAcme,,CN\n", None),
])
def test_identify(tmp_path: Path, head: str, expected: str | None) -> None:
    path = tmp_path / "file"
    path.write_text(head, encoding="utf-8")
    kind = identify(path)
    assert (kind.format if kind else None) == expected


def test_a_mirror_404_says_to_add_the_file_to_the_mirror(tmp_path: Path, httpserver) -> None:
    httpserver.expect_request("").respond_with_data("not here", status=404)
    env = dict(os.environ, RISKCHECK_MIRROR_URL=httpserver.url_for("/mirror"))
    env.pop("RISKCHECK_OFFLINE", None)
    result = _riskcheck("lists", "update", "un_sc", "--data-dir", str(tmp_path / "store"),
                        env=env)
    assert result.returncode != 0
    assert "the mirror has no consolidated.xml: add the file to the mirror" in result.stderr
    assert "https://scsanctions.un.org/" in result.stderr  # where to get it
    assert "sources.<id>.files" not in result.stderr
