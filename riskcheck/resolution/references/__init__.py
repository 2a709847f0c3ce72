"""Parse a model reference, written the way real projects write it, into a :class:`ParsedRef`.

Syntaxes understood (the declared ``source`` of a manifest entry wins over guessing):

* Hugging Face ids ``org/name``, URLs ``https://huggingface.co/org/name[/tree|blob|resolve/...]``,
  ``hf.co/org/name[:QUANT]`` (Ollama pulls), ``hf://org/name`` (KServe), ``pkg:huggingface/...``
  purls and ModelScope URLs (``modelscope.cn/[models/]org/name[.git]``: same org/name pairs).
* Ollama tags ``name[:tag]``, ``library/name``, ``namespace/name:tag``, ``ollama.com/...`` URLs.
* OpenRouter slugs ``vendor/model[:free|:nitro|...]`` and ``openrouter.ai/...`` URLs.
* LiteLLM strings ``<provider>/<model>`` whose first segment names the serving provider; the
  rest is parsed again (HF id, OpenRouter slug, Bedrock id, vendor API name).
* Vendor API names (``deepseek-chat``) with a base URL; Bedrock ids (``us.meta.llama3-...``,
  served by AWS unless declared otherwise); Vertex/Fireworks resource paths
  (``publishers/google/models/...``, ``accounts/x/models/...``); cloud namespaces
  (``@cf/<org>/<model>``, lists/providers.yaml).
* ``<gateway>/<org>/<model>`` for a gateway riskcheck does not list, when ``<org>/<model>`` is a
  registry org's id; ``<cloud>/<model>`` where a registry host precedes another vendor's family;
  a cloud's own name in front of that family inside a LiteLLM string
  (``databricks/databricks-gemini-3-flash``).
* Local files and directories (``/srv/models/qwen2.5-3b-instruct-q4_k_m.gguf``).

The parser only reads syntax. Where syntax alone cannot tell an HF id from an OpenRouter slug,
an optional ``registry`` (anything with ``by_openrouter``/``by_hf_org``/``by_api_model``) breaks
the tie, and the road not taken is kept in :attr:`ParsedRef.alternative`.
"""

from __future__ import annotations

import re

from dataclasses import replace
from typing import Any, Protocol

from riskcheck.resolution.references.syntax import (
    BEDROCK_ID,
    BEDROCK_PUBLISHERS,
    CLOUD_NAMESPACES,
    FIREWORKS_PATH,
    LITELLM_PROVIDERS,
    OPENAI_COMPATIBLE,
    OPENROUTER_VARIANTS,
    PUBLISHER_RESOURCE,
    SELF_HOSTED_RUNTIMES,
    ParsedRef,
    RefKind,
    Syntax,
    hostname,
    looks_like_path,
    parse_bedrock,
    parse_hf_id,
    parse_local,
    parse_ollama,
    parse_openrouter,
    parse_url,
)

__all__ = ["LITELLM_PROVIDERS", "OPENAI_COMPATIBLE", "OPENROUTER_VARIANTS", "SELF_HOSTED_RUNTIMES",
           "NamespaceLookup", "ParsedRef", "RefKind", "Syntax", "hostname", "parse_ref"]



class NamespaceLookup(Protocol):
    """The registry look-ups the parser may use to break ties (see module docstring)."""

    def by_openrouter(self, prefix: str) -> object | None: ...
    def by_hf_org(self, org: str) -> object | None: ...
    def by_api_model(self, name: str) -> object | None: ...
    def families_for(self, model_name: str) -> tuple[Any, ...]: ...


