"""Identification from Hugging Face ids and lineage: registry orgs, re-uploads, the Hub's
``base_model`` chain, ``lists/lineage.yaml`` and model-family names (rules: see ``identify``).
"""

from __future__ import annotations

import re

from riskcheck.resolution.hub import HubClient
from riskcheck.resolution.identification.record import Identity
from riskcheck.resolution.lineage import Lineage, LineageStep, relation_hint, strip_variant_suffixes
from riskcheck.resolution.registry import Registry

_FIREWORKS_VERSION = re.compile(r"v(\d+)p(\d+)")
_V_VERSION = re.compile(r"-v(?=\d)")


class LineageIdentifier:
    """Finds vendors and upstream vendors of Hugging Face ids and of model names."""

    def __init__(self, registry: Registry, lineage: Lineage, hub: HubClient | None) -> None:
        self.registry = registry
        self.lineage = lineage
        self.hub = hub
        self._active: set[str] = set()
        self._models_by_name = {m.id.split("/", 1)[-1].casefold(): m.id
                                for record in registry for m in record.models if "/" in m.id}

    def _huggingface(self, found: Identity, org: str, name: str, *, via: str = "") -> None:
        model_id = f"{org}/{name}"
        key = model_id.casefold()
        if key in self._active:  # a name that leads back to itself: nothing more to learn
            return
        self._active.add(key)
        try:
            self._huggingface_once(found, org, name, model_id, via)
        finally:
            self._active.discard(key)

    def _huggingface_once(self, found: Identity, org: str, name: str, model_id: str,
                          via: str) -> None:
        stripped = strip_variant_suffixes(name)
        record = self.registry.by_hf_org(org)
        hub_steps = self._hub_steps(found, model_id)
        reuploader = record is not None and record.organisation.kind == "reuploader"
        if record is not None and not reuploader:
            found.vendor, found.method, found.confidence = record.id, "registry", "high"
            found.tried.append(f"{via}HF org {org} -> {record.id}")
            foreign = any(r.vendor_id != record.id for r in self.registry.families_for(name))
            # A publisher's own -GGUF/-AWQ copy stands for its original; a quantisation of
            # someone else's model (nvidia/Llama-...-FP8) is its own model id.
            found.canonical_id = model_id if foreign else f"{org}/{stripped.base}"
            curated = self._curated_steps(found.canonical_id) or self._curated_steps(model_id)
            renamed = None if curated or hub_steps else self._renamed(org, stripped.base)
            if renamed is not None:
                # <company>/<company>-bge-large-en: another vendor's model under the company's
                # name is the company's re-host or fine-tune of it, not its own model.
                base_record = self.registry.by_hf_org(renamed.split("/", 1)[0])
                if base_record is not None and base_record.id != record.id:
                    found.add_upstream(base_record.id, "finetune", renamed)
                    found.cap("medium")
                    found.tried.append(f"{name} is {renamed} under {org}'s name: {record.id}'s "
                                       f"re-host or fine-tune of {base_record.id}'s model")
                    self._set_family(found, stripped.base)
                    return
            self._apply_steps(found, curated + hub_steps, stripped.base)
            if not (curated or hub_steps or self.registry.families_for(stripped.base)
                    or self.lineage.known_id_for_name(stripped.base)
                    or stripped.base.casefold() in self._models_by_name):
                found.cap("medium")
                found.tried.append(f"{name!r} matches none of the models or families riskcheck "
                                   f"knows: {record.id} rests on the org {org} alone (a "
                                   "misspelt or new model?)")
            return
        canonical, source, relation = self._known_original(stripped.base, hub_steps)
        if not canonical and not hub_steps:
            canonical = self._renamed(org, stripped.base)
        if canonical and canonical.casefold() != model_id.casefold():
            before = len(found.tried)
            inner = Identity()
            self._huggingface(inner, *canonical.split("/", 1), via=f"original {canonical}: ")
            if inner.vendor is not None:
                found.adopt(inner)
                if source == "hub":
                    found.method = "hub-metadata"
                if record is None:
                    found.cap("medium")
                    how = ("is a copy of" if relation in ("quantized", "reupload")
                           else f"derives ({relation}) from")
                    found.tried.insert(before, f"HF org {org} is not in the registry (not "
                                       f"screened); {name} {how} {canonical}")
        if found.vendor is None:
            self._by_name(found, stripped.base, heuristic=record is None)
        if found.vendor is None:
            found.tried.append(f"HF org {org} is not in the registry and {name!r} names no known "
                               "model family")
            return
        if record is not None:
            relation = "quantized" if stripped.quantized else "reupload"
            found.reuploader = (record.id, relation, found.canonical_id)
            found.tried.append(f"{org} is a re-uploader ({relation}) of {found.vendor}'s model")

    def _renamed(self, org: str, name: str) -> str | None:
        """The known model id ``name`` stands for once the org's own name is taken off its
        front (``acme-bge-large-en`` under ``acme`` -> ``BAAI/bge-large-en``), if any."""
        for sep in ("-", "_", "."):
            prefix = f"{org}{sep}".casefold()
            if name.casefold().startswith(prefix) and len(name) > len(prefix):
                rest = name[len(prefix):]
                known = (self.lineage.known_id_for_name(rest)
                         or self._models_by_name.get(rest.casefold()))
                if known is None and self.registry.families_for(rest):
                    head = self.registry.families_for(rest)[0]
                    record = self.registry.get(head.vendor_id)
                    orgs = record.hf_orgs if record else ()
                    known = f"{orgs[0]}/{rest}" if orgs else None
                return known
        return None

    def _hub_steps(self, found: Identity, model_id: str) -> tuple[LineageStep, ...]:
        if self.hub is None:
            return ()
        lineage = self.hub.lineage(model_id)
        found.tried.extend(f"hub: {note}" for note in lineage.notes)
        if lineage.root.status == "found":
            bases = ", ".join(step.upstream for step in lineage.steps) or "none"
            found.tried.append(f"hub: {model_id} base models: {bases}")
        return lineage.steps

    def _curated_steps(self, model_id: str) -> tuple[LineageStep, ...]:
        return self.lineage.ancestry(model_id)

    def _known_original(self, base_name: str, hub_steps: tuple[LineageStep, ...]
                        ) -> tuple[str | None, str, str]:
        """(original model id, who said so, how the reference derives from it)."""
        for step in hub_steps:  # nearest base model published by a registry publisher
            record = self.registry.by_hf_org(step.upstream.split("/", 1)[0])
            if record is not None and record.organisation.kind != "reuploader":
                return step.upstream, "hub", step.relation
        known = (self.lineage.known_id_for_name(base_name)
                 or self._models_by_name.get(base_name.casefold()))
        return known, "lineage.yaml", "reupload"

    def _apply_steps(self, found: Identity, steps: tuple[LineageStep, ...], name: str) -> None:
        """Upstream vendors from lineage edges, else from families named in ``name``."""
        for step in steps:
            org = step.upstream.split("/", 1)[0]
            record = self.registry.by_hf_org(org)
            if record is None:
                found.tried.append(f"upstream {step.upstream}: org not in the registry")
                found.cap("medium")
                continue
            if record.organisation.kind == "reuploader":
                continue
            found.add_upstream(record.id, step.relation, step.upstream)
        if steps:
            found.tried.append("lineage: " + "; ".join(
                f"{s.model} {s.relation} {s.upstream} ({s.source})" for s in steps))
            self._set_family(found, name)
            return
        self._families_as_upstream(found, name)

    def _families_as_upstream(self, found: Identity, name: str) -> None:
        relation = relation_hint(name)
        before = len(found.upstream)
        for rule in self.registry.families_for(name):
            if rule.vendor_id != found.vendor and all(rule.vendor_id != u[0]
                                                      for u in found.upstream):
                found.add_upstream(rule.vendor_id, relation, rule.family)
                found.tried.append(f"name {name!r} names {rule.family} ({rule.vendor_id}): "
                                   f"{relation}")
                found.cap("medium")
        if relation != "finetune" and len(found.upstream) == before and not found.upstream:
            # "...-llama-distill", "...-merge": derived from something the name does not
            # let us recognise, so the upstream list may be incomplete.
            found.cap("medium")
            found.tried.append(f"name {name!r} says {relation} but names no other known "
                               "model family: upstream vendors may be missing")
        self._set_family(found, name)

    def _set_family(self, found: Identity, name: str) -> None:
        rules = self.registry.families_for(name)
        own = [r for r in rules if r.vendor_id == found.vendor]
        found.family = found.family or (own[0].family if own else None)

    def _by_name(self, found: Identity, name: str, *, heuristic: bool) -> None:
        """Vendor from the model families named in ``name`` (first family = vendor)."""
        stripped = strip_variant_suffixes(name).base
        known = self.lineage.known_id_for_name(stripped) or self._models_by_name.get(
            stripped.casefold())
        if known:
            inner = Identity()
            self._huggingface(inner, *known.split("/", 1), via=f"name matches {known}: ")
            if inner.vendor is not None:
                found.adopt(inner)
                found.cap("low" if heuristic else "medium")
                found.method = "heuristic" if heuristic else "family-pattern"
                return
        rules = self.registry.families_for(stripped)
        if not rules:
            # Hosting providers spell versions their own way: "llama-v3p1-70b" is Llama 3.1.
            stripped = _FIREWORKS_VERSION.sub(r"\1.\2", stripped)
            stripped = _V_VERSION.sub("-", stripped)
            rules = self.registry.families_for(stripped)
        if not rules:
            # FW-GLM-5 (Azure AI), coding-glm-5.3 (a gateway's plan): one word riskcheck
            # cannot place before a known family. The family's vendor, never above medium; not
            # under an unknown org, which is more likely the fine-tuner the word names.
            head, dash, rest = stripped.partition("-")
            if (not heuristic and dash and head.isalpha() and len(head) <= 8
                    and self.registry.families_for(rest)):
                found.tried.append(f"{head!r} before {rest!r} names nobody riskcheck knows (a "
                                   "gateway's label or a fine-tuner): the family's vendor is "
                                   "assumed")
                self._by_name(found, rest, heuristic=False)
                found.cap("medium")
            return
        found.vendor, found.family = rules[0].vendor_id, rules[0].family
        found.method = "heuristic" if heuristic else "family-pattern"
        found.confidence = "low" if heuristic else "medium"
        found.tried.append(f"name {stripped!r} matches family {rules[0].family} "
                           f"({rules[0].vendor_id})")
        self._families_as_upstream(found, stripped)

    def _enrich_from_name(self, found: Identity, name: str) -> None:
        stripped = strip_variant_suffixes(name).base
        known = self.lineage.known_id_for_name(stripped)
        record = self.registry.by_hf_org(known.split("/", 1)[0]) if known else None
        if known and record is not None and record.id == found.vendor:
            found.canonical_id = known
            self._apply_steps(found, self._curated_steps(known), stripped)
        else:
            self._families_as_upstream(found, stripped)
