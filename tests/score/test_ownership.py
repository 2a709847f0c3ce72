"""Ownership rules through the parent chain: OFAC 50%, EU/UK > 50%, BIS affiliates switch."""

from __future__ import annotations

from riskcheck.model import Level, Organisation, Ownership, Party, Policy, Resolution, ModelRef
from tests.score.builders import entity, match, org, scorer

SDN = entity("BLOCKED HOLDING", ("SDN",), source_id="b1")
SDN2 = entity("OTHER BLOCKED", ("SDN",), source_id="b2")
EU = entity("EU LISTED", ("EU",), source="eu_fsf", source_id="e1")
EL = entity("EL LISTED", ("EL",), source="us_csl", source_id="el1")


def build(vendor_parents: tuple[tuple[str, float | None], ...],
          extra: tuple[Organisation, ...] = ()) -> Resolution:
    vendor = org("acme-ai", "Acme AI", "AE", parents=vendor_parents)
    parties = [Party(vendor, "vendor", "publisher")]
    for parent in extra:
        parties.append(Party(parent, "parent", "parent", path=("acme-ai", parent.id)))
    return Resolution(ref=ModelRef(id="acme/model-7B", usage="api"), status="resolved",
                      parties=tuple(parties), family="acme")


def rule_findings(res: Resolution, matches: list, policy: Policy = Policy()) -> list:
    return [f for f in scorer().assess(res, matches, policy).findings
            if f.kind == "ownership-rule"]


def test_majority_owned_by_a_blocked_party_is_blocked() -> None:
    res = build((("holding", 0.5),), (org("holding", "Holding", "AE"),))
    (finding,) = rule_findings(res, [match("holding", "parent", SDN)])
    assert finding.level == Level.CRITICAL
    assert "Acme AI is treated as listed under the OFAC 50% rule: owned 50% by Holding" \
        in finding.summary
    assert finding.party_id == "acme-ai"


def test_49_percent_is_not_enough() -> None:
    res = build((("holding", 0.49),), (org("holding", "Holding", "AE"),))
    assert rule_findings(res, [match("holding", "parent", SDN)]) == []


def test_shares_of_several_blocked_owners_aggregate() -> None:
    res = build((("a", 0.3), ("b", 0.25)), (org("a", "A", "AE"), org("b", "B", "AE")))
    (finding,) = rule_findings(res, [match("a", "parent", SDN), match("b", "parent", SDN2)])
    assert "owned 55% by A (30%), B (25%)" in finding.summary


def test_indirect_ownership_through_an_unlisted_intermediate() -> None:
    mid = org("mid", "Mid Holding", "AE", parents=(("top", 0.6),))
    top = org("top", "Top Group", "RU")
    res = build((("mid", 1.0),), (mid, top))
    (finding,) = rule_findings(res, [match("top", "parent", SDN)])
    assert "owned 100% by Mid Holding, in turn owned by \u201cBLOCKED HOLDING\u201d" \
        in finding.summary


def test_unknown_share_is_a_weaker_may_finding() -> None:
    res = build((("holding", None),), (org("holding", "Holding", "AE"),))
    (finding,) = rule_findings(res, [match("holding", "parent", SDN)])
    assert "may be covered by the OFAC 50% rule" in finding.summary
    assert finding.level == Level.HIGH


def test_eu_rule_needs_more_than_half() -> None:
    half = build((("holding", 0.5),), (org("holding", "Holding", "AE"),))
    assert rule_findings(half, [match("holding", "parent", EU)]) == []
    more = build((("holding", 0.51),), (org("holding", "Holding", "AE"),))
    (finding,) = rule_findings(more, [match("holding", "parent", EU)])
    assert "EU ownership and control rule" in finding.summary


def test_bis_affiliates_rule_is_a_policy_switch() -> None:
    res = build((("holding", 0.6),), (org("holding", "Holding", "CN"),))
    assert rule_findings(res, [match("holding", "parent", EL)]) == []
    (finding,) = rule_findings(res, [match("holding", "parent", EL)],
                               Policy(affiliates_rule=True))
    assert "BIS Affiliates Rule" in finding.summary and finding.level == Level.HIGH
    assert any("policy affiliates_rule is true" in d for d in finding.details)


