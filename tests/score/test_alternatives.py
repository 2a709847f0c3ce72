"""Safer alternatives: task and size inference, filtering, catalogue integrity."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from riskcheck.model import CountryTier, Level, ModelRef, Policy, Resolution
from riskcheck.score.alternatives import AlternativesCatalogue, parameter_count, size_class
from riskcheck.score.jurisdiction import JurisdictionTable
from tests.score.builders import ALIBABA_1260H, ZHIPU, match, org, qwen, resolution, scorer

REPO = Path(__file__).resolve().parents[2]


def catalogue() -> AlternativesCatalogue:
    return AlternativesCatalogue.bundled()


def profile(model_id: str, usage: str = "self-hosted") -> tuple[str | None, str | None]:
    ref = ModelRef(id=model_id, usage=usage)  # type: ignore[arg-type]
    res = Resolution(ref=ref, status="resolved", canonical_id=model_id)
    return catalogue().profile(res)


@pytest.mark.parametrize("name, billions", [
    ("Qwen2.5-7B-Instruct", 7), ("Qwen3-30B-A3B", 30), ("Qwen3-235B-A22B", 235),
    ("Mixtral-8x7B-Instruct", 56), ("SmolLM2-360M", 0.36), ("qwen2.5:0.5b", 0.5),
    ("Qwen2.5-7B-Instruct-GGUF-4bit", 7), ("bge-m3", None), ("deepseek-v3", None),
    ("MiniMax-M1", None)])
def test_parameter_count(name: str, billions: float | None) -> None:
    assert parameter_count(name) == billions


@pytest.mark.parametrize("billions, size", [(0.5, "tiny"), (2.9, "tiny"), (3, "small"),
                                            (15, "small"), (32, "medium"), (70, "medium"),
                                            (72, "large")])
def test_size_classes(billions: float, size: str) -> None:
    assert size_class(billions) == size


@pytest.mark.parametrize("model_id, usage, expected", [
    ("Qwen/Qwen2.5-7B-Instruct", "self-hosted", ("chat", "small")),
    ("BAAI/bge-m3", "self-hosted", ("embedding", "tiny")),
    ("BAAI/bge-reranker-v2-m3", "self-hosted", ("reranker", "tiny")),
    ("Qwen/Qwen2.5-Coder-32B-Instruct", "self-hosted", ("code", "medium")),
    ("Qwen/Qwen2.5-VL-72B-Instruct", "self-hosted", ("vision", "large")),
    ("FunAudioLLM/SenseVoiceSmall", "self-hosted", ("speech", "tiny")),
    ("deepseek-chat", "api", ("chat", "api")),
    ("deepseek-ai/DeepSeek-V3", "self-hosted", ("chat", None)),
    ("THUDM/CogVideoX-5b", "self-hosted", (None, None)),
    ("Wan-AI/Wan2.1-T2V-14B", "self-hosted", (None, None)),
    ("acme/unknown-thing", "self-hosted", (None, None)),
])
def test_profile(model_id: str, usage: str, expected: tuple[str | None, str | None]) -> None:
    assert profile(model_id, usage) == expected


def test_suggestions_share_task_and_size_and_avoid_risky_countries() -> None:
    result = scorer().assess(qwen(), [match("alibaba-group", "parent", ALIBABA_1260H)], Policy())
    assert result.alternatives
    by_id = {c.id: c for c in catalogue().candidates}
    for line in result.alternatives:
        candidate = by_id[line.split(" ")[0]]
        assert (candidate.task, candidate.size) == ("chat", "small")
        assert candidate.country not in ("CN", "RU", "HK")
        assert "licence:" in line and "https://" in line


def test_no_suggestion_below_the_threshold_or_for_unknown_tasks() -> None:
    clean = scorer().assess(qwen(), [], Policy(alternatives_from=Level.HIGH))
    assert clean.alternatives == ()
    video = resolution("THUDM/CogVideoX-5b", ZHIPU, usage="api")
    assert scorer().assess(video, [], Policy()).alternatives == ()


def test_policy_denied_and_tiered_vendors_are_never_suggested() -> None:
    policy = Policy(denied_vendors=("meta",), country_tiers=())
    result = scorer().assess(qwen(), [match("alibaba-group", "parent", ALIBABA_1260H)], policy)
    assert result.alternatives and not any("(meta," in a for a in result.alternatives)
    fr_tiered = Policy(country_tiers=(CountryTier("eu-watch", ("FR",)),))
    result = scorer().assess(qwen(), [match("alibaba-group", "parent", ALIBABA_1260H)],
                             fr_tiered)
    assert not any(", FR;" in a for a in result.alternatives)


def test_allowed_vendors_come_first() -> None:
    policy = Policy(allowed_vendors=("ibm",))
    result = scorer().assess(qwen(), [match("alibaba-group", "parent", ALIBABA_1260H)], policy)
    assert result.alternatives[0].startswith("ibm-granite/")


def test_catalogue_is_clean_and_covers_every_task() -> None:
    table = JurisdictionTable.bundled()
    tasks = {c.task for c in catalogue().candidates}
    assert tasks == {"chat", "embedding", "reranker", "code", "vision", "speech"}
    for candidate in catalogue().candidates:
        assert not table.is_of_concern(candidate.country, Policy()), candidate.id
        assert candidate.url.startswith("https://")
        assert candidate.licence


def test_catalogue_vendor_ids_exist_in_the_vendor_registry() -> None:
    vendors = REPO / "lists" / "vendors"
    if not vendors.is_dir():
        pytest.skip("vendor registry not present")
    registry = {}
    for path in vendors.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "id" in data:
            registry[data["id"]] = data.get("country")
    for candidate in catalogue().candidates:
        assert candidate.vendor in registry, f"{candidate.id}: unknown vendor {candidate.vendor}"
        assert registry[candidate.vendor] == candidate.country, candidate.id


def test_suggestion_ignores_the_models_own_vendor() -> None:
    meta = org("meta", "Meta", "US")
    res = resolution("meta-llama/Llama-3.1-8B-Instruct", meta, usage="api",
                     family="llama3.1")
    suggestions = catalogue().suggest(res, (), Policy(), lambda c: False)
    assert suggestions and not any("(meta," in s for s in suggestions)


def test_shipped_task_patterns_compile() -> None:
    # The bundled catalogue's patterns are compiled only when a name could match them.
    import re

    for rule in catalogue().rules:
        re.compile(rule.pattern.pattern, re.IGNORECASE)


def test_a_custom_catalogue_with_a_broken_pattern_is_refused(tmp_path: Path) -> None:
    from riskcheck.errors import DataError

    path = tmp_path / "alternatives.yaml"
    path.write_text("tasks:\n  - {pattern: 'qwen(', task: chat}\nmodels: []\n", encoding="utf-8")
    with pytest.raises(DataError, match="unusable"):
        AlternativesCatalogue.load(path)
