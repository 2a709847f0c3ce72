"""The scan finds every hand-listed reference in the corpus projects, and nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from riskcheck.scan import scan_tree

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
EXPECTED = yaml.safe_load((HERE / "expected.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("project", sorted(EXPECTED))
def test_corpus_project(project: str) -> None:
    result = scan_tree(CORPUS / project)
    found = {(r.path, r.line, r.id) for r in result.references}
    expected = {(e["path"], e["line"], e["id"]) for e in EXPECTED[project]}
    assert found - expected == set(), "unexpected references"
    assert expected - found == set(), "missed references"
    for entry in EXPECTED[project]:
        if "base_url" in entry:
            ref = next(r for r in result.references if r.id == entry["id"])
            assert ref.base_url == entry["base_url"]


def test_every_corpus_project_is_listed() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def test_mixed_skips_ignored_vendored_binary_and_broken_files() -> None:
    result = scan_tree(CORPUS / "mixed")
    skipped = {s.path: s.reason for s in result.skipped}
    assert "Python syntax error" in skipped["app/broken.py"]
    assert skipped["app/weights.Modelfile"] == "binary"
    paths = {r.path for r in result.references}
    assert not any(p.startswith(("node_modules", "generated")) for p in paths)
    assert "app/run.log" not in paths


def test_docs_only_with_include_docs() -> None:
    plain = scan_tree(CORPUS / "mixed")
    assert not any(r.path.startswith("docs/") for r in plain.references)
    with_docs = scan_tree(CORPUS / "mixed", include_docs=True)
    doc_refs = [r for r in with_docs.references if r.path == "docs/setup.md"]
    assert [(r.id, r.line, r.confidence) for r in doc_refs] == [("llama3.1:8b", 5, "low")]


def test_locations_point_at_the_value() -> None:
    result = scan_tree(CORPUS / "python-hf")
    ref = next(r for r in result.references if r.id == "ProsusAI/finbert")
    line = (CORPUS / "python-hf" / "app.py").read_text().splitlines()[ref.line - 1]
    assert line[ref.column - 1:].startswith('"ProsusAI/finbert"')
    # A name bound to a constant is located where the model is used.
    used = next(r for r in result.references if r.id == "BAAI/bge-reranker-v2-m3")
    line = (CORPUS / "python-hf" / "app.py").read_text().splitlines()[used.line - 1]
    assert line[used.column - 1:].startswith("name)")
    assert ref.detector == "python:call pipeline" and ref.confidence == "high"


def test_symlinks_are_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text('from_pretrained("evil/model")\n')
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "app.py").write_text('X.from_pretrained("meta-llama/Llama-3.1-8B")\n')
    os.symlink(outside, repo / "linked")
    os.symlink(outside / "secret.py", repo / "secret.py")
    os.symlink(repo, repo / "loop")
    result = scan_tree(repo)
    assert [r.id for r in result.references] == ["meta-llama/Llama-3.1-8B"]
    reasons = {s.path: s.reason for s in result.skipped}
    assert reasons["linked"].startswith("symlink out of the tree")
    assert reasons["secret.py"].startswith("symlink out of the tree")
    assert "loop" not in reasons


def test_huge_and_unreadable_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text("x = 1\n" * 500_000)
    unreadable = tmp_path / "secret.py"
    unreadable.write_text('AutoModel.from_pretrained("a/b")\n')
    unreadable.chmod(0)
    try:
        result = scan_tree(tmp_path)
    finally:
        unreadable.chmod(0o644)
    reasons = {s.path: s.reason for s in result.skipped}
    assert reasons["big.py"].startswith("larger than")
    if os.geteuid() != 0:  # root reads everything
        assert reasons["secret.py"].startswith("unreadable")
