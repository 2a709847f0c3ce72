"""Plain words for the PDF report: the summary's reasons, the policy, and numbered sources.

Kept apart from the layout (:mod:`riskcheck.formats.pdf`) so the wording can be tested
without reportlab and reused by other paged outputs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from riskcheck.formats import facts
from riskcheck.model import Finding, Level, ListVersion, ModelAssessment, Policy, Report

URL = re.compile(r"https?://[^\s<>\"'\u201c\u201d\u2018\u2019]+")
"""A URL inside running text; trailing punctuation is taken back off by :func:`_trim`."""

KIND_RANK: dict[str, int] = {
    "list-match": 0, "parent-list-match": 0, "serving-list-match": 0, "upstream-list-match": 1,
    "ownership-rule": 1, "denied-vendor": 2, "unresolved": 2, "vendor-override": 2,
    "jurisdiction": 3, "data-location": 3, "formerly-listed": 4,
}
"""At equal level, which finding explains a model best: a listing before a country."""


def headline(assessment: ModelAssessment) -> Finding | None:
    """The finding that set the model's level (list matches first at equal level)."""
    if not assessment.findings:
        return None
    return min(assessment.findings,
               key=lambda f: (-int(f.level), KIND_RANK.get(f.kind, 5), -f.score))


def detail_level(policy: Policy) -> Level:
    """Models at or above this level get a section of their own in the PDF: every model with
    a finding at low or above, so that no finding the report counts goes unexplained (models
    at none are in the overview table). A policy whose threshold is none changes nothing."""
    del policy  # one rule for every policy today; the argument keeps the call sites stable
    return Level.LOW


def worst_findings(report: Report, count: int = 3) -> list[tuple[Finding, list[str]]]:
    """The ``count`` worst distinct findings, each with the models it concerns.

    A finding repeated across models (two models of one vendor) is one entry naming both.
    """
    grouped: dict[tuple[str, str], tuple[Finding, list[str]]] = {}
    for assessment, finding in facts.all_findings(report):
        if finding.level == Level.NONE:
            continue
        key = (finding.kind, finding.summary)
        model = assessment.resolution.ref.id if assessment else "the project"
        if key in grouped:
            kept, models = grouped[key]
            models.append(model)
            if finding.level > kept.level:
                grouped[key] = (finding, models)
        else:
            grouped[key] = (finding, [model])
    ranked = sorted(grouped.values(), key=lambda item: (
        -int(item[0].level), KIND_RANK.get(item[0].kind, 5), -item[0].score, -len(item[1])))
    # One finding per model first (three models tell more than one model three times), then
    # the next worst of any model.
    first, rest, seen = [], [], set()
    for item in ranked:
        models = tuple(item[1])
        (rest if models in seen else first).append(item)
        seen.add(models)
    return (first + rest)[:count]


def what_to_change(report: Report) -> list[str]:
    """What would have to change for the run to pass (or why it passes), one point a line."""
    policy = report.project.policy
    fail_on = policy.fail_on
    lines: list[str] = []
    if fail_on == Level.NONE:
        lines.append("No fail threshold is set (fail_on: none): findings never fail the run.")
    blocking = [a for a in report.models if fail_on != Level.NONE and a.level >= fail_on]
    if blocking:
        lines.append(
            f"{len(blocking)} model{'s' if len(blocking) != 1 else ''} at {fail_on.label} or "
            f"above: each must be replaced, or its findings lowered below {fail_on.label} by an "
            "approved exception in the policy.")
        ranked = sorted(blocking, key=lambda a: (-int(a.level), a.resolution.ref.id))
        named = ", ".join(f"{a.resolution.ref.id} ({a.level.label})" for a in ranked[:8])
        more = f" and {len(ranked) - 8} more" if len(ranked) > 8 else ""
        lines[-1] += f" They are {named}{more}; the table of models gives each one's reason."
    project_blocking = [f for f in report.project_findings
                        if fail_on != Level.NONE and f.level >= fail_on]
    for finding in project_blocking:
        lines.append(f"Project ({finding.level.label}): {finding.summary}")
    unresolved = facts.unresolved_count(report)
    if policy.fail_on_unresolved and unresolved:
        lines.append(f"{unresolved} unresolved model{'s' if unresolved != 1 else ''}: the "
                     "policy fails on unresolved models; declare each vendor in the manifest.")
    if report.failed and not blocking and not project_blocking and report.undeclared and not (
            policy.fail_on_unresolved and unresolved):
        lines.append(f"{len(report.undeclared)} model{'s' if len(report.undeclared) != 1 else ''}"
                     " used in the code but not declared: add them to the manifest.")
    if not report.failed and fail_on != Level.NONE:
        worst = max(report.models, key=lambda a: int(a.level), default=None)
        closest = (f"; the highest model is {worst.resolution.ref.id} at {worst.level.label}"
                   if worst is not None and worst.level > Level.NONE else "")
        lines.append(f"Nothing has to change to pass at fail-on {fail_on.label}: no model "
                     f"reaches it{closest}.")
    missing = [c.source for c in report.coverage if c.state == "missing"]
    if missing:
        lines.append(f"Not screened, list missing: {', '.join(missing)}. A pass says nothing "
                     "about these lists: run 'riskcheck lists update'.")
    if report.bundled_data:
        lines.append("Screened against the snapshot bundled with riskcheck, not current "
                     "downloads: run 'riskcheck lists update' before relying on the result.")
    return lines


