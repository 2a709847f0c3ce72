"""Where riskcheck's bundled knowledge (the ``lists/`` folder) lives at run time.

A wheel ships ``lists/`` inside the package as ``riskcheck/_lists`` (pyproject force-include);
a source checkout or an editable install reads the repository's ``lists/`` beside the package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import riskcheck
from riskcheck.errors import DataError

_REINSTALL = "reinstall riskcheck, or fix the file"


def lists_dir() -> Path:
    """The directory holding the bundled lists (vendor registry, countries, snapshots).

    Raises :class:`DataError` when neither the installed copy nor the checkout copy exists.
    """
    # For a package installed as files, importlib.resources.files("riskcheck") is exactly this
    # directory; computing it directly avoids importing importlib.resources (tens of ms) on
    # every run. Zipped installs are not supported because the lists are walked with pathlib.
    package = Path(riskcheck.__file__).resolve().parent
    installed = package / "_lists"
    if installed.is_dir():
        return installed
    checkout = package.parent / "lists"
    if checkout.is_dir():
        return checkout
    raise DataError(
        f"bundled data folder not found (looked for {installed} and {checkout})",
        hint="reinstall riskcheck (pip install --force-reinstall riskcheck)",
    )


def read_yaml(path: Path, *, hint: str = _REINSTALL) -> Any:
    """Parse one of riskcheck's own YAML data files, with libyaml when PyYAML has it.

    Every problem is a one-line :class:`DataError` naming the file (and line, for syntax).
    """
    import yaml  # imported here: runs served from caches need no YAML at all

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with path.open("rb") as handle:
            return yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader
    except FileNotFoundError:
        raise DataError(f"{path}: data file missing", hint=hint) from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})", hint=hint) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DataError(f"{path}: invalid YAML{where} ({problem})", hint=hint) from None
    except (ValueError, TypeError) as exc:  # a scalar that resolves but cannot be built
        raise DataError(f"{path}: invalid value ({exc})", hint=hint) from None
