"""User-defined deny lists (CSV and YAML)."""

from __future__ import annotations

from pathlib import Path

from tests.lists.parser_helpers import asset, by_name, parse, parse_error


def test_custom_csv():
    entities, _ = parse("custom_csv", "custom_procurement", main=asset("custom", "deny.csv"))
    assert len(entities) == 10
    assert all(entity.lists == ("CUSTOM",) for entity in entities)
    lab = by_name(entities, "Example Frontier AI Lab")
    assert lab.source_id == "deny-001" and lab.source == "custom_procurement"
    assert [a.name for a in lab.aliases] == ["ExFront", "Example Frontier"]
    assert lab.countries == ("CN",) and lab.listed_on == "2026-04-01"
    assert lab.remarks == "Banned by procurement policy 2026-04"
    assert by_name(entities, "Sample Labs, Inc.").remarks == "Contract terminated; do not onboard"
    assert by_name(entities, "Jane Example").entity_type == "person"
    assert by_name(entities, "Jane Example").source_id.startswith("row-")
    assert by_name(entities, "Northwind Machine Tools LLC").countries == ("RU",)  # a name
    assert by_name(entities, "Blue Crescent Trading Co.").countries == ("AE", "HK")
    assert by_name(entities, "Example Vision Technology").countries == ("CN",)  # lower case
    unknown = by_name(entities, "Unknown Origin Models")
    assert unknown.countries == () and "Atlantis" in (unknown.remarks or "")


def test_custom_csv_bad_rows_name_file_and_line():
    parse_error("custom_csv", "bad_date.csv:3", "not a date", main=asset("custom", "bad_date.csv"))
    parse_error("custom_csv", "missing_name.csv:3", "name is empty",
                main=asset("custom", "missing_name.csv"))
    parse_error("custom_csv", "no_name_column.csv:1", "'name' column",
                main=asset("custom", "no_name_column.csv"))


def test_custom_csv_accepts_opensanctions_simple_columns(tmp_path: Path):
    targets = tmp_path / "targets.simple.csv"
    targets.write_text(
        "id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,"
        "emails,program_ids,dataset,first_seen,last_seen,last_change\n"
        "NK-1,Company,Example Corp,Example;ExCo,,cn;hk,,,EU sanction,,,,x,2024-01-02T10:00:00,"
        "2026-01-01,2026-01-01\n", encoding="utf-8")
    entities, _ = parse("custom_csv", "opensanctions_sanctions", main=targets)
    (entity,) = entities
    assert entity.source_id == "NK-1" and entity.entity_type == "organisation"
    assert entity.countries == ("CN", "HK") and entity.listed_on == "2024-01-02"


def test_custom_yaml():
    entities, _ = parse("custom_yaml", "custom_procurement", main=asset("custom", "deny.yaml"))
    assert [entity.name for entity in entities] == ["Example Frontier AI Lab",
                                                    "Acme Model Hosting Ltd", "Jane Example"]
    assert entities[0].listed_on == "2026-04-01"
    assert entities[1].countries == ("GB", "IE")
    assert entities[1].aliases[0].name == "Acme Hosting"
    assert entities[2].entity_type == "person"


def test_custom_yaml_errors_are_located(tmp_path: Path):
    parse_error("custom_yaml", "bad_key.yaml:2", "unknown key 'contry'",
                main=asset("custom", "bad_key.yaml"))
    broken = tmp_path / "deny.yaml"
    broken.write_text("- name: [unclosed\n", encoding="utf-8")
    parse_error("custom_yaml", "deny.yaml", "YAML", main=broken)
