"""The vendor registry: who publishes, owns, re-uploads and serves AI models, kept as data.

Each organisation is one YAML file under ``lists/vendors/`` (fields documented in that folder's
README.md). :func:`load_registry` reads and validates them all and returns a :class:`Registry`
whose look-ups the resolver uses: by Hugging Face org, Ollama name, OpenRouter prefix, LiteLLM
provider, API host, model-name family, vendor API model name and organisation name.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from riskcheck.errors import DataError
from riskcheck.model import Organisation
from riskcheck.resolution.name_patterns import PatternIndex
from riskcheck.resolution.registry.files import read_registry
from riskcheck.resolution.registry.records import ApiHost, FamilyRule, RegistryModel, VendorRecord

__all__ = [
    "ApiHost", "FamilyRule", "RegistryModel", "VendorRecord", "Registry", "load_registry",
    "normalise_name",
]


ParentStep = tuple[Organisation, tuple[str, ...], "float | None", str]
"""(ancestor, path of ids from the start to it, effective ownership or None, relation)."""


def normalise_name(text: str) -> str:
    """Key for name look-ups: NFKC, casefolded, letters and digits only ("Z.ai" -> "zai")."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


class Registry:
    """Every organisation of the vendor registry, indexed for the resolver's look-ups."""

    def __init__(self, records: tuple[VendorRecord, ...], countries: dict[str, str]) -> None:
        self._records = {record.id: record for record in records}
        self._countries = countries
        self._hf = {org.casefold(): r for r in records for org in r.hf_orgs}
        self._ollama = {name.casefold(): r for r in records for name in r.ollama}
        self._openrouter = {p.casefold(): r for r in records for p in r.openrouter}
        self._litellm = {p.casefold(): r for r in records for p in r.litellm}
        self._hosts = {h.host: h for r in records for h in r.api}
        self._families = PatternIndex((rule for r in records for rule in r.families),
                                      lambda rule: rule.pattern)
        self._families_of: dict[str, tuple[FamilyRule, ...]] = {}
        self._names: dict[str, VendorRecord] = {}
        # Earlier tiers win: an id or display name beats someone else's alias.
        for tier in _NAME_TIERS:
            for record in records:
                for name in tier(record):
                    self._names.setdefault(normalise_name(name), record)
        self._names.pop("", None)

    def get(self, org_id: str) -> VendorRecord | None:
        """The record with this registry id."""
        return self._records.get(org_id)

    def organisation(self, org_id: str) -> Organisation | None:
        """The organisation with this registry id."""
        record = self._records.get(org_id)
        return record.organisation if record else None

    def __iter__(self) -> Iterator[VendorRecord]:
        return iter(self._records.values())

    def __len__(self) -> int:
        return len(self._records)

    @property
    def countries(self) -> dict[str, str]:
        """ISO 3166-1 alpha-2 code -> English short name (a copy)."""
        return dict(self._countries)

    def country_name(self, code: str | None) -> str | None:
        """English short name of an ISO 3166-1 alpha-2 code, None when unknown."""
        return self._countries.get(code.upper()) if code else None

    def by_hf_org(self, org: str) -> VendorRecord | None:
        """The organisation publishing under this Hugging Face namespace (case-insensitive)."""
        return self._hf.get(org.strip().casefold())

    def by_ollama(self, name: str) -> VendorRecord | None:
        """The publisher of an Ollama library name (without tag; case-insensitive)."""
        return self._ollama.get(name.strip().casefold())

    def by_openrouter(self, prefix: str) -> VendorRecord | None:
        """The organisation behind an OpenRouter slug prefix (``z-ai`` of ``z-ai/glm-4.6``)."""
        return self._openrouter.get(prefix.strip().casefold())

    def by_litellm(self, provider: str) -> VendorRecord | None:
        """The organisation behind a LiteLLM provider prefix (``together_ai``, ``bedrock``)."""
        return self._litellm.get(provider.strip().casefold())

    def by_host(self, hostname: str) -> ApiHost | None:
        """The API host entry for a host name or URL: exact, else the longest parent domain."""
        host = _hostname(hostname)
        while host:
            entry = self._hosts.get(host)
            if entry is not None:
                return entry
            _, _, host = host.partition(".")
        return None

    def families_for(self, model_name: str) -> tuple[FamilyRule, ...]:
        """Every family rule matching the name, most specific first.

        Specific means: the match starts earlier (the head of a name is its own family; a
        later hit such as ``Qwen`` in ``DeepSeek-R1-Distill-Qwen-32B`` is an upstream hint),
        then the longer matched text, then the longer pattern.
        """
        known = self._families_of.get(model_name)
        if known is not None:  # the resolver asks about the same name several times
            return known
        hits: list[tuple[int, int, int, FamilyRule]] = []
        for rule in self._families.candidates(model_name):
            found = rule.pattern.search(model_name)
            if found:
                hits.append((found.start(), -len(found.group(0)), -len(rule.pattern.pattern), rule))
        hits.sort(key=lambda hit: hit[:3])
        known = self._families_of[model_name] = tuple(hit[3] for hit in hits)
        return known

    def by_api_model(self, name: str) -> VendorRecord | None:
        """The vendor whose API model names match ``name`` (longest match wins)."""
        best: tuple[int, VendorRecord] | None = None
        for record in self._records.values():
            for pattern in record.api_models:
                found = pattern.search(name.strip())
                if found and (best is None or len(found.group(0)) > best[0]):
                    best = (len(found.group(0)), record)
        return best[1] if best else None

    def by_name(self, text: str) -> VendorRecord | None:
        """The organisation known by this id, display name, legal/native name, alias or former name."""
        return self._names.get(normalise_name(text))

    def parent_chain(self, org_id: str) -> tuple[ParentStep, ...]:
        """Every ancestor of ``org_id`` breadth-first (nearest first), each once, cycle-safe.

        The effective ownership is the product of the shares along the path, or None as soon
        as one share on the path is unknown; the relation is that of the last edge. When an
        ancestor is reachable along several paths, the shortest is reported.
        """
        start = self._records.get(org_id)
        if start is None:
            return ()
        seen = {org_id}
        queue: deque[tuple[VendorRecord, tuple[str, ...], float | None]] = deque(
            [(start, (org_id,), 1.0)])
        steps: list[ParentStep] = []
        while queue:
            record, path, effective = queue.popleft()
            for edge in record.organisation.parents:
                parent = self._records.get(edge.parent_id)
                if parent is None or edge.parent_id in seen:
                    continue
                seen.add(edge.parent_id)
                share = (effective * edge.share
                         if effective is not None and edge.share is not None else None)
                new_path = (*path, edge.parent_id)
                steps.append((parent.organisation, new_path, share, _relation(edge.note)))
                queue.append((parent, new_path, share))
        return tuple(steps)