# -- policy in words --------------------------------------------------------------------------
def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _names(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(values) if values else "none"


def policy_words(policy: Policy) -> list[tuple[str, str]]:
    """Every policy setting as ``(what it decides, the setting in words)``."""
    p = policy
    rows = [
        ("Policy", f"preset '{p.preset}' with the project's and operator's changes"),
        ("Fails the run", f"when any model or project finding reaches {p.fail_on.label}"
         if p.fail_on != Level.NONE else "never on findings (no threshold)"),
        ("Unresolved models", f"reported at {p.unresolved_level.label}; "
         + ("they fail the run" if p.fail_on_unresolved else
            "they fail the run only through that level")),
        ("Maximum age of lists", f"{p.max_list_age_days} days" if p.max_list_age_days
         is not None else "not set here (7 days under CI)"),
        ("List severity changes", "; ".join(f"{code} counts as {level.label}"
                                            for code, level in p.severity_overrides)
         or "none: severities as bundled"),
    ]
    tiers = []
    for tier in p.country_tiers:
        parts = [f"countries {_names(tier.countries)}" if tier.countries is not None else ""]
        if tier.vendor_level is not None:
            parts.append(f"vendor there: {tier.vendor_level.label}")
        if tier.data_level is not None:
            parts.append(f"data processed there: {tier.data_level.label}")
        tiers.append(f"{tier.name}: " + ", ".join(x for x in parts if x))
    rows += [
        ("Country tiers changed", "; ".join(tiers) or "none: tiers as bundled"),
        ("Refused and approved", "; ".join(text for values, text in (
            (p.denied_vendors, f"vendors refused: {_names(p.denied_vendors)}"),
            (p.allowed_vendors, f"vendors approved despite their country: "
                                f"{_names(p.allowed_vendors)} (never hides a list match)"),
            (p.denied_countries, f"countries refused: {_names(p.denied_countries)}"),
            (p.allowed_countries, f"countries accepted: {_names(p.allowed_countries)}"))
            if values) or "no vendor or country refused or approved"),
        ("BIS Affiliates Rule", "applied: companies 50% or more owned by Entity List parties "
         "count as listed" if p.affiliates_rule else "not applied"),
        ("Weights", f"exposure through an upstream model counts {_percent(p.lineage_weight)}; "
         f"a name match needing review counts {_percent(p.review_weight)}"),
        ("By usage", ", ".join(f"{usage} {_percent(w)}" for usage, w in p.usage_weights)),
        ("By criticality", ", ".join(f"{c} {_percent(w)}" for c, w in p.criticality_weights)),
    ]
    shares = [(label, value) for label, value in (
        ("one vendor", p.max_vendor_share), ("one country", p.max_country_share),
        ("one vendor among critical models", p.max_critical_vendor_share),
        ("one country among critical models", p.max_critical_country_share))
        if value is not None]
    rows.append(("Concentration", (
        "flagged when " + ", or ".join(f"more than {_percent(v)} of the models depend on "
                                       f"{label}" for label, v in shares)
        + f" (projects of {p.concentration_min_models} models or more)") if shares
        else "not judged"))
    rows += [
        ("Exceptions", f"{len(p.exceptions)} declared; a finding under an exception in force "
         f"is lowered to {p.exception_level.label}"
         + (f"; also accepted from: {_names(p.allow_exceptions_from)}"
            if p.allow_exceptions_from else "")),
        ("Alternatives", f"suggested for models at {p.alternatives_from.label} or above"
         if p.alternatives_from != Level.NONE else "never suggested"),
        ("Manifest vendor overrides", "honoured (operator policy)" if p.allow_vendor_overrides
         else "not honoured when they contradict the registry"),
    ]
    return rows


# -- numbered sources -------------------------------------------------------------------------
@lru_cache(maxsize=1)
def official_sources() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Catalogue id -> (official page to cite, official file URLs), from lists/sources.yaml.

    Read from the shipped catalogue only: a user's config or a mirror never changes what a
    report cites as the official source.
    """
    import yaml

    from riskcheck.lists.catalogue import bundled_lists_dir

    try:
        data = yaml.safe_load((bundled_lists_dir() / "sources.yaml").read_text("utf-8"))
    except Exception:  # noqa: BLE001 - a report still renders without the catalogue
        return {}
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for source in (data or {}).get("sources") or ():
        files = [u for u in (source.get("files") or {}).values() if "://" in str(u)]
        for variant in (source.get("variants") or {}).values():
            files += [u for u in (variant.get("files") or {}).values() if "://" in str(u)]
        page = source.get("page") or (files[0] if files else None)
        if source.get("id") and page:
            out[str(source["id"])] = (str(page), tuple(str(u) for u in files))
            titles[str(source["id"])] = str(source.get("title") or source["id"])
    return out


def source_title(source_id: str) -> str:
    """The catalogue's title of a list source (its id when the catalogue has none)."""
    official_sources()
    return titles.get(source_id, source_id)


titles: dict[str, str] = {}
"""Catalogue titles by source id, filled by :func:`official_sources`."""


def _trim(url: str) -> str:
    return url.rstrip(".,;:)]}")


@dataclass
class Bibliography:
    """Sources numbered in order of first citation; each URL gets one number."""

    entries: dict[str, list[str]] = field(default_factory=dict)
    order: dict[str, int] = field(default_factory=dict)

    def ref(self, url: str, note: str = "") -> int:
        """The number of ``url`` (given one on first use); ``note`` describes the source."""
        url = _trim(url)
        if url not in self.entries:
            self.entries[url] = []
            self.order[url] = len(self.order) + 1
        notes = self.entries[url]
        if note and note not in notes:
            notes.append(note)
        return self.order[url]

    def cite(self, text: str) -> str:
        """``text`` with every URL replaced by its number, ``[3]``."""
        if "://" not in text:
            return text

        def number(match: re.Match[str]) -> str:
            url = match.group(0)
            trimmed = _trim(url)
            return f"[{self.ref(trimmed)}]{url[len(trimmed):]}"
        return URL.sub(number, text)

    def numbers(self, urls: list[str], note: str = "") -> str:
        """``[1][4]`` for ``urls`` (empty when there are none)."""
        return "".join(f"[{self.ref(u, note)}]" for u in dict.fromkeys(urls))


def version_citation(version: ListVersion) -> tuple[str | None, str]:
    """The URL to cite for a list version (the official one) and a note on where it came from.

    A stored copy fetched from a mirror or imported from a file is cited by its official
    source; the note says the copy came from elsewhere.
    """
    official = official_sources().get(version.source)
    if official is None:
        return version.url, ""
    page, files = official
    if version.origin == "store" and version.url and _trim(version.url) not in files \
            and _trim(version.url) != page:
        return page, "this copy came from a mirror or an imported file"
    return page, ""


def version_lines(version: ListVersion) -> list[str]:
    """The bibliography text of a list version: what, when, which bytes."""
    bundled = version.origin == "bundled"
    title = f"{version.title} ({version.source})"
    if not bundled:
        title += ", stored copy"
    elif "bundled" not in version.title.lower():
        title += ", bundled snapshot"
    dates = [f"published {version.published}" if version.published else "publication date "
             "not stated"]
    if version.fetched_at:
        dates.append(f"{'snapshot of' if bundled else 'fetched'} {version.fetched_at[:10]}")
    head = (f"{title}; {', '.join(dates)}; {version.record_count:,} records"
            + ("; STALE" if version.stale else ""))
    if len(version.version) == 64:
        return [head, f"version sha256 {version.version}"]
    if bundled and version.version.startswith("snapshot-"):
        return [head]  # the snapshot date is the version
    return [head, f"version {version.version}"]


def weighing_line(details: tuple[str, ...]) -> tuple[list[str], str]:
    """Split a finding's details into its reasons and one line of its score arithmetic
    (factors of 1 left out)."""
    reasons, steps = [], []
    for line in details:
        if line.startswith(("x 1:", "\u00d7 1:")):
            continue  # a factor of 1 changes nothing; the JSON result keeps it
        if line.startswith(("base score ", "x ", "\u00d7 ", "= score ")):
            steps.append(line)
        else:
            reasons.append(line)
    return reasons, "; ".join(steps)


def plain_value(value: Any) -> str:
    """A setting's value in words (never a Python repr such as ``False`` or ``None``)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "not set"
    if isinstance(value, (list, tuple)):
        return ", ".join(plain_value(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {plain_value(v)}" for k, v in value.items() if v is not None)
    return str(value)
