"""Why an organisation's exposure reaches a model, and how much of it does.

The model's own vendor counts fully. A parent counts by how much of the vendor it owns. An
upstream vendor (the model is its fine-tune, quantisation, merge ...) passes exposure on as
*inherited*, weighted by the policy's ``lineage_weight``.
"""

from __future__ import annotations

from riskcheck.model import Party, Policy

PARENT_MAJORITY = 1.0
PARENT_UNKNOWN_SHARE = 0.9
PARENT_MINORITY = 0.6
"""Weights of a parent's exposure: owns >= 50%, share unknown, owns < 50%. docs/scoring.md."""

ROLE_ORDER = ("vendor", "parent", "upstream", "upstream-parent", "serving", "serving-parent")
"""Most direct role first: an organisation in several roles is scored once, in its first."""

RELATION_TEXT = {
    "quantized": "a quantisation of",
    "finetune": "a fine-tune of",
    "distilled-from": "distilled from",
    "merge": "a merge including",
    "adapter": "an adapter on",
    "reupload": "a re-upload of",
}

KIND_BY_ROLE = {
    "vendor": "list-match",
    "parent": "parent-list-match",
    "upstream": "upstream-list-match",
    "upstream-parent": "upstream-list-match",
    "serving": "serving-list-match",
    "serving-parent": "serving-list-match",
}


def role_phrase(party: Party, name: str | None = None) -> str:
    """How a summary names the party: ``parent company Sberbank`` (``name`` overrides); a
    party reached through an ownership link the registry marks unverified says so."""
    phrase = _role_phrase(party, name or party.organisation.name)
    if not party.verified:
        phrase += " (ownership link unverified)"
    return phrase


def _role_phrase(party: Party, name: str) -> str:
    if party.role == "vendor":
        return f"vendor {name}"
    if party.role == "parent":
        return f"parent company {name}"
    if party.role == "upstream":
        relation = RELATION_TEXT.get(party.relation, f"{party.relation} of")
        what = f" (this model is {relation} {party.upstream_model})" if party.upstream_model \
            else ""
        return f"upstream vendor {name}{what}"
    if party.role == "upstream-parent":
        return f"upstream vendor's parent company {name}"
    if party.role == "serving":
        return f"API host {name}"
    return f"API host's parent company {name}"


def role_rank(role: str) -> int:
    """Position of ``role`` in :data:`ROLE_ORDER` (unknown roles last)."""
    return ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)


def is_inherited(party: Party) -> bool:
    """True for exposure that comes through the model's lineage."""
    return party.role in ("upstream", "upstream-parent")


def role_factor(party: Party, policy: Policy) -> list[tuple[float, str]]:
    """The weights for the party's role: lineage and ownership, each with a reason."""
    factors: list[tuple[float, str]] = []
    if is_inherited(party):
        factors.append((policy.lineage_weight,
                        "inherited through the model's lineage (policy lineage_weight)"))
    if party.role in ("parent", "upstream-parent", "serving-parent"):
        factors.append(parent_factor(party))
    return factors


def parent_factor(party: Party) -> tuple[float, str]:
    """Weight of a parent's exposure from the known ownership share along its path."""
    path = " -> ".join(party.path) if party.path else party.organisation.id
    if not party.verified:
        path += " (a link on it unverified)"
    if party.ownership is None:
        return PARENT_UNKNOWN_SHARE, f"ownership share unknown along {path}"
    share = f"{party.ownership:.0%}"
    if party.ownership >= 0.5:
        return PARENT_MAJORITY, f"owns {share} (majority) along {path}"
    return PARENT_MINORITY, f"owns {share} (minority) along {path}"
