"""Screens every party of a resolved model (vendor, parents, upstream, serving) by name."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from riskcheck.match.engine import MatchConfig, MatchEngine, ScoredCandidate
from riskcheck.match.features import country_key
from riskcheck.match.interface import Screener
from riskcheck.model import ListEntity, Match, Organisation, Party, PartyRole, Resolution

# Most direct role first: when one organisation plays several roles for a model, its
# matches are reported under the most direct one.
_ROLE_ORDER: dict[str, int] = {
    "vendor": 0, "parent": 1, "upstream": 2, "upstream-parent": 3, "serving": 4, "serving-parent": 5,
}
_PER_PARTY_LIMIT = 50


class NameScreener(Screener):
    """Screens organisations with all their names and their country against list entities."""

    def __init__(self, entities: Sequence[ListEntity] | MatchEngine,
                 config: MatchConfig | None = None) -> None:
        if isinstance(entities, MatchEngine):
            self.engine = entities
        else:
            self.engine = MatchEngine(entities, config=config)
        self._memo: dict[str, tuple[ScoredCandidate, ...]] = {}

    def screen_organisation(self, organisation: Organisation) -> tuple[ScoredCandidate, ...]:
        """Scored entities for one organisation, memoised by its registry id."""
        found = self._memo.get(organisation.id)
        if found is None:
            weak = set(organisation.weak_aliases)
            names = [n for n in organisation.screening_names if n not in weak]
            if not names and not weak:
                names = [organisation.name]
            # Its full names are searched too, so no name of it is read as an acronym of a
            # listed name's words ("AWS" is not "Advanced Web Services").
            found = tuple(self.engine.search(names, country=organisation.country,
                                             limit=_PER_PARTY_LIMIT, acronyms=False)) if names else ()
            if weak:
                found = _with_weak(found, self._weak_hits(organisation, sorted(weak)))
            self._memo[organisation.id] = found
        return found

    def _weak_hits(self, organisation: Organisation, names: list[str]) -> list[ScoredCandidate]:
        """Hits through the organisation's weak aliases (a common word like "Salute", a short
        brand like "SKT"): only on an entity listed in the organisation's own country (the
        qualifier), and never above ``possible``: such a name alone cannot say which firm it
        is, so it may suggest a look, never raise a ``review`` or ``match``."""
        config = self.engine.config
        cap = round(config.review_threshold - 0.01, 4)
        if not organisation.country:
            return []
        wanted = country_key(organisation.country)
        out = []
        for hit in self.engine.search(names, country=organisation.country, limit=_PER_PARTY_LIMIT,
                                      acronyms=False):
            if wanted not in {country_key(c) for c in hit.entity.countries if c}:
                continue
            score = min(hit.score, cap)
            note = f"through a weak alias of the organisation, capped at {cap:.2f}"
            explanation = replace(hit.explanation,
                                  qualifiers=(*hit.explanation.qualifiers, note))
            out.append(replace(hit, score=score, band=config.band(score), explanation=explanation))
        return out

    def screen(self, resolution: Resolution) -> tuple[Match, ...]:
        """Matches (bands match, review, possible) for every party, deduplicated and sorted."""
        parties: list[tuple[Organisation, PartyRole]] = [
            (party.organisation, party.role) for party in _ordered(resolution.parties)]
        if resolution.serving is not None and not any(
                org.id == resolution.serving.organisation.id for org, _ in parties):
            parties.append((resolution.serving.organisation, "serving"))
        seen: set[tuple[str, str, str]] = set()
        matches: list[Match] = []
        for organisation, role in parties:
            for candidate in self.screen_organisation(organisation):
                if candidate.band is None:
                    continue
                key = (organisation.id, candidate.entity.source, candidate.entity.source_id)
                if key in seen:
                    continue
                seen.add(key)
                matches.append(Match(
                    party_id=organisation.id, party_role=role, entity=candidate.entity,
                    score=candidate.score, band=candidate.band, status=candidate.status,
                    explanation=candidate.explanation))
        matches.sort(key=lambda m: (-m.score, _ROLE_ORDER.get(m.party_role, 9), m.party_id,
                                    _source_rank(m.entity.source), m.entity.source,
                                    m.entity.source_id))
        return merge_same_entity(matches)


_AGGREGATORS = ("us_csl", "bundled")
"""Sources that republish other sources' entries: the publisher's own record leads a hit."""
_NOT_ALNUM = re.compile(r"[\W_]+")


def _with_weak(strong: tuple[ScoredCandidate, ...],
               weak: list[ScoredCandidate]) -> tuple[ScoredCandidate, ...]:
    """The strong names' hits, plus weak-alias hits on entities they did not find."""
    seen = {(c.entity.source, c.entity.source_id) for c in strong}
    extra = [c for c in weak if (c.entity.source, c.entity.source_id) not in seen]
    if not extra:
        return strong
    merged = [*strong, *extra]
    merged.sort(key=lambda c: (-c.score, c.entity.source, c.entity.source_id))
    return tuple(merged[:_PER_PARTY_LIMIT])


def _source_rank(source: str) -> int:
    return 1 if source in _AGGREGATORS or source.startswith("snapshot") else 0


def merge_same_entity(matches: Sequence[Match]) -> tuple[Match, ...]:
    """One hit per listed organisation and party, carrying every source that lists it.

    The Consolidated Screening List republishes SDN and Entity List entries, and OFAC keeps an
    organisation's SDN and sectoral (SSI) records apart; the same organisation then came back
    as two to four hits. Records are the same organisation when they have the same type and
    the same primary name (case, spacing and punctuation aside) and their countries do not
    disagree; the best-scored one (the publisher's own record on a tie) keeps its explanation,
    the others ride along in ``also_listed`` and their lists count in scoring. ``matches`` is
    sorted best first.
    """
    merged: list[Match] = []
    groups: dict[tuple[object, ...], list[int]] = {}
    for match in matches:
        entity = match.entity
        name = _NOT_ALNUM.sub(" ", entity.name.casefold()).strip()
        key: tuple[object, ...] = ((match.party_id, entity.source, entity.source_id) if not name
                                   else (match.party_id, match.status, entity.entity_type, name))
        slots = groups.setdefault(key, [])
        for slot in slots:
            first = merged[slot]
            if _countries_agree(first, entity):
                if all((e.source, e.source_id) != (entity.source, entity.source_id)
                       for e in first.listed_entities):
                    merged[slot] = replace(first, also_listed=(*first.also_listed, entity))
                break
        else:
            slots.append(len(merged))
            merged.append(match)
    return tuple(merged)


def _countries_agree(first: Match, entity: ListEntity) -> bool:
    """Records without countries agree with anything; otherwise their countries must overlap."""
    if not entity.countries:
        return True
    known = {c for e in first.listed_entities for c in e.countries}
    return not known or bool(known & set(entity.countries))


def _ordered(parties: Sequence[Party]) -> list[Party]:
    return sorted(parties, key=lambda p: _ROLE_ORDER.get(p.role, 9))
