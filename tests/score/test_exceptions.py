"""Exceptions: scoped, dated, audited; expired ones fail the run; today is injectable."""

from __future__ import annotations

from datetime import date

from riskcheck.model import Level, Policy, PolicyException
from riskcheck.score.exposure import ExposureScorer
from tests.score.builders import ALIBABA_1260H, SBERBANK_SDN, TODAY, entity, gigachat, match, \
    qwen

QWEN = "Qwen/Qwen2.5-7B-Instruct"


def exception(**changes: object) -> PolicyException:
    fields: dict[str, object] = dict(
        id="EX-1", model=QWEN, lists=("1260H",), name="Alibaba Group Holding Limited",
        reason="weights run air-gapped; vendor assessment 2026-03",
        approver="compliance@example.com", created="2026-03-01", expires="2027-03-01")
    fields.update(changes)
    return PolicyException(**fields)  # type: ignore[arg-type]


def assess(policy: Policy, matches: list | None = None,  # type: ignore[no-untyped-def]
           today: date = TODAY):
    matches = matches if matches is not None else [
        match("alibaba-group", "parent", ALIBABA_1260H)]
    return ExposureScorer(today=today).assess(qwen(), matches, policy)


def listed(result):  # type: ignore[no-untyped-def]
    return [f for f in result.findings if f.match is not None]


def test_exception_in_force_lowers_but_keeps_the_finding() -> None:
    result = assess(Policy(exceptions=(exception(),)))
    (finding,) = listed(result)
    assert finding.level == Level.LOW and finding.exception_id == "EX-1"
    assert "[accepted by exception EX-1 until 2027-03-01]" in finding.summary
    details = " | ".join(finding.details)
    assert "approved by compliance@example.com on 2026-03-01" in details
    assert "level lowered from medium to low" in details


def test_exception_level_none_from_policy_or_exception() -> None:
    assert listed(assess(Policy(exceptions=(exception(),), exception_level=Level.NONE)))[0] \
        .level == Level.NONE
    assert listed(assess(Policy(exceptions=(exception(level=Level.NONE),))))[0].level == \
        Level.NONE


def test_exception_by_source_and_id() -> None:
    ex = exception(name=None, source="us_dod_1260h", source_id="alibaba-2026")
    assert listed(assess(Policy(exceptions=(ex,))))[0].exception_id == "EX-1"
    wrong = exception(name=None, source="us_dod_1260h", source_id="other")
    assert listed(assess(Policy(exceptions=(wrong,))))[0].exception_id is None


def test_exception_never_hides_another_entity() -> None:
    other = entity("Alibaba Cloud Computing Ltd.", ("1260H",), source="us_dod_1260h",
                   source_id="ali-cloud")
    result = assess(Policy(exceptions=(exception(),)),
                    [match("alibaba-group", "parent", ALIBABA_1260H),
                     match("alibaba-cloud", "vendor", other)])
    by_entity = {f.match.entity.source_id: f for f in listed(result)}
    assert by_entity["alibaba-2026"].exception_id == "EX-1"
    assert by_entity["ali-cloud"].exception_id is None
    assert by_entity["ali-cloud"].level == Level.MEDIUM


def test_exception_never_hides_a_new_list() -> None:
    now_also_el = entity("Alibaba Group Holding Limited", ("1260H", "EL"),
                         source="us_dod_1260h", source_id="alibaba-2026")
    result = assess(Policy(exceptions=(exception(),)),
                    [match("alibaba-group", "parent", now_also_el)])
    (finding,) = listed(result)
    assert finding.exception_id is None and finding.level == Level.MEDIUM
    assert "BIS Entity List" in finding.summary and "also on 1260H" in finding.summary
    assert any("does not cover list(s) EL" in d for d in finding.details)


def test_exception_for_another_model_does_not_apply() -> None:
    result = assess(Policy(exceptions=(exception(model="Qwen/Qwen2.5-72B-Instruct"),)))
    assert listed(result)[0].exception_id is None


def test_expired_exception_fails_the_run() -> None:
    policy = Policy(exceptions=(exception(expires="2026-06-30"),))
    result = assess(policy)
    expired = [f for f in result.findings if f.summary.startswith("exception EX-1 expired")]
    assert len(expired) == 1 and expired[0].exception_id is None
    assert expired[0].level == policy.fail_on
    assert expired[0].summary.startswith("exception EX-1 expired on 2026-06-30")
    assert "renew or remove it" in expired[0].summary
    assert listed(result)[0].level == Level.MEDIUM, "the covered finding is back at its level"
    assert result.level >= policy.fail_on


def test_expiry_day_itself_is_still_in_force() -> None:
    policy = Policy(exceptions=(exception(expires="2026-11-29"),))
    assert listed(assess(policy, today=date(2026, 11, 29)))[0].exception_id == "EX-1"
    assert listed(assess(policy, today=date(2026, 11, 30)))[0].exception_id is None


def test_pending_exception_does_not_apply_yet() -> None:
    result = assess(Policy(exceptions=(exception(created="2027-01-01", expires="2027-06-01"),)))
    (finding,) = listed(result)
    assert finding.exception_id is None
    assert any("starts on 2027-01-01" in d for d in finding.details)


def test_unused_exception_in_force_is_shown() -> None:
    result = assess(Policy(exceptions=(exception(),)), matches=[])
    unused = [f for f in result.findings if f.exception_id == "EX-1"]
    assert unused and unused[0].level == Level.NONE and "covers nothing" in unused[0].summary


def test_exception_covers_the_ownership_rule_finding_of_the_same_entity() -> None:
    ex = exception(model="ai-sage/GigaChat-20B-A3B-instruct", lists=("SDN",),
                   name="SBERBANK")
    result = ExposureScorer(today=TODAY).assess(
        gigachat(), [match("sberbank", "parent", SBERBANK_SDN)], Policy(exceptions=(ex,)))
    covered = [f for f in result.findings if f.kind in ("ownership-rule", "parent-list-match")]
    assert len(covered) == 2 and all(f.exception_id == "EX-1" for f in covered)
    assert all(f.level == Level.LOW for f in covered)


def test_project_findings_report_orphan_and_expired_exceptions() -> None:
    scorer = ExposureScorer(today=TODAY)
    assessment = scorer.assess(qwen(), [], Policy())
    orphan = exception(id="EX-9", model="not/used")
    stale = exception(id="EX-8", model="not/used-either", expires="2025-01-01")
    policy = Policy(exceptions=(orphan, stale))
    found = {f.summary.split()[1]: f for f in scorer.project_findings([assessment], policy)}
    assert found["EX-9"].level == Level.NONE and "does not use model" in found["EX-9"].summary
    assert found["EX-8"].level == Level.HIGH and "expired on 2025-01-01" in found["EX-8"].summary
