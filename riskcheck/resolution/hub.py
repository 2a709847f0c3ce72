"""A small Hugging Face Hub client: model metadata and ``base_model`` lineage, cached on disk.

``GET {endpoint}/api/models/{repo_id}`` returns the repository's metadata; riskcheck reads
``id``, ``author``, ``cardData.base_model`` (a string or a list), ``cardData.base_model_relation``
and the Hub's own ``base_model:<relation>:<id>`` tags. Answers are cached as JSON files (one per
repository, written atomically) for ``ttl``; "not found" answers are cached too. With
``offline=True`` only the cache is read, even when stale. Network trouble never raises: the
lookup comes back ``unavailable`` with a note, and the resolver carries on without the Hub.

The endpoint is ``RISKCHECK_HF_ENDPOINT``, else ``HF_ENDPOINT``, else https://huggingface.co.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from riskcheck.resolution.lineage import RELATIONS, LineageStep

DEFAULT_ENDPOINT = "https://huggingface.co"
DEFAULT_TTL_SECONDS = 7 * 24 * 3600
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*$")
_TAG = re.compile(r"^base_model:(?:(?P<relation>[a-z_-]+):)?(?P<id>[\w.-]+/[\w.-]+)$")


@dataclass(frozen=True)
class HubModel:
    """The part of a Hub model record riskcheck uses."""

    id: str
    author: str | None
    bases: tuple[tuple[str, str | None], ...] = ()
    """(base model id, relation or None when the Hub does not say)."""


@dataclass(frozen=True)
class HubLookup:
    """The answer for one repository: found, missing (404), or unavailable (with why)."""

    status: Literal["found", "missing", "unavailable"]
    model: HubModel | None = None
    note: str = ""


@dataclass(frozen=True)
class HubLineage:
    """A model's ancestry as declared on the Hub."""

    root: HubLookup
    steps: tuple[LineageStep, ...] = ()
    models: tuple[HubModel, ...] = ()
    notes: tuple[str, ...] = ()


def default_endpoint() -> str:
    """The Hub endpoint from the environment (see module docstring)."""
    for variable in ("RISKCHECK_HF_ENDPOINT", "HF_ENDPOINT"):
        value = os.environ.get(variable, "").strip()
        if value:
            return value.rstrip("/")
    return DEFAULT_ENDPOINT


def default_timeout() -> tuple[float, float]:
    """(connect, read) seconds: 5 and 20, each capped by ``RISKCHECK_DOWNLOAD_TIMEOUT``.

    The same variable limits list downloads; a value that is not a positive number of seconds
    is ignored here (the list commands reject it with a usage error).
    """
    connect, read = 5.0, 20.0
    try:
        cap = float(os.environ.get("RISKCHECK_DOWNLOAD_TIMEOUT", "") or "nan")
    except ValueError:
        return connect, read
    if cap > 0:  # False for nan
        return min(connect, cap), min(read, cap)
    return connect, read


def default_cache_dir() -> Path:
    """The Hub answers' cache folder (:func:`riskcheck.paths.cache_dir`)."""
    from riskcheck.paths import cache_dir

    return cache_dir("hub")


def parse_model(data: dict[str, Any]) -> HubModel | None:
    """Read a Hub ``/api/models/{id}`` JSON document; None when it has no usable id."""
    model_id = data.get("id") or data.get("modelId")
    if not isinstance(model_id, str) or not _REPO_ID.match(model_id):
        return None
    card = data.get("cardData") if isinstance(data.get("cardData"), dict) else {}
    declared = card.get("base_model")
    declared_ids = [declared] if isinstance(declared, str) else (
        declared if isinstance(declared, list) else [])
    card_relation = card.get("base_model_relation")
    relations: dict[str, str | None] = {}
    for base in declared_ids:
        if isinstance(base, str) and _REPO_ID.match(base.strip()):
            relations[base.strip()] = card_relation if isinstance(card_relation, str) else None
    for tag in data.get("tags") or ():
        found = _TAG.match(tag) if isinstance(tag, str) else None
        if found:
            base, relation = found.group("id"), found.group("relation")
            if relations.get(base) is None:
                relations[base] = relation
    author = data.get("author") if isinstance(data.get("author"), str) else None
    bases = tuple((base, rel) for base, rel in relations.items()
                  if base.casefold() != model_id.casefold())
    return HubModel(model_id, author or model_id.split("/", 1)[0], bases)


