"""The same inputs give identical assessments whatever their order."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from riskcheck.model import Party, Policy, PolicyException, Resolution, ServingParty
from tests.score.builders import (
    ALIBABA_1260H,
    ALIBABA_CLOUD,
    ALIBABA_GROUP,
    SBERBANK_SDN,
    ZHIPU_EL,
    entity,
    gigachat,
    llama,
    match,
    org,
    qwen,
    resolution,
    scorer,
)

POLICY = Policy(exceptions=(PolicyException(
    id="EX-1", model="Qwen/Qwen2.5-7B-Instruct", lists=("1260H",),
    name="Alibaba Group Holding Limited", reason="r", approver="a", created="2026-01-01",
    expires="2027-01-01"),), max_country_share=0.3)


def outcome(assessment):  # type: ignore[no-untyped-def]
    """Everything the scorer decides (the resolution is the input, kept as given)."""
    return (assessment.matches, assessment.findings, assessment.level, assessment.score,
            assessment.verdict, assessment.alternatives)


def rich_case() -> tuple[Resolution, list]:
    """A model with many parties and matches: vendor, parents, upstream, API host."""
    holding = org("holding", "Holding", "RU", parents=(("sberbank", 0.6),))
    vendor = org("acme", "Acme", "CN", parents=(("holding", 1.0), ("alibaba-group", 0.2)))
    host = org("host", "Host", "AE")
    res = resolution("acme/Qwen2.5-7B-Instruct-ft", vendor, usage="api",
                     parents=((holding, 1.0), (org("sberbank", "Sberbank", "RU"), 0.6),
                              (ALIBABA_GROUP, 0.2)),
                     upstream=(ALIBABA_CLOUD,), upstream_parents=((ALIBABA_GROUP, 1.0),),
                     serving=ServingParty(host, data_country="AE"), family="qwen2.5")
    matches = [
        match("sberbank", "parent", SBERBANK_SDN),
        match("alibaba-group", "parent", ALIBABA_1260H),
        match("alibaba-group", "upstream-parent", ALIBABA_1260H, band="review"),
        match("host", "serving", ZHIPU_EL, band="possible"),
        match("acme", "vendor", entity("ACME", ("CMIC",), source_id="c1"),
              status="formerly-listed"),
    ]
    return res, matches


def shuffled(res: Resolution, rng: random.Random) -> Resolution:
    parties = list(res.parties)
    rng.shuffle(parties)
    return Resolution(res.ref, res.status, res.family, res.canonical_id, tuple(parties),
                      res.serving, res.method, res.confidence, res.tried, res.hint)


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False))
def test_assessment_is_independent_of_party_and_match_order(rng: random.Random) -> None:
    res, matches = rich_case()
    expected = scorer().assess(res, matches, POLICY)
    other = list(matches)
    rng.shuffle(other)
    assert outcome(scorer().assess(shuffled(res, rng), other, POLICY)) == outcome(expected)


def test_same_inputs_same_output_across_scorers() -> None:
    res, matches = rich_case()
    first = scorer().assess(res, matches, POLICY)
    assert first == scorer().assess(res, matches, POLICY)
    assert first.alternatives == scorer().assess(res, list(reversed(matches)), POLICY) \
        .alternatives


def test_project_findings_independent_of_model_order() -> None:
    s = scorer()
    assessments = [s.assess(qwen(), [match("alibaba-group", "parent", ALIBABA_1260H)], POLICY),
                   s.assess(gigachat(), [match("sberbank", "parent", SBERBANK_SDN)], POLICY),
                   s.assess(llama(), [], POLICY),
                   s.assess(qwen("Qwen/Qwen2.5-72B-Instruct"), [], POLICY)]
    results = {s.project_findings(list(order), POLICY)
               for order in itertools.permutations(assessments)}
    assert len(results) == 1
    assert next(iter(results)), "the case has a country concentration finding"


def test_parties_with_equal_roles_do_not_depend_on_order() -> None:
    a = Party(org("p1", "P1", "CN"), "parent", "parent", ("acme", "p1"), 0.5)
    b = Party(org("p2", "P2", "CN"), "parent", "parent", ("acme", "p2"), 0.5)
    vendor = Party(org("acme", "Acme", "US"), "vendor", "publisher")
    one = Resolution(qwen().ref, "resolved", parties=(vendor, a, b))
    two = Resolution(qwen().ref, "resolved", parties=(vendor, b, a))
    first, second = scorer().assess(one, [], Policy()), scorer().assess(two, [], Policy())
    assert outcome(first) == outcome(second)
