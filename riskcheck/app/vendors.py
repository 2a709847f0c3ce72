"""The registry use case: the organisations riskcheck knows, for a manifest's ``vendor:``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from riskcheck.errors import InputError


def vendors(query: str | None = None, *, lists: bool = True, data_dir: Path | None = None,
            bundled: bool = False) -> list[dict[str, Any]]:
    """Registry organisations whose id, names, aliases, HF orgs, Ollama names or OpenRouter
    prefixes contain ``query`` (case and punctuation ignored), id order; with ``lists``, each
    names the lists on which a listed entity matches its names (band match or review)."""
    from riskcheck.resolution.registry import load_registry, normalise_name

    registry = load_registry()
    wanted = normalise_name(query) if query is not None else ""
    if query is not None and not wanted:
        raise InputError("the QUERY is empty", hint="give part of a name, id or HF org")
    records = [r for r in registry if not wanted or any(
        wanted in normalise_name(text) for text in _keys(r))]
    if not records:
        raise InputError(f"no registry organisation matches {query!r}",
                         hint="run 'riskcheck vendors' without a QUERY to see them all")
    found = _lists(records, data_dir, bundled) if lists else None
    return [_row(record, registry, found) for record in sorted(records, key=lambda r: r.id)]


def _keys(record: Any) -> list[str]:
    org = record.organisation
    return [record.id, org.name, *org.legal_names, *org.native_names, *org.aliases,
            *record.hf_orgs, *record.ollama, *record.openrouter]


def _lists(records: list[Any], data_dir: Path | None,
           bundled: bool) -> dict[str, list[str]]:
    from riskcheck.lists.select import load_entities
    from riskcheck.match import batch
    from riskcheck.match.screener import NameScreener
    from riskcheck.paths import cache_dir

    entity_set = load_entities(data_dir, bundled=bundled)
    screener = NameScreener(batch.engine_for(entity_set, cache_dir("index", data_dir)))
    found: dict[str, list[str]] = {}
    for record in records:
        codes: dict[str, None] = {}
        for hit in screener.screen_organisation(record.organisation):
            if hit.band in ("match", "review"):
                codes.update(dict.fromkeys(hit.entity.lists))
        found[record.id] = sorted(codes)
    return found


def _row(record: Any, registry: Any, lists: dict[str, list[str]] | None) -> dict[str, Any]:
    org = record.organisation
    row: dict[str, Any] = {
        "id": record.id, "name": org.name, "kind": org.kind, "country": org.country,
        "legal_names": list(org.legal_names), "aliases": list(org.aliases),
        "parents": [edge.parent_id for edge in org.parents],
        "hf_orgs": list(record.hf_orgs), "ollama": list(record.ollama),
        "openrouter": list(record.openrouter),
    }
    if lists is not None:
        row["lists"] = lists.get(record.id, [])
    return row


__all__ = ["vendors"]
