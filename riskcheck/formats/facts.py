"""Facts every format derives from a :class:`Report` the same way.

Each renderer reads its counts, labels and notices from here, so a table, a PDF and a SARIF
file can never disagree on how many models are high or which data was screened.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from typing import Any

from riskcheck.model import (
    Finding,
    Level,
    ListVersion,
    SourceCoverage,
    Match,
    ModelAssessment,
    Organisation,
    Report,
)

KIND_HELP: dict[str, tuple[str, str]] = {
    "list-match": (
        "Vendor on an official list",
        "The model's own vendor matches an entry of a sanctions, export-control or "
        "military-company list. Check the match explanation; confirm with compliance before use.",
    ),
    "parent-list-match": (
        "Parent company on an official list",
        "An owner of the model's vendor matches a list entry. Ownership rules (such as OFAC's "
        "50% rule) may extend the listing to the vendor.",
    ),
    "upstream-list-match": (
        "Upstream model vendor on an official list",
        "The model derives (fine-tune, quantization, merge, distillation) from a model whose "
        "vendor matches a list entry.",
    ),
    "serving-list-match": (
        "API host on an official list",
        "The organisation that serves the model over an API, and so receives the data, matches "
        "a list entry.",
    ),
    "ownership-rule": (
        "Ownership by a listed party",
        "The vendor is owned, alone or in aggregate, by listed parties above the policy's "
        "ownership threshold.",
    ),
    "jurisdiction": (
        "Vendor jurisdiction",
        "The vendor or its parent is headquartered or incorporated in a jurisdiction the "
        "policy flags.",
    ),
    "data-location": (
        "Data processed in a flagged country",
        "Calls to the model send data to a host in a country the policy flags.",
    ),
    "unresolved": (
        "Model could not be resolved",
        "riskcheck could not tell who publishes this model, so it could not be screened. "
        "Unknown is not clean: declare the vendor in the manifest (vendor: <id>).",
    ),
    "denied-vendor": (
        "Vendor denied by policy",
        "The project's policy denies this vendor or its parent outright.",
    ),
    "concentration": (
        "Concentration on one vendor or country",
        "Many of the project's models depend on one vendor, parent or country.",
    ),
    "formerly-listed": (
        "Formerly listed",
        "A party matched an entry that has since been removed from its list; shown for "
        "history and due diligence.",
    ),
    "undeclared-model": (
        "Model used in code but not declared",
        "A repository scan found a model reference that the manifest does not declare. It was "
        "resolved, screened and scored like the declared models; declare it in riskcheck.yaml "
        "so its usage and criticality are stated rather than guessed.",
    ),
    "vendor-override": (
        "Manifest vendor contradicts the registry",
        "The manifest names a vendor for a model that the registry confidently identifies as "
        "another organisation's. The registry's vendor is assessed; only the operator's policy "
        "(allow_vendor_overrides) makes riskcheck honour the manifest.",
    ),
}
"""Short title and help text for every :data:`riskcheck.model.FindingKind`."""

LEVELS_DESCENDING: tuple[Level, ...] = tuple(sorted(Level, reverse=True))


def kind_title(kind: str) -> str:
    """A short human title for a finding kind (the kind itself when unknown)."""
    return KIND_HELP.get(kind, (kind, ""))[0]


def kind_help(kind: str) -> str:
    """Help text for a finding kind (generic for a kind this version does not know)."""
    return KIND_HELP.get(kind, (kind, f"Finding of kind '{kind}'; see the finding's summary."))[1]


def kinds_in(report: Report) -> list[str]:
    """Every known kind, then any other kind the report carries (in order of appearance)."""
    kinds = dict.fromkeys(KIND_HELP)
    for _, finding in all_findings(report):
        kinds.setdefault(finding.kind, None)
    return list(kinds)


def level_counts(report: Report) -> dict[str, int]:
    """Number of models at each level, every level present, lowest first."""
    counts = {level.label: 0 for level in Level}
    for assessment in report.models:
        counts[assessment.level.label] += 1
    return counts


def unresolved_count(report: Report) -> int:
    """How many models could not be resolved."""
    return sum(1 for a in report.models if a.resolution.status == "unresolved")


def counts_phrase(report: Report) -> str:
    """``6 models: 1 critical, 2 high, ... ; 1 unresolved`` for summary lines."""
    counts = level_counts(report)
    parts = [f"{counts[level.label]} {level.label}" for level in LEVELS_DESCENDING]
    total = len(report.models)
    text = f"{total} model{'s' if total != 1 else ''}: " + ", ".join(parts)
    return text + f"; {unresolved_count(report)} unresolved"


def verdict_phrase(report: Report) -> str:
    """``FAIL at fail-on high`` / ``PASS at fail-on high`` / ``no threshold``; a run that
    failed for another reason than its level names that reason."""
    fail_on = report.project.policy.fail_on
    if not report.failed:
        return ("PASS (no fail threshold)" if fail_on == Level.NONE
                else f"PASS at fail-on {fail_on.label}")
    reasons = []
    if fail_on != Level.NONE and report.level >= fail_on:
        reasons.append(f"at fail-on {fail_on.label}")
    unresolved = unresolved_count(report)
    if report.project.policy.fail_on_unresolved and unresolved:
        reasons.append(f"{unresolved} unresolved model{'s' if unresolved != 1 else ''} "
                       "(policy fail_on_unresolved)")
    if not reasons and report.undeclared:
        count = len(report.undeclared)
        reasons.append(f"{count} model{'s' if count != 1 else ''} used in the code but not "
                       "declared (--fail-on-undeclared)")
    if not reasons:
        return f"FAIL at fail-on {fail_on.label}"
    return ("FAIL " if reasons[0].startswith("at ") else "FAIL: ") + "; ".join(reasons)


def model_label(assessment: ModelAssessment) -> str:
    """The model as the project wrote it."""
    return assessment.resolution.ref.id


def vendor_of(assessment: ModelAssessment) -> Organisation | None:
    """The model's resolved vendor, if any."""
    return assessment.resolution.vendor


