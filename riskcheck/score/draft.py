"""A finding under construction, with the listed entities it rests on.

Exceptions need to know which listed entities (and lists) a finding rests on before the finding
is frozen; :class:`Draft` carries them alongside, and findings sort the same way every run.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from riskcheck.model import Finding, ListEntity


@dataclass(frozen=True)
class Draft:
    """A :class:`Finding` and the listed entities and list codes behind it."""

    finding: Finding
    entities: tuple[ListEntity, ...] = ()
    lists: tuple[str, ...] = ()
    """List codes the finding rests on; an exception must cover every one."""

    def with_finding(self, **changes: object) -> Draft:
        """This draft with fields of its finding changed."""
        finding = replace(self.finding, **changes)  # type: ignore[arg-type]
        return Draft(finding, self.entities, self.lists)


KIND_ORDER = ("denied-vendor", "list-match", "parent-list-match", "ownership-rule",
              "serving-list-match", "upstream-list-match", "data-location", "jurisdiction",
              "unresolved", "vendor-override", "concentration", "formerly-listed")
"""On equal level and score, direct listings read first in a report."""


_LISTING_KINDS = frozenset({"denied-vendor", "list-match", "parent-list-match", "ownership-rule",
                            "serving-list-match", "upstream-list-match"})


def finding_key(finding: Finding) -> tuple[object, ...]:
    """Order findings worst first, then by stable identifiers (never by input order)."""
    entity = finding.match.entity if finding.match else None
    rank = KIND_ORDER.index(finding.kind) if finding.kind in KIND_ORDER else len(KIND_ORDER)
    # At equal level a listing reads before a country finding, whatever their scores: the
    # headline reason of a model is the most concrete one.
    group = 0 if finding.kind in _LISTING_KINDS else 1
    return (-int(finding.level), group, -finding.score, rank, finding.kind,
            finding.party_id or "",
            entity.source if entity else "", entity.source_id if entity else "",
            finding.summary, finding.exception_id or "")


def sort_findings(findings: list[Finding]) -> tuple[Finding, ...]:
    """Findings in report order, without exact duplicates."""
    unique = {(f.kind, f.summary, f.party_id, f.exception_id, f.level, f.score): f
              for f in findings}
    return tuple(sorted(unique.values(), key=finding_key))
