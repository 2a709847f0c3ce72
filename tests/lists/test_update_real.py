"""``riskcheck lists update`` end to end on the real official files, served by a local mirror.

The mirror (pytest-httpserver, via RISKCHECK_MIRROR_URL) holds each snapshot under the file
name its publisher uses, so the real catalogue, downloader, parsers and store all run.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from riskcheck.cli import app as root_app
from riskcheck.cli import lists as lists_cli
from riskcheck.cli import main
from riskcheck.lists.store import open_store

from .conftest import REAL

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

if not any(group.name == "lists" for group in root_app.registered_groups):
    root_app.add_typer(lists_cli.app, name="lists")  # until the lead registers it

# Official file name -> snapshot path under shared/lists-real.
MIRROR = {
    "SDN.CSV": "ofac_sdn/2024-05-03/sdn.csv",
    "ADD.CSV": "ofac_sdn/watchman-2025-12/add.csv",
    "ALT.CSV": "ofac_sdn/watchman-2025-12/alt.csv",
    "SDN_COMMENTS.CSV": "ofac_sdn/watchman-2025-12/sdn_comments.csv",
    "CONS_PRIM.CSV": "ofac_cons/cons_prim.csv",
    "CONS_ADD.CSV": "ofac_cons/cons_add.csv",
    "CONS_ALT.CSV": "ofac_cons/cons_alt.csv",
    "CONS_COMMENTS.CSV": "ofac_cons/cons_comments.csv",
    "CONS_ENHANCED.ZIP": "ofac_cons/CONS_ENHANCED.ZIP",
    "dpl.txt": "us_bis_dpl/dpl.txt",
    "xmlFullSanctionsList_1_1.xml": "eu_fsf/2016-02/data.xml",
    "ConList.csv": "uk_hmt/2016-02/data.csv",
    "consolidated.xml": "un/UN_consolidated.xml",
}

SOURCES = ["ofac_sdn", "ofac_cons", "us_csl", "us_bis_dpl", "eu_fsf", "uk_sanctions", "un_sc",
           "us_dod_1260h", "us_fcc_covered"]

# The 2016 EU and UK snapshots are far smaller than today's lists, so the catalogue's
# minimums (sized for current lists) are lowered here, as a user would in config.yaml.
CONFIG = """
sources:
  eu_fsf: {min_records: 100}
  uk_sanctions: {variant: ofsi_conlist, min_records: 100}
"""


@pytest.fixture
def mirror(httpserver: HTTPServer, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    if not REAL.is_dir():
        pytest.skip("real list snapshots not present (../shared/lists-real)")
    for name, relative in MIRROR.items():
        httpserver.expect_request(f"/lists/{name}").respond_with_data((REAL / relative).read_bytes())
    # trade.gov's file as a gzip transfer encoding, the way a compressing server sends it.
    packed = (REAL / "us_csl/2022-05/consolidated.csv.gz").read_bytes()
    assert gzip.decompress(packed)[:4] == b"_id,"
    httpserver.expect_request("/lists/consolidated.csv").respond_with_data(
        packed, headers={"Content-Encoding": "gzip"}, content_type="text/csv")
    monkeypatch.setenv("RISKCHECK_MIRROR_URL", httpserver.url_for("/lists"))
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.yaml").write_text(CONFIG)
    return httpserver


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    captured = capsys.readouterr()
    return int(done.value.code or 0), captured.out, captured.err


def test_update_every_source_from_the_real_files(mirror: HTTPServer, capsys, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(capsys, "lists", "update", *SOURCES, "--format", "json")
    outcomes = {o["source"]: o for o in json.loads(out)["outcomes"]}
    assert code == 0, err
    counts = {source: o["version"]["record_count"] for source, o in outcomes.items()}
    assert all(o["status"] == "updated" for o in outcomes.values()), outcomes
    assert counts["ofac_sdn"] == 14965  # records in the 2024-05-03 sdn.csv
    assert counts["ofac_cons"] == 442
    assert counts["un_sc"] == 730 + 273
    assert counts["eu_fsf"] == 595
    assert counts["uk_sanctions"] == 463  # Group IDs in the 2016 ConList
    assert 14000 <= counts["us_csl"] <= 14160
    assert 300 <= counts["us_bis_dpl"] <= 665
    assert counts["us_dod_1260h"] >= 20 and counts["us_fcc_covered"] >= 5
    assert outcomes["un_sc"]["version"]["published"].startswith("2026-02-27")
    assert outcomes["ofac_sdn"]["version"]["url"].endswith("/lists/SDN.CSV")

    with open_store(data_dir) as store:
        loaded = store.entity_set()
    assert len(loaded.entities) == sum(counts.values())
    names = {entity.name.upper() for entity in loaded.entities if entity.source == "us_csl"}
    assert any("SENSETIME" in name for name in names) and any("IFLYTEK" in n for n in names)

    # Nothing changed upstream: every source is "unchanged" and nothing new is stored.
    code, out, err = cli(capsys, "lists", "update", *SOURCES, "-f", "json")
    assert code == 0, err
    assert {o["status"] for o in json.loads(out)["outcomes"]} == {"unchanged"}
    with open_store(data_dir) as store:
        assert all(len(store.versions(source)) == 1 for source in SOURCES)

    code, out, err = cli(capsys, "lists", "status", "--require-fresh", "-f", "json")
    assert code == 0, err
    assert {s["source"]: s["state"] for s in json.loads(out)["sources"]}["ofac_sdn"] == "fresh"

    code, out, err = cli(capsys, "lists", "search", "Beijing Sensetime Technology Development",
                         "--country", "CN", "-f", "json")
    assert code == 0, err
    top = json.loads(out)["results"][0]
    assert "SENSETIME" in top["name"].upper().replace(" ", "") and top["band"] == "match"


def test_switching_to_the_enhanced_xml_variant_makes_a_comparable_version(
        mirror: HTTPServer, capsys, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli(capsys, "lists", "update", "ofac_cons")[0] == 0
    (data_dir / "config.yaml").write_text(CONFIG + "  ofac_cons: {variant: enhanced_xml}\n")
    code, out, err = cli(capsys, "lists", "update", "ofac_cons", "-f", "json")
    assert code == 0, err
    [outcome] = json.loads(out)["outcomes"]
    assert outcome["status"] == "updated" and outcome["version"]["record_count"] == 443
    assert outcome["version"]["published"] == "2025-01-10"
    code, out, err = cli(capsys, "lists", "diff", "ofac_cons", "-f", "json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["old"]["record_count"] == 442 and payload["new"]["record_count"] == 443
    assert len(payload["added"]) + len(payload["removed"]) + len(payload["changed"]) > 0


def test_html_instead_of_a_real_file_keeps_the_real_version(
        mirror: HTTPServer, capsys, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli(capsys, "lists", "update", "un_sc")[0] == 0
    mirror.clear()
    mirror.expect_request("/lists/consolidated.xml").respond_with_data(
        "<!DOCTYPE html><html><body>Service unavailable</body></html>", content_type="text/html")
    code, _, err = cli(capsys, "lists", "update", "un_sc")
    assert code == 3
    assert "un_sc:" in err and "HTML page" in err and "keeping version fetched" in err
    with open_store(data_dir) as store:
        assert [v.record_count for v in store.versions("un_sc")] == [1003]