def parents_of(assessment: ModelAssessment) -> tuple[Organisation, ...]:
    """Owners of the vendor (``parent`` parties), nearest first, without repeats."""
    seen: dict[str, Organisation] = {}
    for party in assessment.resolution.parties:
        if party.role == "parent":
            seen.setdefault(party.organisation.id, party.organisation)
    return tuple(seen.values())


def score_factors(details: tuple[str, ...] | list[str]) -> list[str]:
    """The factors other than 1 in a finding's arithmetic (``x 0.85: self-hosted open
    weights: ...`` lines) as ``× 0.85 (self-hosted open weights)``: the reason's head only."""
    out = []
    for line in details:
        head, sep, why = line.partition(": ")
        if not sep or not head.startswith("x "):
            continue
        try:
            factor = float(head[2:])
        except ValueError:
            continue
        if factor != 1:
            out.append(f"× {head[2:]} ({why.split(': ', 1)[0]})")
    return out


def serving_status(resolution: Any) -> str:
    """``ambiguous`` (several parties may serve it, or it may be self-hosted: see the
    candidates), ``first-party``, ``third-party``, ``unknown`` (API use, serving party not
    known) or ``self-hosted``."""
    serving = resolution.serving
    candidates = resolution.serving_candidates
    if len(candidates) > 1 or (candidates and serving is None):
        return "ambiguous"
    if serving is not None:
        return "first-party" if serving.first_party else "third-party"
    api = any("serving party unknown" in t or "set base_url" in t for t in resolution.tried)
    return "unknown" if api else "self-hosted"


def serving_note(resolution: Any) -> str | None:
    """One line naming the candidates when the reference alone cannot tell who serves the
    model (``serving ambiguous: OpenAI (US, assumed) or OpenRouter (US); set base_url to say
    which``), else ``None``. The assumed party is the one the findings were scored for."""
    if serving_status(resolution) != "ambiguous":
        return None
    serving = resolution.serving
    assumed = serving.organisation.id if serving is not None else None
    names = [f"{o.name} ({o.country or '?'}{', assumed' if o.id == assumed else ''})"
             for o in resolution.serving_candidates]
    if serving is None:
        return ("serving ambiguous: self-hosted, or sent to " + " or ".join(names)
                + "; declare usage or base_url to say which")
    return "serving ambiguous: " + " or ".join(names) + "; set base_url to say which"


def country_of(assessment: ModelAssessment) -> str | None:
    """The vendor's country, else the first country of the model's lineage."""
    vendor = vendor_of(assessment)
    if vendor is not None and vendor.country:
        return vendor.country
    countries = assessment.resolution.countries
    return countries[0] if countries else None


def match_label(match: Match) -> str:
    """``1260H Alibaba Group Holding Limited 0.97`` style one-liner."""
    lists = "/".join(match.all_lists) or match.entity.source
    return f"{lists} {match.entity.name} {match.score:.2f}"


def listed_on_phrase(match: Match) -> str:
    """When the entity was listed (and removed), for explanations."""
    parts = []
    if match.entity.listed_on:
        parts.append(f"listed {match.entity.listed_on}")
    if match.entity.removed_on:
        parts.append(f"removed {match.entity.removed_on}")
    return ", ".join(parts)


def all_findings(report: Report) -> Iterator[tuple[ModelAssessment | None, Finding]]:
    """Every finding with its model (``None`` for project findings), in report order."""
    for assessment in report.models:
        for finding in assessment.findings:
            yield assessment, finding
    for finding in report.project_findings:
        yield None, finding


def excepted_findings(report: Report) -> list[tuple[ModelAssessment | None, Finding]]:
    """Findings lowered by an exception in force."""
    return [(a, f) for a, f in all_findings(report) if f.exception_id]


def policy_exceptions(report: Report) -> list[dict[str, Any]]:
    """The policy's declared exceptions as plain dicts, if the policy carries any.

    ``Policy`` gains an ``exceptions`` field in the scoring stage; read it defensively so the
    formats work before and after.
    """
    raw = getattr(report.project.policy, "exceptions", None) or ()
    return [plain(item) if is_dataclass(item) else dict(item) if isinstance(item, dict)
            else {"value": str(item)} for item in raw]


