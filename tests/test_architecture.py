"""Structure rules: stages only import earlier stages, no import circle, the command line
goes through the application layer, one home each for HTTP sessions, folders and atomic
writes, and `--help` stays light."""

from __future__ import annotations

import pytest
import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "riskcheck"

# Earlier stages never import later ones; the CLI sits on top of everything.
STAGES = ["project", "resolution", "scan", "lists", "match", "score", "formats", "fleet", "pipeline",
          "watch", "app", "cli"]

SHARED = {"errors", "model", "terminal", "progress", "redact", "encoding", "paths", "files",
          "http", "yamlio", "data", "local_hosts", "spreadsheet"}
"""Modules below every stage, which any stage may use."""


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
            # ``from riskcheck.app import lists`` imports the module riskcheck.app.lists.
            found.extend(f"{node.module}.{alias.name}" for alias in node.names
                         if (PACKAGE.joinpath(*node.module.split(".")[1:], alias.name + ".py")
                             .exists()))
    return found


def _modules() -> dict[str, Path]:
    return {"riskcheck." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
            .removesuffix(".__init__"): path for path in PACKAGE.rglob("*.py")}


def _module_of(name: str, known: dict[str, Path]) -> str | None:
    """The riskcheck module an import names (a package's ``__init__`` for a package)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


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
    for argv in (["--help"], ["check", "--help"], ["lists", "--help"]):
        code = (
            "import sys, riskcheck.cli\n"
            f"sys.argv = ['riskcheck', *{argv!r}]\n"
            "try:\n    riskcheck.cli.main()\nexcept SystemExit:\n    pass\n"
            f"print('LOADED:' + ','.join(m for m in {heavy!r} if m in sys.modules))\n"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True)
        loaded = result.stdout.strip().splitlines()[-1]
        assert loaded == "LOADED:", f"{' '.join(argv)} imported {loaded}"


@pytest.mark.slow  # over half a second: left out of the fast loop
def test_no_import_circle() -> None:
    """No two modules import each other, directly or through others (deferred imports count:
    a circle kept working by a function-level import is still a circle)."""
    known = _modules()
    graph = {module: set() for module in known}
    for module, path in known.items():
        for imported in _imports(path):
            target = _module_of(imported, known)
            # A module importing its own package's __init__ (to reach a sibling) is no circle.
            if target and target != module and not module.startswith(target + "."):
                graph[module].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert not circles, "import circles:\n" + "\n".join(" <-> ".join(c) for c in circles)


def test_cli_goes_through_the_application_layer() -> None:
    """The command line parses, calls riskcheck.app, and renders through riskcheck.formats."""
    allowed = {"app", "cli", "formats", *SHARED}
    offences = []
    for path in (PACKAGE / "cli").rglob("*.py"):
        for imported in _imports(path):
            parts = imported.split(".")
            if parts[0] == "riskcheck" and len(parts) > 1 and parts[1] not in allowed:
                offences.append(f"{path.relative_to(PACKAGE)} imports {imported}")
    assert not offences, "\n".join(offences)


def _calls(needle: str) -> list[str]:
    return sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                  if needle in path.read_text(encoding="utf-8"))


def test_one_home_for_sessions_folders_and_atomic_writes() -> None:
    """HTTP sessions only from riskcheck/http.py, per-user folders only from riskcheck/paths.py,
    temporary files for atomic writes only from riskcheck/files.py."""
    assert _calls("requests.Session(") == ["http.py"]
    assert _calls("HTTPAdapter") == ["http.py"]
    assert _calls("platformdirs") == ["paths.py"]
    assert _calls("mkstemp(") == ["files.py"]