def parse_ref(text: str, *, source: str | None = None, provider: str | None = None,
              base_url: str | None = None, registry: NamespaceLookup | None = None) -> ParsedRef:
    """Parse ``text`` (plus what the manifest declares about it) into a :class:`ParsedRef`."""
    raw = text
    text = text.strip().strip("'\"`").strip()
    host = hostname(base_url)
    declared = (source or "").strip().lower() or None
    parsed = _parse(text, raw, declared, registry)
    wanted = (provider or "").strip().lower()
    if (parsed.kind == "litellm" and wanted and wanted != (parsed.provider or "").lower()
            and wanted in LITELLM_PROVIDERS and declared in (None, "litellm", "api")):
        # openai/gpt-oss-120b-maas declared with provider vertex_ai: the declared provider
        # serves the call and the first segment is the publisher (Vertex writes
        # <publisher>/<model>), not a second LiteLLM provider.
        parsed = _litellm(raw, wanted, text, registry)
    changes: dict[str, object] = {}
    written_as_url = raw.strip().lower().startswith(("http", "openrouter.ai/"))
    if host and (not parsed.host or (parsed.kind == "openrouter" and not written_as_url)):
        # A bare slug only implies OpenRouter; a declared base URL says where calls go.
        changes["host"] = host
    if provider and parsed.kind == "openrouter" and not host and not written_as_url:
        # A slug declared with its provider (vertex_ai, together) is called there, not on
        # OpenRouter.
        changes.update(provider=provider.strip(), host=None)
    elif provider and (not parsed.provider or parsed.kind == "api"):
        # A provider implied by an id's form (Bedrock ids, @cf/ ids) gives way to a declared one.
        changes["provider"] = provider.strip()
    if (host or provider or declared == "api") and parsed.api is None:
        changes["api"] = True
    if declared == "api" and parsed.kind == "unknown":
        changes.update(kind="api", syntax="api")
    if host and parsed.kind == "unknown":
        changes.update(kind="api", syntax="api")
    return replace(parsed, **changes) if changes else parsed


def _parse(text: str, raw: str, declared: str | None,
           registry: NamespaceLookup | None) -> ParsedRef:
    if not text:
        return ParsedRef(raw, "unknown", "")
    url = parse_url(text, raw)
    if url is not None:
        return url
    if declared is None and _latest_alias(text, registry):
        return parse_openrouter(raw, text)
    if declared in ("local", "local-file", "file", "path") or looks_like_path(text):
        return parse_local(raw, text)
    if declared in ("huggingface", "hf", "modelscope"):
        return parse_hf_id(raw, text, hub="modelscope" if declared == "modelscope" else None)
    if declared == "ollama":
        return parse_ollama(raw, text)
    if declared == "openrouter":
        return parse_openrouter(raw, text)
    cloud = _cloud_namespace(raw, text)
    if cloud is not None:
        return cloud
    first, _, rest = text.partition("/")
    if (rest and first.lower() in LITELLM_PROVIDERS and declared in (None, "litellm", "api")
            and (declared == "litellm" or _litellm_wins(first, rest, registry))):
        parsed = _litellm(raw, first.lower(), rest, registry)
        if (declared is None and registry is not None and "/" not in rest
                and registry.by_openrouter(first) is not None):
            # openai/gpt-4o, deepseek/deepseek-chat: a LiteLLM string for the vendor's own
            # API, or the same vendor's OpenRouter slug.
            parsed = replace(parsed, alternative="openrouter")
        return parsed
    parsed = _model_part(raw, text, registry)
    if parsed.kind == "unknown" and rest.count("/") >= 1 and declared in (None, "litellm", "api"):
        gateway = _unknown_gateway(raw, first, rest, registry)
        if gateway is not None:
            return gateway
    return parsed


_AZURE_SCOPES = frozenset({"eu", "us", "apac", "global", "us-gov", "global-standard",
                           "datazone", "data-zone", "speech"})
"""Segments LiteLLM's Azure model list puts before a model name (data zones, deployment types)."""


def _latest_alias(text: str, registry: NamespaceLookup | None) -> bool:
    """``~openai/gpt-latest``: OpenRouter's alias for a vendor's latest model, not a path in
    a user's home directory (the vendor is a known OpenRouter prefix and nothing else follows)."""
    found = re.fullmatch(r"~([a-z0-9][a-z0-9-]*)/([A-Za-z0-9][\w.:-]*)", text)
    return (found is not None and registry is not None and not looks_like_path(text[1:])
            and registry.by_openrouter(found.group(1)) is not None)


def _cloud_namespace(raw: str, text: str) -> ParsedRef | None:
    """``@cf/<org>/<model>`` (Cloudflare Workers AI): the org publishes, the cloud serves."""
    for prefix, provider in CLOUD_NAMESPACES:
        if text.lower().startswith(prefix):
            org, _, name = text[len(prefix):].partition("/")
            if org and name and "/" not in name:
                return ParsedRef(raw, "api", name, org=org, provider=provider, syntax="bedrock",
                                 api=True)
    return None


