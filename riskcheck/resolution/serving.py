"""The serving party: who receives the data when a model is called through an API.

The vendor's own API (first party) and a third-party host (Together, Fireworks, Groq, Bedrock,
Azure, OpenRouter ...) are told apart from, in order: the base URL's host, the LiteLLM provider
prefix or declared provider, the OpenRouter slug. A host maps to the *legal entity* operating it
and the country where data is processed, which can differ per region of one brand (Zhipu's
``open.bigmodel.cn`` is run by its Beijing company, ``api.z.ai`` by a Singapore one; Moonshot's
``.cn`` and ``.ai`` APIs likewise). Local and private hosts and LiteLLM's local runtimes mean
self-hosting: nobody else serves the call.
"""

from __future__ import annotations

from dataclasses import dataclass

from riskcheck.local_hosts import is_local_host
from riskcheck.model import ServingParty
from riskcheck.resolution.providers import load_providers
from riskcheck.resolution.references.syntax import GATEWAYS
from riskcheck.resolution.references import OPENAI_COMPATIBLE, SELF_HOSTED_RUNTIMES, ParsedRef
from riskcheck.resolution.registry import ApiHost, Registry, VendorRecord

# Where a LiteLLM provider sends calls when no api_base is set, for providers whose regions are
# run by different legal entities; and names a manifest may declare for its own machines
# (lists/providers.yaml).
LITELLM_DEFAULT_HOSTS = load_providers().default_hosts
DECLARED_SELF_HOSTED = load_providers().declared_self_hosted
"""Provider names a manifest may declare that mean "our own machines"."""


@dataclass(frozen=True)
class ServingOutcome:
    """The serving party (None when self-hosted or unknown) and what was concluded on the way."""

    serving: ServingParty | None
    self_hosted: bool
    notes: tuple[str, ...] = ()


def determine_serving(parsed: ParsedRef, vendor_id: str | None, registry: Registry, *,
                      api_usage: bool) -> ServingOutcome:
    """Who serves ``parsed`` when it is called as an API (see module docstring)."""
    if parsed.host:
        if any(mark in parsed.host for mark in "${}%<>"):
            return ServingOutcome(None, False, (
                f"base URL {parsed.host!r} is an unexpanded template: serving party unknown",))
        return _from_host(parsed.host, vendor_id, registry)
    provider = (parsed.provider or "").strip()
    if provider:
        key = provider.lower()
        if key in SELF_HOSTED_RUNTIMES or key in DECLARED_SELF_HOSTED:
            return ServingOutcome(None, True, (f"LiteLLM provider {key}: weights run locally",))
        if key in OPENAI_COMPATIBLE and not _is_vendor(registry, "openai", vendor_id):
            return ServingOutcome(None, False, (
                (f"{key}/ only names the OpenAI wire protocol: the serving party is whoever "
                 "runs the base URL; set base_url to record it"),))
        return _from_provider(key, vendor_id, registry)
    if api_usage and vendor_id and parsed.syntax in ("api", "unknown"):
        # Vendor API names (deepseek-chat, gpt-4o) are served by their vendor unless a base
        # URL says otherwise; an HF id called "as an API" could be hosted by anyone.
        return _first_party_default(vendor_id, registry)
    if api_usage:
        return ServingOutcome(None, False, (
            "API use but neither base URL nor provider given: serving party unknown",))
    return ServingOutcome(None, True)


def _from_host(host: str, vendor_id: str | None, registry: Registry) -> ServingOutcome:
    if is_local_host(host):
        return ServingOutcome(None, True, (f"base URL host {host} is local or private: self-hosted",))
    entry = registry.by_host(host)
    if entry is None:
        return ServingOutcome(None, False, (
            f"base URL host {host} is not in the vendor registry: serving party unknown",))
    return ServingOutcome(_party(entry, host, vendor_id, registry), False,
                          (f"base URL host {host} is operated by {entry.entity_id}",))


def _from_provider(key: str, vendor_id: str | None, registry: Registry) -> ServingOutcome:
    outcome = _from_provider_entity(key, vendor_id, registry)
    if key in GATEWAYS and key != "openrouter":
        note = (f"provider {key} is a gateway: it passes each call on to an upstream host of its "
                "choosing, which sees the data too")
        return ServingOutcome(outcome.serving, outcome.self_hosted, (*outcome.notes, note))
    return outcome


