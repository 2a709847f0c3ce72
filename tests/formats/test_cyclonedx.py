"""CycloneDX 1.6 ML-BOM: schema-valid, one component per model, lineage, riskcheck: properties.

Validated with the official 1.6 JSON schema that cyclonedx-python-lib ships (its validator
also checks formats: IRIs, date-times), read back with that library's deserialiser, and with
riskcheck's own CycloneDX reader (the scan detector), so a BOM riskcheck writes can be scanned.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from cyclonedx.model.bom import Bom
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from riskcheck.formats.cyclonedx import CycloneDxFormat, bom_ref, safe_url
from riskcheck.formats.json_format import JsonFormat
from riskcheck.model import (
    Citation,
    Finding,
    Level,
    ModelAssessment,
    ModelRef,
    Organisation,
    Party,
    Resolution,
    RunMetadata,
    SourceLocation,
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.parent.name for p in (REPO / "examples").glob("*/riskcheck.yaml"))


@pytest.fixture(scope="module")
def validator() -> JsonStrictValidator:
    return JsonStrictValidator(SchemaVersion.V1_6)


def _errors(validator: JsonStrictValidator, text: str) -> list[str]:
    found = validator.validate_str(text, all_errors=True)
    return [str(e.data.message) for e in found] if found else []


def _bom(report) -> dict:
    return json.loads(CycloneDxFormat().render(report))


def _props(item: dict) -> dict[str, str]:
    return {p["name"]: p["value"] for p in item.get("properties", [])}


def _component(bom: dict, model_id: str) -> dict:
    return next(c for c in bom["components"] if c["name"] == model_id)


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_valid_against_official_schema(validator, report, big_report, bundled_report):
    for r in (report, big_report, bundled_report, replace(report, metadata=None),
              replace(report, models=(), project_findings=(), undeclared=())):
        text = CycloneDxFormat().render(r)
        assert _errors(validator, text) == []


def test_the_validator_can_fail(validator, report):
    bom = _bom(report)
    bom["components"][0]["type"] = "large-language-model"
    assert _errors(validator, json.dumps(bom))
    bom = _bom(report)
    bom["components"][0]["externalReferences"] = [{"url": "http://a b/<x>", "type": "website"}]
    assert _errors(validator, json.dumps(bom)), "the IRI format check is not active"


def test_one_component_per_model_with_stable_refs(report, make):
    bom = _bom(report)
    ids = [a.resolution.ref.id for a in report.models]
    assert [c["name"] for c in bom["components"]] == ids
    assert {c["type"] for c in bom["components"]} == {"machine-learning-model"}
    refs = [c["bom-ref"] for c in bom["components"]]
    assert refs == [bom_ref(i) for i in ids] and len(set(refs)) == len(refs)
    assert refs[0] == "model:qwen2.5:7b" and refs[1] == "model:zai/glm-4.6"
    assert [c["bom-ref"] for c in _bom(make())["components"]] == refs
    project = bom["metadata"]["component"]
    assert project == {"type": "application", "bom-ref": "project", "name": "rag-app"}
    assert bom["dependencies"][0] == {"ref": "project", "dependsOn": refs}
    assert [d["ref"] for d in bom["dependencies"][1:]] == refs


def test_supplier_manufacturer_and_parents(report):
    bom = _bom(report)
    qwen = _component(bom, "qwen2.5:7b")
    assert qwen["manufacturer"] == {"name": "Alibaba Cloud", "address": {"country": "CN"}}
    assert qwen["supplier"] == qwen["manufacturer"]  # self-hosted: the vendor supplies it
    props = _props(qwen)
    assert props["riskcheck:party:1:role"] == "parent"
    assert props["riskcheck:party:1:name"] == "Alibaba Group"
    assert props["riskcheck:party:1:country"] == "CN"
    assert props["riskcheck:party:1:incorporated_in"] == "KY"
    assert props["riskcheck:party:1:path"] == "alibaba-cloud > alibaba-group"
    glm = _component(bom, "zai/glm-4.6")
    assert glm["manufacturer"]["name"] == "Zhipu AI"
    assert glm["supplier"] == {"name": "Z.ai (Singapore)", "address": {"country": "SG"}}
    assert _props(glm)["riskcheck:serving:host"] == "api.z.ai"
    gigachat = _props(_component(bom, "ai-sage/GigaChat-20B-A3B-instruct"))
    assert gigachat["riskcheck:party:1:ownership"] == "1.0"


def test_pedigree_and_external_references(report):
    bom = _bom(report)
    qwen = _component(bom, "qwen2.5:7b")
    assert "purl" not in qwen  # an Ollama tag is not a hub id
    (ancestor,) = qwen["pedigree"]["ancestors"]
    assert ancestor["name"] == "Qwen/Qwen2.5-7B-Instruct"
    assert ancestor["purl"] == "pkg:huggingface/Qwen/Qwen2.5-7B-Instruct"
    assert ancestor["manufacturer"]["name"] == "Alibaba Cloud"
    assert ancestor["externalReferences"][0]["url"] == \
        "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct"
    assert _props(ancestor) == {"riskcheck:relation": "canonical"}
    evidence = [r for r in qwen["externalReferences"] if r["type"] == "evidence"]
    assert any(r["url"] == "https://www.alibabagroup.com/" for r in evidence)
    assert any("1260H listing of" in r["comment"] for r in evidence)
    mistral = _component(bom, "mistralai/Mistral-7B-Instruct-v0.3")
    assert mistral["purl"] == "pkg:huggingface/mistralai/Mistral-7B-Instruct-v0.3"
    assert "pedigree" not in mistral
    assert mistral["externalReferences"][0] == {
        "url": "https://huggingface.co/mistralai/Mistral-7B-Instruct-v0.3",
        "type": "distribution", "comment": "model hub page"}
    glm = _component(bom, "zai/glm-4.6")
    assert "purl" not in glm  # a LiteLLM string, not the hub repository it was traced to
    assert glm["evidence"] == {"occurrences": [{"location": "src/app/llm.py", "line": 14}]}


def test_upstream_lineage_is_an_ancestor(validator, report):
    microsoft = Organisation(id="microsoft", name="Microsoft", country="US")
    st = Organisation(id="sentence-transformers", name="sentence-transformers", country="DE")
    ref = ModelRef(id="sentence-transformers/all-MiniLM-L6-v2", source="huggingface")
    res = Resolution(ref=ref, status="resolved", canonical_id=ref.id,
                     parties=(Party(st, "vendor", "publisher"),
                              Party(microsoft, "upstream", "finetune",
                                    upstream_model="microsoft/MiniLM-L12-H384-uncased")),
                     method="registry", confidence="high")
    model = ModelAssessment(res, (), (), Level.NONE, 0.0, "OK")
    text = CycloneDxFormat().render(replace(report, models=(model,)))
    assert _errors(validator, text) == []
    component = json.loads(text)["components"][0]
    (ancestor,) = component["pedigree"]["ancestors"]
    assert ancestor["name"] == "microsoft/MiniLM-L12-H384-uncased"
    assert ancestor["supplier"] == {"name": "Microsoft", "address": {"country": "US"}}
    assert _props(ancestor) == {"riskcheck:relation": "finetune"}
    assert "finetune of microsoft/MiniLM-L12-H384-uncased" in component["pedigree"]["notes"]
    assert _props(component)["riskcheck:countries"] == "DE,US"


def test_findings_matches_and_verdict_as_properties(report):
    bom = _bom(report)
    props = _props(_component(bom, "ai-sage/GigaChat-20B-A3B-instruct"))
    assert props["riskcheck:level"] == "critical"
    assert props["riskcheck:score"] == "1.0"
    assert props["riskcheck:verdict"] == "CRITICAL: parent Sberbank on SDN, EU and UK lists"
    assert props["riskcheck:match:0:lists"] == "SDN"
    assert props["riskcheck:match:0:listed_name"] == \
        "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA"
    assert props["riskcheck:match:1:score"] == "0.9912"
    assert props["riskcheck:match:1:band"] == "match"
    assert props["riskcheck:finding:3:kind"] == "ownership-rule"
    assert props["riskcheck:finding:3:match"] == "0"
    falcon = _props(_component(bom, "tiiuae/Falcon3-7B-Instruct"))
    assert falcon["riskcheck:finding:0:exception_id"] == "EXC-2026-004"
    assert falcon["riskcheck:match:0:matched_name"] == "معهد الابتكار التقني"
    every = [p["name"] for c in bom["components"] for p in c["properties"]]
    assert all(name.startswith("riskcheck:") for name in every)
    for component in bom["components"]:  # property names are unique within a component
        names = [p["name"] for p in component["properties"]]
        assert len(names) == len(set(names))


def test_unresolved_model_is_still_a_component(report):
    component = _component(_bom(report), "acme-internal/summarizer-v2")
    assert "supplier" not in component and "manufacturer" not in component
    props = _props(component)
    assert props["riskcheck:resolution"] == "unresolved"
    assert props["riskcheck:resolution:tried:0"].startswith("registry:")
    assert props["riskcheck:finding:0:kind"] == "unresolved"
    assert props["riskcheck:level"] == "medium"


def test_metadata(report, bundled_report):
    bom = _bom(report)
    meta = bom["metadata"]
    assert bom["specVersion"] == "1.6" and bom["bomFormat"] == "CycloneDX"
    assert meta["timestamp"] == "2026-11-29T08:00:00+00:00"
    assert meta["tools"] == {"components": [
        {"type": "application", "name": "riskcheck", "version": "0.1.0"}]}
    props = _props(meta)
    assert props["riskcheck:failed"] == "true" and props["riskcheck:fail_on"] == "high"
    for i, version in enumerate(report.list_versions):
        assert props[f"riskcheck:list:{i}:source"] == version.source
        assert props[f"riskcheck:list:{i}:version"] == version.version
    assert props["riskcheck:list:5:stale"] == "true"
    assert props["riskcheck:undeclared:0:id"] == "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"
    assert props["riskcheck:project_finding:0:kind"] == "concentration"
    assert _props(_bom(bundled_report)["metadata"])["riskcheck:bundled_data"] == "true"


def test_coverage_properties(report):
    from riskcheck.model import SourceCoverage

    covered = replace(report, coverage=(
        SourceCoverage("ofac_sdn", "stored", version="abc", record_count=17321, required=True),
        SourceCoverage("un_sc", "missing")))
    props = _props(_bom(covered)["metadata"])
    assert props["riskcheck:coverage:0:state"] == "stored"
    assert props["riskcheck:coverage:0:required"] == "true"
    assert props["riskcheck:coverage:1:source"] == "un_sc"
    assert props["riskcheck:coverage:1:state"] == "missing"


def test_deterministic_apart_from_run(report, make):
    first = CycloneDxFormat().render(report)
    assert CycloneDxFormat().render(make()) == first
    other_run = RunMetadata(tool_version="0.1.0", started_at="2026-12-01T09:30:00+00:00",
                            duration_ms=99, run_id="0123456789ab")
    second = _bom(replace(report, metadata=other_run))
    original = json.loads(first)
    assert second["serialNumber"] != original["serialNumber"]
    assert second["metadata"]["timestamp"] == "2026-12-01T09:30:00+00:00"
    for bom in (second, original):
        del bom["serialNumber"], bom["metadata"]["timestamp"]
    assert second == original
    bare = replace(report, metadata=None)
    assert CycloneDxFormat().render(bare) == CycloneDxFormat().render(bare)
    assert "timestamp" not in _bom(bare)["metadata"]


def test_agrees_with_the_json_result(report):
    data = json.loads(JsonFormat().render(report))
    bom = _bom(report)
    levels = {c["name"]: _props(c)["riskcheck:level"] for c in bom["components"]}
    assert levels == {m["ref"]["id"]: m["level"] for m in data["models"]}
    listed = {v for c in bom["components"] for k, v in _props(c).items()
              if k.endswith(":listed_name")}
    assert listed == {e["entity"]["name"] for m in data["models"] for e in m["matches"]}


HOSTILE_IDS = [
    'evil"/model\n{"bomFormat": 1}',
    "</script><script>alert(1)</script>",
    "\u202egnp.exe/\u2066x\u2069",
    "caf\udce9/lone\ud800surrogate",
    "x" * 5000,
    "../../etc/passwd",
    "ollama/qwen2.5:7b@sha256:" + "0" * 64,
]


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_hostile_values_stay_valid_utf8_json(validator, report):
    tii = report.models[3].resolution.parties[0].organisation
    bad_org = replace(tii, name="TII\udcff\x00", country="A\"E", citations=(
        Citation("javascript:alert(1)"), Citation("https://evil.example/a b\"<x>%zz\udcc3"),
        Citation("http://[::1")))
    models = []
    for i, model_id in enumerate(HOSTILE_IDS + HOSTILE_IDS[:1]):  # a duplicate id too
        base = report.models[i % len(report.models)]
        ref = replace(base.resolution.ref, id=model_id, purpose=model_id,
                      location=SourceLocation(f"src/caf\udce9{i}.py", i + 1, 1))
        parties = tuple(replace(p, organisation=bad_org) if p.role == "vendor" else p
                        for p in base.resolution.parties)
        res = replace(base.resolution, ref=ref, canonical_id=model_id, parties=parties)
        models.append(replace(base, resolution=res, verdict=model_id,
                              findings=base.findings + (Finding("unresolved", Level.LOW,
                                                                model_id),)))
    hostile = replace(report, models=tuple(models),
                      project=replace(report.project, name="\udc80proj\u2028"))
    text = CycloneDxFormat().render(hostile)
    text.encode("utf-8")  # no lone surrogate survives
    assert _errors(validator, text) == []
    bom = json.loads(text)
    names = [c["name"] for c in bom["components"]]
    assert names[0] == HOSTILE_IDS[0] and names[4] == "x" * 5000
    assert names[3] == "caf\ufffd/lone\ufffdsurrogate"
    refs = [c["bom-ref"] for c in bom["components"]]
    assert len(set(refs)) == len(refs) and refs[-1] == refs[0] + "#2"
    assert all("\n" not in r and '"' not in r for r in refs)
    urls = [r["url"] for c in bom["components"] for r in c.get("externalReferences", [])]
    assert not any(u.startswith("javascript:") for u in urls)
    assert "https://evil.example/a%20b%22%3Cx%3E%25zz%EF%BF%BD" in urls
    assert not any("purl" in c for c in bom["components"][:4])
    assert bom["components"][0]["evidence"]["occurrences"][0]["location"] == "src/caf\ufffd0.py"
    assert bom["metadata"]["component"]["name"] == "\ufffdproj\u2028"
    Bom.from_json(bom)  # the library's reader takes it too


@pytest.mark.parametrize("url, expected", [
    ("https://www.federalregister.gov/d/2025-00704",) * 2,
    ("https://example.org/a b?q=ä", "https://example.org/a%20b?q=%C3%A4"),
    ("ftp://example.org/x", None),
    ("https:///nohost", None),
    ("", None),
    (None, None),
])
def test_safe_url(url, expected):
    assert safe_url(url) == expected


def test_the_library_reads_it_back(report):
    bom = Bom.from_json(_bom(report))
    assert {c.name for c in bom.components} == {a.resolution.ref.id for a in report.models}
    assert bom.metadata.component.name == "rag-app"
    glm = next(c for c in bom.components if c.name == "zai/glm-4.6")
    assert glm.manufacturer.name == "Zhipu AI" and glm.supplier.name == "Z.ai (Singapore)"
    assert [a.name for a in glm.pedigree.ancestors] == ["zai-org/GLM-4.6"]


def test_riskcheck_scan_finds_the_models_it_wrote(tmp_path, report):
    from riskcheck.scan.scanner import scan_tree

    # Mistral stays only as Qwen's suggested alternative: named in the BOM, not used.
    used = replace(report, models=tuple(m for m in report.models
                                        if not m.resolution.ref.id.startswith("mistralai/")))
    (tmp_path / "riskcheck.cdx.json").write_text(CycloneDxFormat().render(used),
                                                 encoding="utf-8")
    found = scan_tree(tmp_path).references
    assert {r.id for r in found} == {a.resolution.ref.id for a in used.models}
    assert {r.detector for r in found} == {"cyclonedx"}
    # Ancestors in pedigree are lineage, not models the project uses: not reported.
    assert "Qwen/Qwen2.5-7B-Instruct" not in {r.id for r in found}


def _riskcheck(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "riskcheck", *args], capture_output=True,
                          text=True, env=env, timeout=120, cwd=cwd)


@pytest.mark.slow  # over half a second: left out of the fast loop
@pytest.mark.parametrize("example", EXAMPLES)
def test_examples_from_the_cli(validator, example, tmp_path):
    manifest = REPO / "examples" / example / "riskcheck.yaml"
    result = _riskcheck("check", str(manifest), "--bundled", "--offline", "-f", "cyclonedx",
                        "--report", f"json={tmp_path / 'r.json'}")
    assert result.returncode in (0, 1), result.stderr
    assert _errors(validator, result.stdout) == []
    bom = json.loads(result.stdout)
    saved = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in bom["components"]] == [m["ref"]["id"] for m in saved["models"]]
    assert [_props(c)["riskcheck:level"] for c in bom["components"]] == \
        [m["level"] for m in saved["models"]]
    assert bom["metadata"]["timestamp"] == saved["run"]["started_at"]
    props = _props(bom["metadata"])
    assert props["riskcheck:bundled_data"] == "true"
    assert props["riskcheck:coverage:0:state"] == "bundled"
    # riskcheck report re-renders the saved result to the same BOM
    again = _riskcheck("report", str(tmp_path / "r.json"), "-f", "cyclonedx")
    assert again.returncode == 0, again.stderr
    assert again.stdout == result.stdout


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_report_option_writes_a_bom(tmp_path):
    target = tmp_path / "models.cdx.json"
    result = _riskcheck("check", str(REPO / "examples" / "rag-app" / "riskcheck.yaml"),
                        "--bundled", "--offline", "-f", "json", "--report",
                        f"cyclonedx={target}")
    assert result.returncode in (0, 1), result.stderr
    bom = json.loads(target.read_text(encoding="utf-8"))
    assert bom["serialNumber"].startswith("urn:uuid:")
    assert {c["name"] for c in bom["components"]} == \
        {m["ref"]["id"] for m in json.loads(result.stdout)["models"]}


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_surrogate_escaped_file_name_from_a_scan(validator, tmp_path):
    name = b"caf\xe9.py"  # Latin-1 bytes: not UTF-8, so Python decodes it with surrogateescape
    try:
        with open(os.path.join(os.fsencode(tmp_path), name), "wb") as handle:
            handle.write(b'from transformers import AutoModel\n'
                         b'm = AutoModel.from_pretrained("Qwen/Qwen2.5-7B-Instruct")\n')
    except OSError:
        pytest.skip("the file system refuses non-UTF-8 file names")
    result = subprocess.run(
        [sys.executable, "-m", "riskcheck", "check", ".", "--bundled", "--offline", "-f",
         "cyclonedx"], capture_output=True, env=dict(os.environ, PYTHONPATH=str(REPO)),
        timeout=120, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    text = result.stdout.decode("utf-8")  # strict: the BOM is valid UTF-8
    assert _errors(validator, text) == []
    (component,) = json.loads(text)["components"]
    assert component["name"] == "Qwen/Qwen2.5-7B-Instruct"
    assert component["evidence"]["occurrences"][0]["location"] == "caf\ufffd.py"
