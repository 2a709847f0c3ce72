"""Policy settings: from a manifest's ``policy:`` block or a separate policy file.

First version: the settings the check foundation needs. The scoring stage deepens it.
"""

from __future__ import annotations

from typing import Any

from riskcheck.model import Level, Policy
from riskcheck.sources.yamlpos import Locator, PathKey

_KNOWN = {"fail_on", "fail_on_unresolved", "max_list_age_days", "preset"}


def parse_policy(data: Any, locator: Locator, where: PathKey = ("policy",)) -> Policy:
    """Build a :class:`Policy` from parsed YAML, raising located errors for bad values."""
    if data is None:
        return Policy()
    if not isinstance(data, dict):
        raise locator.error("policy must be a mapping", where, hint="write e.g. 'fail_on: high'")
    for key in data:
        if key not in _KNOWN:
            raise locator.error(f"unknown policy key {key!r}", (*where, key), key=True,
                                hint="allowed: " + ", ".join(sorted(_KNOWN)))
    fail_on = Level.HIGH
    if "fail_on" in data:
        try:
            fail_on = Level.parse(str(data["fail_on"]))
        except ValueError as exc:
            raise locator.error(str(exc), (*where, "fail_on")) from None
    unresolved = data.get("fail_on_unresolved", False)
    if not isinstance(unresolved, bool):
        raise locator.error("fail_on_unresolved must be true or false", (*where, "fail_on_unresolved"))
    age = data.get("max_list_age_days")
    if age is not None and (not isinstance(age, int) or isinstance(age, bool) or age < 0):
        raise locator.error("max_list_age_days must be a whole number of days",
                            (*where, "max_list_age_days"))
    preset = data.get("preset", "default")
    if not isinstance(preset, str):
        raise locator.error("preset must be a name", (*where, "preset"))
    return Policy(fail_on=fail_on, fail_on_unresolved=unresolved, max_list_age_days=age,
                  preset=preset)