def path_verified(registry: Registry, path: tuple[str, ...]) -> bool:
    """True when every ownership edge along ``path`` (registry ids, child first) is verified."""
    for child_id, parent_id in zip(path, path[1:]):
        child = registry.get(child_id)
        edges = [e for e in child.organisation.parents if e.parent_id == parent_id] if child \
            else []
        if not edges or "(unverified)" in (edges[0].note or ""):
            return False
    return True


_NAME_TIERS = (
    lambda r: (r.id,),
    lambda r: (r.organisation.name,),
    lambda r: r.organisation.legal_names,
    lambda r: r.organisation.native_names,
    lambda r: r.organisation.aliases,
    lambda r: r.organisation.former_names,
)


def _relation(note: str | None) -> str:
    # Ownership.note starts with the relation word (see registry.records._ownership).
    return (note or "subsidiary").split(" ", 1)[0].split(";", 1)[0]


def _hostname(text: str) -> str:
    host = text.strip().lower()
    if "://" in host:
        host = host.split("://", 1)[1]
    host = host.split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1]
    if host.startswith("["):
        return ""
    return host.split(":", 1)[0].rstrip(".")


def load_registry(directory: Path | None = None) -> Registry:
    """Load and validate the registry in ``directory`` (default: the bundled lists/vendors).

    The default registry is loaded once per process. Raises :class:`DataError` naming the
    file and the problem for bad YAML, schema violations, dangling or cyclic parents and
    look-up keys claimed by two organisations.
    """
    if directory is None:
        return _load_default()
    return _load(Path(directory))


@functools.lru_cache(maxsize=1)
def _load_default() -> Registry:
    from riskcheck.data import lists_dir

    return _load(lists_dir() / "vendors")


def _load(directory: Path) -> Registry:
    if not directory.is_dir():
        raise DataError(f"vendor registry folder {directory} does not exist",
                        hint="pass the folder holding the <id>.yaml vendor files")
    countries, records = read_registry(directory)
    return Registry(records, countries)
