"""Who made a model: its vendor, the upstream vendors it inherits from, and how sure we are.

Rules (documented here because the resolver's answers follow from them):

* **Publisher org.** An HF org, OpenRouter prefix, Ollama library name, Bedrock publisher or
  vendor API name found in the registry is the vendor (high confidence). Other vendors' weights
  in its lineage become ``upstream`` vendors: from the Hub's ``base_model`` chain when online,
  from ``lists/lineage.yaml``, else from other model families named in the model's name
  (``nvidia/Llama-3.1-Nemotron-70B`` -> Meta), which lowers confidence to medium.
* **Re-uploads.** When the org is a registry re-uploader (bartowski, unsloth, TheBloke,
  mlx-community, lmstudio-community, QuantFactory ...) or unknown, the vendor is the
  *original* publisher: the curated or Hub-declared original, else the family named first in the
  suffix-stripped name. ``canonical_id`` is the original model id when known. A known re-uploader
  is kept as an ``upstream`` party with relation ``quantized`` (a quantisation suffix was
  stripped) or ``reupload``, because the weights are downloaded from it; an unknown org is only
  named in ``tried``.
* **Renamed and named-after-base models.** A known model under a company's name
  (``<company>/<company>-bge-large-en``) is the company's re-host or fine-tune with the original
  as upstream; an Ollama name adding a known organisation to a base family
  (``llama3-groq-tool-use``) is that organisation's fine-tune; a word riskcheck cannot place
  beside a family (``samantha-mistral``) leaves the base's vendor and says a fine-tuner may be
  missing. An unknown model on a provider that serves only its own models (``own_models`` in
  lists/providers.yaml) is that provider's. All of these are medium.
* **Confidence.** high: exact registry key (HF org, Ollama name, OpenRouter prefix, Bedrock
  publisher, known API host), curated lineage, override. medium: a pattern decided the vendor or
  an upstream (model families; vendor API name patterns such as ``gpt-`` not confirmed by a base
  URL or provider), Hub metadata under an unknown org, Azure deployment names, a fine-tuner's
  model whose base is unknown, a name that says "distill"/"merge" without naming its base, an
  id resolved only by its org whose name is a small letter edit from a known model's.
  low: heuristics (unknown orgs and user namespaces, local file names). Never high on a guess.
"""


from __future__ import annotations

import re

from riskcheck.resolution.identification.huggingface import LineageIdentifier
from riskcheck.resolution.identification.record import Identity
from riskcheck.resolution.providers import load_providers
from riskcheck.resolution.references import ParsedRef
from riskcheck.resolution.registry import VendorRecord
from riskcheck.resolution.serving import provider_record


_PLAIN_WORDS = frozenset({"chat", "instruct", "code", "coder", "vision", "tools", "embed",
                          "text", "large", "small", "mini", "base", "math", "guard", "dense",
                          "uncensored", "latest", "preview", "turbo", "reasoning", "thinking",
                          "arabic", "chinese", "medium", "tiny", "nano", "plus", "lite"})
"""Words in model names that describe a variant, not who made it."""


