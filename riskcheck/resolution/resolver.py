"""The registry resolver: a model reference -> every organisation whose exposure it inherits.

Steps: parse the reference (``references``), identify the vendor and upstream vendors
(``identification``: registry keys, ``lists/lineage.yaml``, the Hub's ``base_model`` chain,
model-family names),
determine the serving party for API use (``serving``), then add every owner of each of them
from the registry's parent chains. Parties come out in this order: ``vendor`` (the original
publisher, relation ``publisher``), its ``parent`` chain, ``upstream`` vendors (lineage relation
and ``upstream_model``; a known re-uploader is an upstream party with relation ``quantized`` or
``reupload``), their ``upstream-parent`` chains, then ``serving`` and ``serving-parent``.

Usage: LiteLLM provider strings, OpenRouter slugs, a base URL and vendor API model names imply
API use; HF ids, Ollama tags and local files imply self-hosting unless the manifest says
otherwise. A reference nothing recognises is ``unresolved`` with ``tried`` and a ``hint``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from riskcheck.model import ModelRef, Organisation, Party, Resolution, ServingParty
from riskcheck.resolution.hub import HubClient
from riskcheck.resolution.identification import Identifier
from riskcheck.resolution.identification.record import Identity
from riskcheck.resolution.interface import Resolver
from riskcheck.resolution.lineage import Lineage, load_lineage, strip_variant_suffixes
from riskcheck.resolution.references import ParsedRef, parse_ref
from riskcheck.resolution.registry import Registry, load_registry
from riskcheck.local_hosts import is_local_base_url, local_base_url_note
from riskcheck.resolution.serving import determine_serving

OVERRIDE_HINT = ("add `vendor: <registry id>` to this model in riskcheck.yaml (`riskcheck vendors "
                 "QUERY` lists the ids)")


class RegistryResolver(Resolver):
    """Resolves references with the vendor registry, curated lineage and (optionally) the Hub."""

    def __init__(self, registry: Registry, lineage: Lineage, hub: HubClient | None = None,
                 *, allow_vendor_overrides: bool = False) -> None:
        self.registry = registry
        self.lineage = lineage
        self.hub = hub
        self.allow_vendor_overrides = allow_vendor_overrides
        """Honour a manifest ``vendor:`` that contradicts a confident identification (the
        operator policy's ``allow_vendor_overrides``); otherwise the identification wins."""
        self._identifier = Identifier(registry, lineage, hub)
        self._known: dict[str, str] | None = None
        self._families: dict[str, str] = {}

    def parse(self, ref: ModelRef) -> ParsedRef:
        """Parse ``ref`` as the resolver reads it, honouring its declared usage."""
        parsed = parse_ref(ref.id, source=ref.source, provider=ref.provider,
                           base_url=ref.base_url, registry=self.registry)
        if (parsed.alternative and parsed.kind != "litellm" and not ref.source
                and not ref.base_url and not ref.provider):
            wanted = {"self-hosted": "huggingface", "api": "openrouter"}.get(ref.usage)
            if wanted == parsed.alternative:
                parsed = parse_ref(ref.id, source=wanted, registry=self.registry)
        return parsed

    def run_warnings(self) -> tuple[str, ...]:
        """One warning when the Hub could not be reached and the run went on offline."""
        if self.hub is not None and self.hub.unreachable:
            return (f"{self.hub.unreachable}: the run went on offline (registry, curated "
                    "lineage and the Hub cache only); use --offline or HF_HUB_OFFLINE=1 to "
                    "skip the attempt",)
        return ()

    def resolve_all(self, refs: Iterable[ModelRef]) -> Iterator[Resolution]:
        """Resolve many references, fetching their Hub metadata concurrently first."""
        batch = list(refs)
        if self.hub is not None and not self.hub.offline and len(batch) > 1:
            parsed = [self.parse(ref) for ref in batch if not ref.vendor_override]
            self.hub.prefetch(sorted({p.model_id for p in parsed
                                      if p.syntax == "huggingface" and p.org}))
        for ref in batch:
            yield self.resolve(ref)

    def resolve(self, ref: ModelRef) -> Resolution:
        """Resolve one reference; never raises for an unknown model."""
        parsed = self.parse(ref)
        conflict = None
        if ref.vendor_override:
            found = self._override(ref.vendor_override)
            if found.vendor is not None:
                found, conflict = self._check_override(parsed, found)
        else:
            found = self._identifier.identify(parsed)
        tried = [_describe(parsed)]
        if parsed.alternative:
            tried.append(f"{parsed.raw!r} is also valid as {parsed.alternative}; declare source "
                         "or usage if it is meant that way")
        tried.extend(found.tried)
        api_usage = ref.usage == "api" or (ref.usage == "unknown" and (
            parsed.api is True or (found.api_name and parsed.api is None)))
        serving = None
        candidates: tuple[Organisation, ...] = ()
        if ref.base_url and is_local_base_url(ref.base_url):
            tried.append(local_base_url_note(ref.base_url) if ref.usage != "api" else
                         f"{local_base_url_note(ref.base_url)}; usage: api kept as declared")
        if ref.usage != "self-hosted" and (api_usage or parsed.host or parsed.provider):
            outcome = determine_serving(parsed, found.vendor, self.registry, api_usage=api_usage)
            tried.extend(outcome.notes)
            serving = outcome.serving
            serving, candidates = self._ambiguous(parsed, serving, tried)
        elif (ref.usage == "unknown" and parsed.kind == "huggingface"
              and parsed.alternative == "openrouter" and not parsed.host):
            # google/gemma-3-27b-it: weights run locally, or the same text is sent to
            # OpenRouter as a slug.
            router = self.registry.organisation("openrouter")
            candidates = (router,) if router else ()
            tried.append("serving ambiguous: self-hosted (a Hugging Face id) or OpenRouter (the "
                         "same text is an OpenRouter slug); declare usage or base_url to say "
                         "which")
        if found.vendor is None:
            return Resolution(ref=ref, status="unresolved", serving=serving,
                              parties=self._serving_parties(serving), tried=tuple(tried),
                              hint=self._hint(parsed), serving_candidates=candidates)
        if (found.confidence == "high" and not ref.vendor_override
                and parsed.syntax in ("huggingface", "openrouter")):
            typo = self._misspelt(parsed.name)
            if typo:
                found.cap("medium")
                tried.append(f"{parsed.name!r} is no model name riskcheck knows but a small letter "
                             f"edit from {typo}: misspelt? {found.vendor} rests on the org "
                             f"{parsed.org} alone")
        elif found.confidence == "medium" and any("rests on the org" in t for t in found.tried):
            guesses = self.suggest(parsed.name)
            if guesses:
                tried.append(f"did you mean {' or '.join(guesses)}?")
        if parsed.provider and parsed.provider.lower() in ("azure", "azure_ai", "azure_text"):
            found.cap("medium")
            tried.append("Azure deployment names are chosen by the deployer; the model behind "
                         "it is inferred from the name")
        return Resolution(
            ref=ref, status="resolved", family=found.family, canonical_id=found.canonical_id,
            parties=self._parties(found) + self._serving_parties(serving), serving=serving,
            method=found.method, confidence=found.confidence, tried=tuple(tried),
            override_conflict=conflict, serving_candidates=candidates)

    # -- helpers -------------------------------------------------------------------------------

    def _ambiguous(self, parsed: ParsedRef, serving: ServingParty | None, tried: list[str]
                   ) -> tuple[ServingParty | None, tuple[Organisation, ...]]:
        """The serving party and its candidates when the reference alone cannot tell who
        serves it: ``openai/gpt-4o`` is a LiteLLM string for OpenAI's own API or an OpenRouter
        slug; a bare OpenRouter slug is OpenRouter's unless another gateway re-uses it."""
        if parsed.host:
            return serving, ()
        router = self.registry.organisation("openrouter")
        if parsed.kind == "litellm" and parsed.alternative == "openrouter":
            named = [o for o in (serving.organisation if serving else None, router) if o]
            tried.append("serving ambiguous: " + " or ".join(o.name for o in named) + " (a "
                         "LiteLLM string for the vendor's API and an OpenRouter slug are written "
                         "alike; the LiteLLM reading is shown); set base_url to say which")
            return serving, tuple(named)
        if parsed.kind == "openrouter" and parsed.provider == "openrouter" and serving:
            tried.append("serving assumed OpenRouter from the slug's syntax; other gateways "
                         "re-use OpenRouter slugs: set base_url to confirm")
            return serving, (serving.organisation,)
        return serving, ()

    def _override(self, vendor_id: str) -> Identity:
        found = Identity()
        if self.registry.get(vendor_id) is None:
            found.tried.append(f"vendor override {vendor_id!r} is not a registry id")
            return found
        found.vendor, found.method, found.confidence = vendor_id, "override", "high"
        found.tried.append(f"vendor set by the manifest: {vendor_id}")
        return found

    def _check_override(self, parsed: ParsedRef, override: Identity) -> tuple[Identity, str | None]:
        """The identity to use when the manifest names a vendor, and the registry vendor it
        contradicts (None when the two agree, are in one corporate family, or the registry is
        not confident)."""
        identified = self._identifier.identify(parsed)
        named, found = override.vendor or "", identified.vendor
        if found is None or identified.confidence != "high" or found == named:
            return override, None
        family = {found, *(p.organisation.id for p in self._ancestors(found, "parent"))}
        if named in family or found in {p.organisation.id for p in self._ancestors(named, "parent")}:
            return override, None
        if self.allow_vendor_overrides:
            override.tried.append(f"the registry identifies {found} (high confidence); the "
                                  f"manifest's vendor {named} is honoured: the operator policy "
                                  "sets allow_vendor_overrides")
            return override, found
        identified.tried.append(f"the manifest's vendor {named} contradicts the registry's "
                                f"confident identification ({found}): {found} is assessed; only "
                                "the operator policy's allow_vendor_overrides honours it")
        return identified, found

    def _parties(self, found: Identity) -> tuple[Party, ...]:
        parties: list[Party] = []
        vendor = self.registry.organisation(found.vendor or "")
        if vendor is None:
            return ()
        parties.append(Party(vendor, "vendor", "publisher"))
        parties.extend(self._ancestors(vendor.id, "parent"))
        upstream = list(found.upstream)
        if found.reuploader and found.reuploader[0] != vendor.id:
            upstream.append(found.reuploader)
        for org_id, relation, model in upstream:
            organisation = self.registry.organisation(org_id)
            if organisation is None:
                continue
            parties.append(Party(organisation, "upstream", relation, upstream_model=model))
            parties.extend(self._ancestors(org_id, "upstream-parent"))
        return _dedupe(parties)

    def _serving_parties(self, serving: object) -> tuple[Party, ...]:
        organisation = getattr(serving, "organisation", None)
        if organisation is None:
            return ()
        return (Party(organisation, "serving", "api-host"),
                *self._ancestors(organisation.id, "serving-parent"))

    def _ancestors(self, org_id: str, role: str) -> list[Party]:
        from riskcheck.resolution.registry import path_verified

        return [Party(parent, role, relation, path=path, ownership=share,  # type: ignore[arg-type]
                      verified=path_verified(self.registry, path))
                for parent, path, share, relation in self.registry.parent_chain(org_id)]

    def _hint(self, parsed: ParsedRef) -> str:
        guesses = self.suggest(parsed.raw)
        hint = self._plain_hint(parsed)
        return f"did you mean {' or '.join(guesses)}? Otherwise {hint}" if guesses else hint

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Known names close to ``text`` (registry Ollama names, model ids, lineage names and
        aliases; a family name for the head of the name), for did-you-mean hints."""
        import difflib

        if self._known is None:
            names = [n for r in self.registry for n in (*r.ollama, *(m.id for m in r.models))]
            names += [m.id.split("/", 1)[1] for r in self.registry for m in r.models
                      if "/" in m.id]
            names += list(self.lineage.known_names())
            self._known = {n.casefold(): n for n in names}
            self._families = {rule.family.casefold(): rule.family for r in self.registry
                              for rule in r.families}
        query = text.strip().strip("'\"`")
        base, colon, tag = query.partition(":")
        found = difflib.get_close_matches(base.casefold(), self._known, n=limit, cutoff=0.85)
        if not found and "/" in base:
            name = base.rsplit("/", 1)[1]
            found = difflib.get_close_matches(name.casefold(), self._known, n=limit, cutoff=0.85)
        guesses = [self._known[f] + (f":{tag}" if colon and "/" not in f else "") for f in found]
        head, dash, rest = base.rsplit("/", 1)[-1].partition("-")
        family = difflib.get_close_matches(head.casefold(), self._families, n=1, cutoff=0.8)
        if not guesses and family and family[0] != head.casefold():
            guesses.append(family[0] + dash + rest + (f":{tag}" if colon else "")
                           + f" (the {self._families[family[0]]} family)")
        return [g for g in guesses if g.casefold() != query.casefold()][:limit]

    def _misspelt(self, name: str) -> str | None:
        """The known name ``name`` most likely misspells (letters swapped, dropped or added,
        digits untouched), or None when ``name`` is known or close to nothing."""
        import difflib

        self.suggest("")  # builds the name index
        assert self._known is not None
        base = strip_variant_suffixes(name).base.casefold()
        if base in self._known or name.casefold() in self._known:
            return None
        for close in difflib.get_close_matches(base, self._known, n=3, cutoff=0.85):
            if "/" in close:
                continue
            changed = [base[i1:i2] + close[j1:j2] for op, i1, i2, j1, j2
                       in difflib.SequenceMatcher(None, base, close).get_opcodes() if op != "equal"]
            text = "".join(changed)
            if text and len(text) <= 4 and text.isalpha():
                return self._known[close]
        return None

    def _plain_hint(self, parsed: ParsedRef) -> str:
        if parsed.provider and parsed.provider.lower().startswith("azure"):
            return (f"Azure deployment names do not say which model they serve: {OVERRIDE_HINT}")
        if parsed.syntax == "huggingface" and (self.hub is None or self.hub.offline):
            return f"{OVERRIDE_HINT}, or run online so the Hub's base_model can be read"
        return OVERRIDE_HINT


def _describe(parsed: ParsedRef) -> str:
    if parsed.kind == "litellm":
        return f"LiteLLM string: provider {parsed.provider}, model {parsed.model_id}"
    if parsed.kind == "unknown" and parsed.name and "/" not in parsed.name:
        return f"bare name {parsed.name!r} (Ollama library, vendor API or short name)"
    return f"{parsed.kind} reference {parsed.model_id!r}" + (
        f" tag {parsed.tag}" if parsed.tag else "")


def _dedupe(parties: list[Party]) -> tuple[Party, ...]:
    seen: set[tuple[str, str]] = set()
    kept: list[Party] = []
    for party in parties:
        key = (party.organisation.id, party.role)
        if key not in seen:
            seen.add(key)
            kept.append(party)
    return tuple(kept)


def build_resolver(*, offline: bool = True, cache_dir: Path | None = None,
                   registry_dir: Path | None = None,
                   allow_vendor_overrides: bool = False) -> Resolver:
    """The standard resolver: bundled registry and lineage, plus a Hub client.

    ``cache_dir`` is riskcheck's cache folder (default :func:`riskcheck.paths.cache_root`);
    Hub metadata is kept in its ``hub`` sub-folder. ``offline=True`` reads only
    that cache. ``registry_dir`` points at another vendor registry folder (custom registries).
    """
    hub = HubClient(cache_dir=Path(cache_dir) / "hub" if cache_dir else None, offline=offline)
    return RegistryResolver(load_registry(registry_dir), load_lineage(), hub,
                            allow_vendor_overrides=allow_vendor_overrides)


__all__ = ["RegistryResolver", "build_resolver"]
