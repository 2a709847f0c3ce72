"""`riskcheck check DIR` screens high and medium references, lists low ones separately, and never
says the code names no models while its documentation or low-confidence references do."""

from __future__ import annotations

import pytest
import json
from pathlib import Path

from tests.cli.test_check_cli import one_error_line, riskcheck


def test_only_documentation_names_a_model(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# App\n\nRun `ollama pull qwen2.5:7b` first.\n")
    (tmp_path / "app.py").write_text("print('hello')\n")
    result = riskcheck("check", str(tmp_path), "--offline")
    assert result.returncode == 2
    line = one_error_line(result)
    assert "names no models" not in line
    assert "models named in its documentation: qwen2.5:7b (README.md:3)" in line


def test_only_low_confidence_references_are_listed_with_their_place(tmp_path: Path) -> None:
    (tmp_path / "emb.py").write_text("from langchain_openai import OpenAIEmbeddings\n"
                                     "e = OpenAIEmbeddings()\n")
    line = one_error_line(riskcheck("check", str(tmp_path), "--offline"))
    assert "low-confidence references in the code: text-embedding-ada-002 (emb.py:2)" in line


def test_nothing_anywhere_still_says_so(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("print('hello')\n")
    assert "its code names no models" in one_error_line(riskcheck("check", str(tmp_path), "--offline"))


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_low_confidence_references_are_noted_not_screened(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "from langchain_openai import OpenAIEmbeddings\nfrom openai import OpenAI\n"
        "e = OpenAIEmbeddings()\nclient = OpenAI()\n"
        "client.chat.completions.create(model='gpt-4o-mini', messages=[])\n")
    result = riskcheck("check", str(tmp_path), "--format", "json", "--fail-on", "none", "--offline")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {m["ref"]["id"] for m in data["models"]} == {"gpt-4o-mini"}
    assert any("not screened, low confidence" in w and "text-embedding-ada-002 (app.py:3)" in w
               for w in data["warnings"])
