"""A base URL on a loopback, private or intranet host means self-hosted, in check and init."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.cli.test_check_cli import riskcheck

LOCAL_URLS = [
    "http://127.0.0.1:11434",
    "http://127.8.9.10/v1",
    "http://[::1]:8000/v1",
    "http://localhost:11434",
    "http://10.1.2.3:8000/v1",
    "http://172.16.5.4/v1",
    "http://192.168.1.20:11434",
    "http://[fd12:3456::1]:8000/v1",
    "http://169.254.10.10/v1",
    "http://ollama:11434",
    "http://vllm/v1",
    "http://gpu-box.local:8000/v1",
    "http://llm.corp.internal/v1",
    "http://vllm.ns.svc/v1",
    "http://vllm.ns.svc.cluster.local/v1",
    "http://inference.lan:8080",
    "http://host.docker.internal:11434",
]


def _check(tmp_path: Path, entry: str) -> tuple[int, dict]:
    manifest = tmp_path / "riskcheck.yaml"
    manifest.write_text(f"version: 1\nmodels:\n  - id: deepseek-chat\n{entry}", encoding="utf-8")
    result = riskcheck("check", str(manifest), "--offline", "--format", "json")
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("url", LOCAL_URLS)
def test_local_base_url_is_scored_self_hosted(tmp_path: Path, url: str) -> None:
    code, data = _check(tmp_path, f"    base_url: {url}\n")
    model = data["models"][0]
    assert model["ref"]["usage"] == "self-hosted"
    assert model["level"] == "medium"  # the vendor's country only; no data-country finding
    assert code == 0
    assert [f for f in model["findings"] if f["kind"] == "data-location"] == []
    assert f"base_url {url} is a local or private host: self-hosted" in model["resolution"]["tried"]


@pytest.mark.parametrize("url", ["https://api.deepseek.com", "http://8.8.8.8/v1",
                                 "http://ollama.example.com:11434"])
@pytest.mark.slow  # over half a second: left out of the fast loop
def test_public_base_url_stays_an_api(tmp_path: Path, url: str) -> None:
    code, data = _check(tmp_path, f"    base_url: {url}\n")
    model = data["models"][0]
    assert model["ref"]["usage"] == "api"
    assert code == 1 and model["level"] == "high"
    assert not any("local or private" in line for line in model["resolution"]["tried"])


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_declared_api_on_a_local_url_is_kept_and_noted(tmp_path: Path) -> None:
    code, data = _check(tmp_path, "    usage: api\n    base_url: http://ollama:11434\n")
    model = data["models"][0]
    assert model["ref"]["usage"] == "api"
    assert ("base_url http://ollama:11434 is a local or private host: self-hosted; "
            "usage: api kept as declared") in model["resolution"]["tried"]


@pytest.mark.parametrize("url", ["http://ollama:11434/v1", "http://127.0.0.1:8000/v1",
                                 "http://vllm.ns.svc.cluster.local/v1",
                                 "http://host.docker.internal:11434/v1"])
@pytest.mark.slow  # over half a second: left out of the fast loop
def test_init_drafts_self_hosted_for_a_local_url(tmp_path: Path, url: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(
        "from openai import OpenAI\n\n"
        f'client = OpenAI(base_url="{url}")\n'
        'reply = client.chat.completions.create(model="deepseek-chat", messages=[])\n',
        encoding="utf-8")
    (project / "remote.py").write_text(
        'from langchain_openai import ChatOpenAI\n\n'
        'llm = ChatOpenAI(model="glm-4.5", base_url="https://api.z.ai/api/paas/v4")\n',
        encoding="utf-8")
    result = riskcheck("init", str(project))
    assert result.returncode == 0, result.stderr
    text = (project / "riskcheck.yaml").read_text(encoding="utf-8")
    models = {m["id"]: m for m in yaml.safe_load(text)["models"]}
    assert models["deepseek-chat"]["usage"] == "self-hosted", text
    assert models["deepseek-chat"]["base_url"] == url
    assert f"# base_url {url} is a local or private host: self-hosted" in text
    assert models["glm-4.5"]["usage"] == "api"
    checked = riskcheck("check", str(project / "riskcheck.yaml"), "--offline", "--format", "json")
    usage = {m["ref"]["id"]: m["ref"]["usage"] for m in json.loads(checked.stdout)["models"]}
    assert usage == {"deepseek-chat": "self-hosted", "glm-4.5": "api"}
