"""The frozen dataclasses that flow between riskcheck's stages.

manifest -> ``ModelRef`` -> resolve -> ``Resolution`` (with ``Party`` entries)
-> screen against ``ListEntity`` records -> ``Match`` -> score -> ``ModelAssessment``
-> ``Report`` -> formats.

No stage imports a later one; every stage imports this module. Fields hold plain values
(str, int, float, tuples) so results serialise to JSON without custom encoders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal

# --- vocabularies -------------------------------------------------------------------------

Usage = Literal["self-hosted", "api", "unknown"]
Criticality = Literal["low", "medium", "high", "critical"]
CRITICALITIES: tuple[Criticality, ...] = ("low", "medium", "high", "critical")

Relation = Literal[
    "publisher",  # the model's own vendor
    "quantized",
    "finetune",
    "distilled-from",
    "merge",
    "adapter",
    "reupload",
]
"""How a vendor contributed to a model. Everything but ``publisher`` is upstream lineage."""

PartyRole = Literal["vendor", "parent", "upstream", "upstream-parent", "serving", "serving-parent"]
"""Why an organisation is screened for a model."""

EntityType = Literal["organisation", "person", "vessel", "aircraft", "unknown"]
Band = Literal["match", "review", "possible"]
ListingStatus = Literal["current", "formerly-listed"]


class Level(IntEnum):
    """Exposure level, ordered so that comparisons mean 'at least as bad as'."""

    NONE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        """Lower-case name used in every output and in ``--fail-on``."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Level:
        """Parse ``none|low|medium|high|critical`` (case-insensitive)."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            choices = ", ".join(level.label for level in cls)
            raise ValueError(f"unknown level {text!r} (choose one of: {choices})") from None


# --- inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceLocation:
    """Where a model reference was written: a manifest entry or a line of code."""

    path: str
    line: int
    column: int = 1
    detector: str | None = None
    """For references found by a repository scan: which detector found it."""


@dataclass(frozen=True)
class ModelRef:
    """One model a project uses, exactly as the project writes it."""

    id: str
    """The reference as written: HF id, Ollama tag, OpenRouter slug, LiteLLM string, API name."""
    source: str | None = None
    """Declared kind of reference: huggingface, ollama, openrouter, litellm, api (optional)."""
    usage: Usage = "unknown"
    provider: str | None = None
    """For ``api`` usage: the serving provider's name (e.g. ``together``) if given."""
    base_url: str | None = None
    """For ``api`` usage: the base URL the model is called on."""
    criticality: Criticality = "medium"
    purpose: str | None = None
    vendor_override: str | None = None
    """An explicit registry vendor id from the manifest; wins over every inference."""
    location: SourceLocation | None = None


