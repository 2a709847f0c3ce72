"""``riskcheck screen``: one-off lookups and batch screening against the bundled snapshot."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import typer
from typer.testing import CliRunner

from riskcheck.cli.screen import screen
from riskcheck.errors import ExitCode, InputError

APP = typer.Typer()
APP.command()(screen)
RUNNER = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return RUNNER.invoke(APP, list(args))


def test_lookup_finds_a_listed_vendor_and_exits_1() -> None:
    result = run("Huawei Technologies Co., Ltd.", "--country", "CN", "--bundled")
    assert result.exit_code == 1, result.output
    assert "Huawei" in result.output and "match" in result.output


def test_lookup_of_an_unlisted_vendor_exits_0() -> None:
    result = run("Mistral AI SAS", "--country", "FR", "--bundled")
    assert result.exit_code == 0, result.output
    assert "no listed entity" in result.output


def test_json_output_is_stable(tmp_path: Path) -> None:
    out = tmp_path / "hits.json"
    result = run("Huawei Technologies Co., Ltd.", "--bundled", "--format", "json", "-o", str(out))
    assert result.exit_code == 1
    data = json.loads(out.read_text())
    assert data["schema_version"] == 1 and data["bundled_data"] is True
    hit = data["results"][0]["hits"][0]
    assert {"score", "band", "status", "source", "source_id", "lists", "matched_name",
            "alignment"} <= set(hit)


def test_batch_csv_in_and_out(tmp_path: Path) -> None:
    names = tmp_path / "suppliers.csv"
    names.write_text('name,country\n"Huawei Technologies Co., Ltd.",CN\nAnthropic PBC,US\n')
    result = run("--input", str(names), "--bundled", "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.output)))
    by_name = {}
    for row in rows:
        by_name.setdefault(row["name"], []).append(row)
    assert by_name["Anthropic PBC"][0]["score"] == ""
    assert any(r["band"] == "match" for r in by_name["Huawei Technologies Co., Ltd."])


def test_batch_json_input(tmp_path: Path) -> None:
    names = tmp_path / "names.json"
    names.write_text(json.dumps(["Cohere Inc.", {"name": "Mistral AI SAS", "country": "FR"}]))
    result = run("--input", str(names), "--bundled", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [r["name"] for r in data["results"]] == ["Cohere Inc.", "Mistral AI SAS"]


def test_bad_input_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    result = run("--input", str(bad), "--bundled")
    assert isinstance(result.exception, InputError)
    assert result.exception.exit_code == ExitCode.USAGE and result.exception.line == 1
    assert isinstance(run("--bundled").exception, InputError)
    unquoted = tmp_path / "unquoted.csv"
    unquoted.write_text("name,country\nHuawei Technologies Co., Ltd.,CN\n")
    failure = run("--input", str(unquoted), "--bundled").exception
    assert isinstance(failure, InputError) and failure.line == 2


def test_country_is_accepted_as_a_name_or_a_code() -> None:
    outputs = []
    for country in ("CN", "cn", "China", "People's Republic of China", "CHN"):
        result = run("Huawei Technologies Co", "--country", country, "--bundled", "--format", "json")
        assert result.exit_code == 1, (country, result.output)
        json.loads(result.output)
        outputs.append(tuple(re.findall(r'"(?:score|band)": ("?[\w.]+"?)', result.output)))
        assert "country differs" not in result.output, country
    assert len(set(outputs)) == 1
    failure = run("Huawei", "--country", "Narnia", "--bundled").exception
    assert isinstance(failure, InputError) and "Narnia" in str(failure)


def test_country_names_are_accepted_in_an_input_file(tmp_path: Path) -> None:
    names = tmp_path / "names.csv"
    names.write_text('name,country\n"Huawei Technologies Co., Ltd.",China\n')
    result = run("--input", str(names), "--bundled", "--format", "csv")
    assert result.exit_code == 1, result.output
    assert "country differs" not in result.output
