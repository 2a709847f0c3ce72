"""Structure rules: stages only import earlier stages, and `--help` stays light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "riskcheck"

# Earlier stages never import later ones; the CLI sits on top of everything.
STAGES = ["sources", "resolve", "scan", "lists", "match", "score", "formats", "fleet", "pipeline",
          "watch", "cli"]


def _stage(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "riskcheck":
        return None
    return STAGES.index(parts[1]) if parts[1] in STAGES else None


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def test_stages_only_import_earlier_stages() -> None:
    offences = []
    for path in PACKAGE.rglob("*.py"):
        module = "riskcheck." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        own = _stage(module)
        if own is None:
            continue
        for imported in _imports(path):
            other = _stage(imported)
            if other is not None and other > own:
                offences.append(f"{module} imports {imported}")
    assert not offences, "\n".join(offences)


def test_help_does_not_import_heavy_libraries() -> None:
    heavy = ["reportlab", "defusedxml", "xml.etree.ElementTree", "rapidfuzz", "requests",
             "jsonschema", "sqlite3"]
    code = (
        "import sys, riskcheck.cli as c\n"
        "c._register_all() if hasattr(c, '_register_all') else None\n"
        f"print(','.join(m for m in {heavy!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "", f"imported at start-up: {result.stdout.strip()}"
