"""Where riskcheck's bundled knowledge (the ``lists/`` folder) lives at run time.

A wheel ships ``lists/`` inside the package as ``riskcheck/_lists`` (pyproject force-include);
a source checkout or an editable install reads the repository's ``lists/`` beside the package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import riskcheck
from riskcheck.errors import DataError


def lists_dir() -> Path:
    """The directory holding the bundled lists (vendor registry, countries, snapshots).

    Raises :class:`DataError` when neither the installed copy nor the checkout copy exists.
    """
    installed = resources.files("riskcheck") / "_lists"
    # Only a real directory on disk can be walked with pathlib; zipped installs are unsupported.
    if isinstance(installed, Path) and installed.is_dir():
        return installed
    checkout = Path(riskcheck.__file__).resolve().parents[1] / "lists"
    if checkout.is_dir():
        return checkout
    raise DataError(
        f"bundled data folder not found (looked for {installed} and {checkout})",
        hint="reinstall riskcheck (pip install --force-reinstall riskcheck)",
    )
