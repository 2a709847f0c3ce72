"""``riskcheck lists ...`` end to end through the real entry point (exit codes, outputs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskcheck.cli import app as root_app
from riskcheck.cli import lists as lists_cli
from riskcheck.cli import main

from .conftest import rows

if not any(group.name == "lists" for group in root_app.registered_groups):
    root_app.add_typer(lists_cli.app, name="lists")  # until the lead registers it


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    captured = capsys.readouterr()
    return int(done.value.code or 0), captured.out, captured.err


@pytest.fixture
def custom_lists(data_dir: Path, tmp_path: Path, fake_parsers: None) -> Path:
    """Two user lists from local files, defined in <data_dir>/config.yaml."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (tmp_path / "a.csv").write_text(rows(30))
    (tmp_path / "b.csv").write_text(rows(3, "B"))
    (data_dir / "config.yaml").write_text(f"""
custom:
  - id: custom_a
    title: List A
    format: custom_csv
    files: {{main: {tmp_path / 'a.csv'}}}
    required_for_fresh: true
  - id: custom_b
    title: List B
    format: custom_csv
    files: {{main: {tmp_path / 'b.csv'}}}
    min_records: 10
""")
    return tmp_path


def test_update_then_status(capsys, custom_lists: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "lists", "update", "custom_a")
    assert code == 0, err
    assert "custom_a" in out and "updated" in out and "30" in out
    code, out, err = run(capsys, "lists", "status", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert payload["schema_version"] == 1
    states = {s["source"]: s for s in payload["sources"]}
    assert states["custom_a"]["state"] == "fresh" and states["custom_a"]["record_count"] == 30
    assert states["ofac_sdn"]["state"] == "missing"
    assert "us_bis_dpl" not in states  # disabled and never stored


def test_failed_source_exits_3_after_updating_the_others(capsys, custom_lists: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "lists", "update", "custom_a", "custom_b", "-f", "json")
    assert code == 3
    outcomes = {o["source"]: o for o in json.loads(out)["outcomes"]}
    assert outcomes["custom_a"]["status"] == "updated"
    assert outcomes["custom_b"]["status"] == "failed"
    lines = [line for line in err.splitlines() if line.startswith("riskcheck: error:")]
    assert len(lines) == 1 and "custom_b: only 3 records parsed" in lines[0]


def test_require_fresh_fails_on_missing_required_lists(capsys, custom_lists: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "lists", "status", "--require-fresh")
    assert code == 3 and "custom_a (missing)" in err and "ofac_sdn (missing)" in err
    assert "custom_a" in out and "missing" in out


def test_import_diff_and_search(capsys, custom_lists: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = tmp_path / "v1.csv"
    first.write_text(rows(20))
    second = tmp_path / "v2.csv"
    second.write_text(rows(22) + "X1,Zhipu Huazhang Technology,Zhipu AI,EL\n")
    assert run(capsys, "lists", "import", "custom_a", "--role", "main", str(first))[0] == 0
    code, out, err = run(capsys, "lists", "import", "custom_a", f"main={second}")
    assert code == 0, err
    code, out, err = run(capsys, "lists", "diff", "custom_a", "-f", "json")
    assert code == 0, err
    payload = json.loads(out)
    assert sorted(e["source_id"] for e in payload["added"]) == ["E20", "E21", "X1"]
    assert payload["removed"] == [] and payload["old"]["record_count"] == 20
    code, out, err = run(capsys, "lists", "diff", "custom_a")
    assert code == 0 and "3 added, 0 removed, 0 changed" in out
    code, out, err = run(capsys, "lists", "search", "Zhipu Huazhang Technology Co., Ltd.",
                         "--country", "cn", "-f", "json")
    assert code == 0, err
    results = json.loads(out)["results"]
    assert results and results[0]["source_id"] == "X1" and results[0]["band"] == "match"


def test_import_of_an_unrecognised_file_is_a_usage_error(capsys, custom_lists: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stray = tmp_path / "notes.csv"
    stray.write_text(rows(2))
    code, _, err = run(capsys, "lists", "import", "ofac_sdn", str(stray))
    assert code == 2 and "cannot tell which file of ofac_sdn" in err


def test_search_and_diff_without_a_store_say_what_to_do(capsys, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "lists", "search", "Huawei")
    assert code == 3 and "lists update" in err
    code, _, err = run(capsys, "lists", "diff", "us_csl")
    assert code == 3 and "lists update" in err


def test_offline_update_uses_only_the_store(capsys, custom_lists: Path) -> None:  # type: ignore[no-untyped-def]
    run(capsys, "lists", "update", "custom_a")
    code, out, _ = run(capsys, "lists", "update", "custom_a", "--offline")
    assert code == 0 and "offline" in out


def test_output_file_and_bad_format(capsys, custom_lists: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "status.json"
    code, out, _ = run(capsys, "lists", "status", "-f", "json", "-o", str(target))
    assert code == 0 and out == "" and json.loads(target.read_text())["command"] == "lists status"
    code, _, err = run(capsys, "lists", "status", "-f", "sarif")
    assert code == 2 and "--format" in err


def test_unwritable_data_dir_is_one_line(capsys, tmp_path: Path, fake_parsers: None) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "lists", "update", "us_dod_1260h", "--data-dir", str(blocker / "d"))
    assert code == 3 and err.count("\n") == 1 and "cannot create data directory" in err


@pytest.mark.parametrize("command", ["update", "status", "diff", "import", "search"])
def test_every_command_documents_a_real_example(capsys, command: str) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "lists", command, "--help")
    assert code == 0
    assert "Example: riskcheck lists " + command in " ".join(out.split())
    for option in ("--format", "--output", "--data-dir"):
        assert option in out