def _unknown_gateway(raw: str, first: str, rest: str,
                     registry: NamespaceLookup | None) -> ParsedRef | None:
    """``<gateway>/<org>/<model>`` for a gateway riskcheck does not list: the rest is read as a
    model reference when it is one a registry org publishes (an HF id or OpenRouter slug)."""
    if registry is None or not _plain_segment(first):
        return None
    inner = _cloud_namespace(raw, rest) or _model_part(raw, rest, registry)
    known = inner.org and (registry.by_hf_org(inner.org) is not None
                           or registry.by_openrouter(inner.org) is not None)
    if inner.kind not in ("huggingface", "openrouter", "api") or not known:
        namespace, _, name = rest.partition("/")
        if (name and "/" not in name and ":" not in name and _plain_segment(name)
                and registry.families_for(name)):
            # pinstripes/ps/minimax-m2.7, openinfer/@oi/Qwen3.5-9B: the gateway's own
            # namespace before a model name of a known family; the name is the model (read as
            # a family pattern, so never with high confidence).
            return ParsedRef(raw, "litellm", name, provider=first, syntax="api", api=True)
        return None
    return replace(inner, kind="litellm", provider=first, api=True, host=None, alternative=None)


def _plain_segment(text: str) -> bool:
    """A path segment that can name a gateway (letters, digits, ``._-``)."""
    return bool(text) and all(ch.isalnum() or ch in "._-" for ch in text)


def _litellm_wins(first: str, rest: str, registry: NamespaceLookup | None) -> bool:
    """Whether ``first/rest`` is a LiteLLM string rather than an HF id or OpenRouter slug."""
    if "/" in rest:
        return True  # HF ids and OpenRouter slugs have exactly one slash
    name, _, variant = rest.partition(":")
    if variant.lower() in OPENROUTER_VARIANTS:
        return False
    if registry is not None and _exact_hf_org(registry, first):
        if first != first.lower():
            return False  # LiteLLM prefixes are lower case: Snowflake/... is the HF org
        # ``openai/whisper-large-v3`` is an HF repo, ``openai/gpt-4o`` an API model, and
        # ``cerebras/llama3.1-8b`` is Cerebras serving another vendor's model.
        if registry.by_api_model(name) is not None:
            return True
        own = getattr(registry.by_hf_org(first), "id", None)
        name = _own_prefix_stripped(first, name, registry)
        return any(rule.vendor_id != own for rule in registry.families_for(name))
    return True


def _exact_hf_org(registry: NamespaceLookup, org: str) -> bool:
    record = registry.by_hf_org(org)
    return record is not None and org in getattr(record, "hf_orgs", ())


def _litellm(raw: str, provider: str, rest: str, registry: NamespaceLookup | None) -> ParsedRef:
    if provider == "openrouter":
        inner = parse_openrouter(raw, rest)
    elif provider in ("ollama", "ollama_chat"):
        inner = parse_ollama(raw, rest)
    elif provider in ("bedrock", "bedrock_mantle", "sagemaker", "sagemaker_chat", "oci"):
        # OCI Generative AI names models like Bedrock: <publisher>.<model> (xai.grok-4).
        inner = parse_bedrock(raw, rest)
    elif provider in ("azure", "azure_ai") and rest.split("/", 1)[0].lower() in _AZURE_SCOPES:
        # azure/eu/gpt-5, azure/global-standard/gpt-4o: a deployment scope (data zone,
        # deployment type) in front of the model name.
        inner = _model_part(raw, rest.split("/", 1)[1], registry, inside_litellm=True)
    elif provider == "fal_ai" and rest.startswith("fal-ai/"):
        # fal_ai/fal-ai/<model>/<operation>: the model is the endpoint's first segment.
        inner = _model_part(raw, rest.split("/")[1], registry, inside_litellm=True)
    else:
        inner = (_cloud_namespace(raw, rest)
                 or _model_part(raw, _own_prefix_stripped(provider, rest, registry), registry,
                                inside_litellm=True))
    api = provider not in SELF_HOSTED_RUNTIMES
    # The provider prefix decides who serves the call; a host only ever comes from base_url.
    return replace(inner, kind="litellm", provider=provider, api=api, host=None)


def _own_prefix_stripped(provider: str, rest: str, registry: NamespaceLookup | None) -> str:
    """``databricks/databricks-gemini-3-flash``: a cloud writes its own name in front of another
    vendor's model; the model is what follows when that names a known family."""
    head = provider.split("_", 1)[0].lower()
    if registry is None or "/" in rest or not rest.lower().startswith(f"{head}-"):
        return rest
    remainder = rest[len(head) + 1:]
    return remainder if registry.families_for(remainder) else rest


