"""The manifest parser: valid manifests become Projects; every bad input is one located error."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskcheck.errors import ExitCode, InputError
from riskcheck.model import Level
from riskcheck.project.manifest import load_manifest


def write(tmp_path: Path, text: str | bytes, name: str = "riskcheck.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_full_manifest(tmp_path: Path) -> None:
    path = write(tmp_path, """\
version: 1
project:
  name: rag-app
  owner: platform@example.com
policy:
  fail_on: medium
models:
  - id: BAAI/bge-small-en-v1.5
    usage: self-hosted
    criticality: high
    purpose: embeddings
  - id: glm-4.5
    base_url: https://api.z.ai/api/paas/v4
  - id: my-model
    vendor: mistral-ai
""")
    project = load_manifest(path)
    assert project.name == "rag-app"
    assert project.owner == "platform@example.com"
    assert project.policy.fail_on is Level.MEDIUM
    first, second, third = project.models
    assert (first.id, first.usage, first.criticality, first.purpose) == (
        "BAAI/bge-small-en-v1.5", "self-hosted", "high", "embeddings")
    assert first.location is not None and (first.location.line, first.location.column) == (8, 9)
    assert second.usage == "api" and second.base_url.endswith("/v4")
    assert third.vendor_override == "mistral-ai" and third.usage == "unknown"
    assert third.criticality == "medium"


def test_defaults(tmp_path: Path) -> None:
    project = load_manifest(write(tmp_path, "models:\n  - id: qwen2.5-coder:7b\n"))
    assert project.name == tmp_path.name
    assert project.policy.fail_on is Level.HIGH
    assert project.models[0].id == "qwen2.5-coder:7b"


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbfmodels:\r\n  - id: glm4\r\n")
    assert load_manifest(path).models[0].id == "glm4"


def test_same_id_from_two_hosts_is_not_a_duplicate(tmp_path: Path) -> None:
    project = load_manifest(write(tmp_path, """\
models:
  - {id: glm-4.5, base_url: "https://api.z.ai/api/paas/v4"}
  - {id: glm-4.5, base_url: "https://open.bigmodel.cn/api/paas/v4"}
"""))
    assert len(project.models) == 2


BAD = [
    ("empty", "", "1:1", "manifest is empty"),
    ("comment only", "# nothing\n", "1:1", "manifest is empty"),
    ("syntax", "models:\n  - id: [a\n", "3:1", "YAML syntax error"),
    ("tab indent", "models:\n\t- id: a\n", "2:1", "YAML syntax error"),
    ("not a mapping", "- id: a\n", "1:1", "manifest must be a mapping"),
    ("missing models", "project:\n  name: x\n", "1:1", "missing the required key 'models'"),
    ("models not list", "models: qwen\n", "1:9", "models must be a list"),
    ("model not mapping", "models:\n  - qwen\n", "2:5", "models[0] must be a mapping"),
    ("missing id", "models:\n  - usage: api\n", "2:5", "missing the required key 'id'"),
    ("id number", "models:\n  - id: 12\n", "2:9", "models[0].id must be a string"),
    ("blank id", "models:\n  - id: '  '\n", "2:9", "models[0].id must not be empty"),
    ("unknown top key", "modles: []\nmodels: []\n", "1:1", "unknown key 'modles'"),
    ("unknown model key", "models:\n  - id: a\n    usge: api\n", "3:5", "did you mean 'usage'"),
    ("bad usage", "models:\n  - id: a\n    usage: cloud\n", "3:12", "usage must be one of"),
    ("bad criticality", "models:\n  - id: a\n    criticality: 5\n", "3:18", "criticality must be one of"),
    ("bad url", "models:\n  - id: a\n    base_url: api.z.ai\n", "3:15", "base_url must be a URL"),
    ("bad vendor", "models:\n  - id: a\n    vendor: Zhipu AI\n", "3:13", "registry vendor id"),
    ("self-hosted with provider", "models:\n  - id: a\n    usage: self-hosted\n    provider: x\n",
     "4:15", "only applies to usage: api"),
    ("duplicate id", "models:\n  - id: a/B\n  - id: A/b\n", "3:9", "duplicate model 'A/b' (first declared on line 2)"),
    ("duplicate key", "models:\n  - id: a\n    id: b\n", "3:5", "duplicate key 'id'"),
    ("version", "version: 2\nmodels: []\n", "1:10", "version must be 1"),
    ("bad fail_on", "policy:\n  fail_on: severe\nmodels: []\n", "2:12", "unknown level 'severe'"),
    ("two documents", "models: []\n---\nmodels: []\n", "2:1", "YAML syntax error"),
    ("project not mapping", "project: x\nmodels: []\n", "1:10", "project must be a mapping"),
]


@pytest.mark.parametrize("text,where,message", [case[1:] for case in BAD],
                         ids=[case[0] for case in BAD])
def test_bad_manifest_is_one_located_line(tmp_path: Path, text: str, where: str,
                                          message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_manifest(path)
    rendered = str(caught.value)
    assert "\n" not in rendered
    assert rendered.startswith(f"{path}:{where}:"), rendered
    assert message in rendered
    assert caught.value.exit_code is ExitCode.USAGE


@pytest.mark.parametrize("content,message", [
    (b"\xff\xfem\x00o\x00", "UTF-16"),
    (b"models:\n  - id: caf\xe9\n", "not valid UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
])
def test_bad_encoding(tmp_path: Path, content: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_manifest(write(tmp_path, content))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="manifest not found"):
        load_manifest(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="is a directory"):
        load_manifest(tmp_path)


def test_alias_bomb_is_rejected_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        refs = ", ".join(f"*a{level - 1}" for _ in range(10))
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines.append("models: []")
    with pytest.raises(InputError, match="too complex"):
        load_manifest(write(tmp_path, "\n".join(lines) + "\n"))


def test_huge_file_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "models:\n" + "  - id: x\n" * 700_000)
    with pytest.raises(InputError, match="too large"):
        load_manifest(path)