def test_review_band_owner_weakens_the_rule_finding() -> None:
    res = build((("holding", 1.0),), (org("holding", "Holding", "AE"),))
    (finding,) = rule_findings(res, [match("holding", "parent", SDN, band="review")])
    assert finding.level == Level.HIGH


def test_possible_and_formerly_listed_owners_do_not_trigger_the_rule() -> None:
    res = build((("holding", 1.0),), (org("holding", "Holding", "AE"),))
    assert rule_findings(res, [match("holding", "parent", SDN, band="possible")]) == []
    assert rule_findings(res, [match("holding", "parent", SDN, status="formerly-listed")]) == []


def test_ownership_cycles_terminate() -> None:
    a = org("a", "A", "AE", parents=(("b", 0.6),))
    b = org("b", "B", "AE", parents=(("a", 0.6),))
    res = build((("a", 1.0),), (a, b))
    assert rule_findings(res, []) == []


def test_the_order_of_parties_does_not_matter() -> None:
    mid = org("mid", "Mid Holding", "AE", parents=(("top", 0.6),))
    top = org("top", "Top Group", "RU")
    one = build((("mid", 1.0),), (mid, top))
    two = Resolution(ref=one.ref, status="resolved", parties=tuple(reversed(one.parties)),
                     family="acme")
    m = [match("top", "parent", SDN)]
    assert rule_findings(one, m) == rule_findings(two, m)


def test_listed_vendor_gets_a_list_match_not_an_ownership_finding() -> None:
    vendor = org("acme-ai", "Acme AI", "AE", parents=(("holding", 1.0),))
    holding = org("holding", "Holding", "AE")
    res = Resolution(ref=ModelRef(id="acme/m"), status="resolved",
                     parties=(Party(vendor, "vendor", "publisher"),
                              Party(holding, "parent", "parent", ("acme-ai", "holding"), 1.0)))
    found = scorer().assess(res, [match("acme-ai", "vendor", SDN2),
                                  match("holding", "parent", SDN)], Policy()).findings
    assert not any(f.kind == "ownership-rule" for f in found)
    assert Ownership("holding", 1.0) in vendor.parents


def test_a_finding_through_an_unverified_ownership_link_says_so() -> None:
    """Every parent reached through a registry edge marked unverified is named as such in the
    finding's words, and verified paths are not."""
    from riskcheck.model import Organisation, Party
    from riskcheck.resolution.registry import load_registry, path_verified
    from riskcheck.score.lineage import parent_factor, role_phrase

    registry = load_registry()
    unverified = verified = None
    for record in registry:
        for edge in record.organisation.parents:
            path = (record.id, edge.parent_id)
            if registry.get(edge.parent_id) is None:
                continue
            if path_verified(registry, path):
                verified = verified or path
            else:
                unverified = unverified or path
    assert unverified and verified
    for path, flagged in ((unverified, True), (verified, False)):
        owner = registry.get(path[1]).organisation  # type: ignore[union-attr]
        party = Party(owner, "parent", "subsidiary", path=path,
                      verified=path_verified(registry, path))
        assert ("unverified" in role_phrase(party)) is flagged
        assert ("unverified" in parent_factor(party)[1]) is flagged
    assert isinstance(owner, Organisation)


def test_an_owner_with_two_records_on_one_list_is_named_once() -> None:
    """Sberbank has two EU records (asset freeze, transaction ban): the ownership finding
    names it once."""
    from pathlib import Path

    import riskcheck

    manifest = Path(__file__).resolve().parents[2] / "examples" / "exposed-stack" / "riskcheck.yaml"
    report = riskcheck.check(manifest, offline=True, bundled=True)
    lines = [d for a in report.models for f in a.findings for d in f.details
             if d.startswith("listed owners at the root of the chain:")]
    assert lines
    for line in lines:
        names = line.split(": ", 1)[1].split("; ")
        assert len(names) == len(set(names)), line
