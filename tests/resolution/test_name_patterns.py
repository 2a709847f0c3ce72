"""Registry regexes are compiled only for names that could match; the answers stay the regex's."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from riskcheck.data import lists_dir
from riskcheck.resolution import lineage
from riskcheck.resolution.name_patterns import NamePattern, PatternIndex, required_words
from riskcheck.resolution.registry.files import read_registry
from riskcheck.resolution.registry.records import FamilyRule
from riskcheck.score.alternatives import AlternativesCatalogue

_, RECORDS = read_registry(lists_dir() / "vendors")
SOURCES = sorted({rule.pattern.pattern for r in RECORDS for rule in r.families}
                 | {p.pattern for r in RECORDS for p in r.api_models}
                 | {p.pattern for p in (*lineage._VARIANT_SUFFIXES, lineage._DISTILL,
                                        lineage._MERGE, lineage._ADAPTER)}
                 | {rule.pattern.pattern for rule in AlternativesCatalogue.bundled().rules})


@pytest.mark.parametrize(("source", "words"), [
    ("^yi-(\\d|coder|vl)", (("yi-",),)),
    ("(^|[-_])bloomz?(-|$)", (("bloom",),)),
    ("^(ai21-)?jamba", (("jamba",),)),
    ("^flux\\.\\d", (("flux",),)),
    ("(^|[^a-z])(code)?Qwen", (("qwen",),)),
    ("ab{2,3}c", (("a", "c"),)),
    ("ab+?c", (("a", "c"),)),
    ("^[(|]x", (("x",),)),
    ("qwen|glm-?4|(^|-)yi(-|$)", (("qwen",), ("glm", "4"), ("yi",))),
    ("qwen|(x)", (("qwen",), ("x",))),
    ("qwen|(x)?", ()),
    ("[-_.](?:GGUFs?|GGML)$", (("gguf",), ("ggml",))),
    ("^(ling|ring)-(lite|\\d)", (("ling", "-"), ("ring", "-"))),
    ("^(star(coder|chat)|santacoder)", (("star", "coder"), ("star", "chat"), ("santacoder",))),
    ("(ab)+c", (("ab", "c"),)),
    ("a(b|)c", (("a", "c"),)),
    ("a\\(b|c", (("a", "b"), ("c",))),
    ("^stable-(video(?!-x))", ()),
    ("[-_.]GPTQ(?:[-_]Int[2348])?$", (("gptq",),)),
    ("(?x) q w e n", ()),
    ("(?<!x)qwen", ()),
    ("^généric", (("g", "n", "ric"),)),
])
def test_required_words(source: str, words: tuple[tuple[str, ...], ...]) -> None:
    assert required_words(source) == words


def test_most_registry_patterns_need_no_compiling_to_rule_a_name_out() -> None:
    assert sum(1 for source in SOURCES if not required_words(source)) < len(SOURCES) // 10


_NAMES = st.text(alphabet="abcdeglmnoqrstwxyzKQ-_.:/ 0123456789ſK中", max_size=24)


@settings(max_examples=300, deadline=None)
@given(source=st.sampled_from(SOURCES), name=_NAMES, word_at=st.integers(0, 24))
def test_same_answer_as_the_regex(source: str, name: str, word_at: int) -> None:
    # Splice a required word into the name so the interesting branch is taken often.
    words = [word for branch in required_words(source) for word in branch]
    if words:
        name = name[:word_at] + words[word_at % len(words)].upper() + name[word_at:]
    compiled = re.compile(source, re.IGNORECASE)
    for ours, theirs in ((NamePattern(source).search, compiled.search),
                         (NamePattern(source).match, compiled.match)):
        found, expected = ours(name), theirs(name)
        assert (found and found.span()) == (expected and expected.span())


def test_compiles_only_when_a_name_could_match() -> None:
    pattern = NamePattern("^gigachat")
    assert pattern.search("Qwen2.5-7B") is None
    assert pattern._compiled is None
    assert pattern.search("GigaChat-20B").group(0) == "GigaChat"  # type: ignore[union-attr]
    assert pattern._compiled is not None
    # Non-ASCII names go straight to the regex: case folding there is more than lower().
    assert NamePattern("^ss").search("ſs") is not None
    assert NamePattern("^seed").search("ſeed") is not None


def test_equal_by_source() -> None:
    assert NamePattern("^a") == NamePattern("^a")
    assert hash(NamePattern("^a")) == hash(NamePattern("^a"))
    assert NamePattern("^a") != NamePattern("^b")


RULES = [rule for record in RECORDS for rule in record.families]


@pytest.mark.slow  # over half a second: left out of the fast loop
@settings(max_examples=200, deadline=None)
@given(name=_NAMES, picked=st.sampled_from(RULES))
def test_index_keeps_every_rule_that_matches_in_order(name: str, picked: FamilyRule) -> None:
    branches = required_words(picked.pattern.pattern)
    name = "".join(branches[-1]) + name if branches else name
    index = PatternIndex(RULES, lambda rule: rule.pattern)
    candidates = index.candidates(name)
    matching = [rule for rule in RULES if re.search(rule.pattern.pattern, name, re.IGNORECASE)]
    assert [rule for rule in candidates if rule in matching] == matching
    assert candidates == [rule for rule in RULES if rule in candidates]


_ATOMS = st.sampled_from(["a", "b", "ab", "ba", "-", "x1", "[ab]", "\\d", ".", "^", "$", "\\.",
                          "[^a]"])
_QUANTIFIERS = st.sampled_from(["", "", "", "?", "*", "+", "{1,2}", "+?"])


def _regex(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    sequence = st.lists(st.tuples(children, _QUANTIFIERS).map("".join), min_size=1, max_size=4)
    branches = st.lists(sequence.map("".join), min_size=1, max_size=3).map("|".join)
    return st.tuples(st.sampled_from(["(", "(?:"]), branches, st.just(")")).map("".join)


_SOURCES = st.lists(st.tuples(st.recursive(_ATOMS, _regex, max_leaves=6), _QUANTIFIERS)
                    .map("".join), min_size=1, max_size=4).map("".join)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=st.lists(_SOURCES, min_size=1, max_size=2).map("|".join),
       names=st.lists(st.text(alphabet="abAB-1.x", max_size=10), min_size=1, max_size=8))
@pytest.mark.slow  # over half a second: left out of the fast loop
def test_words_are_in_every_match_of_made_up_patterns(source: str, names: list[str]) -> None:
    try:
        compiled = re.compile(source, re.IGNORECASE)
    except (re.error, AssertionError, OverflowError):  # sre rejects some quantifier stacks
        assume(False)
    ways = required_words(source)
    for name in names:
        if ways and compiled.search(name):
            lowered = name.lower()
            assert any(all(word in lowered for word in way) for way in ways), (source, name)
