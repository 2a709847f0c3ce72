"""riskcheck: screen the AI models a project depends on for sanctions and export-control risk.

The Python API (documented in docs/api.md, semantic-versioned) runs the same code as the
command line, with the same defaults::

    import riskcheck

    report = riskcheck.check("riskcheck.yaml", offline=True)
    print(report.level.label, report.failed)

Errors are :class:`riskcheck.errors.RiskcheckError` (``InputError``: bad input, exit code 2;
``DataError``: list data missing, stale or corrupt, exit code 3), with a one-line message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from riskcheck.model import ModelRef, Report, Resolution

__version__ = "0.1.0"


def check(path: str | Path, *, offline: bool = False, data_dir: str | Path | None = None,
          policy: str | Path | None = None, fail_on: str | None = None, bundled: bool = False,
          max_list_age: int | None = None, scan: bool = True, include_docs: bool = False,
          fail_on_undeclared: bool = False) -> Report:
    """Check a project as ``riskcheck check PATH`` does and return its report.

    ``path`` is a riskcheck.yaml or a project folder (its manifest is checked and its code
    scanned for undeclared models). ``policy`` is the operator's policy file or a preset name
    (``default``, ``strict``, ``permissive``); ``fail_on`` a level name overriding the
    policy's. ``report.failed`` is what the command's exit code 1 means. In CI (``CI`` set),
    stored lists older than 7 days raise :class:`~riskcheck.errors.DataError`, as on the
    command line.
    """
    from pathlib import Path

    from riskcheck.app.check import check as run
    from riskcheck.paths import data_dir_in_use

    folder = Path(data_dir) if data_dir is not None else None
    with data_dir_in_use(folder):
        return run(Path(path), fail_on=fail_on, bundled=bundled, max_list_age=max_list_age,
                   data_dir=folder, offline=offline, scan=scan, include_docs=include_docs,
                   fail_on_undeclared=fail_on_undeclared,
                   policy_file=Path(policy) if policy is not None else None)


def resolve(refs: Sequence[str | ModelRef], *, offline: bool = False,
            data_dir: str | Path | None = None, usage: str = "unknown",
            base_url: str | None = None, provider: str | None = None) -> list[Resolution]:
    """Resolve model references (as a project writes them) to vendor, lineage, owners and
    serving party, as ``riskcheck resolve`` does. ``usage``: self-hosted, api or unknown."""
    from pathlib import Path

    from riskcheck.app.resolve import resolve as run
    from riskcheck.paths import data_dir_in_use

    folder = Path(data_dir) if data_dir is not None else None
    with data_dir_in_use(folder):
        return run(list(refs), offline=offline, data_dir=folder, usage=usage, base_url=base_url,
                   provider=provider)


def screen(names: Sequence[str], *, country: str | None = None,
           data_dir: str | Path | None = None, bundled: bool = False,
           threshold: float | None = None, limit: int = 10) -> list[Any]:
    """Screen organisation names against the lists, as ``riskcheck screen`` does: one result
    per name (``.query``, ``.hits``; each hit has ``.entity``, ``.score``, ``.band``,
    ``.explanation``). ``country`` (a code or a name) applies to every name."""
    from pathlib import Path

    from riskcheck.app.screen import name_query
    from riskcheck.app.screen import screen as run
    from riskcheck.paths import data_dir_in_use

    folder = Path(data_dir) if data_dir is not None else None
    with data_dir_in_use(folder):
        queries = [name_query(name, country) for name in names]
        return list(run(queries, data_dir=folder, bundled=bundled, threshold=threshold,
                        limit=limit, jobs=1).results)


def update_lists(sources: Sequence[str] | None = None, *, data_dir: str | Path | None = None,
                 offline: bool = False, accept_shrink: bool = False,
                 timeout: float | None = None) -> list[Any]:
    """Download, check and store the official lists, as ``riskcheck lists update`` does; one
    outcome per source (``.source``, ``.status``, ``.failed``, ``.message``, ``.version``).
    A failed source keeps its previous version and does not raise: check ``.failed``."""
    from pathlib import Path

    from riskcheck.app.lists import update as run
    from riskcheck.paths import data_dir_in_use

    folder = Path(data_dir) if data_dir is not None else None
    with data_dir_in_use(folder):
        return run(list(sources) if sources else None, data_dir=folder, offline=offline,
                   accept_shrink=accept_shrink, timeout=timeout)


__all__ = ["__version__", "check", "resolve", "screen", "update_lists"]
