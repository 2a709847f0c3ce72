"""The shipped catalogue and the user's overrides in config.yaml."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from riskcheck.errors import DataError, InputError
from riskcheck.lists.catalogue import bundled_lists_dir, load_catalogue
from riskcheck.lists.parsers import FORMAT_FILES

OFFICIAL_HOSTS = {
    "ofac_sdn": "sanctionslistservice.ofac.treas.gov",
    "ofac_cons": "sanctionslistservice.ofac.treas.gov",
    "us_csl": "data.trade.gov",
    "us_bis_dpl": "www.bis.doc.gov",
    "eu_fsf": "webgate.ec.europa.eu",
    "uk_sanctions": "sanctionslist.fcdo.gov.uk",
    "un_sc": "scsanctions.un.org",
}


def write_config(data_dir: Path, text: str) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_catalogue_has_every_source_with_official_urls(data_dir: Path) -> None:
    catalogue = load_catalogue(data_dir, env={})
    ids = [source.id for source in catalogue.sources]
    assert ids[:9] == ["ofac_sdn", "ofac_cons", "us_csl", "us_bis_dpl", "eu_fsf", "uk_sanctions",
                       "un_sc", "us_dod_1260h", "us_fcc_covered"]
    for source in catalogue.sources:
        assert source.format in FORMAT_FILES and source.title and source.page
        assert source.licence and source.min_records >= 1 and source.max_age_days >= 1
        for file in source.files:
            if source.id in OFFICIAL_HOSTS:
                assert urlsplit(file.url).scheme == "https"
                assert urlsplit(file.url).netloc == OFFICIAL_HOSTS[source.id]
    sdn = catalogue.get("ofac_sdn").file_map()
    assert sdn["main"].url.endswith("/api/PublicationPreview/exports/SDN.CSV")
    assert sdn["comments"].filename == "SDN_COMMENTS.CSV"
    assert catalogue.get("us_csl").main_url == (
        "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv")
    assert catalogue.get("un_sc").main_url == "https://scsanctions.un.org/resources/xml/en/consolidated.xml"


def test_transcriptions_point_into_the_bundled_folder(data_dir: Path) -> None:
    catalogue = load_catalogue(data_dir, env={})
    for source_id, name in (("us_dod_1260h", "dod_1260h.yaml"), ("us_fcc_covered", "fcc_covered.yaml")):
        main = catalogue.get(source_id).file_map()["main"]
        assert main.local and Path(main.url) == bundled_lists_dir() / "transcriptions" / name


def test_opensanctions_is_off_by_default_and_states_its_licence(data_dir: Path) -> None:
    catalogue = load_catalogue(data_dir, env={})
    enabled = {source.id for source in catalogue.select()}
    assert "opensanctions_sanctions" not in enabled and "us_bis_dpl" not in enabled
    assert "CC BY-NC 4.0" in (catalogue.get("opensanctions_sanctions").licence or "")


def test_eu_token_comes_from_env_then_config_then_default(data_dir: Path) -> None:
    default = load_catalogue(data_dir, env={}).get("eu_fsf").main_url
    assert default.endswith("content?token=dG9rZW4tMjAxNw")
    write_config(data_dir, "eu_token: FROMCONFIG\n")
    assert load_catalogue(data_dir, env={}).get("eu_fsf").main_url.endswith("token=FROMCONFIG")
    from_env = load_catalogue(data_dir, env={"RISKCHECK_EU_TOKEN": "FROMENV"})
    assert from_env.get("eu_fsf").main_url.endswith("token=FROMENV")


def test_mirror_keeps_official_file_names(data_dir: Path) -> None:
    catalogue = load_catalogue(data_dir, env={"RISKCHECK_MIRROR_URL": "https://m.example/lists/"})
    assert catalogue.get("ofac_cons").file_map()["alt"].url == "https://m.example/lists/CONS_ALT.CSV"
    assert catalogue.get("eu_fsf").main_url == "https://m.example/lists/xmlFullSanctionsList_1_1.xml"
    assert catalogue.get("us_dod_1260h").file_map()["main"].local  # shipped files stay local
    local = load_catalogue(data_dir, env={"RISKCHECK_MIRROR_URL": f"file://{data_dir}/m"})
    alt = local.get("ofac_cons").file_map()["alt"]
    assert alt.local and Path(alt.url) == data_dir / "m" / "CONS_ALT.CSV"
    with pytest.raises(InputError, match="not http"):
        load_catalogue(data_dir, env={"RISKCHECK_MIRROR_URL": "ftp://m.example"})


def test_config_disables_switches_variant_and_overrides_files(data_dir: Path, tmp_path: Path) -> None:
    write_config(data_dir, """
