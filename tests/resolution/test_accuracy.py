"""Accuracy on real references (tests/resolution/references.yaml, expectations written by hand).

A case counts as right when the resolver finds exactly the expected vendor set (vendor and
upstream parties) and countries, or, for an expected ``vendors: []``, reports it unresolved.
The share right must be at least 97%, and no wrong answer may carry high confidence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from riskcheck.model import ModelRef, Resolution
from riskcheck.resolution.resolver import RegistryResolver

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "references.yaml").read_text(encoding="utf-8"))


def _ref(case: dict[str, Any]) -> ModelRef:
    return ModelRef(id=case["ref"], source=case.get("source"), usage=case.get("usage", "unknown"),
                    provider=case.get("provider"), base_url=case.get("base_url"),
                    vendor_override=case.get("vendor"))


def _vendors(resolution: Resolution) -> set[str]:
    return {p.organisation.id for p in resolution.parties if p.role in ("vendor", "upstream")}


def _right(case: dict[str, Any], resolution: Resolution) -> bool:
    if not case["vendors"]:
        return resolution.status == "unresolved"
    return (resolution.status == "resolved" and _vendors(resolution) == set(case["vendors"])
            and set(resolution.countries) == set(case["countries"]))


def test_reference_file_is_big_and_well_formed() -> None:
    assert len(CASES) >= 200
    for case in CASES:
        assert set(case) <= {"ref", "vendors", "countries", "serving", "data_country",
                             "base_url", "provider", "usage", "source", "vendor"}, case
        assert isinstance(case["vendors"], list) and isinstance(case["countries"], list), case


def test_accuracy_on_real_references(resolver: RegistryResolver) -> None:
    failures: list[str] = []
    confident_wrong: list[str] = []
    for case in CASES:
        resolution = resolver.resolve(_ref(case))
        if _right(case, resolution):
            continue
        line = (f"{case['ref']} (base_url={case.get('base_url')}): expected "
                f"{sorted(case['vendors'])} {sorted(case['countries'])}, got "
                f"{sorted(_vendors(resolution))} {list(resolution.countries)} "
                f"[{resolution.status}, {resolution.method}, {resolution.confidence}]")
        failures.append(line)
        if resolution.confidence == "high":
            confident_wrong.append(line)
    share = 1 - len(failures) / len(CASES)
    print(f"\nresolution accuracy: n={len(CASES)} right={len(CASES) - len(failures)} "
          f"({share:.1%}); wrong with high confidence: {len(confident_wrong)}")
    for line in failures:
        print("  WRONG", line)
    assert not confident_wrong, "\n".join(confident_wrong)
    assert share >= 0.97, "\n".join(failures)


@pytest.mark.parametrize("case", [c for c in CASES if "serving" in c],
                         ids=lambda c: f"{c['ref']}@{c.get('base_url') or c.get('provider') or ''}")
def test_serving_party(case: dict[str, Any], resolver: RegistryResolver) -> None:
    resolution = resolver.resolve(_ref(case))
    serving = resolution.serving
    assert (serving.organisation.id if serving else None) == case["serving"], resolution.tried
    if "data_country" in case:
        assert serving is not None and serving.data_country == case["data_country"]
