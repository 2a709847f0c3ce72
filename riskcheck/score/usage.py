"""How a model is used decides who you deal with and where its inputs go.

Calling a vendor's own API is a transaction with that vendor and sends your data to its
country. Running its open weights on your own hardware is neither: the listing is then about
provenance. Through a third-party API host you deal with the host, not the vendor. When usage is
unknown both may apply, and the policy's ``unknown`` weight decides how much that counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from riskcheck.model import Party, Policy, Resolution
from riskcheck.local_hosts import is_local_base_url, local_base_url_note

UPSTREAM_ROLES = ("upstream", "upstream-parent")
SERVING_ROLES = ("serving", "serving-parent")


@dataclass(frozen=True)
class UsageView:
    """Who a model's use deals with and where its inputs go."""

    usage: str
    """``api``, ``self-hosted`` or ``unknown`` as declared."""
    vendor_dealt_with: str
    """``yes`` (vendor's own API), ``no`` (self-hosted or third-party host), ``maybe`` (unknown)."""
    data_country: str | None
    """Country model inputs go to (API or unknown usage); None when unknown or not sent."""
    data_party: str | None
    """Registry id of the organisation that receives the inputs."""
    data_party_name: str | None
    sends_data: str
    """``yes``, ``no`` or ``maybe``."""
    statement: str
    """One line saying which applies, for the model's details."""


def usage_view(resolution: Resolution) -> UsageView:
    """What the model's declared usage and serving party imply."""
    ref = resolution.ref
    vendor = resolution.vendor
    serving = resolution.serving
    vendor_name = vendor.name if vendor else "the vendor"
    if ref.usage == "self-hosted":
        why = (f"{local_base_url_note(ref.base_url)}; " if ref.base_url
               and is_local_base_url(ref.base_url) else "")
        return UsageView("self-hosted", "no", None, None, None, "no",
                         f"{why}self-hosted: open weights run on your own hardware; no transaction "
                         f"with {vendor_name} and no data sent to it")
    if ref.usage == "api":
        if serving is not None and not serving.first_party:
            host = serving.organisation
            country = serving.data_country or host.country
            return UsageView("api", "no", country, host.id, host.name, "yes",
                             f"API via {host.name}: a transaction with the host, inputs go to "
                             f"{country or 'an unknown country'}; {vendor_name} is not paid "
                             f"or sent data")
        if serving is not None:
            country = serving.data_country or serving.organisation.country
            return UsageView("api", "yes", country, serving.organisation.id,
                             serving.organisation.name, "yes",
                             f"API of {vendor_name} itself: a transaction with the vendor, inputs "
                             f"go to {country or 'an unknown country'}")
        country = vendor.country if vendor else None
        where = country or "an unknown country"
        return UsageView("api", "yes", country, vendor.id if vendor else None,
                         vendor.name if vendor else None, "yes",
                         f"API with an unknown host: assumed to be {vendor_name}'s own API "
                         f"(a transaction with the vendor, inputs to {where})")
    country = None
    party = None
    if serving is not None:
        country = serving.data_country or serving.organisation.country
        party = serving.organisation
    elif vendor is not None:
        country, party = vendor.country, vendor
    return UsageView("unknown", "maybe", country, party.id if party else None,
                     party.name if party else None, "maybe",
                     f"usage unknown: may be an API call to {vendor_name} (a transaction, inputs "
                     f"to {country or 'an unknown country'}) or self-hosted weights; declare "
                     f"'usage' in the manifest to score it exactly")


def _weight(policy: Policy, key: str) -> float:
    return dict(policy.usage_weights).get(key, 1.0)


def usage_factor(view: UsageView, party: Party, policy: Policy) -> tuple[float, str]:
    """Weight of a finding about ``party`` for how the model is used, with its reason."""
    if party.role in SERVING_ROLES:
        return _weight(policy, "api"), "API host: calling it is a transaction with it"
    if party.role in UPSTREAM_ROLES:
        return (_weight(policy, "self-hosted"),
                "upstream vendor: its weights are the base of this model; no transaction with it")
    if view.vendor_dealt_with == "yes":
        return _weight(policy, "api"), "API of the vendor itself: a transaction with the vendor"
    if view.vendor_dealt_with == "maybe":
        return _weight(policy, "unknown"), "usage unknown: may be a transaction with the vendor"
    if view.usage == "api":
        return (_weight(policy, "self-hosted"),
                "served by a third-party host: provenance only, no transaction with the vendor")
    return (_weight(policy, "self-hosted"),
            "self-hosted open weights: provenance only, no transaction with the vendor")
