"""The screening use case: organisation names in, listed entities that match them out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskcheck.errors import InputError
from riskcheck.progress import NULL_PROGRESS, Progress


@dataclass(frozen=True)
class ScreenResult:
    """Per name, its hits; with the lists screened against and the lowest score reported."""

    results: tuple[Any, ...]
    """One :class:`riskcheck.match.batch.NameResult` per name, in the order given."""
    entity_set: Any
    threshold: float

    @property
    def hit(self) -> bool:
        """True when any name has a hit at or above the threshold."""
        return any(result.hits for result in self.results)


def read_names(path: Path) -> list[Any]:
    """The names (and countries) of a CSV or JSON file of names to screen."""
    from riskcheck.match.batch import read_names as read

    return read(path)


def name_query(name: str, country: str | None = None) -> Any:
    """One name to screen; ``country`` is a code or a name (CN, China)."""
    from riskcheck.match.batch import NameQuery, country_argument

    if not name.strip():
        raise InputError("the NAME is empty", hint="give the organisation's name")
    return NameQuery(name.strip(), country_argument(country, "--country"))


def screen(names: Sequence[Any], *, data_dir: Path | None = None, bundled: bool = False,
           threshold: float | None = None, limit: int = 10, jobs: int | None = None,
           progress: Callable[[], AbstractContextManager[Progress]] | None = None,
           ) -> ScreenResult:
    """Screen ``names`` (strings, or queries from :func:`name_query` / :func:`read_names`)
    against the stored lists (the bundled snapshot when none are stored, or with ``bundled``).
    ``threshold`` defaults to the review band; ``jobs`` worker processes for long inputs.
    ``progress`` opens a progress display; it is started after the worker pool forks."""
    from contextlib import nullcontext

    from riskcheck.lists.select import load_entities
    from riskcheck.match import batch
    from riskcheck.match.features import MatchConfig
    from riskcheck.paths import cache_dir

    queries = [name_query(item) if isinstance(item, str) else item for item in names]
    entity_set = load_entities(data_dir, bundled=bundled)
    engine = batch.engine_for(entity_set, cache_dir("index", data_dir))
    floor = threshold if threshold is not None else MatchConfig().review_threshold
    with batch.screening_pool(engine, jobs or batch.default_jobs(), len(queries)) as pool:
        with (progress() if progress is not None else nullcontext(NULL_PROGRESS)) as shown:
            results = batch.screen_names(engine, queries, threshold=floor, limit=limit,
                                         pool=pool, progress=shown)
    return ScreenResult(tuple(results), entity_set, floor)


__all__ = ["ScreenResult", "name_query", "read_names", "screen"]
