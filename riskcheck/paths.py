"""Where riskcheck keeps what it writes: the list store and every cache, in one place.

``--data-dir`` (or ``RISKCHECK_DATA_DIR``) moves all of it: the store, the name index, the Hub
answers, the parsed-YAML and vendor-registry caches go under ``<data-dir>`` and
``<data-dir>/cache``. Without either, the store is in the per-user data folder and the caches in
the per-user cache folder (``platformdirs``). A command that takes ``--data-dir`` calls
:func:`use_data_dir` once, before any stage runs; stages ask :func:`cache_dir` for their folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CACHE_KINDS = ("hub", "index", "registry", "yaml")
"""The caches riskcheck keeps, one sub-folder each. Every cache is an optimisation: deleting
any of them costs time on the next run, never a wrong answer."""

_chosen: Path | None = None


def use_data_dir(path: Path | None) -> None:
    """Make ``path`` the data folder of this run (``None``: back to the environment/default)."""
    global _chosen
    _chosen = Path(path).expanduser() if path is not None else None


@contextmanager
def data_dir_in_use(path: Path | None) -> Iterator[None]:
    """:func:`use_data_dir` for the length of a ``with`` block (the Python API's calls)."""
    global _chosen
    before = _chosen
    if path is not None:
        use_data_dir(path)
    try:
        yield
    finally:
        _chosen = before


def _explicit(data_dir: Path | None) -> Path | None:
    if data_dir is not None:
        return Path(data_dir).expanduser()
    if _chosen is not None:
        return _chosen
    override = os.environ.get("RISKCHECK_DATA_DIR")
    return Path(override).expanduser() if override else None


def data_dir(path: Path | None = None) -> Path:
    """The data folder: ``path``, else the run's ``--data-dir``, else ``RISKCHECK_DATA_DIR``,
    else the per-user data folder of riskcheck."""
    explicit = _explicit(path)
    if explicit is not None:
        return explicit
    import platformdirs

    return platformdirs.user_data_path("riskcheck")


def cache_root(data_dir: Path | None = None) -> Path:
    """The folder holding every cache: ``<data-dir>/cache`` when a data folder was chosen
    (``data_dir``, ``--data-dir`` or ``RISKCHECK_DATA_DIR``), else the per-user cache folder."""
    explicit = _explicit(data_dir)
    if explicit is not None:
        return explicit / "cache"
    import platformdirs

    return platformdirs.user_cache_path("riskcheck")


def cache_dir(kind: str, data_dir: Path | None = None) -> Path:
    """The folder of one cache (:data:`CACHE_KINDS`) under :func:`cache_root`."""
    if kind not in CACHE_KINDS:
        raise ValueError(f"unknown cache {kind!r}")
    return cache_root(data_dir) / kind