@dataclass(frozen=True)
class Policy:
    """The settings that turn findings into a pass or a fail. Deepened by the scoring stage."""

    fail_on: Level = Level.HIGH
    fail_on_unresolved: bool = False
    max_list_age_days: int | None = None
    preset: str = "default"
    # The fields below are set by the scoring stage's policy parser (riskcheck.project.policy);
    # their defaults equal lists/policies/default.yaml. docs/scoring.md explains each one.
    unresolved_level: Level = Level.MEDIUM
    """Level of the finding an unresolved model gets (``unresolved: <level>|warn|ignore``)."""
    severity_overrides: tuple[tuple[str, Level], ...] = ()
    """List severity overrides: ``(code, level)`` with code ``SDN`` or ``LIST:PROGRAM``."""
    country_tiers: tuple[CountryTier, ...] = ()
    """Policy changes to the bundled country tiers (lists/jurisdictions.yaml)."""
    denied_vendors: tuple[str, ...] = ()
    """Registry organisation ids the team refuses, whatever the lists say."""
    allowed_vendors: tuple[str, ...] = ()
    """Registry ids approved despite their country (never hides a list match)."""
    denied_countries: tuple[str, ...] = ()
    allowed_countries: tuple[str, ...] = ()
    """Countries whose tier the team accepts (never lifts a comprehensive sanction finding)."""
    affiliates_rule: bool = False
    """Apply the BIS Affiliates Rule (>= 50% owned by Entity List / MEU parties)."""
    lineage_weight: float = 0.5
    """Weight of exposure inherited from an upstream vendor (fine-tune, quantisation ...)."""
    review_weight: float = 0.75
    """Weight of a ``review``-band match relative to a ``match``."""
    usage_weights: tuple[tuple[str, float], ...] = (
        ("api", 1.0), ("self-hosted", 0.85), ("unknown", 1.0))
    criticality_weights: tuple[tuple[str, float], ...] = (
        ("low", 0.8), ("medium", 1.0), ("high", 1.1), ("critical", 1.2))
    max_vendor_share: float | None = 0.75
    max_country_share: float | None = None
    max_critical_vendor_share: float | None = None
    max_critical_country_share: float | None = None
    concentration_min_models: int = 3
    """Concentration is judged only for projects with at least this many resolved models."""
    exceptions: tuple[PolicyException, ...] = ()
    exception_level: Level = Level.LOW
    """The level a finding covered by an exception in force is lowered to (none or low)."""
    alternatives_from: Level = Level.MEDIUM
    """Suggest safer alternatives for models at or above this level (none = never)."""
    allow_vendor_overrides: bool = False
    """Honour a manifest ``vendor:`` that contradicts a confident registry identification.
    Read only from the operator's policy (``--policy``); a pull request cannot set it."""
    allow_exceptions_from: tuple[str, ...] = ()
    """Under an operator policy, where else exceptions may come from: ``manifest`` (the
    manifest's ``exceptions:`` and a policy file beside it). Operator-only, like the above."""


@dataclass(frozen=True)
class Project:
    """A parsed manifest: who owns the project, its policy, and its models."""

    name: str
    owner: str | None
    models: tuple[ModelRef, ...]
    policy: Policy = field(default_factory=Policy)
    path: str | None = None
    manifest_version: int = 1


@dataclass(frozen=True)
class CountryTier:
    """A named group of countries of concern and the levels its countries carry."""

    name: str
    """``tier-1``, ``tier-2`` ... (the bundled names) or a name the policy introduces."""
    countries: tuple[str, ...] | None = None
    """ISO codes; None keeps the bundled membership when a policy overrides only levels."""
    vendor_level: Level | None = None
    """Level for a vendor, parent or upstream vendor based in the tier (None: keep bundled)."""
    data_level: Level | None = None
    """Level for data sent by API to the tier (None: keep bundled)."""


@dataclass(frozen=True)
class PolicyException:
    """An approved, dated acceptance of one listed entity for one model."""

    id: str
    model: str
    """The model reference as written in the manifest (or its canonical id)."""
    lists: tuple[str, ...]
    """The list codes the approval covers; a listing on any other list is never hidden."""
    reason: str
    approver: str
    created: str
    """ISO date the exception was approved."""
    expires: str
    """ISO date after which the exception no longer applies and the run fails."""
    source: str | None = None
    source_id: str | None = None
    """Scope by list record (``ListEntity.source`` + ``source_id``) ..."""
    name: str | None = None
    """... or by listed name (the entity's name or one of its aliases)."""
    level: Level | None = None
    """Level the covered finding is lowered to (none/low); None uses ``Policy.exception_level``."""
    location: SourceLocation | None = None
    """Where the exception was written, for the report."""


# --- resolution ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """A public source for a fact, with the date it was read or published."""

    url: str
    as_of: str | None = None
    verified: bool = True
    """False when the fact is unverified background knowledge (marked so in the registry)."""


@dataclass(frozen=True)
class Ownership:
    """An edge from an organisation to one of its owners."""

    parent_id: str
    share: float | None = None
    """Fraction owned (0..1) when known; None when control is known but the share is not."""
    note: str | None = None