def plain(value: Any) -> Any:
    """A dataclass tree as plain JSON-able values (levels as labels, tuples as lists)."""
    if isinstance(value, Level):
        return value.label
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, float):
        return round(value, 4)
    return value


def coverage_text(coverage: SourceCoverage) -> str:
    """One source's coverage, every date named for what it is: ``us_csl stored (1a2b3c4d5e6f,
    fetched 2026-12-04, newest listing 2022-05-16, ...)``, ``us_csl bundled (snapshot compiled
    2026-11-29, 12 entries)`` ..."""
    if coverage.state == "stored":
        version = (coverage.version or "")[:12]
        newer = (f"; plus {coverage.newer_bundled} newer bundled entries listed up to "
                 f"{coverage.newer_bundled_until}" if coverage.newer_bundled else "")
        as_of = ""
        if coverage.published:
            as_of = f", published {coverage.published}"
        elif coverage.as_of:
            as_of = f", newest listing {coverage.as_of}"
        return (f"{coverage.source} stored ({version}, fetched {(coverage.fetched_at or '?')[:10]}"
                f"{as_of}, {coverage.record_count} records{newer})")
    if coverage.state == "bundled":
        return (f"{coverage.source} bundled ({snapshot_phrase(coverage.snapshot_date)}, "
                f"{coverage.record_count} entries)")
    return f"{coverage.source} missing"


def snapshot_phrase(compiled_on: str | None) -> str:
    """The one name of the bundled snapshot: ``snapshot compiled 2026-11-29``.

    Its date is the day the snapshot was compiled (``compiled_on`` in lists/snapshot); the
    listing dates of its entries are dates of listings, never the snapshot's date.
    """
    return f"snapshot compiled {compiled_on[:10]}" if compiled_on else "snapshot (date unknown)"


def coverage_notice(report: Report) -> str:
    """Every catalogue source's coverage in one line (empty when the report has none)."""
    return "; ".join(coverage_text(c) for c in report.coverage)


def data_notice(report: Report) -> str:
    """One line naming the data screened: the bundled snapshot (its compilation date, and the
    newest listing it holds) or the stored list versions, each date labelled."""
    versions = report.list_versions
    if report.bundled_data:
        compiled = max((v.fetched_at or "" for v in versions if v.origin == "bundled"),
                       default="")
        listed = sorted({v.published for v in versions if v.published})
        newest = f" (newest listing in it {listed[-1]})" if listed else ""
        return (f"bundled {snapshot_phrase(compiled or None)}{newest}, not freshly downloaded "
                "lists; run 'riskcheck lists update' for current lists")
    if not versions:
        return "no list versions recorded: results were not screened against any list"
    stale = [v.source for v in versions if v.stale]
    stored = [v for v in versions if v.origin == "store"]
    as_of = {c.source: c.as_of for c in report.coverage if c.state == "stored"}
    # Grouped by what the date is, each group named once.
    groups: dict[str, list[str]] = {"published": [], "newest listing": [], "fetched": [],
                                    "version": []}
    for v in stored:
        fetched = (v.fetched_at or "")[:10]
        if v.published:
            groups["published"].append(f"{v.source} {v.published}")
        elif as_of.get(v.source):
            groups["newest listing"].append(f"{v.source} {as_of[v.source]}")
        elif fetched:
            groups["fetched"].append(f"{v.source} {fetched}")
        else:
            groups["version"].append(f"{v.source} {v.version[:12]}")
    text = f"{len(stored)} stored list{'s' if len(stored) != 1 else ''}: " + "; ".join(
        f"{label} {', '.join(items)}" for label, items in groups.items() if items)
    if stale:
        text += f" (stale: {', '.join(stale)})"
    return text


def version_date(report: Report, version: ListVersion) -> str:
    """A list version's date, named: ``published 2026-11-20``, ``newest listing 2022-05-16,
    fetched 2026-12-04`` (the file carries no publication date but its rows carry listing
    dates), ``fetched 2026-12-04``; for the bundled snapshot, its newest listing."""
    if version.origin == "bundled":
        return f"newest listing {version.published}" if version.published else "—"
    as_of = next((c.as_of for c in report.coverage
                  if c.source == version.source and c.state == "stored"), None)
    return _dated(version, as_of)


def _dated(version: ListVersion, as_of: str | None) -> str:
    fetched = (version.fetched_at or "")[:10]
    if version.published:
        return f"published {version.published}"
    if as_of:
        return f"newest listing {as_of}" + (f", fetched {fetched}" if fetched else "")
    if fetched:
        return f"fetched {fetched}"
    return f"version {version.version[:12]}"


def version_short(version: ListVersion, as_of: str | None = None) -> str:
    """``us_csl published 2026-11-20`` / ``us_csl newest listing 2022-05-16, fetched
    2026-12-04`` / ``us_csl fetched 2026-12-04``: the date says what it is."""
    return f"{version.source} {_dated(version, as_of)}"
