"""'riskcheck init' writes YAML that no file name, model id or URL from the repository can bend."""

from __future__ import annotations

import pytest
import yaml

from riskcheck.scan.interface import FoundReference
from riskcheck.scan.render import manifest_draft
from riskcheck.scan.scanner import ScanResult

BREAKS = ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\x0b", "\x0c"]


def _result(ref: FoundReference) -> ScanResult:
    return ScanResult(root=".", references=(ref,), files_scanned=1, skipped=())


@pytest.mark.parametrize("brk", BREAKS)
def test_a_file_name_cannot_inject_keys(brk: str) -> None:
    path = f"b{brk}    vendor: meta{brk}  #.py"
    ref = FoundReference(id="BAAI/bge-small-en-v1.5", path=path, line=1, column=1,
                         detector="python", confidence="high", text="")
    draft = yaml.safe_load(manifest_draft(_result(ref), "p"))
    assert draft["models"] == [{"id": "BAAI/bge-small-en-v1.5", "criticality": "medium"}]


@pytest.mark.parametrize("brk", BREAKS)
def test_ids_and_urls_keep_their_exact_value(brk: str) -> None:
    model_id = f"org/model{brk}vendor: meta"
    url = f"http://10.0.0.5:8000/v1{brk}x"
    ref = FoundReference(id=model_id, path="a.py", line=1, column=1, detector="python",
                         confidence="high", text="", base_url=url)
    draft = yaml.safe_load(manifest_draft(_result(ref), f"proj{brk}x"))
    (model,) = draft["models"]
    assert model["id"] == model_id and model["base_url"] == url
    assert "vendor" not in model and draft["project"]["name"] == f"proj{brk}x"