class Identifier(LineageIdentifier):
    """Finds the vendor and upstream vendors of a parsed reference, whatever its syntax."""

    def identify(self, parsed: ParsedRef) -> Identity:
        """Identify the vendor of ``parsed`` by the rules of the module docstring."""
        found = self._identify(parsed)
        if found.vendor is None and parsed.kind == "litellm" and parsed.provider:
            self._provider_own_model(found, parsed)
        vendor = self.registry.get(found.vendor) if found.vendor else None
        if vendor is not None and vendor.organisation.kind == "finetuner" and not found.upstream:
            # A fine-tuner builds on someone else's weights by definition; not knowing whose
            # means the answer is incomplete.
            found.cap("medium")
            found.tried.append(f"{vendor.id} fine-tunes other vendors' models, and the base of "
                               "this one is not known: upstream vendors may be missing")
        return found

    def _identify(self, parsed: ParsedRef) -> Identity:
        found = Identity()
        syntax = parsed.syntax
        if syntax == "huggingface" and parsed.org:
            self._huggingface(found, parsed.org, parsed.name)
        elif syntax == "ollama":
            self._ollama(found, parsed)
        elif syntax == "openrouter":
            self._openrouter(found, parsed)
        elif syntax == "bedrock" and parsed.org:
            self._publisher_prefix(found, parsed.org, parsed.name)
        elif syntax == "local-file":
            self._by_name(found, parsed.name, heuristic=True)
            found.tried.append("local file: only its file name hints at the model")
        elif parsed.name and (syntax in ("api", "unknown")) and "/" not in parsed.name:
            self._bare(found, parsed)
        else:
            found.tried.append(f"{parsed.raw!r} is not a model reference riskcheck can read")
        return found

    def _bare(self, found: Identity, parsed: ParsedRef) -> None:
        name = parsed.name
        local_first = parsed.kind == "unknown"
        alias = self.lineage.alias("name", name)
        if not alias and local_first and self._ollama_library(found, name, None):
            return
        org = self.lineage.namespace_for(name)
        if alias or org:
            target = alias or f"{org}/{name}"
            found.tried.append(f"{name} is short for {target}")
            self._huggingface(found, *target.split("/", 1))
            if found.vendor:
                return
        if local_first and self._named_finetuner(found, name):
            return
        if self._publisher_named_first(found, parsed):
            return
        record = self.registry.by_api_model(name)
        rules = self.registry.families_for(name)
        head = rules[0] if rules and rules[0].pattern.match(name) else None
        if record is not None and head is not None and head.vendor_id != record.id:
            # "gpt-neo-125m" fits OpenAI's API names but is EleutherAI's family: the name's
            # own family wins, without claiming more than a pattern can.
            found.tried.append(f"{name} looks like a {record.id} API name but its family is "
                               f"{head.family} ({head.vendor_id})")
            record = None
        if record is not None:
            confirmed = record.id in self._serving_vendors(parsed)
            found.vendor, found.method = record.id, "registry"
            found.confidence = "high" if confirmed else "medium"
            found.api_name = True
            found.tried.append(f"API model name {name} -> {record.id}" + (
                "" if confirmed else " (name pattern only: no base URL or provider confirms it)"))
            self._enrich_from_name(found, name)
            return
        if parsed.host:
            entry = self.registry.by_host(parsed.host)
            host_record = self.registry.get(entry.vendor_id) if entry else None
            if host_record is not None and host_record.organisation.kind != "host":
                self._by_name(found, name, heuristic=False)
                if found.vendor is None:
                    found.vendor, found.method, found.confidence = host_record.id, "registry", \
                        "high"
                    found.tried.append(f"{parsed.host} serves only {host_record.id}'s models")
                return
        self._by_name(found, name, heuristic=False)
        if found.vendor is not None and parsed.kind in ("api", "litellm"):
            found.api_name = True
        if local_first:
            self._unknown_finetuner(found, name)

    def _publisher_named_first(self, found: Identity, parsed: ParsedRef) -> bool:
        """``openai-gpt-4o`` (DigitalOcean), ``Cohere-embed-v3-english`` (Azure AI): a gateway
        writes the publisher's name before the publisher's own model name. Taken when what
        follows is that same publisher's API name or model family, at medium confidence."""
        head, dash, rest = parsed.name.partition("-")
        if not dash or not rest or len(head) < 3:
            return False
        record = (self.registry.by_openrouter(head) or self.registry.get(head.lower())
                  or self.registry.by_name(head))
        if record is None or record.organisation.kind == "reuploader":
            return False
        families = self.registry.families_for(rest)
        own = self.registry.by_api_model(rest)
        if not ((own is not None and own.id == record.id)
                or (families and families[0].vendor_id == record.id)):
            return False
        found.vendor, found.method, found.confidence = record.id, "family-pattern", "medium"
        found.api_name = parsed.kind in ("api", "litellm")
        found.tried.append(f"{parsed.name}: the publisher's name {head} ({record.id}) before its "
                           f"own model name {rest}")
        self._enrich_from_name(found, rest)
        return True

    def _provider_own_model(self, found: Identity, parsed: ParsedRef) -> None:
        """An unknown model name on a provider that publishes its own models (``meta/...``,
        ``gigachat/...``) is taken as that provider's model, without claiming more than that."""
        if (parsed.provider or "").lower() not in load_providers().own_models:
            return
        record = provider_record(parsed.provider or "", self.registry)
        if record is None:
            return
        found.vendor, found.method, found.confidence = record.id, "registry", "medium"
        found.api_name = True
        found.tried.append(f"model {parsed.name!r} is not known; provider {parsed.provider} "
                           f"publishes its own models: taken as {record.id}'s model")

    def _named_finetuner(self, found: Identity, name: str) -> bool:
        """``llama3-groq-tool-use``, ``mistral-openorca``: a library name that adds a known
        organisation to a base family is that organisation's fine-tune of the base."""
        families = self.registry.families_for(name)
        if not families:
            return False
        tuners = [rule for rule in families[1:] if rule.vendor_id != families[0].vendor_id
                  and self._kind(rule.vendor_id) == "finetuner"]
        if tuners:  # mistral-openorca: a fine-tuner's family named after the base's
            tuner = tuners[0]
            found.vendor, found.method, found.confidence = tuner.vendor_id, "family-pattern", \
                "medium"
            found.family = tuner.family
            found.tried.append(f"{name} names {tuner.family} ({tuner.vendor_id}, a fine-tuner) "
                               f"beside the {families[0].family} family: its fine-tune of it")
            for rule in families:
                if rule.vendor_id != tuner.vendor_id:
                    found.add_upstream(rule.vendor_id, "finetune", rule.family)
            return True
        for token in re.split(r"[-_.]", name):
            if len(token) < 4 or self.registry.families_for(token):
                continue
            record = (self.registry.by_name(token) or self.registry.by_hf_org(token)
                      or self.registry.by_openrouter(token))
            if record is None or record.organisation.kind == "reuploader":
                continue
            if all(rule.vendor_id == record.id for rule in families):
                return False  # the organisation's own family: not a fine-tune of another's
            found.vendor, found.method, found.confidence = record.id, "family-pattern", "medium"
            found.tried.append(f"{name} names {record.id} beside the {families[0].family} "
                               f"family: {record.id}'s fine-tune of it")
            for rule in families:
                if rule.vendor_id != record.id:
                    found.add_upstream(rule.vendor_id, "finetune", rule.family)
            return True
        return False

    def _kind(self, org_id: str) -> str | None:
        record = self.registry.get(org_id)
        return record.organisation.kind if record else None

    def _serving_vendors(self, parsed: ParsedRef) -> set[str]:
        """Registry ids behind the reference's base URL host and provider (if any)."""
        ids: set[str] = set()
        entry = self.registry.by_host(parsed.host) if parsed.host else None
        if entry is not None:
            ids.update((entry.vendor_id, entry.entity_id))
        record = provider_record(parsed.provider, self.registry) if parsed.provider else None
        if record is not None:
            ids.add(record.id)
        return ids

    def _ollama(self, found: Identity, parsed: ParsedRef) -> None:
        if parsed.org:  # a user namespace: nobody vouches for what it contains
            found.tried.append(f"Ollama user namespace {parsed.org} (not a library model)")
            self._by_name(found, parsed.name, heuristic=True)
            return
        if not self._ollama_library(found, parsed.name, parsed.tag):
            if self._named_finetuner(found, parsed.name):
                return
            self._by_name(found, f"{parsed.name}-{parsed.tag}" if parsed.tag else parsed.name,
                          heuristic=False)
            self._unknown_finetuner(found, parsed.name)

    def _ollama_library(self, found: Identity, name: str, tag: str | None) -> bool:
        keys = [f"{name}:{tag}"] if tag and tag != "latest" else [name, f"{name}:latest"]
        for key in keys:
            canonical = self.lineage.alias("ollama", key)
            if canonical:
                found.tried.append(f"Ollama {key} is {canonical} (lists/lineage.yaml)")
                self._huggingface(found, *canonical.split("/", 1))
                return found.vendor is not None
        record = self.registry.by_ollama(name)
        if record is None:
            return False
        found.vendor, found.method, found.confidence = record.id, "registry", "high"
        found.tried.append(f"Ollama library {name} -> {record.id}")
        self._enrich_from_name(found, f"{name}-{tag}" if tag else name)
        return True

    def _unknown_finetuner(self, found: Identity, name: str) -> None:
        """``samantha-mistral``, ``phind-codellama``: a word beside the base family that names
        nobody riskcheck knows is most likely someone's fine-tune of that base."""
        if found.vendor is None:
            return
        words = [w for w in re.split(r"[-_]", name) if len(w) >= 4 and w.isalpha()
                 and not self.registry.families_for(w) and w.lower() not in _PLAIN_WORDS]
        if words:
            found.cap("medium")
            found.tried.append(f"{name}: {', '.join(words)} beside the family name most likely "
                               f"names a fine-tuner riskcheck does not know; {found.vendor} is "
                               "the base's vendor")

    def _openrouter(self, found: Identity, parsed: ParsedRef) -> None:
        slug = parsed.model_id
        canonical = self.lineage.alias("openrouter", slug)
        if canonical:
            found.tried.append(f"OpenRouter {slug} is {canonical} (lists/lineage.yaml)")
            self._huggingface(found, *canonical.split("/", 1))
            return
        record = self.registry.by_openrouter(parsed.org) if parsed.org else None
        if record is None:
            found.tried.append(f"OpenRouter prefix {parsed.org!r} is not in the registry")
            self._by_name(found, parsed.name, heuristic=True)
            return
        found.vendor, found.method, found.confidence = record.id, "registry", "high"
        found.tried.append(f"OpenRouter prefix {parsed.org} -> {record.id}")
        self._enrich_from_name(found, parsed.name)

    def _publisher_prefix(self, found: Identity, org: str, name: str) -> None:
        record: VendorRecord | None = (self.registry.by_openrouter(org) or self.registry.get(org)
                                       or self.registry.by_hf_org(org)
                                       or self.registry.by_name(org))
        if record is None:
            found.tried.append(f"publisher prefix {org!r} is not in the registry")
            self._by_name(found, name, heuristic=False)
            return
        found.vendor, found.method, found.confidence = record.id, "registry", "high"
        found.api_name = True
        found.tried.append(f"publisher prefix {org} -> {record.id}")
        self._enrich_from_name(found, name)