class HubClient:
    """Reads model metadata from the Hub with retries, timeouts and an on-disk cache."""

    def __init__(self, *, endpoint: str | None = None, cache_dir: Path | None = None,
                 ttl_seconds: float = DEFAULT_TTL_SECONDS, offline: bool = False,
                 timeout: tuple[float, float] | None = None, retries: int = 3,
                 backoff_factor: float = 0.5, clock: Callable[[], float] = time.time) -> None:
        self.endpoint = (endpoint or default_endpoint()).rstrip("/")
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.ttl_seconds = ttl_seconds
        self.offline = offline
        self.timeout = timeout if timeout is not None else default_timeout()
        self._retries = retries
        self._backoff = backoff_factor
        self._clock = clock
        self._session: Any = None
        self._memo: dict[str, HubLookup] = {}
        self._down = ""

    @property
    def unreachable(self) -> str:
        """Why the Hub was found unreachable during this run ("" while it answers)."""
        return self._down

    def model(self, repo_id: str) -> HubLookup:
        """The Hub's record of ``repo_id`` (memoised per client)."""
        key = repo_id.casefold()
        if key not in self._memo:
            self._memo[key] = self._lookup(repo_id)
        return self._memo[key]

    def prefetch(self, repo_ids: list[str], workers: int = 8) -> None:
        """Fetch the lineage of many repositories concurrently, filling the cache and memo.

        Later :meth:`lineage` calls then answer from memory; failures are remembered the same
        way (as ``unavailable`` lookups), so nothing here raises.
        """
        if self.offline or len(repo_ids) < 2:
            return
        from concurrent.futures import ThreadPoolExecutor

        self._http()  # one shared session, created before the threads start
        # One request first: when the Hub cannot be reached, the rest are never tried.
        first = next((r for r in repo_ids if self._read_cache(r) is None), None)
        if first is not None:
            self.lineage(first)
        if self._down:
            return
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            list(pool.map(self.lineage, repo_ids))

    def lineage(self, repo_id: str, max_depth: int = 6) -> HubLineage:
        """Follow ``base_model`` breadth-first from ``repo_id`` (depth-capped, cycle-safe)."""
        root = self.model(repo_id)
        steps: list[LineageStep] = []
        models: list[HubModel] = []
        notes: list[str] = [root.note] if root.note else []
        seen = {repo_id.casefold()}
        frontier = [root.model] if root.model else []
        for depth in range(max_depth):
            following: list[HubModel] = []
            for current in frontier:
                models.append(current)
                for base, relation in current.bases:
                    if base.casefold() in seen:
                        continue
                    seen.add(base.casefold())
                    # A card may say anything; the Hub's own vocabulary, else a fine-tune.
                    known = relation if relation in RELATIONS else "finetune"
                    steps.append(LineageStep(current.id, base, known, "hub"))
                    found = self.model(base)
                    if found.model is not None:
                        following.append(found.model)
                    elif found.note:
                        notes.append(found.note)
            frontier = following
            if frontier and depth == max_depth - 1:
                notes.append(f"hub lineage of {repo_id} cut at depth {max_depth}")
        return HubLineage(root, tuple(steps), tuple(models), tuple(notes))

    # -- cache -------------------------------------------------------------------------------

    def _cache_path(self, repo_id: str) -> Path:
        digest = hashlib.sha256(f"{self.endpoint}\n{repo_id.casefold()}".encode()).hexdigest()
        readable = re.sub(r"[^\w.-]", "_", repo_id.casefold())[:80]
        return self.cache_dir / f"{readable}--{digest[:16]}.json"

    def _read_cache(self, repo_id: str) -> tuple[HubLookup, float] | None:
        try:
            stored = json.loads(self._cache_path(repo_id).read_text(encoding="utf-8"))
            fetched_at = float(stored["fetched_at"])
            if stored["status"] == "missing":
                return HubLookup("missing", note=f"{repo_id}: not on the Hub (cached)"), fetched_at
            model = parse_model(stored["record"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent or unreadable: treated as not cached, rewritten on success
        if model is None:
            return None
        return HubLookup("found", model), fetched_at

    def _write_cache(self, repo_id: str, status: str, record: dict[str, Any] | None) -> None:
        from riskcheck.files import write_cache

        payload = {"repo_id": repo_id, "endpoint": self.endpoint, "fetched_at": self._clock(),
                   "status": status, "record": record}
        # A read-only cache only costs a repeated request next time.
        write_cache(self._cache_path(repo_id), json.dumps(payload))

    # -- network -----------------------------------------------------------------------------

    def _lookup(self, repo_id: str) -> HubLookup:
        if not _REPO_ID.match(repo_id):
            return HubLookup("unavailable", note=f"{repo_id}: not a Hub repository id")
        cached = self._read_cache(repo_id)
        if cached is not None:
            lookup, fetched_at = cached
            fresh = self._clock() - fetched_at < self.ttl_seconds
            if fresh or self.offline:
                stale = "" if fresh else f"{repo_id}: Hub metadata from a stale cache (offline)"
                return HubLookup(lookup.status, lookup.model, lookup.note or stale)
        if self.offline:
            return HubLookup("unavailable", note=f"{repo_id}: offline and not in the Hub cache")
        if self._down:
            # One unreachable Hub is enough: retrying it for every model would stall a run.
            return HubLookup("unavailable",
                             note=f"{repo_id}: offline: not looked up online ({self._down})")
        return self._fetch(repo_id)

    def _fetch(self, repo_id: str) -> HubLookup:
        import requests

        url = f"{self.endpoint}/api/models/{quote(repo_id, safe='/')}"
        try:
            response = self._http().get(url, timeout=self.timeout)
        except requests.RequestException as exc:
            self._down = f"Hub not reachable ({type(exc).__name__})"
            return HubLookup("unavailable", note=f"{repo_id}: offline: not looked up online "
                             f"({self._down})")
        if response.status_code in (401, 404):
            # The Hub answers 401 for repositories that do not exist or are private.
            self._write_cache(repo_id, "missing", None)
            return HubLookup("missing", note=f"{repo_id}: not on the Hub")
        if response.status_code != 200:
            return HubLookup("unavailable",
                             note=f"{repo_id}: Hub answered HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError:
            return HubLookup("unavailable", note=f"{repo_id}: Hub answer was not JSON")
        model = parse_model(data) if isinstance(data, dict) else None
        if model is None:
            return HubLookup("unavailable", note=f"{repo_id}: Hub answer had no model id")
        record = {"id": model.id, "author": model.author, "cardData": _card_subset(data),
                  "tags": [t for t in data.get("tags") or () if isinstance(t, str)
                           and t.startswith("base_model:")]}
        self._write_cache(repo_id, "found", record)
        return HubLookup("found", model)

    def _http(self) -> Any:
        if self._session is None:
            from riskcheck.http import session

            # A connection that cannot be made at all (no route, no name resolution, refused)
            # means no network: retrying it with backoff only stalls an offline run, and the
            # first failure switches the client offline. Reads and 5xx answers are retried;
            # a long Retry-After would stall the whole run, so backoff is bounded instead.
            self._session = session(purpose="model metadata", retries=self._retries,
                                    connect_retries=0, backoff_factor=self._backoff,
                                    methods=frozenset({"GET"}), respect_retry_after=False)
        return self._session


def _card_subset(data: dict[str, Any]) -> dict[str, Any]:
    card = data.get("cardData") if isinstance(data.get("cardData"), dict) else {}
    return {key: card[key] for key in ("base_model", "base_model_relation") if key in card}
