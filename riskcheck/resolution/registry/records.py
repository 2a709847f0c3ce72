"""The records the vendor registry is made of, and how one parsed file becomes one record.

Split from :mod:`riskcheck.resolution.registry` so reading files and answering look-ups stay
small modules; the resolver imports everything from ``registry``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskcheck.model import Citation, Identifier, Organisation, Ownership
from riskcheck.resolution.name_patterns import NamePattern


@dataclass(frozen=True)
class FamilyRule:
    """A model-name pattern that attributes a model family to a vendor."""

    pattern: NamePattern
    """Case-insensitive; searched in the model name without org or tag."""
    family: str
    vendor_id: str


@dataclass(frozen=True)
class ApiHost:
    """An API endpoint host, the legal entity operating it and where data is processed."""

    host: str
    entity_id: str
    """Registry id of the organisation that operates the host (may differ from the brand)."""
    vendor_id: str
    """Registry id of the file that declares the host (the brand)."""
    data_country: str | None
    """ISO country where requests are processed/stored, when a source says so."""


@dataclass(frozen=True)
class RegistryModel:
    """A notable model of a vendor, used to propose alternatives of the same task and size."""

    id: str
    task: str
    params_b: float | None = None
    licence: str | None = None


@dataclass(frozen=True)
class VendorRecord:
    """One registry file: the organisation plus every key the resolver looks it up by."""

    organisation: Organisation
    hf_orgs: tuple[str, ...] = ()
    ollama: tuple[str, ...] = ()
    openrouter: tuple[str, ...] = ()
    litellm: tuple[str, ...] = ()
    families: tuple[FamilyRule, ...] = ()
    api: tuple[ApiHost, ...] = ()
    api_models: tuple[NamePattern, ...] = ()
    models: tuple[RegistryModel, ...] = ()
    roles: tuple[str, ...] = ()
    """Every kind this organisation acts as: its ``kind`` first, then extra ``roles``."""
    description: str | None = None
    identifiers: tuple[Identifier, ...] = ()
    """Register numbers (``ru-ogrn``, ``lei`` ...) as printed on lists, for exact matching."""

    @property
    def id(self) -> str:
        """The registry id (same as ``organisation.id``)."""
        return self.organisation.id


def _ownership(edge: dict[str, Any]) -> Ownership:
    # The relation word leads the note so Registry.parent_chain can recover it; "unverified"
    # travels with it because reports must not present a guessed owner as fact.
    note = edge["relation"]
    if not edge["verified"]:
        note += " (unverified)"
    if edge.get("note"):
        note += f"; {edge['note']}"
    return Ownership(parent_id=edge["id"], share=edge.get("share"), note=note)


def _former_name(item: str | dict[str, Any]) -> str:
    return item if isinstance(item, str) else item["name"]


def build_record(doc: dict[str, Any]) -> VendorRecord:
    """Turn one validated registry file into a :class:`VendorRecord`."""
    vendor_id = doc["id"]
    organisation = Organisation(
        id=vendor_id,
        name=doc["name"],
        legal_names=tuple(entry["name"] for entry in doc.get("legal_names", ())),
        native_names=tuple(doc.get("native_names", ())),
        aliases=tuple(a if isinstance(a, str) else a["name"] for a in doc.get("aliases", ())),
        weak_aliases=tuple(a["name"] for a in doc.get("aliases", ())
                           if not isinstance(a, str) and a.get("strength") == "weak"),
        former_names=tuple(_former_name(item) for item in doc.get("former_names", ())),
        country=doc["country"],
        incorporated_in=doc.get("incorporated_in"),
        kind=doc["kind"],
        parents=tuple(_ownership(edge) for edge in doc.get("parents", ())),
        citations=tuple(
            Citation(url=c["url"], as_of=c["as_of"], verified=c["verified"])
            for c in doc["citations"]
        ),
        verified=doc["verified"],
    )
    families = tuple(
        FamilyRule(NamePattern(rule["pattern"]), rule["family"], vendor_id)
        for rule in doc.get("families", ())
    )
    hosts = tuple(
        ApiHost(host=h["host"], entity_id=h["entity"], vendor_id=vendor_id,
                data_country=h["data_country"])
        for h in doc.get("api", ())
    )
    models = tuple(
        RegistryModel(id=m["id"], task=m["task"],
                      params_b=float(m["params_b"]) if "params_b" in m else None,
                      licence=m.get("licence"))
        for m in doc.get("models", ())
    )
    roles = (doc["kind"], *(r for r in doc.get("roles", ()) if r != doc["kind"]))
    return VendorRecord(
        organisation=organisation,
        hf_orgs=tuple(doc.get("hf_orgs", ())),
        ollama=tuple(doc.get("ollama", ())),
        openrouter=tuple(doc.get("openrouter", ())),
        litellm=tuple(doc.get("litellm", ())),
        families=families,
        api=hosts,
        api_models=tuple(NamePattern(p) for p in doc.get("api_models", ())),
        models=models,
        roles=roles,
        description=doc.get("description"),
        identifiers=tuple(Identifier(scheme=i["scheme"], value=i["value"])
                          for i in doc.get("identifiers", ())),
    )