def _model_part(raw: str, text: str, registry: NamespaceLookup | None, *,
                inside_litellm: bool = False) -> ParsedRef:
    """Parse what is left once the URL, path and LiteLLM forms are ruled out."""
    resource = PUBLISHER_RESOURCE.search(text)
    if resource:
        return ParsedRef(raw, "api", resource.group("name"), org=resource.group("org"),
                         syntax="bedrock")
    fireworks = FIREWORKS_PATH.match(text)
    if fireworks:
        org = fireworks.group("org")
        return ParsedRef(raw, "api", fireworks.group("name"),
                         org=None if org == "fireworks" else org, provider="fireworks_ai",
                         syntax="api", api=True)
    if text.startswith("models/") and text.count("/") == 1:
        # google-generativeai style "models/gemini-1.5-pro": a Gemini API model name
        return ParsedRef(raw, "api", text[7:], syntax="api", api=True)
    if "/" not in text:
        return _bare(raw, text, inside_litellm)
    if text.count("/") > 1:
        return ParsedRef(raw, "unknown", text)
    org, _, rest = text.partition("/")
    name, _, variant = rest.partition(":")
    if variant:
        if variant.lower() in OPENROUTER_VARIANTS or variant.lower().startswith("free"):
            return parse_openrouter(raw, text)
        if not inside_litellm:
            return parse_ollama(raw, text)  # "namespace/model:tag" is an Ollama user model
    if registry is not None and not inside_litellm:
        cloud = _cloud_in_front(raw, org, name, registry)
        if cloud is not None:
            return cloud
    if registry is not None and _is_openrouter_slug(org, name, registry):
        hf_too = _exact_hf_org(registry, org)
        parsed = parse_openrouter(raw, text)
        return replace(parsed, alternative="huggingface") if hf_too else parsed
    parsed = parse_hf_id(raw, text)
    if (registry is not None and parsed.kind == "huggingface" and text == text.lower()
            and registry.by_openrouter(org) is not None):
        return replace(parsed, alternative="openrouter")
    return parsed


def _cloud_in_front(raw: str, org: str, name: str, registry: NamespaceLookup) -> ParsedRef | None:
    """``<cloud>/<family>-k3``: a cloud (a registry host that is not an HF org) written in front
    of another vendor's model family serves that vendor's model."""
    if _exact_hf_org(registry, org) or registry.by_openrouter(org) is not None:
        return None
    lookup = getattr(registry, "get", None)
    record = (lookup(org) if lookup else None) or getattr(registry, "by_name", lambda _: None)(org)
    if record is None or getattr(getattr(record, "organisation", None), "kind", None) != "host":
        return None
    base = name.partition(":")[0]
    if not any(rule.vendor_id != record.id for rule in registry.families_for(base)):
        return None
    return ParsedRef(raw, "litellm", base, provider=record.id, syntax="api", api=True)


def _is_openrouter_slug(org: str, name: str, registry: NamespaceLookup) -> bool:
    # OpenRouter writes every slug in lower case. An org that is also an HF org spelled exactly
    # so stays an HF id (HF ids imply self-hosting) unless the registry shows that org naming
    # its repositories in mixed case (meta-llama/Llama-..., moonshotai/Kimi-...).
    slug = f"{org}/{name}"
    if slug != slug.lower() or registry.by_openrouter(org) is None:
        return False
    return not _exact_hf_org(registry, org) or _names_in_mixed_case(registry, org)


def _names_in_mixed_case(registry: NamespaceLookup, org: str) -> bool:
    models = getattr(registry.by_hf_org(org), "models", ())
    names = [m.id.split("/", 1)[1] for m in models if m.id.split("/", 1)[0] == org]
    return len(names) >= 2 and all(n != n.lower() for n in names)


def _bare(raw: str, text: str, inside_litellm: bool) -> ParsedRef:
    bedrock = BEDROCK_ID.match(text)
    if bedrock and bedrock.group("org") in BEDROCK_PUBLISHERS and "." in text:
        # A Bedrock model id is called on Bedrock: AWS serves it unless a provider or base
        # URL declared beside it says otherwise.
        return ParsedRef(raw, "api", bedrock.group("name"), org=bedrock.group("org"),
                         tag=bedrock.group("tag"), syntax="bedrock",
                         provider=None if inside_litellm else "bedrock",
                         api=None if inside_litellm else True)
    name, at, version = text.partition("@")  # Vertex: claude-3-5-sonnet@20240620
    if at:
        return ParsedRef(raw, "api", name, tag=version or None, syntax="api")
    if inside_litellm:
        return ParsedRef(raw, "api", text, syntax="api")
    name, colon, tag = text.partition(":")
    if colon:
        return ParsedRef(raw, "ollama", name.lower(), tag=tag or None, syntax="ollama", api=False)
    return ParsedRef(raw, "unknown", text)

