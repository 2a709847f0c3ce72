"""Hand-built resolutions and matches for the scoring tests (no resolver, no screener)."""

from __future__ import annotations

from datetime import date

from riskcheck.model import (
    Alias,
    ListEntity,
    Match,
    MatchExplanation,
    ModelRef,
    Organisation,
    Ownership,
    Party,
    Resolution,
    ServingParty,
)
from riskcheck.score.exposure import ExposureScorer

TODAY = date(2026, 11, 29)


def org(org_id: str, name: str | None = None, country: str | None = "US",
        parents: tuple[tuple[str, float | None], ...] = ()) -> Organisation:
    """An organisation with direct owners ``(parent_id, share)``."""
    return Organisation(id=org_id, name=name or org_id.title(), country=country,
                        parents=tuple(Ownership(p, s) for p, s in parents))


def entity(name: str, lists: tuple[str, ...] = ("SDN",), *, source: str = "ofac_sdn",
           source_id: str = "1", programs: tuple[str, ...] = (), listed_on: str | None = None,
           removed_on: str | None = None, aliases: tuple[str, ...] = ()) -> ListEntity:
    """A list record."""
    return ListEntity(source=source, source_id=source_id, lists=lists, programs=programs,
                      name=name, listed_on=listed_on, removed_on=removed_on,
                      aliases=tuple(Alias(a) for a in aliases))


def match(party: str, role: str, listed: ListEntity, *, band: str = "match",
          status: str = "current", score: float = 0.97) -> Match:
    """A screener match of ``party`` (registry id) in ``role`` on ``listed``."""
    return Match(party_id=party, party_role=role,  # type: ignore[arg-type]
                 entity=listed, score=score, band=band, status=status,  # type: ignore[arg-type]
                 explanation=MatchExplanation(query_name=party, matched_name=listed.name))


def resolution(model_id: str, vendor: Organisation | None, *, usage: str = "self-hosted",
               parents: tuple[tuple[Organisation, float | None], ...] = (),
               upstream: tuple[Organisation, ...] = (),
               upstream_parents: tuple[tuple[Organisation, float | None], ...] = (),
               serving: ServingParty | None = None, family: str | None = None,
               criticality: str = "medium", canonical_id: str | None = None) -> Resolution:
    """A resolution with the given parties (unresolved when ``vendor`` is None)."""
    ref = ModelRef(id=model_id, usage=usage, criticality=criticality)  # type: ignore[arg-type]
    if vendor is None:
        return Resolution(ref=ref, status="unresolved", tried=("huggingface org", "family"),
                          hint="add a vendor_override")
    parties = [Party(vendor, "vendor", "publisher")]
    parties += [Party(p, "parent", "parent", path=(vendor.id, p.id), ownership=share)
                for p, share in parents]
    parties += [Party(u, "upstream", "finetune", upstream_model=f"{u.id}/base-7B")
                for u in upstream]
    if upstream:
        parties += [Party(p, "upstream-parent", "parent", path=(upstream[0].id, p.id),
                          ownership=share) for p, share in upstream_parents]
    if serving is not None and not serving.first_party:
        parties.append(Party(serving.organisation, "serving", "api-host"))
    return Resolution(ref=ref, status="resolved", family=family,
                      canonical_id=canonical_id or model_id, parties=tuple(parties),
                      serving=serving, method="registry", confidence="high")


def scorer() -> ExposureScorer:
    """The scorer on the bundled data, with a fixed today."""
    return ExposureScorer(today=TODAY)


# --- recurring cases -----------------------------------------------------------------------

SBERBANK = org("sberbank", "Sberbank", "RU")
SBER_DEVICES = org("sber-devices", "SberDevices", "RU", parents=(("sberbank", 1.0),))
SBERBANK_SDN = entity("PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA", ("SDN",),
                      source_id="17017", programs=("RUSSIA-EO14024",), listed_on="2022-04-06",
                      aliases=("SBERBANK",))
ALIBABA_GROUP = org("alibaba-group", "Alibaba Group", "CN")
ALIBABA_CLOUD = org("alibaba-cloud", "Alibaba Cloud", "CN", parents=(("alibaba-group", 1.0),))
ALIBABA_1260H = entity("Alibaba Group Holding Limited", ("1260H",), source="us_dod_1260h",
                       source_id="alibaba-2026", listed_on="2026-06-08")
ZHIPU = org("zhipu", "Zhipu AI", "CN")
ZHIPU_EL = entity("Beijing Zhipu Huazhang Technology Co., Ltd.", ("EL",), source="us_csl",
                  source_id="el-zhipu", listed_on="2025-01-16")
META = org("meta", "Meta", "US")
DEEPSEEK = org("deepseek", "DeepSeek", "CN", parents=(("high-flyer", None),))


def gigachat(usage: str = "self-hosted") -> Resolution:
    """GigaChat from SberDevices, 100% owned by SDN-listed Sberbank."""
    return resolution("ai-sage/GigaChat-20B-A3B-instruct", SBER_DEVICES, usage=usage,
                      parents=((SBERBANK, 1.0),), family="gigachat")


def qwen(model_id: str = "Qwen/Qwen2.5-7B-Instruct", usage: str = "self-hosted",
         criticality: str = "medium") -> Resolution:
    """A Qwen model: vendor Alibaba Cloud, parent Alibaba Group (1260H)."""
    return resolution(model_id, ALIBABA_CLOUD, usage=usage, parents=((ALIBABA_GROUP, 1.0),),
                      family="qwen2.5", criticality=criticality)


def llama(model_id: str = "meta-llama/Llama-3.1-8B-Instruct", usage: str = "self-hosted",
          criticality: str = "medium") -> Resolution:
    """A clean Meta model."""
    return resolution(model_id, META, usage=usage, family="llama3.1", criticality=criticality)