@dataclass(frozen=True)
class Organisation:
    """A vendor, parent company, re-uploader or API host from the vendor registry."""

    id: str
    name: str
    legal_names: tuple[str, ...] = ()
    native_names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()
    weak_aliases: tuple[str, ...] = ()
    """Aliases (also in ``aliases``) too generic to screen on their own (see NameScreener)."""
    country: str | None = None
    """ISO 3166-1 alpha-2 country of headquarters."""
    incorporated_in: str | None = None
    kind: str = "publisher"
    """publisher, parent, reuploader, finetuner, host, lab ..."""
    parents: tuple[Ownership, ...] = ()
    citations: tuple[Citation, ...] = ()
    verified: bool = True

    @property
    def screening_names(self) -> tuple[str, ...]:
        """Every name this organisation may appear under on a list, most formal first."""
        seen: dict[str, None] = {}
        for name in (*self.legal_names, *self.native_names, self.name, *self.aliases,
                     *self.former_names):
            if name and name not in seen:
                seen[name] = None
        return tuple(seen)


@dataclass(frozen=True)
class Party:
    """An organisation whose exposure a model inherits, and the path that leads to it."""

    organisation: Organisation
    role: PartyRole
    relation: str
    """``publisher``/lineage relation for vendors, ``parent`` for owners, ``api-host`` ..."""
    path: tuple[str, ...] = ()
    """Registry ids from the model's direct vendor to this organisation (for parents)."""
    ownership: float | None = None
    """Effective ownership along ``path`` (product of shares) when every share is known."""
    upstream_model: str | None = None
    """For upstream vendors: the model the lineage step points at."""
    verified: bool = True
    """False when a link on ``path`` (an ownership edge) is marked unverified in the registry:
    a finding that reaches this organisation through it says so."""


@dataclass(frozen=True)
class ServingParty:
    """Who receives the data when a model is called through an API."""

    organisation: Organisation
    host: str | None = None
    data_country: str | None = None
    first_party: bool = False
    """True when the model's own vendor serves it (its own API)."""


@dataclass(frozen=True)
class Resolution:
    """What a model reference leads to. ``unresolved`` is a result, never an exception."""

    ref: ModelRef
    status: Literal["resolved", "unresolved"]
    family: str | None = None
    canonical_id: str | None = None
    """The upstream model id the reference was traced to (e.g. ``Qwen/Qwen2.5-7B-Instruct``)."""
    parties: tuple[Party, ...] = ()
    serving: ServingParty | None = None
    method: str = "none"
    """registry, family-pattern, hub-metadata, heuristic, override, none."""
    confidence: Literal["high", "medium", "low", "none"] = "none"
    tried: tuple[str, ...] = ()
    """What was attempted, for unresolved models and for the explanation."""
    hint: str | None = None
    override_conflict: str | None = None
    serving_candidates: tuple[Organisation, ...] = ()
    """When the serving party cannot be told without a base URL (a gateway slug), every
    organisation that may serve the call; ``serving`` is then the likeliest one or None."""
    """The vendor the registry confidently identified when the manifest's ``vendor:`` named
    an unrelated one. The identification is assessed unless the operator policy allows
    overrides (then ``method`` is ``override``)."""

    @property
    def vendor(self) -> Organisation | None:
        """The model's own vendor (first ``vendor`` party)."""
        for party in self.parties:
            if party.role == "vendor":
                return party.organisation
        return None

    @property
    def countries(self) -> tuple[str, ...]:
        """Countries of every vendor and upstream vendor, in order, without repeats."""
        seen: dict[str, None] = {}
        for party in self.parties:
            if party.role in ("vendor", "upstream") and party.organisation.country:
                seen.setdefault(party.organisation.country, None)
        return tuple(seen)


# --- official lists -----------------------------------------------------------------------


@dataclass(frozen=True)
class Alias:
    """Another name of a listed entity."""

    name: str
    kind: str = "aka"
    """aka, fka (former), nka, native (native-script name)."""
    strength: Literal["strong", "weak"] | None = None


@dataclass(frozen=True)
class Identifier:
    """A registration or other identifier printed on a list entry."""

    scheme: str
    value: str


