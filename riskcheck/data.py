"""Where riskcheck's bundled knowledge (the ``lists/`` folder) lives at run time.

A wheel ships ``lists/`` inside the package as ``riskcheck/_lists`` (pyproject force-include);
a source checkout or an editable install reads the repository's ``lists/`` beside the package.
"""

from __future__ import annotations

from pathlib import Path

import riskcheck
from riskcheck.errors import DataError


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
