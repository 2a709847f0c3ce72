"""The bundled snapshot: schema and consistency of lists/snapshot, the loader's output, its
error messages, and (when the real list files are beside the repo) that every spelling the
snapshot claims to have taken from a real file is really there."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
import shutil
from functools import cache
from pathlib import Path

import pytest
import yaml

from riskcheck.errors import DataError
from riskcheck.lists.snapshot import LIST_CODES, default_snapshot_dir, load_snapshot
from riskcheck.model import ListEntity

REPO = Path(__file__).resolve().parents[2]
REAL = REPO.parent / "shared" / "lists-real"
SNAPSHOT = REPO / "lists" / "snapshot"


def _index() -> dict:
    return yaml.safe_load((SNAPSHOT / "snapshot.yaml").read_text(encoding="utf-8"))


def _raw_entries() -> list[tuple[str, dict]]:
    out = []
    for code, spec in _index()["lists"].items():
        document = yaml.safe_load((SNAPSHOT / spec["file"]).read_text(encoding="utf-8"))
        # An entry inherits its file's defaults, as in the loader.
        defaults = document.get("defaults") or {}
        out.extend((str(code), {**defaults, **entry}) for entry in document["entries"])
    return out


def _by_id() -> dict[str, ListEntity]:
    return {entity.source_id: entity for entity in load_snapshot().entities}


def _iso(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    assert isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
    return dt.date.fromisoformat(value).isoformat()


# --- schema and consistency of the data files ----------------------------------------------


def test_default_directory_is_the_repository_snapshot() -> None:
    assert default_snapshot_dir().resolve() == SNAPSHOT.resolve()


def test_index_names_known_list_codes_and_existing_files() -> None:
    index = _index()
    assert re.fullmatch(r"snapshot-\d{4}-\d{2}-\d{2}", index["label"])
    assert _iso(index["compiled_on"]) >= _iso(index["facts_as_of"])
    for code, spec in index["lists"].items():
        assert str(code) in LIST_CODES
        assert (SNAPSHOT / spec["file"]).is_file()
        assert spec["url"].startswith("https://")


def test_ids_unique_and_kebab_case() -> None:
    ids = [entry["id"] for _, entry in _raw_entries()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[0-9a-z][0-9a-z-]*", entry_id) for entry_id in ids)


def test_every_entry_has_citation_url_as_of_and_confidence() -> None:
    newest_fact = _iso(_index()["facts_as_of"])
    for _, entry in _raw_entries():
        assert entry["citation"].strip(), entry["id"]
        assert entry["url"].startswith("https://"), entry["id"]
        assert _iso(entry["as_of"]) <= newest_fact, entry["id"]
        assert entry["confidence"] in {"V", "S", "K"}, entry["id"]
        assert entry["verified"] is (entry["confidence"] == "V"), entry["id"]
        assert entry.get("evidence"), f"{entry['id']}: say where the facts were read"


def test_dates_are_iso_and_removal_follows_listing() -> None:
    for _, entry in _raw_entries():
        listed, removed = _iso(entry.get("listed_on")), _iso(entry.get("removed_on"))
        if listed and removed:
            assert removed > listed, entry["id"]
        if listed:
            assert listed <= _iso(entry["as_of"]) or entry["confidence"] != "V", entry["id"]


def test_native_names_carry_their_source() -> None:
    for _, entry in _raw_entries():
        for native in entry.get("native_names", []):
            assert native["name"] and native["source"], entry["id"]


# --- coverage of the vendors riskcheck is built for -----------------------------------------


def test_zhipu_entries_of_the_2025_rule_are_present_and_marked_secondary() -> None:
    zhipu = [e for e in load_snapshot().entities if e.citation and "90 FR 4617" in e.citation]
    names = {e.name for e in zhipu}
    assert "Beijing Zhipu Huazhang Technology Co., Ltd." in names
    assert "Hangzhou Zhipu Huazhang Technology Co., Ltd." in names
    assert len(zhipu) >= 9
    for entity in zhipu:
        assert entity.lists == ("EL",) and entity.listed_on == "2025-01-16"
        assert "not verified" in (entity.remarks or "")


def test_key_listings_have_the_published_facts() -> None:
    by_id = _by_id()
    sber = by_id["sdn-sberbank"]
    assert sber.lists == ("SDN",) and "RUSSIA-EO14024" in sber.programs
    assert ("Registration Number (OGRN)", "1027700132195") in {
        (i.scheme, i.value) for i in sber.identifiers}
    assert "PJSC SBERBANK" in sber.all_names
    assert by_id["eu-sberbank-asset-freeze"].listed_on == "2022-07-21"
    assert by_id["eu-t-bank-asset-freeze"].identifiers[0].value == "1027739642281"
    assert by_id["1260h-megvii"].removed_on == "2025-01-07"
    assert by_id["1260h-tencent"].listed_on == "2025-01-07"
    for vendor in ("1260h-alibaba", "1260h-baidu", "1260h-unitree", "1260h-tianyi-cloud"):
        assert by_id[vendor].listed_on == "2026-06-08"
    assert by_id["el-baai"].listed_on == "2025-03-25"
    assert by_id["eu-vk"].listed_on == "2026-07-13"
    # File defaults apply unless the entry overrides them (here with an empty list).
    assert by_id["1260h-huawei"].countries == ("CN",)
    assert by_id["1260h-gtcom-us"].countries == ()
    sensetime_lists = {e.lists[0] for e in by_id.values() if "sensetime" in e.source_id}
    assert sensetime_lists == {"EL", "CMIC", "1260H"}


def test_vendors_that_are_not_listed_have_no_entries() -> None:
    # These publishers were checked and found on no list; an entry would be a false accusation.
    unlisted = re.compile(r"deepseek|moonshot|minimax|stepfun|baichuan|lingyi|01\.ai", re.I)
    for entity in load_snapshot().entities:
        for name in entity.all_names:
            assert not unlisted.search(name), f"{entity.source_id}: {name}"


# --- the loader ------------------------------------------------------------------------------


def test_loader_returns_a_bundled_entity_set_with_one_version_per_list() -> None:
    snapshot = load_snapshot()
    index = _index()
    assert snapshot.bundled is True
    assert [v.source for v in snapshot.versions] == [f"bundled:{c}" for c in index["lists"]]
    for version in snapshot.versions:
        code = version.source.split(":", 1)[1]
        mine = [e for e in snapshot.entities if e.lists == (code,)]
        assert version.origin == "bundled"
        assert version.version == index["label"]
        assert version.record_count == len(mine)
        if not mine:  # an empty subset is a reviewed fact: the file says what was read
            reviewed = yaml.safe_load((SNAPSHOT / index["lists"][code]["file"])
                                      .read_text(encoding="utf-8"))["reviewed"]
            assert reviewed["relevant"] == 0 and reviewed["source"].startswith("https://")
            assert version.published is None
            continue
        assert version.published == max(e.listed_on for e in mine if e.listed_on)
        assert "bundled snapshot" in version.title
    assert sum(v.record_count for v in snapshot.versions) == len(snapshot.entities)


def test_loader_maps_entries_to_list_entities() -> None:
    by_id = _by_id()
    raw = {entry["id"]: (code, entry) for code, entry in _raw_entries()}
    assert set(by_id) == set(raw)
    for entry_id, entity in by_id.items():
        code, entry = raw[entry_id]
        assert entity.source == "bundled" and entity.lists == (code,)
        assert entity.name == entry["name"]
        assert entity.citation == entry["citation"] and entity.url == entry["url"]
        assert f"confidence {entry['confidence']}" in (entity.remarks or "")
    zhipu = by_id["el-zhipu-huazhang-beijing"]
    native = [a for a in zhipu.aliases if a.kind == "native"]
    assert [a.name for a in native] == ["北京智谱华章科技有限公司"]
    assert native[0].strength == "weak"
    assert "not on the list" in (zhipu.remarks or "")
    kinds = {a.name: a.kind for a in by_id["sdn-sberbank"].aliases}
    assert kinds["SBERBANK OF RSFSR"] == "fka" and kinds["Сбербанк"] == "native"


def test_default_load_is_cached() -> None:
    assert load_snapshot() is load_snapshot()


@pytest.fixture
def snapshot_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled snapshot."""
    target = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_copy_of_the_snapshot_loads_like_the_original(snapshot_copy: Path) -> None:
    assert load_snapshot(snapshot_copy).entities == load_snapshot().entities


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("uk.yaml", "id: uk-tinkoff-bank", "id: uk-sberbank", "uk-sberbank: id already used"),
    ("eu.yaml", "listed_on: '2026-07-13'", "listed_on: 13/07/2026", "eu-vk: 'listed_on'"),
    ("dod_1260h.yaml", "removed_on: '2025-01-07'", "removed_on: '2020-01-01'",
     "1260h-megvii: removed_on 2020-01-01 is before"),
    ("uk.yaml", "confidence: S", "confidence: V", "uk-sberbank: verified must be true"),
    ("fcc.yaml", "  remarks: 'Covered: telecommunications", "  colour: red\n  remarks: 'Covered: "
     "telecommunications", "fcc-huawei: unknown field(s) colour"),
    ("sdn.yaml", "countries:\n  - RU", "countries:\n  - Russia", "sdn-sberbank: country"),
    ("uk.yaml", "list: UK", "list: EU", "file says list 'EU'"),
    ("eu.yaml", "  - name: Mail.ru group\n    kind: fka",
     "  - name: Mail.ru group\n    kind: alias", "eu-vk: alias 'Mail.ru group'"),
    ("snapshot.yaml", "  UK:\n", "  XX:\n", "unknown list code"),
    ("cmic.yaml", "defaults:\n", "defaults:\n  name: X\n", "'defaults' may only set"),
    ("cmic.yaml", "entries:\n", "entries: [\n", "invalid YAML"),
])
def test_bad_data_raises_data_error_naming_file_and_entry(
        snapshot_copy: Path, file: str, old: str, new: str, message: str) -> None:
    _edit(snapshot_copy / file, old, new)
    with pytest.raises(DataError) as caught:
        load_snapshot(snapshot_copy)
    text = str(caught.value)
    assert message in text and "\n" not in text
    assert file in text or file == "snapshot.yaml"


