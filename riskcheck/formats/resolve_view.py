"""``riskcheck resolve`` output: who made and serves each model (table or JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from riskcheck.formats.console import render, table
from riskcheck.formats.facts import serving_status


def render_resolutions(resolutions: Sequence[Any], format_name: str, width: int) -> str:
    """Resolutions as ``resolve`` prints them."""
    if format_name == "json":
        return json.dumps({"schema_version": "1",
                           "resolutions": [resolution_to_dict(r) for r in resolutions]},
                          indent=2, ensure_ascii=False)
    return _table(list(resolutions), width)


def resolution_to_dict(resolution: Any) -> dict[str, Any]:
    """A :class:`~riskcheck.model.Resolution` as stable snake_case JSON."""
    ref, serving = resolution.ref, resolution.serving
    return {
        "reference": {"id": ref.id, "source": ref.source, "usage": ref.usage,
                      "provider": ref.provider, "base_url": ref.base_url},
        "status": resolution.status,
        "vendor": resolution.vendor.id if resolution.vendor else None,
        "countries": list(resolution.countries),
        "family": resolution.family,
        "canonical_id": resolution.canonical_id,
        "method": resolution.method,
        "confidence": resolution.confidence,
        "parties": [{
            "id": p.organisation.id, "name": p.organisation.name, "role": p.role,
            "relation": p.relation, "country": p.organisation.country,
            "path": list(p.path), "ownership": p.ownership, "upstream_model": p.upstream_model,
        } for p in resolution.parties],
        "serving": None if serving is None else {
            "id": serving.organisation.id, "name": serving.organisation.name,
            "host": serving.host, "data_country": serving.data_country,
            "first_party": serving.first_party,
        },
        "serving_status": serving_status(resolution),
        "serving_candidates": [{"id": o.id, "name": o.name, "country": o.country}
                               for o in resolution.serving_candidates],
        "tried": list(resolution.tried),
        "hint": resolution.hint,
    }


def _table(resolutions: list[Any], width: int) -> str:
    rows: list[list[str]] = []

    def add_row(*cells: str) -> None:
        rows.append(list(cells))

    notes: list[str] = []
    for res in resolutions:
        if res.status == "unresolved":
            add_row(res.ref.id, "UNRESOLVED", "", "", _serving(res), "")
            notes.append(f"{res.ref.id}: unresolved; tried: {'; '.join(res.tried)}; "
                         f"hint: {res.hint}")
            continue
        vendor = res.vendor
        upstream = [f"{_org(p)} ({p.relation}{', ' + p.upstream_model if p.upstream_model else ''})"
                    for p in res.parties if p.role == "upstream"]
        owners = [_owner(p) for p in res.parties if p.role in ("parent", "upstream-parent")]
        how = f"{res.method}, {res.confidence}" + (f"\n{res.canonical_id}"
                                                    if res.canonical_id else "")
        add_row(res.ref.id, _org_text(vendor), "\n".join(upstream) or "-",
                      "\n".join(owners) or "-", _serving(res), how)
    made = table(["Model", "Vendor", "Upstream", "Owners", "Serving", "How"], rows, width=width,
                 identifiers=["Model", "How"], lines=True)
    return render(made, *(" ".join(note.split()) for note in notes), width=width)


def _org(party: Any) -> str:
    return _org_text(party.organisation)


def _org_text(organisation: Any) -> str:
    return f"{organisation.name} [{organisation.country or '??'}]"


def _owner(party: Any) -> str:
    share = f", {party.ownership:.0%}" if party.ownership is not None else ""
    return f"{_org(party)} ({party.relation} via {' > '.join(party.path)}{share})"


def _serving(resolution: Any) -> str:
    serving = resolution.serving
    if serving is None and resolution.serving_candidates:
        return ("AMBIGUOUS: self-hosted, or sent to "
                + " or ".join(o.name for o in resolution.serving_candidates))
    if serving is None:
        return "self-hosted / not an API call" if resolution.status == "resolved" else "-"
    where = serving.data_country or "data country unknown"
    who = "first party" if serving.first_party else "third party"
    owners = [_owner(p) for p in resolution.parties if p.role == "serving-parent"]
    head = f"{serving.organisation.name} ({serving.host or 'host unknown'}, {where}, {who})"
    if len(resolution.serving_candidates) > 1:
        head = ("AMBIGUOUS without a base URL: "
                + " or ".join(o.name for o in resolution.serving_candidates) + "\n" + head)
    return "\n".join([head, *owners])