def _from_provider_entity(key: str, vendor_id: str | None, registry: Registry) -> ServingOutcome:
    default_host = LITELLM_DEFAULT_HOSTS.get(key)
    if default_host:
        entry = registry.by_host(default_host)
        if entry is not None:
            return ServingOutcome(_party(entry, default_host, vendor_id, registry), False, (
                f"provider {key} calls {default_host} unless api_base says otherwise",))
    record = provider_record(key, registry)
    if record is None:
        return ServingOutcome(None, False, (
            f"serving provider {key!r} is not in the vendor registry: serving party unknown",))
    hosts = _by_entity(record.api)
    if len(hosts) == 1:
        entity, entries = next(iter(hosts.items()))
        return ServingOutcome(_entity_party(entity, entries, vendor_id, registry), False,
                              (f"provider {key} is served by {entity}",))
    notes = ((f"provider {key} operates several regional entities "
              f"({', '.join(sorted(hosts))}); set base_url to pick one"),) if hosts else ()
    first_party = _is_vendor(registry, record.id, vendor_id)
    return ServingOutcome(ServingParty(record.organisation, None, None, first_party), False, notes)


def _first_party_default(vendor_id: str, registry: Registry) -> ServingOutcome:
    record = registry.get(vendor_id)
    hosts = _by_entity(record.api) if record else {}
    if len(hosts) == 1:
        entity, entries = next(iter(hosts.items()))
        party = _entity_party(entity, entries, vendor_id, registry)
        return ServingOutcome(party, False, (
            f"no base URL given: assumed {vendor_id}'s own API ({party.host or entity})",))
    if hosts:
        return ServingOutcome(None, False, (
            (f"no base URL given and {vendor_id} runs APIs through several entities "
             f"({', '.join(sorted(hosts))}); set base_url"),))
    return ServingOutcome(None, False, (
        "API use but no base URL or provider given: serving party unknown",))


def provider_record(key: str, registry: Registry) -> VendorRecord | None:
    """The registry organisation behind a LiteLLM or declared provider name, if known."""
    # LiteLLM spells one provider several ways: azure_text, cohere_chat, vertex_ai_beta,
    # text-completion-codestral all name the same company as their base word.
    base = key.removeprefix("text-completion-")
    for suffix in ("_text", "_chat", "_beta"):
        base = base.removesuffix(suffix)
    variants = (key, key.replace("-", "_"), f"{key}_ai", key.removesuffix("_ai"), base,
                f"{base}_ai")
    for variant in variants:
        record = registry.by_litellm(variant)
        if record is not None:
            return record
    return registry.get(key) or registry.by_name(key)


def _by_entity(hosts: tuple[ApiHost, ...]) -> dict[str, list[ApiHost]]:
    grouped: dict[str, list[ApiHost]] = {}
    for host in hosts:
        grouped.setdefault(host.entity_id, []).append(host)
    return grouped


def _entity_party(entity: str, entries: list[ApiHost], vendor_id: str | None,
                  registry: Registry) -> ServingParty:
    """One entity behind several hosts: a host and data country only when they are certain."""
    countries = {entry.data_country for entry in entries}
    party = _party(entries[0], entries[0].host, vendor_id, registry)
    return ServingParty(party.organisation, entries[0].host if len(entries) == 1 else None,
                        countries.pop() if len(countries) == 1 else None, party.first_party)


def _party(entry: ApiHost, host: str, vendor_id: str | None, registry: Registry) -> ServingParty:
    organisation = registry.organisation(entry.entity_id) or registry.organisation(entry.vendor_id)
    assert organisation is not None, "the registry loader rejects hosts of unknown entities"
    first_party = vendor_id is not None and (
        entry.vendor_id == vendor_id or _is_vendor(registry, entry.entity_id, vendor_id))
    return ServingParty(organisation, host, entry.data_country, first_party)


def _is_vendor(registry: Registry, org_id: str, vendor_id: str | None) -> bool:
    """Whether ``org_id`` is the model's vendor or one of the vendor's owners."""
    if vendor_id is None:
        return False
    if org_id == vendor_id:
        return True
    return any(org_id == step[0].id for step in registry.parent_chain(vendor_id))