def test_missing_citation_is_rejected(snapshot_copy: Path) -> None:
    path = snapshot_copy / "uk.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"  citation: The Russia[^\n]*asset freeze\n", "", text, count=1),
                    encoding="utf-8")
    with pytest.raises(DataError, match="uk-sberbank: missing required field 'citation'"):
        load_snapshot(snapshot_copy)


def test_missing_list_file_is_a_data_error(snapshot_copy: Path) -> None:
    (snapshot_copy / "fcc.yaml").unlink()
    with pytest.raises(DataError, match="fcc.yaml: data file missing"):
        load_snapshot(snapshot_copy)


# --- cross-check against the real list files -------------------------------------------------


def _ofac_rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="latin-1").rstrip("\x1a").rstrip()
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def _csl_alt_names(text: str) -> set[str]:
    # The CSL joins aliases with "; " and keeps the Federal Register's "and" before the last.
    names = set()
    for part in (p.strip() for p in text.split(";")):
        for piece in re.split(r",\s+and\s+", part):
            piece = re.sub(r"^and\s+", "", piece.strip())
            if piece:
                names.add(piece)
    return names


@cache
def _real_names(relative: str) -> tuple[frozenset[str], dict[str, list[str]]]:
    """Every name string in one real file, and name -> listing dates found with it."""
    path = REAL / relative
    names: set[str] = set()
    dates: dict[str, list[str]] = {}
    if relative.endswith("consolidated.csv.gz"):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                name = row["name"].strip()
                names.add(name)
                names |= _csl_alt_names(row["alt_names"])
                if row["start_date"]:
                    dates.setdefault(name, []).append(row["start_date"])
    elif relative.endswith(("alt.csv",)):
        names = {row[3] for row in _ofac_rows(path)}
    elif relative.startswith(("ofac_sdn", "ofac_cons")):
        for row in _ofac_rows(path):
            names.add(row[1])
            found = re.search(r"Listing Date \(CMIC\) (\d\d \w{3} \d{4})", row[11])
            if found:
                day = dt.datetime.strptime(found.group(1), "%d %b %Y").date().isoformat()
                dates.setdefault(row[1], []).append(day)
    elif relative.endswith("sanctions.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for name in (row["Name"], row["Clean Name"], row["Alias"]):
                    if name:
                        names.add(name)
                        dates.setdefault(name, []).append(row["Start date"])
    elif relative.endswith("table.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                names.add(row["covered_equipment_or_services"])
    else:  # pragma: no cover - a new file kind needs a reader here
        raise AssertionError(f"no reader for {relative}")
    return frozenset(names), dates


def _spellings() -> dict[str, list[dict]]:
    return yaml.safe_load((SNAPSHOT / "spellings.yaml").read_text(encoding="utf-8"))


def test_spelling_claims_refer_to_the_entries_own_names() -> None:
    raw = {entry["id"]: entry for _, entry in _raw_entries()}
    for entry_id, claims in _spellings().items():
        entry = raw[entry_id]
        own = {entry["name"], entry.get("written_as")}
        own |= {a if isinstance(a, str) else a["name"] for a in entry.get("aliases", [])}
        claimed = {name for claim in claims for name in claim["names"]}
        assert claimed <= own, f"{entry_id}: {claimed - own}"
        assert entry.get("written_as", entry["name"]) in claimed, entry_id


@pytest.mark.realdata
def test_claimed_spellings_appear_exactly_in_the_real_files() -> None:
    if not REAL.is_dir():
        pytest.skip("real list snapshots not present (../shared/lists-real)")
    raw = {entry["id"]: entry for _, entry in _raw_entries()}
    missing = []
    for entry_id, claims in _spellings().items():
        for claim in claims:
            names, dates = _real_names(claim["path"])
            for name in claim["names"]:
                if claim["path"].endswith("table.csv"):
                    # The FCC table is free text; the company name sits inside the sentence.
                    ok = any(f"by {name}" in text for text in names)
                else:
                    ok = name in names
                if not ok:
                    missing.append(f"{entry_id}: {name!r} not in {claim['path']}")
            listed = _iso(raw[entry_id].get("listed_on"))
            found = sorted(d for name in claim["names"] for d in dates.get(name, []))
            if listed and found:
                assert listed == found[0], f"{entry_id}: listed_on {listed}, file says {found[0]}"
    assert not missing, "\n".join(missing)


def test_readme_states_the_label_and_that_it_is_only_a_subset() -> None:
    readme = (SNAPSHOT / "README.md").read_text(encoding="utf-8")
    assert _index()["label"] in readme
    assert "does not replace the downloaded official lists" in readme
    for code, spec in _index()["lists"].items():
        assert f"`{spec['file']}` | {code} |" in readme


def test_an_empty_list_file_needs_a_review_block(tmp_path: Path) -> None:
    copy = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT, copy)
    (copy / "un.yaml").write_text("list: UN\nentries: []\n", encoding="utf-8")
    with pytest.raises(DataError, match="reviewed"):
        load_snapshot(copy)
    (copy / "un.yaml").write_text(
        "list: UN\nreviewed: {source: https://example.org/x.xml, reviewed_on: '2026-12-04',"
        " relevant: 2}\nentries: []\n", encoding="utf-8")
    with pytest.raises(DataError, match="relevant"):
        load_snapshot(copy)
