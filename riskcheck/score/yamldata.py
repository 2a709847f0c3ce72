"""Reading riskcheck's own YAML tables quickly (the C loader when PyYAML has it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_table(path: Path) -> Any:
    """Parse a bundled YAML table; OSError and yaml.YAMLError propagate to the caller."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (safe loader)
