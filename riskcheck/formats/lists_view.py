"""``riskcheck lists ...`` output: update and import outcomes, status, diff and search, as a
table or JSON (``schema_version`` 1)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from riskcheck.formats.console import render, table

SCHEMA_VERSION = 1

def _json(payload: dict[str, Any]) -> str:
    return json.dumps({"schema_version": SCHEMA_VERSION, **payload}, indent=2, ensure_ascii=False)


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], width: int,
           identifiers: Sequence[str] = (), title: str | None = None) -> str:
    text = render(table(headers, rows, width=width, identifiers=identifiers, simple=True),
                  width=width).rstrip()
    # The title is a plain line: a table title would wrap to the table's width.
    return (render(title, width=width) if title else "") + text + "\n"


def _outcome_json(outcome: Any) -> dict[str, Any]:
    version = outcome.version
    return {"source": outcome.source, "title": outcome.title, "status": outcome.status,
            "message": outcome.message, "previous_count": outcome.previous_count,
            "version": None if version is None else {
                "sha256": version.version, "record_count": version.record_count,
                "published": version.published, "fetched_at": version.fetched_at,
                "url": version.url}}


def outcomes(command: str, results: Sequence[Any], format_name: str, width: int) -> str:
    """What ``lists update`` / ``lists import`` did, per source."""
    if format_name == "json":
        return _json({"command": command, "outcomes": [_outcome_json(o) for o in results]})
    rows = []
    for outcome in results:
        version = outcome.version
        rows.append([outcome.source, outcome.status,
                     str(version.record_count) if version else "-",
                     (version.published or "-") if version else "-",
                     outcome.message.split(": ", 1)[-1]])
    return _table(["source", "result", "records", "published", "detail"], rows, width,
                  identifiers=["source"])


def status(entries: Sequence[dict[str, Any]], format_name: str, width: int) -> str:
    """``lists status``: each source's stored version, age and staleness."""
    if format_name == "json":
        return _json({"command": "lists status", "sources": list(entries)})
    rows = [[e["source"], e["state"] + ("" if e["enabled"] else " (disabled)")
             + ("; new version refused" if e.get("refused") else ""),
             "-" if e["age_days"] is None else f"{e['age_days']:g}d",
             "-" if e["max_age_days"] is None else f"{e['max_age_days']}d",
             "-" if e["record_count"] is None else str(e["record_count"]),
             _as_of(e), (e["fetched_at"] or "-")[:16].replace("T", " "),
             (e["sha256"] or "-")[:12]] for e in entries]
    text = _table(["source", "state", "age", "max age", "records", "data as of", "fetched",
                   "version"], rows, width, identifiers=["source"])
    notes = [e["refused"] for e in entries if e.get("refused")]
    if notes:
        text = text.rstrip("\n") + "\n" + render(*notes, width=width)
    return text


def _as_of(entry: dict[str, Any]) -> str:
    """What a stored version is as of: ``published D``, else ``newest listing D``."""
    if entry.get("published"):
        return f"published {entry['published']}"
    if entry.get("newest_listing"):
        return f"newest listing {entry['newest_listing']}"
    return "-"


def entity_json(entity: Any) -> dict[str, Any]:
    """A listed entity as the ``lists`` commands' JSON shows it."""
    return {"source_id": entity.source_id, "name": entity.name, "lists": list(entity.lists),
            "programs": list(entity.programs), "countries": list(entity.countries),
            "aliases": [alias.name for alias in entity.aliases], "listed_on": entity.listed_on,
            "removed_on": entity.removed_on}


def diff(result: Any, format_name: str, width: int) -> str:
    """``lists diff``: entries added, removed and changed between two stored versions."""
    old, new = result.old, result.new
    if format_name == "json":
        span = {side: {"fetched_at": v.fetched_at, "published": v.published,
                       "sha256": v.sha256, "record_count": v.record_count}
                for side, v in (("old", old), ("new", new))}
        return _json({"command": "lists diff", "source": result.source, **span,
                      "added": [entity_json(e) for e in result.added],
                      "removed": [entity_json(e) for e in result.removed],
                      "changed": [{**entity_json(c.new), "fields": list(c.fields)}
                                  for c in result.changed]})
    rows = ([["added", e.source_id, e.name, ", ".join(e.lists), ""] for e in result.added]
            + [["removed", e.source_id, e.name, ", ".join(e.lists), ""] for e in result.removed]
            + [["changed", c.new.source_id, c.new.name, ", ".join(c.new.lists),
                ", ".join(c.fields)] for c in result.changed])
    title = (f"{result.source}: {old.fetched_at[:10]} ({old.record_count}) -> "
             f"{new.fetched_at[:10]} ({new.record_count}): {len(result.added)} added, "
             f"{len(result.removed)} removed, {len(result.changed)} changed")
    return _table(["change", "id", "name", "lists", "fields"], rows, width, identifiers=["id"],
                  title=title)


def search(result: Any, format_name: str, width: int) -> str:
    """``lists search``: the stored entries that match one name."""
    found = result.hits
    if format_name == "json":
        return _json({"command": "lists search", "query": result.query,
                      "country": result.country,
                      "versions": [{"source": v.source, "sha256": v.version,
                                    "published": v.published, "fetched_at": v.fetched_at,
                                    "stale": v.stale} for v in result.versions],
                      "results": [{**entity_json(r.entity), "source": r.entity.source,
                                   "score": round(r.score, 4), "band": r.band,
                                   "status": r.status,
                                   "matched_name": r.explanation.matched_name,
                                   "explanation": r.explanation.alignment,
                                   "qualifiers": list(r.explanation.qualifiers)}
                                  for r in found]})
    rows = [[f"{r.score:.2f}", r.band or "-", r.entity.name, r.explanation.matched_name,
             ", ".join(r.entity.lists), f"{r.entity.source}:{r.entity.source_id}", r.status]
            for r in found]
    title = (f"{len(found)} result(s) for {result.query!r} in {result.entity_count} listed "
             "entries")
    return _table(["score", "band", "listed name", "matched", "lists", "entry", "status"], rows,
                  width, identifiers=["entry"], title=title)