@dataclass(frozen=True)
class ListEntity:
    """One entry of an official list, normalised across every source format."""

    source: str
    """Catalogue id of the source (``us_csl``, ``ofac_sdn``, ``bundled`` ...)."""
    source_id: str
    lists: tuple[str, ...]
    """Short codes of the lists it is on: SDN, EL, MEU, CMIC, 1260H, FCC, EU, UK, UN ..."""
    programs: tuple[str, ...] = ()
    entity_type: EntityType = "organisation"
    name: str = ""
    aliases: tuple[Alias, ...] = ()
    countries: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    listed_on: str | None = None
    """ISO date when known."""
    removed_on: str | None = None
    """ISO date the entry was removed, for transcriptions that keep history."""
    remarks: str | None = None
    citation: str | None = None
    """Federal Register cite, regulation, or notice."""
    url: str | None = None

    @property
    def all_names(self) -> tuple[str, ...]:
        """The primary name then every alias, without repeats."""
        seen: dict[str, None] = {self.name: None} if self.name else {}
        for alias in self.aliases:
            seen.setdefault(alias.name, None)
        return tuple(seen)


@dataclass(frozen=True)
class ListVersion:
    """A citable version of one list source that a run screened against."""

    source: str
    title: str
    version: str
    """sha256 of the stored file, or the snapshot label for bundled data."""
    published: str | None = None
    fetched_at: str | None = None
    record_count: int = 0
    origin: Literal["bundled", "store"] = "store"
    url: str | None = None
    stale: bool = False


@dataclass(frozen=True)
class SourceCoverage:
    """How one catalogue source was covered in a run: never silently dropped.

    ``stored``: screened from the downloaded/imported version (``version``, ``fetched_at``,
    ``record_count``). ``bundled``: nothing stored, screened from the snapshot's entries for the
    source (``snapshot_date``, ``record_count``). ``missing``: neither stored nor bundled.
    ``required`` is the catalogue's ``required_for_fresh``: a required source that is missing
    fails a run in CI.
    """

    source: str
    state: Literal["stored", "bundled", "missing"]
    version: str | None = None
    published: str | None = None
    fetched_at: str | None = None
    record_count: int = 0
    snapshot_date: str | None = None
    required: bool = False
    as_of: str | None = None
    """Stored: how current the version is (its publication date, else its newest listing)."""
    newer_bundled: int = 0
    """Stored: bundled entries listed after ``as_of``, screened as well (the stored version
    predates them)."""
    newer_bundled_until: str | None = None


# --- screening ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchExplanation:
    """Why a list entity matched: readable by an analyst, stable for machines."""

    query_name: str
    matched_name: str
    """The listed name or alias that produced the best score."""
    alignment: str = ""
    """Token alignment, e.g. ``'zhipu'='zhipu' literal; 'huazhang'='huazhang' literal ...``."""
    features: tuple[tuple[str, float], ...] = ()
    """Scorer values (name -> value)."""
    qualifiers: tuple[str, ...] = ()
    """Adjustments applied, e.g. ``country agrees (CN) +0.05``."""


@dataclass(frozen=True)
class Match:
    """A list entity that is (probably) the same organisation as a screened party."""

    party_id: str
    """Registry id of the party (``Party.organisation.id``) this match is for."""
    party_role: PartyRole
    entity: ListEntity
    score: float
    band: Band
    status: ListingStatus
    explanation: MatchExplanation
    also_listed: tuple[ListEntity, ...] = ()
    """The same listed organisation as other sources publish it (the Consolidated Screening
    List's copy of an SDN or Entity List entry, its SDN and sectoral records ...): one hit
    carries every source."""

    @property
    def listed_entities(self) -> tuple[ListEntity, ...]:
        """The best-explained record first, then every other record of the organisation."""
        return (self.entity, *self.also_listed)

    @property
    def all_lists(self) -> tuple[str, ...]:
        """Every list code the organisation is on across the merged records: the leading
        record's codes first, then the others' in alphabetical order."""
        extra = sorted({code for e in self.also_listed for code in e.lists} - set(self.entity.lists))
        return (*self.entity.lists, *extra)


