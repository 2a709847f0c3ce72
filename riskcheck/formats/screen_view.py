"""``riskcheck screen`` output: per name, the listed entities that match it (table, JSON, CSV)."""

from __future__ import annotations

from typing import Any

from riskcheck.formats.console import render, table

FORMATS = ("table", "json", "csv")


def render_screen(result: Any, format_name: str, width: int) -> str:
    """A :class:`riskcheck.app.screen.ScreenResult` in ``format_name``."""
    from riskcheck.match import batch

    if format_name == "json":
        return batch.render_json(list(result.results), result.entity_set, result.threshold)
    if format_name == "csv":
        return batch.render_csv(list(result.results))
    parts: list[Any] = []
    if result.entity_set.bundled:
        parts.append("Screened against the bundled snapshot (run 'riskcheck lists update' for "
                     "the full official lists).")
    for item in result.results:
        title = item.query.name + (f" ({item.query.country})" if item.query.country else "")
        if not item.hits:
            parts.append(f"{title}: no listed entity at or above the threshold")
            continue
        rows = []
        for hit in item.hits:
            why = hit.explanation.alignment
            if hit.explanation.qualifiers:
                why += "; " + "; ".join(hit.explanation.qualifiers)
            band = hit.band if hit.status == "current" else f"{hit.band} (formerly listed)"
            rows.append([f"{hit.score:.2f}", band, " ".join(hit.entity.lists), hit.entity.name,
                         hit.explanation.matched_name, why])
        parts.append(table(["score", "band", "lists", "listed name", "matched alias", "why"],
                           rows, width=width, title=title, identifiers=["lists"]))
    return render(*parts, width=width)