sources:
  eu_fsf: {enabled: false}
  ofac_sdn: {variant: enhanced_xml, max_age_days: 2}
  us_csl:
    files: {main: copies/consolidated.csv}
    min_records: 10
""")
    catalogue = load_catalogue(data_dir, env={})
    assert not catalogue.get("eu_fsf").enabled
    assert "eu_fsf" not in {s.id for s in catalogue.select()}
    assert [s.id for s in catalogue.select(["eu_fsf"])] == ["eu_fsf"]  # named: still possible
    sdn = catalogue.get("ofac_sdn")
    assert sdn.format == "ofac_enhanced_xml" and sdn.variant == "enhanced_xml"
    assert [f.role for f in sdn.files] == ["main"] and sdn.main_url.endswith("SDN_ENHANCED.ZIP")
    assert sdn.max_age_days == 2
    csl = catalogue.get("us_csl").file_map()["main"]
    assert csl.local and Path(csl.url) == (data_dir / "copies" / "consolidated.csv").resolve()
    assert catalogue.get("us_csl").min_records == 10


def test_custom_lists_are_added(data_dir: Path) -> None:
    write_config(data_dir, """
custom:
  - id: custom_denied
    title: Vendors we never use
    format: custom_csv
    files: {main: denied.csv}
  - id: custom_remote
    title: Group list
    format: custom_yaml
    files: {main: "https://intranet.example/list.yaml"}
    lists: [CUSTOM]
    max_age_days: 3
""")
    catalogue = load_catalogue(data_dir, env={"RISKCHECK_MIRROR_URL": "https://m.example"})
    denied = catalogue.get("custom_denied")
    assert denied.origin == "config" and denied.lists == ("CUSTOM",) and denied.max_age_days == 30
    assert denied.file_map()["main"].local
    remote = catalogue.get("custom_remote")
    assert remote.main_url == "https://intranet.example/list.yaml"  # mirrors skip user lists
    assert remote.max_age_days == 3


@pytest.mark.parametrize(("text", "message", "line"), [
    ("sources:\n  nope: {enabled: false}\n", "unknown list source 'nope'", 2),
    ("sources:\n  us_csl: {url: x}\n", "setting 'url' cannot be overridden", 2),
    ("sources:\n  ofac_sdn: {variant: json}\n", "no variant 'json'", 2),
    ("custom:\n  - id: mine\n    title: x\n    format: custom_csv\n    files: {main: a.csv}\n",
     "must start with 'custom_'", 2),
    ("custom:\n  - id: custom_x\n    title: x\n    format: pdf\n    files: {main: a.csv}\n",
     "unknown format 'pdf'", 2),
    ("mirror: x\n", "unknown config key 'mirror'", 1),
])
def test_config_errors_name_file_and_line(data_dir: Path, text: str, message: str, line: int) -> None:
    path = write_config(data_dir, text)
    with pytest.raises(InputError) as caught:
        load_catalogue(data_dir, env={})
    assert message in str(caught.value)
    assert caught.value.path == str(path) and caught.value.line == line


def test_explicit_config_path_and_env(tmp_path: Path, data_dir: Path) -> None:
    config = tmp_path / "team.yaml"
    config.write_text("sources:\n  un_sc: {enabled: false}\n")
    assert not load_catalogue(data_dir, config_path=config, env={}).get("un_sc").enabled
    assert not load_catalogue(data_dir, env={"RISKCHECK_CONFIG": str(config)}).get("un_sc").enabled
    with pytest.raises(InputError, match="config not found"):
        load_catalogue(data_dir, config_path=tmp_path / "missing.yaml", env={})


def test_broken_shipped_catalogue_is_a_data_error(tmp_path: Path, data_dir: Path) -> None:
    broken = tmp_path / "sources.yaml"
    broken.write_text("sources:\n  - id: x1\n    title: t\n    format: custom_csv\n    files: {}\n")
    with pytest.raises(DataError, match="catalogue is broken"):
        load_catalogue(data_dir, catalogue_path=broken, env={})


def test_unknown_source_lists_the_choices(data_dir: Path) -> None:
    with pytest.raises(InputError, match="unknown list source 'ofac'.*ofac_sdn"):
        load_catalogue(data_dir, env={}).get("ofac")
