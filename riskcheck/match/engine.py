"""The matching engine: every listed entity that is the queried organisation, scored 0..1.

Search = exact short cut (equal normalised names score 1.0) + candidate generation through
the index (shared token keys, and vocabulary words within the edit budget of a query word,
found through trigrams) + rescoring of a bounded candidate set with the token aligner +
qualifiers (country, type gate, removal status) + bands.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import compress, filterfalse
from pathlib import Path

from riskcheck.match.align import AlignParams, NameScore, acronym_query, compare_names, slash_parts
from riskcheck.match.features import (
    MatchConfig,
    NameFeature,
    country_feature,
    listing_status,
    name_feature,
    type_allowed,
)
from riskcheck.match.index import NameIndex
from riskcheck.match.normalize import normalize
from riskcheck.match.tokens import (
    ACRONYM_LETTERS,
    ACRONYM_MARK,
    NUMBER,
    ORG,
    STOP,
    WORD,
    Token,
    analyze_org,
    analyze_person,
    kind_of_key,
)
from riskcheck.model import Band, ListEntity, ListingStatus, MatchExplanation

__all__ = ["MatchConfig", "MatchEngine", "ScoredCandidate"]

# Keys carried by more than this share of names are too common to generate candidates
# (they still count when a candidate found by another token is scored).
_COMMON_SHARE = 0.01
_BOUND_MARGIN = 0.85
_ACRONYM_MIN, _ACRONYM_MAX = ACRONYM_LETTERS


@dataclass(frozen=True)
class ScoredCandidate:
    """A listed entity, its score against the query, band, status and explanation."""

    entity: ListEntity
    score: float
    band: Band | None
    status: ListingStatus
    explanation: MatchExplanation


class MatchEngine:
    """Indexes list entities once; answers name searches against them."""

    def __init__(self, entities: Sequence[ListEntity], *, config: MatchConfig | None = None,
                 cache_dir: Path | None = None, cache_key: str | None = None) -> None:
        self.entities = tuple(entities)
        self.config = config or MatchConfig()
        index = None
        cache_path = None
        if cache_dir is not None and cache_key is not None:
            cache_path = Path(cache_dir) / f"name-index-{_safe(cache_key)}.bin"
            index = NameIndex.load(cache_path, self.entities, cache_key)
        if index is None:
            index = NameIndex.build(self.entities, cache_key)
            if cache_path is not None:
                try:
                    index.save(cache_path)
                except OSError:
                    pass  # a cache that cannot be written only costs the next start-up time
        self.index = index
        self.weights = index.weights
        self._common = max(50, int(index.header["name_count"] * _COMMON_SHARE))
        self._similar: dict[str, list[Token]] = {}
        self._weighed: dict[int, list[float]] = {}
        self._similar_key_sets: dict[str, tuple[str, ...]] = {}
        """Token weights of listed names already scored (frequent candidates recur)."""
        self._segments: dict[str, list[str]] = {}
        self._pairs: dict[tuple[str, bool, str], NameScore] = {}
        self._literal_params = replace(self.config.org_params, acronyms=False)
        self._acronyms = True

    def search(self, name: str | Sequence[str], *, country: str | None = None,
               entity_types: Collection[str] = ("organisation", "unknown"),
               limit: int = 10, min_score: float | None = None,
               acronyms: bool = True) -> list[ScoredCandidate]:
        """Best-scoring entities for one or several names of the same organisation (or person).

        Several query names (legal names, aliases) give one result per entity: its best pair.
        Results below ``min_score`` (by default the ``possible`` threshold) are left out;
        a higher one spares explaining results the caller would drop. ``acronyms=False``
        reads no word as an acronym of a listed name's words: for names of a known
        organisation, whose full names are searched too ("AWS" is not "Advanced Web
        Services" there).
        """
        self._acronyms = acronyms
        names = [name] if isinstance(name, str) else [n for n in name if n and n.strip()]
        best: dict[int, NameFeature] = {}
        # Pairs scored in this search, by (query name, person, listed name as normalised):
        # entries repeat names (one entry per list, per address), a pair is scored once.
        self._pairs = {}
        want_person = "person" in entity_types
        want_other = any(t != "person" for t in entity_types)
        lowest = max(self.config.possible_threshold, min_score or 0.0)
        # Candidates are always pruned for the lowest band, whatever the caller asked for: the
        # same candidates, so the same scores, at every threshold (a higher threshold only
        # filters the results).
        prune = self.config.possible_threshold
        for query_name in names:
            self._exact(query_name, entity_types, best)
            if want_other:
                self._fuzzy(query_name, analyze_org(query_name), False, entity_types, best, prune)
            if want_person:
                self._fuzzy(query_name, analyze_person(query_name), True, entity_types, best, prune)
        # The country bonus may still lift a name score into the reported range.
        floor = lowest - max(0.0, self.config.country_agree)
        ranked = []
        queries = [(query_name, person, tokens) for query_name in names
                   for person, tokens in ((False, analyze_org(query_name) if want_other else ()),
                                          (True, analyze_person(query_name) if want_person else ()))]
        for entity_id, feature in best.items():
            if feature.score < floor:
                continue
            feature = self._complete(entity_id, feature, queries)
            entity = self.entities[entity_id]
            adjust, note = country_feature(country, entity, self.config)
            score = _final_score(feature.score, adjust, self.config)
            if score >= lowest and self.config.band(score) is not None:
                ranked.append((-score, entity.source, entity.source_id, entity_id, feature, adjust, note))
        ranked.sort(key=lambda item: item[:3])
        # Only what is returned is explained.
        return [self._finish(entity_id, feature, -negated, adjust, note)
                for negated, _, _, entity_id, feature, adjust, note in ranked[:limit]]

    def score_pair(self, query: str, listed: str, *, person: bool = False) -> NameScore:
        """Score one name against another with this engine's weights (benchmarks, debugging)."""
        analyse = analyze_person if person else analyze_org
        if normalize(query) == normalize(listed):
            return NameScore(1.0, (), ("exact match of the normalised names",))
        params = self.config.person_params if person else self.config.org_params
        tokens = analyse(query)
        best = name_feature(tokens, analyse(listed), self.weights, params)
        if not person:
            # The parts of a slash-joined listed name are readings of it, as in a search.
            for part in slash_parts(listed):
                scored = _as_part(name_feature(tokens, analyse(part), self.weights, params),
                                  self.config)
                if scored is not None and scored.score > best.score:
                    best = scored
        return best

    # --- steps ---------------------------------------------------------------------------

    def _params(self, person: bool) -> AlignParams:
        if person:
            return self.config.person_params
        return self.config.org_params if self._acronyms else self._literal_params

    def _exact(self, query_name: str, entity_types: Collection[str],
               best: dict[int, NameFeature]) -> None:
        index = self.index
        # Per entity, its first spelling of the name (the one reported) and a name id of it.
        first_alias: dict[int, tuple[int, int]] = {}
        for name_id in index.exact(normalize(query_name)):
            entity_id = index.entity_of(name_id)
            alias = index.alias_of(name_id)
            if alias < first_alias.get(entity_id, (alias + 1, 0))[0]:
                first_alias[entity_id] = (alias, name_id)
        for entity_id, (alias, name_id) in first_alias.items():
            entity = self.entities[entity_id]
            if type_allowed(entity, entity_types):
                matched = entity.all_names[alias]
                if name_id in index.weak_names:
                    cap = self.config.weak_alias_cap
                    detail = NameScore(cap, (), ("exact match of the normalised names",
                                                 f"a weak alias on the list, capped at {cap:.2f}"))
                    feature = NameFeature(cap, query_name, matched, detail)
                    current = best.get(entity_id)
                    if current is None or feature.score > current.score:
                        best[entity_id] = feature
                else:
                    best[entity_id] = NameFeature(1.0, query_name, matched, None)

    def _candidates(self, tokens: tuple[Token, ...], person: bool, lowest: float) -> list[int]:
        index = self.index
        weights = self.weights
        lengths = index.arrays["name_len"]  # name_id -> its number of tokens
        # Legal forms neither propose nor rank candidates: "sberbank Limited" must reach
        # "Joint Stock Company Sberbank" before the many "... Sberbank ... Limited" names.
        # (They still count when the candidates are scored, and as parts of words the query
        # spells apart: "GAMA AT" is "GAMA'AT", though "at" is also a legal form.)
        respaced = self._respaced_keys(tokens)
        tokens = tuple(t for t in tokens if t.kind != ORG) or tokens
        total = sum(weights.weight(t) for t in tokens)
        # Rare keys (and listed words within the edit budget of a query word) propose
        # candidates; keys on many names only add weight to names already proposed.
        proposals: list[tuple[int, float, Sequence[int]]] = []
        for key, weight in respaced:
            postings = index.postings(key)
            if postings:
                proposals.append((len(postings), weight, postings))
        # A word read as an acronym must be the query's one word (the rest places, legal
        # forms, generic words: "PLA China"), so only such a query looks acronyms up.
        acronym = self._acronyms and not person and acronym_query(tokens)
        for token in tokens:
            weight = weights.weight(token)
            keys = {token.key}
            if acronym and token.kind == WORD and _ACRONYM_MIN <= len(token.text) <= _ACRONYM_MAX:
                # A word that may be an acronym also meets the names whose initials it spells.
                keys.add(ACRONYM_MARK + token.text)
            # Only plain words are looked up fuzzily: dictionary words (legal forms, symbols,
            # places) already meet their variants through their shared key.
            if token.kind == WORD and len(token.text) >= 5:
                keys.update(self._similar_keys(token.text))
            for key in keys:
                postings = index.postings(key)
                if postings:
                    proposals.append((len(postings), weight, postings))
        if not proposals:
            return []
        proposals.sort(key=lambda item: item[0])
        hits: dict[int, float] = {}
        rare = [p for p in proposals if p[0] <= self._common]
        params = self._params(person)
        floor = lowest * _BOUND_MARGIN
        # hit / (hit + e * (total - hit)) >= floor  <=>  hit >= floor * e * total / (1 - floor + floor * e)
        need = floor * params.extra_query * total / (1.0 - floor + floor * params.extra_query)
        if rare:
            # Heaviest keys first; once the keys left cannot add up to ``need``, names not seen
            # yet cannot reach the lowest band, so only names already proposed are updated.
            rare.sort(key=lambda item: -item[1])
            left = sum(weight for _, weight, _ in proposals)
            for _, weight, postings in rare:
                if left >= need:
                    # Built in C: new names in postings order, names already proposed summed.
                    fresh = dict.fromkeys(postings, weight)
                    for name_id in hits.keys() & fresh.keys():
                        fresh[name_id] += hits[name_id]
                    hits.update(fresh)
                elif len(postings) > 8 * len(hits):
                    # Few names proposed against a long list: a binary search each (postings
                    # are sorted) beats reading the whole list; the same names updated.
                    size = len(postings)
                    for name_id in hits:
                        at = bisect_left(postings, name_id)
                        if at < size and postings[at] == name_id:
                            hits[name_id] += weight
                else:
                    for name_id in hits.keys() & postings:
                        hits[name_id] += weight
                left -= weight
            common = proposals[len(rare):]
        else:
            # Only common keys ("China Technology Co., Ltd."): the names carrying all of the
            # rarest ones, intersected in C, rather than every name with one of them.
            shared = set(proposals[0][2])
            for _, _, postings in proposals[1:]:
                narrowed = shared.intersection(postings)
                if not narrowed:
                    break
                shared = narrowed
            base = proposals[0][1]
            # The shortest first: they carry the fewest extras ("Al" among the "Al ..." names).
            shortest = sorted(shared)
            shortest.sort(key=lengths.__getitem__)
            hits = dict.fromkeys(shortest[: 20 * self.config.candidates], base)
            common = proposals[1:]
        for size, weight, postings in common:
            if size > 8 * len(hits):
                # Postings are sorted: a binary search per proposed name beats a set of a
                # long posting list.
                for name_id in hits:
                    at = bisect_left(postings, name_id)
                    if at < size and postings[at] == name_id:
                        hits[name_id] += weight
            else:
                for name_id in hits.keys() & postings:
                    hits[name_id] += weight
        # A listed name that shares only a small part of the query's information cannot reach
        # the lowest band: ``hit / (hit + extra_query * missed)`` bounds its score (with a
        # margin, since pair weights also depend on the listed side).
        persons = index.person_names
        # Thresholded in C (hits may hold thousands of names, few of them reach ``need``).
        kept = list((filter if person else filterfalse)(
            persons.__contains__, compress(hits.keys(), map(need.__le__, hits.values()))))
        # Most shared information first; on ties the shorter listed name (fewer extras): two
        # stable sorts with keys read in C, the same order as one by (-hit, length).
        kept.sort(key=lengths.__getitem__)
        kept.sort(key=hits.__getitem__, reverse=True)
        # Distinct listed names: the same name on many entries (SDN and CSL, one entry per
        # address) is scored once and given to every entry that carries it.
        chosen: dict[str, int] = {}
        normalized = index.normalized
        for name_id in kept:
            chosen.setdefault(normalized[name_id], name_id)
            if len(chosen) >= self.config.candidates:
                break
        return list(chosen.values())

    def _respaced_keys(self, tokens: tuple[Token, ...]) -> list[tuple[str, float]]:
        """Listed words the query spells with different spacing, each with the weight of the
        query words it stands for: adjacent query words glued ("al qa ida" -> "alqaida"), or
        a query word that is several listed words run together ("alislam" -> "al" + "islam")."""
        keys = self.index.key_ids
        weight = self.weights.weight
        found: list[tuple[str, float]] = []
        texts = [t.text.replace(" ", "") for t in tokens]
        for size in (2, 3):
            for i in range(len(texts) - size + 1):
                glued = "".join(texts[i:i + size])
                if glued in keys:
                    found.append((glued, sum(weight(t) for t in tokens[i:i + size])))
                elif len(glued) >= 7 and all(t.kind == WORD and (t.key not in keys or len(t.text) <= 3)
                                             for t in tokens[i:i + size]):
                    # Words spaced otherwise and misspelt ("andrang heta" / "ndrangheta"):
                    # the listed words near the glued spelling, when its words are not
                    # listed words themselves (but for short ones: "camor ra").
                    share = sum(weight(t) for t in tokens[i:i + size])
                    found.extend((t.key, share) for t in self._similar_words(glued))
        for token in tokens:
            if (token.kind in (WORD, NUMBER) and len(token.text) >= 4 and token.key not in keys
                    and not (token.kind == WORD and len(token.text) >= 5
                             and self._similar_words(token.text))):
                # An unknown word may be listed words run together ("alislam" for "al-islam",
                # "ms13" for "ms-13"); its information goes to its informative pieces
                # ("al" + "islam": islam). Known words are not split: splitting rare names
                # ("arabi" -> "ara" + "bi") proposes more noise than it finds; nor are
                # misspellings of a listed word ("tecnology"), which meet their word through
                # its spelling neighbours: their pieces would only propose noise to align.
                pieces = self._pieces(token.text)
                found.extend((piece, weight(token) / len(pieces)) for piece in pieces)
            elif token.kind == WORD and 2 <= len(token.text) <= 3 and token.text.isalpha():
                # A short word may be letters spelt apart on the list ("HH" for "H & H").
                letters = [ch for ch in token.text if ch in keys]
                if len(letters) == len(token.text):
                    found.extend((ch, weight(token) / len(letters)) for ch in dict.fromkeys(letters))
        return found

    def _pieces(self, text: str) -> list[str]:
        found = self._segments.get(text)
        if found is None:
            keys = self.index.key_ids
            found = [p for p in _segment(text, keys, self.weights.doc_freq, self.weights.total)
                     if kind_of_key(p) != STOP]
            if len(self._segments) > 100_000:
                self._segments.clear()
            self._segments[text] = found
        return found

    def _similar_keys(self, text: str) -> tuple[str, ...]:
        found = self._similar_key_sets.get(text)
        if found is None:
            found = tuple(t.key for t in self._similar_words(text))
            if len(self._similar_key_sets) > 100_000:
                self._similar_key_sets.clear()
            self._similar_key_sets[text] = found
        return found

    def _similar_words(self, text: str) -> list[Token]:
        found = self._similar.get(text)
        if found is None:
            found = self.index.similar_words(text)
            if len(self._similar) > 100_000:
                self._similar.clear()
            self._similar[text] = found
        return found

    def _fuzzy(self, query_name: str, tokens: tuple[Token, ...], person: bool,
               entity_types: Collection[str], best: dict[int, NameFeature], lowest: float) -> None:
        if not tokens:
            return
        params = self._params(person)
        index = self.index
        weights = self.weights
        query_weights = list(map(weights.weight, tokens))
        candidates = self._candidates(tokens, person, lowest)
        candidates.extend(name_id for name_id in index.respelled(normalize(query_name))
                          if name_id not in candidates)
        entities = self.entities
        persons = index.person_names
        for first in candidates:
            text = index.normalized[first]
            # The entries carrying this listed name that this search may return.
            entries: list[tuple[int, int]] = []
            settled = True
            for name_id in index.exact(text):
                entity_id = index.entity_of(name_id)
                if type_allowed(entities[entity_id], entity_types) and (name_id in persons) == person:
                    entries.append((entity_id, name_id))
                    current = best.get(entity_id)
                    settled = settled and current is not None and current.score >= 1.0
            # A pair scores 1.0 at most and only a higher score replaces an entry's best: when
            # every entry is already at 1.0 (found by the exact route) or none may be
            # returned, aligning the name cannot change the result.
            if settled:
                continue
            listed = index.name_tokens(first)
            listed_weights = self._weighed.get(first)
            if listed_weights is None:
                if len(self._weighed) > 200_000:
                    self._weighed.clear()
                listed_weights = self._weighed[first] = index.name_weights(first)
            # Kept with its alignment: making the steps costs less than re-running the winners.
            scored = compare_names(tokens, listed, weights, params, explain=True,
                                   query_weights=query_weights, result_weights=listed_weights)
            self._pairs[query_name, person, text] = scored
            for entity_id, name_id in entries:
                pair = self._weak_rule(scored, entity_id, name_id)
                if pair is None:
                    continue
                current = best.get(entity_id)
                if current is None or pair.score > current.score:
                    best[entity_id] = NameFeature(pair.score, query_name, "", pair, name_id)

    def _weak_rule(self, scored: NameScore, entity_id: int, name_id: int) -> NameScore | None:
        """A listed alias its publisher marks weak (OFAC's and the UK's "low quality"
        aliases: short or generic names) counts only when the whole name agrees (a score in
        the ``match`` range), and then at most ``weak_alias_cap``: never a fuzzy hit, never
        ``match`` on its own."""
        if name_id in self.index.part_names:
            scored = _as_part(scored, self.config)
            if scored is None:
                return None
        if name_id not in self.index.weak_names:
            return scored
        config = self.config
        if scored.score < config.match_threshold:
            return None
        cap = config.weak_alias_cap
        if scored.score <= cap:
            return scored
        return scored._replace(score=cap, factors=(
            *scored.factors, f"a weak alias on the list, capped at {cap:.2f}"))

    def _complete(self, entity_id: int, feature: NameFeature, queries: Sequence[tuple[str, bool, tuple[Token, ...]]]) -> NameFeature:
        """The entity's best pair over ALL its listed names: candidate pruning may have
        proposed only some of them, and a score must not depend on which (the threshold
        asked for changes the candidates, never a pair's score)."""
        if feature.score >= 1.0:
            return feature
        index = self.index
        entity_names = index.arrays["name_entity"]
        start = bisect_left(entity_names, entity_id)
        end = bisect_right(entity_names, entity_id, lo=start)
        if end - start <= 1 and len(queries) <= 2:
            return feature  # its one name was the candidate scored
        weights = self.weights
        pairs = self._pairs
        best = feature
        winner: tuple[tuple[Token, ...], int, str] | None = None
        for name_id in range(start, end):
            person = name_id in index.person_names
            listed = index.name_tokens(name_id)
            listed_weights = self._weighed.get(name_id)
            if listed_weights is None:
                listed_weights = self._weighed[name_id] = index.name_weights(name_id)
            params = self._params(person)
            text = index.normalized[name_id]
            for query_name, query_person, tokens in queries:
                if query_person != person or not tokens:
                    continue
                scored = pairs.get((query_name, person, text))
                if scored is None:
                    scored = pairs[query_name, person, text] = compare_names(
                        tokens, listed, weights, params, explain=False, result_weights=listed_weights)
                pair = self._weak_rule(scored, entity_id, name_id)
                if pair is not None and pair.score > best.score:
                    best = NameFeature(pair.score, query_name, "", pair, name_id)
                    winner = (tokens, name_id, query_name)
        if winner is not None:
            # Explained once, for the pair that won.
            tokens, name_id, query_name = winner
            person = name_id in index.person_names
            params = self._params(person)
            scored = pairs[query_name, person, index.normalized[name_id]]
            if not scored.steps:
                scored = compare_names(tokens, index.name_tokens(name_id), weights, params)
            pair = self._weak_rule(scored, entity_id, name_id)
            assert pair is not None
            best = NameFeature(pair.score, query_name, "", pair, name_id)
        return best

    def _finish(self, entity_id: int, feature: NameFeature, score: float, adjust: float,
                country_note: str | None) -> ScoredCandidate:
        entity = self.entities[entity_id]
        config = self.config
        if feature.name_id is not None:
            matched = entity.all_names[self.index.alias_of(feature.name_id)]
            feature = feature._replace(matched_name=matched)
        qualifiers: list[str] = []
        if country_note:
            qualifiers.append(country_note)
        status, status_note = listing_status(entity)
        if status_note:
            qualifiers.append(status_note)
        explanation = MatchExplanation(
            query_name=feature.query_name,
            matched_name=feature.matched_name,
            alignment=feature.describe(),
            features=(("name", round(feature.score, 4)), ("country", round(adjust, 4))),
            qualifiers=tuple(qualifiers),
        )
        return ScoredCandidate(entity, score, config.band(score), status, explanation)  # type: ignore[arg-type]


def _as_part(scored: NameScore, config: MatchConfig) -> NameScore | None:
    """A pair through a part of a slash-joined listed name, as a weak alias: it counts only
    when the whole part agrees (a score in the ``match`` range; "Arcee" is not "Armée/Front/
    Parti ..."), and then at most ``review`` (the slash may join words of one name rather
    than two names). None when it does not count."""
    if scored.score < config.match_threshold:
        return None
    cap = config.weak_alias_cap
    if scored.score <= cap:
        return scored
    return scored._replace(score=cap, factors=(
        *scored.factors, f"one of the names a slash-joined listed name carries, capped at {cap:.2f}"))


def _final_score(name_score: float, adjust: float, config: MatchConfig) -> float:
    """The name score with the country adjustment, rounded as reported (an exact name stays
    1.0 whatever the bonus). A country that differs also caps the score at
    ``country_conflict_cap`` (``review`` at most): the same name in another country is
    usually another entity."""
    score = min(1.0, max(0.0, name_score + adjust)) if name_score < 1.0 or adjust < 0 else 1.0
    if adjust < 0:
        score = min(score, config.country_conflict_cap)
    return round(score, 4)


def _segment(word: str, keys: dict[str, int], doc_freq: Mapping[str, int], total: int) -> list[str]:
    """Split ``word`` into two or more known keys, or [] when it cannot be.

    The most plausible split wins: each piece costs one plus its information
    (``ln(N / df)``), so few, frequent pieces are preferred ("al" + "islam" over
    "a" + "lislam").
    """
    size = len(word)
    cost: list[float] = [0.0] + [math.inf] * size
    best: list[list[str] | None] = [None] * (size + 1)
    best[0] = []
    for end in range(1, size + 1):
        for start in range(max(0, end - 20), end):
            previous = best[start]
            piece = word[start:end]
            if previous is None or piece not in keys or (start == 0 and end == size):
                continue  # the word itself is not a split of it
            value = cost[start] + 1.0 + math.log((total + 1) / (doc_freq.get(piece, 0) + 1))
            if value < cost[end]:
                cost[end] = value
                best[end] = [*previous, piece]
    found = best[size]
    return found if found and len(found) > 1 else []


def _safe(key: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in key)[:80]



