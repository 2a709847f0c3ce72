"""A partial store never drops coverage: every catalogue source not stored is screened from
the bundled snapshot's entries for it, and every run says per source what it screened."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from riskcheck.cli import main
from riskcheck.lists.catalogue import load_catalogue
from riskcheck.lists.select import load_entities, snapshot_owner
from riskcheck.lists.snapshot import load_snapshot
from riskcheck.lists.store import VersionMeta, open_store
from riskcheck.model import ListEntity

ASSETS = Path(__file__).parent / "assets"


def _seed(data_dir: Path, source_id: str, name: str = "Unrelated Test Company",
          published: str = "2026-10-31") -> None:
    entity = ListEntity(source=source_id, source_id=f"{source_id}-1", lists=("CUSTOM",),
                        name=name, countries=("GB",))
    meta = VersionMeta(title=f"{source_id} test", sha256=source_id.encode().hex().ljust(64, "0")[:64],
                       # Fetched now: in CI (CI set) lists older than 7 days fail the check.
                       fetched_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                       url=None, published=published)
    with open_store(data_dir, create=True) as store:
        store.add_version(source_id, [entity], meta)


def _check_json(capsys: pytest.CaptureFixture[str], tmp_path: Path, model: str) -> tuple[int, dict]:
    manifest = tmp_path / "riskcheck.yaml"
    manifest.write_text(f"version: 1\nproject:\n  name: cov\nmodels:\n  - id: {model}\n",
                        encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["check", str(manifest), "--offline", "-f", "json"])
    out = capsys.readouterr().out
    return int(done.value.code or 0), json.loads(out)


@pytest.mark.parametrize("stored", [("us_dod_1260h", "us_fcc_covered"), ("my_deny",)])
def test_entity_list_match_survives_a_partial_store(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path,
        stored: tuple[str, ...]) -> None:
    for source_id in stored:
        _seed(data_dir, source_id)
    code, data = _check_json(capsys, tmp_path, "BAAI/bge-m3")
    lists = {code for m in data["models"] for hit in m["matches"]
             for code in hit["entity"]["lists"]}
    assert "EL" in lists, data["models"]
    assert code == 1
    states = {c["source"]: c["state"] for c in data["coverage"]}
    assert states["us_csl"] == "bundled"
    for source_id in stored:
        if source_id.startswith("us_"):
            assert states[source_id] == "stored"
    assert data["schema_version"] == "1.1"


ENABLED = [s.id for s in load_catalogue(None).sources if s.enabled]


@pytest.mark.parametrize("absent", ENABLED)
def test_an_absent_source_is_bundled_or_missing_never_dropped(data_dir: Path,
                                                              absent: str) -> None:
    for source_id in ENABLED:
        if source_id != absent:
            _seed(data_dir, source_id)
    catalogue = load_catalogue(data_dir)
    snapshot = load_snapshot()
    owned = [v for v in snapshot.versions
             if snapshot_owner(v.source.split(":", 1)[-1], catalogue) == absent]
    result = load_entities(data_dir)
    coverage = {c.source: c for c in result.coverage}
    assert set(coverage) >= set(ENABLED)
    assert all(coverage[s].state == "stored" for s in ENABLED if s != absent)
    if owned:
        assert coverage[absent].state == "bundled"
        assert coverage[absent].record_count == sum(v.record_count for v in owned)
        codes = {v.source.split(":", 1)[-1] for v in owned}
        # a reviewed empty subset (the UN list) is bundled with no entries
        assert coverage[absent].record_count == 0 or any(
            e.lists[0] in codes and e.source == "bundled" for e in result.entities)
    else:
        assert coverage[absent].state == "missing"
    # a stored source replaces its own bundled entries, and only those
    for v in snapshot.versions:
        owner = snapshot_owner(v.source.split(":", 1)[-1], catalogue)
        assert (v in result.versions) == (owner == absent)


def test_markdown_and_sarif_show_the_coverage(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path, data_dir: Path) -> None:
    _seed(data_dir, "us_dod_1260h")
    manifest = tmp_path / "riskcheck.yaml"
    manifest.write_text("version: 1\nproject:\n  name: cov\nmodels:\n  - id: BAAI/bge-m3\n",
                        encoding="utf-8")
    outputs = {}
    for fmt in ("markdown", "sarif", "table"):
        with pytest.raises(SystemExit):
            main(["check", str(manifest), "--offline", "-f", fmt])
        outputs[fmt] = capsys.readouterr().out
    from riskcheck.formats.markdown import esc

    # Markdown groups the sources by state: stored ones with their dates, then the bundled
    # ones under the snapshot's one date.
    coverage = next(line for line in outputs["markdown"].splitlines()
                    if line.startswith("Coverage:"))
    bundled = coverage.split("from the bundled snapshot compiled ", 1)[1]
    assert esc("us_csl (") in bundled and esc("us_dod_1260h") not in bundled
    assert esc("stored: us_dod_1260h") in coverage
    table = " ".join(outputs["table"].split())  # lines wrap at the terminal's width
    assert "Coverage:" in table and "us_csl bundled" in table
    run_props = json.loads(outputs["sarif"])["runs"][0]["properties"]
    states = {c["source"]: c["state"] for c in run_props["coverage"]}
    assert states["us_csl"] == "bundled" and states["us_dod_1260h"] == "stored"


def _require_dpl(data_dir: Path) -> None:
    """Enable the DPL source (nothing of it is bundled) and make it required."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.yaml").write_text(
        "sources:\n  us_bis_dpl:\n    enabled: true\n    required_for_fresh: true\n",
        encoding="utf-8")


