"""The parser registry, and wrong or broken downloads fed to every format."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from riskcheck.lists.interface import ListDataError, ListParser
from riskcheck.lists.parsers import FORMAT_FILES, PARSERS, REQUIRED_FILES, get_parser
from tests.lists.parser_helpers import REPO, asset, parse_error

ALL_FORMATS = sorted(PARSERS)
FILE_FORMATS = [f for f in ALL_FORMATS if f not in ("riskcheck_transcription_yaml",
                                                    "custom_yaml")]


def test_registry_matches_the_catalogue():
    assert set(FORMAT_FILES) == set(REQUIRED_FILES) == set(PARSERS)
    for format_id, roles in FORMAT_FILES.items():
        # Each parser declares its roles; the catalogue reads them from there.
        assert roles == PARSERS[format_id].roles
        assert roles[0] == "main" and set(REQUIRED_FILES[format_id]) <= set(roles)
        assert list(roles[:len(REQUIRED_FILES[format_id])]) == list(REQUIRED_FILES[format_id])
    import yaml
    catalogue = yaml.safe_load((REPO / "lists" / "sources.yaml").read_text(encoding="utf-8"))
    for source in catalogue["sources"]:
        assert source["format"] in PARSERS, source["id"]


def test_get_parser():
    parser = get_parser("un_sc_xml", "un_sc")
    assert isinstance(parser, ListParser) and parser.source_id == "un_sc"
    with pytest.raises(ListDataError, match="unknown list format 'pdf'"):
        get_parser("pdf", "x")


@pytest.mark.parametrize("format_id", ALL_FORMATS)
def test_html_error_page(format_id: str):
    parse_error(format_id, "error_page.html", main=asset("broken", "error_page.html"))


@pytest.mark.parametrize("format_id", ALL_FORMATS)
def test_empty_file(format_id: str):
    parse_error(format_id, "empty.csv", main=asset("broken", "empty.csv"))


@pytest.mark.parametrize("format_id", FILE_FORMATS)
def test_json_instead_of_the_format(format_id: str):
    parse_error(format_id, "results.json", "JSON", main=asset("broken", "results.json"))


@pytest.mark.parametrize("format_id", FILE_FORMATS)
def test_missing_file(format_id: str, tmp_path: Path):
    parse_error(format_id, "nothing.csv", "not found", main=tmp_path / "nothing.csv")


@pytest.mark.parametrize("format_id", ALL_FORMATS)
def test_missing_main_role(format_id: str):
    parse_error(format_id, "no 'main' file")


@pytest.mark.parametrize("format_id", ["us_csl_csv", "bis_dpl_tsv", "ofsi_conlist_csv",
                                       "uk_sanctions_list", "custom_csv", "ofac_legacy_csv"])
def test_wrong_columns(format_id: str):
    parse_error(format_id, "three_columns.csv", main=asset("broken", "three_columns.csv"))


@pytest.mark.parametrize("format_id", ["un_sc_xml", "eu_fsf_xml", "ofac_enhanced_xml",
                                       "uk_sanctions_list"])
def test_dtd_and_entities_are_refused(format_id: str):
    parse_error(format_id, "xxe.xml", "DTD", main=asset("broken", "xxe.xml"))
    parse_error(format_id, "billion_laughs.xml", "DTD", main=asset("broken", "billion_laughs.xml"))


@pytest.mark.parametrize("format_id", ["us_csl_csv", "bis_dpl_tsv", "custom_csv"])
def test_utf16_text_is_not_parsed_as_data(format_id: str):
    with pytest.raises(ListDataError):
        list(get_parser(format_id, "x").parse({"main": asset("broken", "utf16.txt")}))


def test_broken_gzip(tmp_path: Path):
    packed = gzip.compress(asset("csl", "consolidated.csv").read_bytes())
    cut = tmp_path / "consolidated.csv.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    parse_error("us_csl_csv", "consolidated.csv.gz", main=cut)


SAMPLES = {
    "ofac_legacy_csv": ("ofac", "sdn.csv"), "ofac_enhanced_xml": ("ofac", "cons_enhanced.xml"),
    "us_csl_csv": ("csl", "consolidated.csv"), "bis_dpl_tsv": ("dpl", "dpl.txt"),
    "eu_fsf_xml": ("eu", "fsf_1_1.xml"), "uk_sanctions_list": ("uk", "uk_sanctions_list.xml"),
    "ofsi_conlist_csv": ("uk", "conlist_2016.csv"), "un_sc_xml": ("un", "consolidated.xml"),
    "riskcheck_transcription_yaml": ("transcription", "mini.yaml"),
    "custom_csv": ("custom", "deny.csv"), "custom_yaml": ("custom", "deny.yaml"),
}


@pytest.mark.parametrize("format_id", sorted(SAMPLES))
def test_damaged_files_never_raise_anything_but_list_data_errors(format_id: str, tmp_path: Path):
    """Cut and corrupted copies either parse or fail with ListDataError, never a traceback."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    original = asset(*SAMPLES[format_id]).read_bytes()
    target = tmp_path / SAMPLES[format_id][1]

    @settings(max_examples=25, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(cut=st.integers(min_value=0, max_value=len(original)),
           at=st.integers(min_value=0, max_value=len(original) - 1),
           byte=st.integers(min_value=0, max_value=255))
    def check(cut: int, at: int, byte: int) -> None:
        damaged = bytearray(original[:cut] if cut % 2 else original)
        if damaged and not cut % 2:
            damaged[at % len(damaged)] = byte
        target.write_bytes(bytes(damaged))
        parser = get_parser(format_id, "fuzz")
        try:
            list(parser.parse({"main": target}))
            parser.published({"main": target})
        except ListDataError as exc:
            assert "\n" not in str(exc)

    check()