# --- scoring and report -------------------------------------------------------------------

FindingKind = Literal[
    "list-match",
    "parent-list-match",
    "upstream-list-match",
    "serving-list-match",
    "ownership-rule",
    "jurisdiction",
    "data-location",
    "unresolved",
    "denied-vendor",
    "concentration",
    "formerly-listed",
    "undeclared-model",
    "vendor-override",
]


@dataclass(frozen=True)
class Finding:
    """One reason a model (or the project) carries exposure, with a level."""

    kind: FindingKind
    level: Level
    summary: str
    """One line a reader understands without the rest of the report."""
    party_id: str | None = None
    match: Match | None = None
    score: float = 0.0
    details: tuple[str, ...] = ()
    exception_id: str | None = None
    """Set when an exception in force lowers this finding."""


@dataclass(frozen=True)
class ModelAssessment:
    """A model, what it resolved to, its list matches, findings and exposure."""

    resolution: Resolution
    matches: tuple[Match, ...]
    findings: tuple[Finding, ...]
    level: Level
    score: float
    verdict: str
    """One-line verdict."""
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunMetadata:
    """Everything that varies between identical runs; kept apart so results stay comparable."""

    tool_version: str
    started_at: str
    duration_ms: int
    run_id: str


@dataclass(frozen=True)
class Report:
    """The whole result of a check; every output format renders this."""

    project: Project
    models: tuple[ModelAssessment, ...]
    list_versions: tuple[ListVersion, ...]
    level: Level
    score: float
    failed: bool
    """True when something reached ``policy.fail_on``."""
    bundled_data: bool
    """True when the run screened against the bundled snapshot instead of downloaded lists."""
    warnings: tuple[str, ...] = ()
    project_findings: tuple[Finding, ...] = ()
    metadata: RunMetadata | None = None
    undeclared: tuple[ModelRef, ...] = ()
    """Models found by scanning the repository that the manifest does not declare."""
    coverage: tuple[SourceCoverage, ...] = ()
    """Per catalogue source: stored, bundled or missing in this run."""


# --- scenarios ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assumption:
    """A listing a scenario assumes (``riskcheck whatif``): named organisations, and every
    organisation based in the named countries, put on ``list_code`` (under ``program``)."""

    organisations: tuple[str, ...] = ()
    """Registry ids."""
    countries: tuple[str, ...] = ()
    """ISO codes: every organisation based there counts as listed."""
    list_code: str = "SDN"
    program: str | None = None


@dataclass(frozen=True)
class ScenarioModel:
    """One model a scenario changes: its level today and under the assumed listing."""

    project: str
    model: str
    usage: str
    before: Level
    after: Level
    via: tuple[str, ...]
    """How the assumed listing reaches it: ``vendor Alibaba Cloud``, ``parent Alibaba Group``,
    ``upstream Alibaba Cloud (fine-tune of Qwen/Qwen2.5-7B)``, ``serving party ...``."""
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScenarioProject:
    """A project's outcome today and under the scenario, at its own policy's threshold."""

    project: str
    path: str | None
    before: Level
    after: Level
    failed_before: bool
    failed_after: bool
    fail_on: Level
    models: int


@dataclass(frozen=True)
class ScenarioResult:
    """Everything ``riskcheck whatif`` reports."""

    assumption: Assumption
    assumed_names: tuple[tuple[str, str], ...]
    """(registry id, display name) of each organisation named in the assumption."""
    projects: tuple[ScenarioProject, ...]
    affected: tuple[ScenarioModel, ...]
    warnings: tuple[str, ...] = ()

    @property
    def newly_failing(self) -> tuple[ScenarioProject, ...]:
        """Projects that pass today and would fail under the scenario."""
        return tuple(p for p in self.projects if p.failed_after and not p.failed_before)
