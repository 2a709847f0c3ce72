"""A gateway slug without a base URL: ``check`` names the parties that may serve the model
(``serving: ambiguous``) in every format where a serving party appears, as ``resolve`` does.

The report is checked on the bundled data with the shipped registry: ``openai/gpt-4o`` is a
LiteLLM string for OpenAI's API or an OpenRouter slug, ``deepseek/deepseek-chat`` the same for
DeepSeek (and has a data-location finding that rests on the assumed party), and
``google/gemma-3-27b-it`` without a usage is self-hosted weights or an OpenRouter slug.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from riskcheck.formats import facts
from riskcheck.formats.csv_format import HEADER, CsvFormat
from riskcheck.formats.json_format import JsonFormat
from riskcheck.formats.json_load import load_report
from riskcheck.formats.markdown import MarkdownFormat
from riskcheck.formats.sarif import SarifFormat
from riskcheck.formats.table import TableFormat
from riskcheck.model import Report

MANIFEST = """\
version: 1
project: {name: gateway}
models:
  - {id: openai/gpt-4o, usage: api}
  - {id: deepseek/deepseek-chat, usage: api}
  - {id: google/gemma-3-27b-it}
  - {id: deepseek-chat, usage: api, base_url: "https://api.deepseek.com"}
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    from riskcheck.app.check import check

    path = tmp_path_factory.mktemp("gateway") / "riskcheck.yaml"
    path.write_text(MANIFEST, encoding="utf-8")
    return check(path, bundled=True, offline=True, scan=False)


def _model(report: Report, model_id: str):
    return next(a for a in report.models if a.resolution.ref.id == model_id)


def test_the_resolution_carries_the_candidates(report: Report) -> None:
    gpt = _model(report, "openai/gpt-4o").resolution
    assert facts.serving_status(gpt) == "ambiguous"
    assert [o.id for o in gpt.serving_candidates] == ["openai", "openrouter"]
    gemma = _model(report, "google/gemma-3-27b-it").resolution
    assert gemma.serving is None and [o.id for o in gemma.serving_candidates] == ["openrouter"]
    assert facts.serving_note(gemma).startswith("serving ambiguous: self-hosted, or sent to "
                                                "OpenRouter (US)")
    # A base URL says who serves it: not ambiguous.
    direct = _model(report, "deepseek-chat").resolution
    assert facts.serving_status(direct) == "first-party" and facts.serving_note(direct) is None


def test_json_field_and_round_trip(report: Report, tmp_path: Path) -> None:
    text = JsonFormat().render(report)
    models = {m["ref"]["id"]: m["resolution"] for m in json.loads(text)["models"]}
    gpt = models["openai/gpt-4o"]
    assert gpt["serving_status"] == "ambiguous"
    assert gpt["serving_candidates"] == [{"id": "openai", "name": "OpenAI", "country": "US"},
                                         {"id": "openrouter", "name": "OpenRouter",
                                          "country": "US"}]
    assert models["deepseek-chat"]["serving_status"] == "first-party"
    assert models["deepseek-chat"]["serving_candidates"] == []
    saved = tmp_path / "result.json"
    saved.write_text(text, encoding="utf-8")  # load_report validates against the schema
    again = _model(load_report(saved), "openai/gpt-4o").resolution
    assert [o.id for o in again.serving_candidates] == ["openai", "openrouter"]


def test_console_names_the_candidates(report: Report) -> None:
    text = TableFormat(width=200).render(report)
    gpt = text.split("openai/gpt-4o", 1)[1].split("deepseek/deepseek-chat", 1)[0]
    assert "serving ambiguous: OpenAI (US, assumed) or OpenRouter (US)" in " ".join(gpt.split())


def test_markdown_one_short_line_per_model(report: Report) -> None:
    text = MarkdownFormat().render(report)
    # A model with findings: in its block's facts line, instead of "served by".
    block = text.split("<summary><code>deepseek/deepseek-chat</code>", 1)[1]
    facts_line = block.split("</summary>", 1)[1].strip().splitlines()[0]
    assert ("**serving ambiguous: DeepSeek (CN, assumed) or OpenRouter (US); set base_url to "
            "say which**") in facts_line
    assert "served by" not in facts_line
    # A model without findings has no block: its table row says it.
    row = next(line for line in text.splitlines()
               if line.startswith("| <code>openai/gpt-4o</code>"))
    assert row.endswith("| no findings; serving ambiguous: OpenAI (US, assumed) or OpenRouter "
                        "(US); set base_url to say which |")
    direct = text.split("<summary><code>deepseek-chat</code>", 1)[1].split("</details>")[0]
    assert "served by the vendor — api.deepseek.com (CN)" in direct
    assert "ambiguous" not in direct


def test_sarif_properties_and_message(report: Report) -> None:
    run = json.loads(SarifFormat().render(report))["runs"][0]
    results = [r for r in run["results"]
               if r["properties"].get("model") == "deepseek/deepseek-chat"]
    assert results
    for result in results:
        props = result["properties"]
        assert props["servingStatus"] == "ambiguous"
        assert [c["id"] for c in props["servingCandidates"]] == ["deepseek", "openrouter"]
        assert props["serving"]["host"] == "api.deepseek.com"
    location = next(r for r in results if r["ruleId"].endswith("data-location"))
    assert "[serving ambiguous: DeepSeek (CN, assumed) or OpenRouter (US)" in \
        location["message"]["text"]
    direct = [r for r in run["results"] if r["properties"].get("model") == "deepseek-chat"]
    assert direct and all(r["properties"]["servingStatus"] == "first-party"
                          and "servingCandidates" not in r["properties"] for r in direct)


def test_csv_columns(report: Report) -> None:
    assert HEADER[-3:] == ("serving", "serving_status", "serving_candidates")
    rows = list(csv.DictReader(io.StringIO(CsvFormat().render(report))))
    gpt = next(r for r in rows if r["model"] == "openai/gpt-4o")
    assert gpt["serving_status"] == "ambiguous"
    assert gpt["serving_candidates"] == "OpenAI (US); OpenRouter (US)"
    assert gpt["serving"] == "OpenAI (api.openai.com, US)"
    gemma = next(r for r in rows if r["model"] == "google/gemma-3-27b-it")
    assert (gemma["serving"], gemma["serving_candidates"]) == ("", "OpenRouter (US)")
    direct = next(r for r in rows if r["model"] == "deepseek-chat")
    assert (direct["serving_status"], direct["serving_candidates"]) == ("first-party", "")


def test_a_result_saved_before_the_field_still_loads(report: Report, tmp_path: Path) -> None:
    data = json.loads(JsonFormat().render(replace(report, models=report.models[:1])))
    for model in data["models"]:
        del model["resolution"]["serving_status"], model["resolution"]["serving_candidates"]
    saved = tmp_path / "old.json"
    saved.write_text(json.dumps(data), encoding="utf-8")
    assert load_report(saved).models[0].resolution.serving_candidates == ()
