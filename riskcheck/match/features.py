"""Scoring features of a candidate list entity; each returns ``(value, detail)``.

The main feature is the name score (best query name x listed name). Qualifiers adjust it:
country agreement raises it a little, a country conflict lowers it. Entity type is a gate
(a vendor never matches a person, vessel or aircraft), and a removal date changes the
listing status, not the score.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from riskcheck.match.align import AlignParams, NameScore, compare_names
from riskcheck.match.tokens import Token, TokenWeights
from riskcheck.model import ListEntity, ListingStatus


@dataclass(frozen=True)
class MatchConfig:
    """Thresholds and knobs of the matching engine (defaults documented in docs/matching.md)."""

    match_threshold: float = 0.90
    """At or above: band ``match`` (treat as the listed entity)."""
    review_threshold: float = 0.80
    """At or above (below match): band ``review`` (an analyst must look)."""
    possible_threshold: float = 0.70
    """At or above (below review): band ``possible`` (shown only when asked for)."""
    country_agree: float = 0.03
    """Added when the query's country is one of the entity's countries."""
    country_conflict: float = 0.10
    """Subtracted when the entity has countries and the query's is none of them."""
    country_conflict_cap: float = 0.89
    """Highest score when the countries differ (``review`` at most, whatever the name)."""
    weak_alias_cap: float = 0.89
    """Highest score through a listed alias its publisher marks weak (``review`` at most);
    such an alias counts only when the whole name agrees."""
    candidates: int = 20
    """Listed names rescored per query name after candidate generation."""
    org_params: AlignParams = field(default_factory=AlignParams)
    person_params: AlignParams = field(
        default_factory=lambda: AlignParams(extra_query=0.4, extra_result=0.15, extra_result_content=0.3,
                                            substitution=0.8, soft_floor=0.85, weak_only_cap=1.0,
                                            generic_extras_floor=0.0, common_word_names=0,
                                            substitution_cap=0.0, acronyms=False))
    """Person names: listed middle names and patronymics are ordinary extras (cheap), a name
    replaced by another is not ("... Sayed Mohamed" / "... Sayed Ahmed": ``substitution``),
    and spelling varies more (Jaro-Winkler past the edit budget), so weak word agreement is
    not capped; initials are not read as acronyms. Chosen on the even rows of name_bench
    (2026-12-05), odd rows reported."""

    def band(self, score: float) -> str | None:
        """``match``/``review``/``possible`` for a score, None below every band."""
        if score >= self.match_threshold:
            return "match"
        if score >= self.review_threshold:
            return "review"
        if score >= self.possible_threshold:
            return "possible"
        return None


class NameFeature(NamedTuple):
    """The best-scoring (query name, listed name) pair of one entity (a named tuple: one is
    made per scored candidate)."""

    score: float
    query_name: str
    matched_name: str
    detail: NameScore | None
    """The alignment; None for an exact hit of the normalised names."""
    name_id: int | None = None
    """The index's id of the listed name a fuzzy hit matched (its spelling is reported)."""

    def describe(self) -> str:
        """The alignment line, or the exact-hit note."""
        if self.detail is None:
            return "exact match of the normalised names"
        return self.detail.describe()


def name_feature(query: tuple[Token, ...], listed: tuple[Token, ...], weights: TokenWeights,
                 params: AlignParams, *, explain: bool = True) -> NameScore:
    """Score one query name against one listed name."""
    return compare_names(query, listed, weights, params, explain=explain)


def country_feature(country: str | None, entity: ListEntity,
                    config: MatchConfig) -> tuple[float, str | None]:
    """Adjustment for the query's country against the entity's countries, with a note."""
    if not country or not entity.countries:
        return 0.0, None
    wanted = country_key(country)
    listed = {c.strip().upper() for c in entity.countries if c}
    if wanted in listed:
        return config.country_agree, f"country agrees ({wanted}) +{config.country_agree:.2f}"
    shown = ", ".join(sorted(listed))
    return -config.country_conflict, f"country differs ({wanted} vs {shown}) -{config.country_conflict:.2f}"


def country_key(country: str) -> str:
    """An ISO alpha-2 code for a country written as a code or a name ("CN", "China",
    "People's Republic of China"); an unknown spelling is kept, upper-cased."""
    from riskcheck.territories import code_of as country_code

    value = country.strip()
    return country_code(value) or country_code(value.upper()) or value.upper()


def type_allowed(entity: ListEntity, entity_types: Collection[str]) -> bool:
    """Whether the entity's type may match at all (vendors never match persons or vessels)."""
    return entity.entity_type in entity_types


def listing_status(entity: ListEntity) -> tuple[ListingStatus, str | None]:
    """``formerly-listed`` when the entry carries a removal date, else ``current``."""
    if entity.removed_on:
        return "formerly-listed", f"removed from the list on {entity.removed_on}"
    return "current", None


def best_of(features: Sequence[NameFeature]) -> NameFeature:
    """The highest-scoring name pair (first on ties, so the most formal query name wins)."""
    best = features[0]
    for feature in features[1:]:
        if feature.score > best.score:
            best = feature
    return best
