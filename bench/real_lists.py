"""Load every real official list snapshot beside the repository through riskcheck's parsers.

Shared by bench/bench_matching.py and the real-data tests of tests/match. The snapshots live in
``../shared/lists-real`` relative to the repository (never copied into it); the 1260H and FCC
transcriptions are the project's own files under ``lists/transcriptions``.
"""

from __future__ import annotations

from pathlib import Path

from riskcheck.model import ListEntity

REPO = Path(__file__).resolve().parents[1]
REAL = REPO.parent / "shared" / "lists-real"

# (source id, format id, {role: path relative to REAL or to the repo for transcriptions})
SOURCES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("ofac_sdn", "ofac_legacy_csv", {"main": "ofac_sdn/2024-05-03/sdn.csv"}),
    ("ofac_cons", "ofac_legacy_csv", {"main": "ofac_cons/cons_prim.csv", "add": "ofac_cons/cons_add.csv",
                                      "alt": "ofac_cons/cons_alt.csv",
                                      "comments": "ofac_cons/cons_comments.csv"}),
    ("us_csl", "us_csl_csv", {"main": "us_csl/2022-05/consolidated.csv.gz"}),
    ("us_bis_dpl", "bis_dpl_tsv", {"main": "us_bis_dpl/dpl.txt"}),
    ("eu_fsf", "eu_fsf_xml", {"main": "eu_fsf/2016-02/data.xml"}),
    ("uk_sanctions", "ofsi_conlist_csv", {"main": "uk_hmt/2016-02/data.csv"}),
    ("un_sc", "un_sc_xml", {"main": "un/UN_consolidated.xml"}),
    ("us_dod_1260h", "riskcheck_transcription_yaml", {"main": "@lists/transcriptions/dod_1260h.yaml"}),
    ("us_fcc_covered", "riskcheck_transcription_yaml", {"main": "@lists/transcriptions/fcc_covered.yaml"}),
)


def available() -> bool:
    """Whether the real snapshots and the parsers are both present."""
    if not REAL.is_dir():
        return False
    try:
        import riskcheck.lists.parsers  # noqa: F401
    except ImportError:
        return False
    return True


def _path(relative: str) -> Path:
    return REPO / relative[1:] if relative.startswith("@") else REAL / relative


def load_real_entities(*, sources: tuple[str, ...] | None = None) -> list[ListEntity]:
    """Every entity of every supported real list (or of the named sources)."""
    from riskcheck.lists.parsers import get_parser

    entities: list[ListEntity] = []
    for source_id, format_id, roles in SOURCES:
        if sources is not None and source_id not in sources:
            continue
        files = {role: _path(rel) for role, rel in roles.items()}
        if not all(path.exists() for path in files.values()):
            continue
        entities.extend(get_parser(format_id, source_id).parse(files))
    return entities
