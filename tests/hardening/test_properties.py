"""Property-based tests (hypothesis): the manifest parser only ever raises InputError, and the
matching engine's normalisation and scores keep their promises for arbitrary names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from riskcheck.errors import InputError
from riskcheck.match.engine import MatchEngine
from riskcheck.match.normalize import normalize
from riskcheck.match.tokens import analyze_org
from riskcheck.model import Alias, ListEntity
from riskcheck.project.manifest import parse_manifest
from riskcheck.yamlio import load_yaml

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# --- the manifest parser ---------------------------------------------------------------------

KEYS = ["version", "project", "name", "owner", "policy", "fail_on", "models", "id", "usage",
        "provider", "base_url", "criticality", "vendor", "exceptions", "severity", "preset",
        "country_tiers", "lineage_weight", "expires", "created", "list", "reason", "approver"]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
    st.text(max_size=20), st.sampled_from(["high", "api", "self-hosted", "2024-02-30",
                                           "Qwen/Qwen2.5-7B-Instruct", "default", "CN", "1260H"]),
    st.dates())
STRUCTURES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), children,
                        max_size=5)),
    max_leaves=25)
YAMLISH = st.text(alphabet=st.sampled_from(list("models:-id &*!|>{}[],'\"\n\t #%@`?\\~\u00e9\ufeff\x07"
                                                "abcQwen/0123456789.")), max_size=200)


def _parse(text: str) -> None:
    data, locator = load_yaml(text, "riskcheck.yaml")
    parse_manifest(data, locator, Path("riskcheck.yaml"))


@SETTINGS
@given(YAMLISH)
def test_manifest_yamlish_text_accepts_or_raises_input_error(text: str) -> None:
    """Arbitrary YAML-ish text: accepted, or InputError with a one-line message."""
    try:
        _parse(text)
    except InputError as error:
        assert "\n" not in str(error)


@pytest.mark.slow  # over half a second: left out of the fast loop
@SETTINGS
@given(st.dictionaries(st.sampled_from(KEYS), STRUCTURES, max_size=6))
def test_manifest_arbitrary_structures_accept_or_raise_input_error(doc: dict[str, Any]) -> None:
    """Arbitrary structures dumped to YAML: accepted, or InputError (never another error)."""
    text = yaml.safe_dump(doc, allow_unicode=True)
    try:
        _parse(text)
    except InputError as error:
        assert "\n" not in str(error)


@SETTINGS
@given(st.lists(st.fixed_dictionaries(
    {"id": STRUCTURES},
    optional={key: STRUCTURES for key in ("usage", "provider", "base_url", "criticality",
                                          "vendor", "source", "purpose")}), max_size=4),
       st.one_of(st.none(), STRUCTURES))
@pytest.mark.slow  # over half a second: left out of the fast loop
def test_manifest_model_entries_accept_or_raise_input_error(models: list[Any], policy: Any) -> None:
    """Well-shaped manifests with arbitrary values at every model key and in the policy."""
    text = yaml.safe_dump({"models": models, "policy": policy}, allow_unicode=True)
    try:
        _parse(text)
    except InputError as error:
        assert "\n" not in str(error)


# --- normalisation -------------------------------------------------------------------------

NAMES = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@SETTINGS
@given(NAMES)
def test_normalize_is_idempotent(name: str) -> None:
    """normalize(normalize(x)) == normalize(x)."""
    once = normalize(name)
    assert normalize(once) == once


@SETTINGS
@given(NAMES)
def test_normalize_never_empties_a_visible_name(name: str) -> None:
    """A name with any visible character keeps a non-empty normalised form."""
    assume(any(not ch.isspace() and ch.isprintable() for ch in name))
    assert normalize(name).strip()


# --- the matching engine -------------------------------------------------------------------

WORDS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=4, max_size=9)
LEGAL_FORMS = ["Co., Ltd.", "LLC", "JSC", "GmbH", "Limited", "Inc.", "Corporation", "PJSC",
               "S.A.", "Company Limited", "Co. Ltd", "AG", "OOO", "Ltd"]


@pytest.fixture(scope="module")
def engine() -> MatchEngine:
    """An engine over invented names with legal forms and aliases."""
    names = ["Northwind Machine Tools LLC", "Zelenograd Precision Holding JSC",
             "Example Quantum Computing Co., Ltd.", "Sample Aerospace GmbH",
             "Beijing Example Intelligence Technology Co., Ltd.", "Harbor Logistics Limited"]
    entities = [ListEntity(source="hardening", source_id=str(i), lists=("EL",), name=name,
                           aliases=(Alias(f"{name.split()[0]} Group"),), countries=("CN",))
                for i, name in enumerate(names)]
    return MatchEngine(entities)


@pytest.mark.slow  # over half a second: left out of the fast loop
@SETTINGS
@given(NAMES)
def test_engine_scores_stay_in_unit_interval(engine: MatchEngine, query: str) -> None:
    """Every score the engine returns is within [0, 1]."""
    for result in engine.search(query, limit=50):
        assert 0.0 <= result.score <= 1.0
    for entity in engine.entities[:3]:
        assert 0.0 <= engine.score_pair(query, entity.name).score <= 1.0


def test_engine_exact_names_and_aliases_score_one(engine: MatchEngine) -> None:
    """Each listed name and alias, queried as written, finds its entity at 1.0."""
    for entity in engine.entities:
        for name in (entity.name, *(alias.name for alias in entity.aliases)):
            found = {r.entity.source_id: r.score for r in engine.search(name, limit=50)}
            assert found.get(entity.source_id) == pytest.approx(1.0), name


FILLER = [ListEntity(source="hardening", source_id=f"f{i}", lists=("EL",), name=name)
          for i, name in enumerate(["Harbor Logistics Limited", "Sample Aerospace GmbH",
                                    "Northwind Machine Tools LLC", "Zelenograd Holding JSC"])]


@SETTINGS
@given(st.lists(WORDS, min_size=2, max_size=4), st.sampled_from(LEGAL_FORMS),
       st.sampled_from(["", *LEGAL_FORMS]))
def test_legal_form_never_moves_a_true_match_out_of_its_band(words: list[str], listed_form: str,
                                                             query_form: str) -> None:
    """Adding or removing a legal form keeps a true match in the ``match`` band; changing it
    for another class of legal form ("Co., Ltd." -> "JSC") caps it at ``review`` (issue 21:
    the same name in another legal form is often another legal entity)."""
    base = " ".join(word.capitalize() for word in words)
    listed = f"{base} {listed_form}"
    entity = ListEntity(source="hardening", source_id="x", lists=("EL",), name=listed)
    engine = MatchEngine([entity, *FILLER])
    exact = engine.search(listed)
    assert exact and exact[0].band == "match"
    query = f"{base} {query_form}".strip()
    found = engine.search(query)
    classes = [{t.key for t in analyze_org(f"x {form}") if t.kind == "org"} for form in (listed_form, query_form)]
    swapped = all(classes) and classes[0].isdisjoint(classes[1])
    assert found and found[0].band == ("review" if swapped else exact[0].band), (listed, query, found[:1])


def test_single_entry_list_keeps_legal_form_variant_in_match_band() -> None:
    """A one-entry list (a typical custom deny list) must still find its entry under another
    legal form: in ``review`` (another class of legal form caps the band, issue 21), and the
    search agrees with the pair's own score."""
    listed = "Hangzhou DeepSeek Artificial Intelligence Co., Ltd."
    engine = MatchEngine([ListEntity(source="custom_deny", source_id="1", lists=("CUSTOM",),
                                     name=listed)])
    query = "Hangzhou DeepSeek Artificial Intelligence JSC"
    score = engine.score_pair(query, listed).score
    assert engine.config.review_threshold <= score < engine.config.match_threshold
    found = engine.search(query)
    assert found and found[0].band == "review" and found[0].score == score