def test_required_source_neither_stored_nor_bundled_fails_in_ci(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _require_dpl(data_dir)
    monkeypatch.setenv("CI", "true")
    manifest = tmp_path / "riskcheck.yaml"
    manifest.write_text("version: 1\nproject:\n  name: cov\nmodels:\n  - id: BAAI/bge-m3\n",
                        encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["check", str(manifest), "--offline", "-f", "json"])
    captured = capsys.readouterr()
    assert done.value.code == 3
    assert captured.out == ""
    lines = [line for line in captured.err.splitlines() if "us_bis_dpl" in line]
    assert len(lines) == 1 and "neither stored nor in the bundled snapshot" in lines[0]


def test_required_source_missing_outside_ci_is_a_warning_and_in_coverage(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _require_dpl(data_dir)
    monkeypatch.delenv("CI", raising=False)
    code, data = _check_json(capsys, tmp_path, "BAAI/bge-m3")
    assert code == 1  # the Entity List match is still found from the snapshot
    coverage = {c["source"]: c for c in data["coverage"]}
    assert coverage["us_bis_dpl"]["state"] == "missing" and coverage["us_bis_dpl"]["required"]
    assert any("us_bis_dpl" in w and "not screened" in w for w in data["warnings"])


def test_every_shipped_required_source_is_covered_on_a_fresh_machine(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing downloaded, CI set: the shipped catalogue's required sources all have bundled
    entries (or a reviewed empty subset), so the check runs and says it used the snapshot."""
    monkeypatch.setenv("CI", "true")
    code, data = _check_json(capsys, tmp_path, "BAAI/bge-m3")
    assert code == 1
    required = {c["source"]: c["state"] for c in data["coverage"] if c["required"]}
    assert required and set(required.values()) == {"bundled"}, required


@pytest.mark.parametrize("published,kept", [("2022-05-16", True), ("2026-11-30", False)])
def test_a_stored_version_older_than_a_bundled_listing_keeps_it(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path,
        published: str, kept: bool) -> None:
    """An archived CSL (2022) cannot know of the 2025 Entity List additions: the bundled
    entries listed after it are screened too, and the run says so; a current one replaces
    them."""
    _seed(data_dir, "us_csl", published=published)
    code, data = _check_json(capsys, tmp_path, "BAAI/bge-m3")
    lists = {c for m in data["models"] for hit in m["matches"] for c in hit["lists"]}
    coverage = {c["source"]: c for c in data["coverage"]}
    assert coverage["us_csl"]["state"] == "stored"
    assert coverage["us_csl"]["as_of"] == published
    if kept:
        assert "EL" in lists and code == 1
        assert coverage["us_csl"]["newer_bundled"] > 0
        newer = coverage["us_csl"]["newer_bundled"]
        assert any(w.startswith("stored lists older than bundled entries") and
                   f"us_csl ({newer} up to " in w for w in data["warnings"])
    else:
        assert "EL" not in lists
        assert coverage["us_csl"]["newer_bundled"] == 0
