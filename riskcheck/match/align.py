"""Compare two analysed names: one-to-one token alignment, weighted by information.

score = sum(sim * pair weight) / (sum(pair weight) + extra_query * w(unmatched query tokens)
        + extra_result * w(unmatched listed tokens)), then multiplied by conflict factors:
two different numbers, or two different places, on the two sides are evidence against a
match; a pair that agrees only on generic tokens (legal forms, places, "technology") is
capped below every band, and so is a pair whose distinctive words agree only weakly. An
industry word ("technologies") left over on the listed side costs as much as a query word:
it usually names a subsidiary, unless the query is a rare brand and the listed name adds only
legal forms, places and generic technology words ("Megvii" / "Megvii Technology": `review`),
or a region, or the brand begins a trade name after a place ("Zhipu" / "Beijing Zhipu
Huazhang Technology"). A short word one edit from another is a typo (at most `review`) unless
both are common English words ("Intel" / "Inter").
A distinctive word replaced by another caps a pair at `possible`. Tokens glued or split
differently ("SiemensAG", "Good Will") are caught by comparing the names with their spaces
removed (exact only, so a glued comparison can never hide a differing number or place).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler

from riskcheck.match.tables import spelling_variant_table
from riskcheck.match.tokens import (
    ACRONYM_LETTERS,
    COUNTRY,
    LOCATION,
    NUMBER,
    ORG,
    STOP,
    SYMBOL,
    WORD,
    Token,
    TokenWeights,
    acronyms,
    analyze_org,
    describe_key,
    edit_budget,
    is_region,
)

_FUZZY_KINDS = frozenset({WORD, SYMBOL, LOCATION, COUNTRY})
_CONTENT = frozenset({WORD, SYMBOL, LOCATION, COUNTRY, NUMBER})
_WORDLIKE = _CONTENT - {NUMBER}
_SPELT = _WORDLIKE | {STOP}
_PLACES = frozenset({LOCATION, COUNTRY})
_HARD = frozenset({WORD, NUMBER})
_DISTINCT = frozenset({SYMBOL})
_ROMAN_LETTERS = frozenset({"i", "v", "x"})
_NEVER_FUZZY = frozenset({ORG, NUMBER, STOP})
_QUERY_SPARE = frozenset({ORG, STOP})
_ACRONYM_COMPANY = frozenset({ORG, STOP, LOCATION, COUNTRY})
_LISTED_SPARE = frozenset({ORG, STOP, LOCATION})
# Symbols (lists/matching/symbols.yaml) a brand's listed name adds to it without naming another
# business: "Megvii Technology", "Hikvision Digital Technology", "iFlytek Information". Words
# naming an activity of their own ("investments", "trading", "holding", "bank", "cloud",
# "services") are left out: "Sberbank Investments" is a subsidiary.
_GENERIC_INDUSTRY = frozenset({"~tech", "~info", "~intel", "~ai", "~dig", "~net", "~sys", "~soft",
                               "~dev", "~sci", "~computer", "~electronics"})
_BRAND_FUZZY = 7
# Most edits a pair of words read as a typo by the whole-name spelling rule may carry: three
# is another word of the same stem ("Constructors" / "Construction").
_TYPO_EDITS = 2
# Legal-form classes (lists/matching/legal_forms.yaml); "#CO" (the bare word "company") is not
# one: it says "an organisation", not which legal form.
_LEGAL_CLASSES = frozenset({"#LLC", "#JSC", "#CORP", "#LP", "#COOP", "#SOE", "#NGO", "#FUND",
                            "#TRUST"})


@dataclass(frozen=True)
class AlignParams:
    """The knobs of the name comparison (documented in docs/matching.md)."""

    extra_query: float = 0.8
    """Weight of a query token with no partner (the vendor's name says more than the list's)."""
    extra_result: float = 0.3
    """Weight of a listed token with no partner."""
    extra_number: float = 1.0
    """Weight of an unmatched number on either side ("Fund" is not "Fund II")."""
    number_conflict: float = 0.85
    """Factor when both sides carry numbers that do not match ("Fund VII" / "Fund VIII",
    "Trust 2004-1" / "Trust 2005-1"): the rest of the name agreeing, such a pair is a sibling
    of the same family and worth a review, never a match. The conflicting numbers are then
    not also counted as extra tokens: the factor is the whole of their evidence."""
    series_min_weight: float = 1.5
    """Information (summed pair weights of words agreeing strongly) the rest of two names must
    share for differing numbers to be read as a series of one family."""
    location_conflict: float = 0.8
    """Factor when both sides carry places that do not match."""
    extra_result_content: float = 0.8
    """Weight of a listed dictionary word of the industry kind ("technologies", "capital",
    "investments") with no partner: "Sberbank Technologies" is a subsidiary, not "Sberbank".
    Such words are frequent, so their information weight is low, but as an extra on the
    listed side they name another legal entity. Legal forms, places and stop words keep
    ``extra_result``; plain words already weigh close to 1."""
    industry_floor: float = 0.5
    """Lowest weight counted for such an extra industry word: its frequency, and so its
    weight, depends on which lists are loaded (in a small list of Chinese technology
    companies "technologies" weighs almost nothing), its meaning does not."""
    legal_form_share: float = 0.1
    """Most that legal forms left unmatched may cost, as a share of the agreeing weight (a
    legal form added to or dropped from a name never takes it out of ``match`` alone)."""
    generic_only_cap: float = 0.5
    """Highest score of a pair that agrees on nothing but generic tokens."""
    org_class_mismatch: float = 0.8
    """Similarity of two different legal-form classes (both say 'a company')."""
    country_floor: float = 0.7
    """Lowest weight counted for a country named only by the listed name ("Banco Santander
    Chile" for "Banco Santander"): it names a national subsidiary, another legal entity.
    Country names are frequent in lists, so their information weight is low; this keeps the
    cost of such an extra at what it would cost on the query side."""
    weak_agreement: float = 0.8
    """A word pair below this similarity (two edits in eight letters: "Huanfang"/"Huazhang")
    is too weak to count as agreement on a distinctive word."""
    weak_only_cap: float = 0.65
    """Highest score of a pair whose distinctive words agree only weakly."""
    common_word_names: int = 20
    """A query word found in at least this many listed names is read as that word, not as a
    misspelling of another: its spelling-only agreement with a different word ("Russian" /
    "Russtan") is weak, unless the two read the same with transliteration habits folded
    away ("Gazprom" / "Gasprom", lists/matching/spelling_variants.yaml). 0 disables it
    (person names, whose spellings vary more)."""
    short_fuzzy_letters: int = 5
    """A word of this many letters or fewer one edit from another is as likely another word
    ("Intel" / "Inter", "Sales" / "Salts"): such a pair counts as weak agreement, unless the
    two read the same with transliteration habits folded away ("Qaeda" / "Qaida")."""
    short_fuzzy_names: int = 3
    """... when both are common words of general English (word frequency, ``wordfreq``): a
    rare word or a non-word one edit from another is a typo ("Vital" / "Vitol", "Schell" /
    "Shell"). Where the word-frequency library is missing: when either of the two words is
    found in at least this many listed names."""
    short_typo_cap: float = 0.89
    """Highest score of a pair that agrees through such a short word read as a typo: one
    letter in five may be another name, so ``review`` at most."""
    initial: float = 0.6
    """Similarity of an initial to a word starting with it."""
    string_floor: float = 0.9
    """Whole-name spelling similarity (content words, in order) that counts as the score
    when it is higher, only when every distinctive word left without a partner has one on
    the other side, in order, that it agrees with in spelling (``word_spelling_floor``):
    typos the per-word edit budget misses, never a different word; 0 disables it."""
    word_spelling_floor: float = 0.8
    """Spelling similarity (``rapidfuzz.fuzz.ratio``) each such pair of distinctive words
    must reach, both of at least ``fuzzy_min_letters`` letters and at most two edits apart
    ("Acme" / "Ahome" 0.67 and "Mortars" / "Motors" 0.77 do not, nor "Constructors" /
    "Construction", three edits)."""
    fuzzy_min_letters: int = 5
    """Shortest word the whole-name spelling rule may read as a typo."""
    legal_form_conflict_cap: float = 0.89
    """Highest score of a pair whose legal forms are of two different classes and never the
    same ("Deutsche Bank AG" / "Deutsche Bank GmbH"): the same name in another legal form is
    usually another legal entity; at most ``review``."""
    short_word_letters: int = 3
    """Words of this many letters or fewer (acronyms, short names) agree only literally and
    count as distinctive agreement only when they are the whole distinctive part of both
    names: "VK" in "LLC KVARTA VK" is not the name "VK"."""
    generic_extras_floor: float = 0.82
    """Lowest score of a pair whose every distinctive query word agrees strongly (not only a
    short word) and whose only words left over are, on the listed side, legal forms, places
    (cities, provinces) and generic industry words ("technology", "information", "digital"),
    and on the query side legal forms and function words: "Megvii" / "Megvii Technology",
    "Beijing Sensetime Technology" / "Beijing Sensetime Technology Development Co., Ltd.". The
    distinctive part is the listed name; the rest may name a subsidiary ("Sberbank" /
    "Sberbank Technologies"), so ``review``, never ``match`` on this alone. Also a region
    left over on one side ("Faberlic" / "FABERLIC EUROPE"), and one more word after the
    brand when the brand is the first word after a place ("Zhipu" / "Beijing Zhipu Huazhang
    Technology Co., Ltd."): see ``_brand_rest``. A country left over is a national
    subsidiary, not covered. 0 disables it."""
    brand_min_weight: float = 0.7
    """Lowest information weight of the distinctive word for ``generic_extras_floor``: a word
    found in many listed names ("Huawei", "Sberbank": a family of listed companies, about a
    hundred names and more on the full lists) is not a brand whose listed name is itself plus
    generic words; there the extra word says which member of the family is listed."""
    substitution_cap: float = 0.75
    """Highest score of a pair where a distinctive word (``distinctive_weight``) of the query
    has no partner and neither has one of the listed name: one word replaced by another, the
    rest of a long name agreeing, is another entity of the same pattern (at most
    ``possible``). 0 disables it (person names, whose substitutions cost through
    ``substitution``)."""
    distinctive_weight: float = 0.7
    """Lowest information weight of a word counted as distinctive by ``substitution_cap``."""
    substitution: float = 0.0
    """When above 0, the weight of the words left over when both sides have one (a name
    replaced by another: "Tariq Anwar El Sayed Mohamed" / "... Ahmed"), instead of
    ``extra_query``; used for person names, whose ordinary extras (a middle name, a
    patronymic left out) cost little."""
    acronyms: bool = True
    """Whether a word may agree with the words whose initials it spells ("PLA" / "People's
    Liberation Army", at most ``review``); off for person names, and when a known
    organisation is screened under all its names (its full names are searched too)."""
    soft_floor: float = 0.0
    """When above 0, words past the edit budget still count with their Jaro-Winkler
    similarity if it reaches this floor (used for person names, whose spelling varies more
    than company names)."""


class Aligned(NamedTuple):
    """One step of an alignment, for the explanation."""

    query: Token | None
    result: Token | None
    sim: float
    weight: float
    how: str
    """literal, symbol, fuzzy, org-class, initial, extra-query, extra-result."""

    def describe(self) -> str:
        """Analyst-readable form, e.g. ``'huazhang'~'huazang' fuzzy 0.93 w=0.80``."""
        if self.query is not None and self.result is not None:
            mark = "=" if self.sim >= 1.0 else "~"
            return f"'{self.query.text}'{mark}'{self.result.text}' {self.how} {self.sim:.2f} w={self.weight:.2f}"
        token = self.query or self.result
        assert token is not None
        side = "query" if self.query is not None else "list"
        kind = "" if token.kind == WORD else f" ({token.kind if token.kind != ORG else describe_key(token.key)})"
        return f"extra {side} token '{token.text}'{kind} -{self.weight:.2f}"


class NameScore(NamedTuple):
    """The score of one query name against one listed name, with its alignment.

    A named tuple (immutable like the stage dataclasses, cheaper to make): the engine scores
    tens of thousands of pairs in a batch.
    """

    score: float
    steps: tuple[Aligned, ...]
    factors: tuple[str, ...] = ()

    def describe(self) -> str:
        """The alignment as one line."""
        return "; ".join([*(s.describe() for s in self.steps), *self.factors])


# Named tuples made in the aligner's inner loops skip their Python-level constructor (a
# fifth of the cost); every field is always given.
_new = tuple.__new__


@lru_cache(maxsize=500_000)
def fuzzy_sim(a: str, b: str) -> float:
    """Similarity of two words under a length-aware edit budget, 0 past the budget (a cliff)."""
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    longest = max(lb, la)
    budget = edit_budget(longest)
    if la <= 3 or lb <= 3 or abs(la - lb) > budget:
        return 0.0
    distance = OSA.distance(a, b, score_cutoff=int(budget))
    if distance > budget:
        return 0.0
    return 1.0 - distance / longest


@lru_cache(maxsize=100_000)
def spelling_fold(word: str) -> str:
    """A word with transliteration habits folded away ("gasprom" for "gazprom")."""
    groups, letters = spelling_variant_table()
    for spelling, replacement in groups:
        word = word.replace(spelling, replacement)
    folded = [letters.get(char, char) for char in word]
    return "".join(char for k, char in enumerate(folded) if k == 0 or char != folded[k - 1])


# A word at least this frequent in general English (Zipf scale: 3 is about once per million
# words, "salts", "benn"; 4 "vital", "intel", "inter"; 5 "china") is a word of the language.
_COMMON_ZIPF = 3.0


@lru_cache(maxsize=100_000)
def common_word(word: str) -> bool | None:
    """Whether ``word`` is a common word of general English (through the ``wordfreq``
    library); None where the library is not installed."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return None
    return zipf_frequency(word, "en") >= _COMMON_ZIPF


# Words at least this frequent (Zipf 4: "army", "star", "bank") are everyday English; below
# it, many are acronyms ("pla" 3.3, "kgb" 3.3; "nato" is 4.0).
_EVERYDAY_ZIPF = 4.0


@lru_cache(maxsize=10_000)
def everyday_word(word: str) -> bool:
    """Whether ``word`` is a word of everyday English (False without ``wordfreq``)."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return False
    return zipf_frequency(word, "en") >= _EVERYDAY_ZIPF


@lru_cache(maxsize=1)
def english_by_frequency() -> tuple[tuple[str, ...], int] | None:
    """The words of general English at least as frequent as ``_COMMON_ZIPF``, most frequent
    first, and how many of them are everyday words (``_EVERYDAY_ZIPF``), or None without
    the library. Reading the library's frequency table costs about a fifth of a second, so
    the name index computes this once when it is built and keeps it
    (:attr:`TokenWeights.common_words`, :attr:`TokenWeights.everyday_words`)."""
    try:
        from wordfreq import iter_wordlist, zipf_frequency
    except ImportError:
        return None
    found: list[str] = []
    everyday = 0
    for word in iter_wordlist("en"):  # most frequent first
        frequency = zipf_frequency(word, "en")
        if frequency < _COMMON_ZIPF:
            break
        found.append(word)
        if frequency >= _EVERYDAY_ZIPF:
            everyday = len(found)
    return tuple(found), everyday


@lru_cache(maxsize=1)
def common_english_words() -> frozenset[str] | None:
    """Every word of general English at least as frequent as ``_COMMON_ZIPF`` (the words
    :func:`common_word` says yes to), or None without the library."""
    table = english_by_frequency()
    return None if table is None else frozenset(table[0])


# A slash between two words of at least two letters: "Al-Qa'ida/Islamic Army", "ADF / NALU";
# not "A/S", "S/A", "C/O" (legal forms and abbreviations).
_NAME_SLASH = re.compile(r"(?<=\w\w)\s*/\s*(?=\w\w)")


@lru_cache(maxsize=50_000)
def slash_parts(name: str) -> tuple[str, ...]:
    """The names a slash-joined name carries ("Al-Qa'ida/Islamic Army" -> "Al-Qa'ida",
    "Islamic Army"), for an organisation. A slash may also join words of one name ("Army/
    Front/Party", "Import/Export"), so a part is kept only when it can stand as a name: two
    words or more (legal forms and function words aside), or the first part alone, and with a
    word of four letters or more that is not a common English word ("Al-Qa'ida"; not "Front",
    nor "Drug Trafficking Organization"). Empty when the name has no such slash."""
    if "/" not in name:
        return ()
    pieces = [piece.strip(" ()[]") for piece in _NAME_SLASH.split(name)]
    if len(pieces) < 2:
        return ()
    kept = []
    for position, piece in enumerate(pieces):
        content = [t for t in analyze_org(piece) if t.kind not in (ORG, STOP)]
        named = any(t.kind == WORD and len(t.text) >= 4 and not common_word(t.text) for t in content)
        if named and (len(content) >= 2 or position == 0):
            kept.append(piece)
    return tuple(kept)


def _another_word(a: str, b: str, doc_freq_a: int, doc_freq_b: int, params: AlignParams,
                  common: frozenset[str] | None = None) -> bool:
    """Whether two short words one edit apart are two words rather than a typo: both common
    words of the language ("Intel" / "Inter", "Sales" / "Salts"). A rare word or a non-word
    one edit from another ("Vitol" / "Vital", "Schell" / "Shell", "Chima" / "China") reads
    as a typo. ``common`` is the set of common words when the caller has it (the name
    index keeps one), else the library is asked (and for phrases, which the library scores
    from their words). Without the word-frequency library: either word found in several
    listed names."""
    if common is not None and " " not in a and " " not in b:
        return a in common and b in common
    first, second = common_word(a), common_word(b)
    if first is None or second is None:
        return max(doc_freq_a, doc_freq_b) >= params.short_fuzzy_names
    return first and second


@lru_cache(maxsize=500_000)
def soft_sim(a: str, b: str) -> float:
    """Jaro-Winkler similarity, for spellings past the edit budget (person names)."""
    return JaroWinkler.similarity(a, b)


def token_sim(q: Token, r: Token, params: AlignParams) -> tuple[float, str]:
    """Similarity of two tokens and how it was established."""
    if q.key == r.key:
        if q.text == r.text:
            return 1.0, "literal"
        return 1.0, ("legal-form" if q.kind == ORG else "symbol")
    if q.text == r.text:
        # The same word read two ways ("PTE OOO" / "OOO PTE": which of them is the legal
        # form depends on where it stands) is still the same word.
        return 1.0, "literal"
    if q.kind == ORG or r.kind == ORG:
        return (params.org_class_mismatch, "org-class") if q.kind == r.kind else (0.0, "")
    if q.kind == NUMBER or r.kind == NUMBER or q.kind == STOP or r.kind == STOP:
        return 0.0, ""
    if q.kind in _PLACES and r.kind in _PLACES:
        return 0.0, ""
    if len(q.text) == 1 or len(r.text) == 1:
        if q.kind == WORD and r.kind == WORD and q.text[0] == r.text[0]:
            return params.initial, "initial"
        return 0.0, ""
    if q.kind in _FUZZY_KINDS and r.kind in _FUZZY_KINDS:
        sim = fuzzy_sim(q.text, r.text)
        if sim > 0:
            return sim, "fuzzy"
        if params.soft_floor > 0:
            soft = soft_sim(q.text, r.text)
            if soft >= params.soft_floor:
                return soft * soft, "fuzzy"
    return 0.0, ""


@lru_cache(maxsize=200_000)
def _content_text(tokens: tuple[Token, ...]) -> str:
    """The content words of a name, in order, joined by spaces (for whole-name spelling)."""
    return " ".join(t.text for t in tokens if t.kind in _CONTENT)


def _spelling_sim(left: str, result: tuple[Token, ...], floor: float = 0.0) -> float:
    """Spelling similarity of the query's content words ``left`` (``_content_text``) and
    the listed name's (0..1); 0 below ``floor``."""
    right = _content_text(result)
    if not left or not right:
        return 0.0
    return fuzz.ratio(left, right, score_cutoff=floor * 100) / 100.0


def _typos_only(query: tuple[Token, ...], result: tuple[Token, ...], extra_q: list[int],
                extra_r: list[int], loose: list[tuple[str, str]], params: AlignParams) -> bool:
    """Whether the distinctive words left without a partner pair up, in order, as spellings
    of each other (the same count on both sides), and so do the aligned words that agree only
    loosely (an initial, two edits): each pair at least ``params.word_spelling_floor`` alike
    and neither word short."""
    spelt_q = "".join(t.text for t in query if t.kind in _SPELT).replace(" ", "")
    if spelt_q == "".join(t.text for t in result if t.kind in _SPELT).replace(" ", ""):
        return True  # the same letters spaced otherwise ("y s" / "ys"), legal forms aside
    left = [query[i].text for i in extra_q if query[i].kind in _WORDLIKE]
    right = [result[j].text for j in extra_r if result[j].kind in _WORDLIKE]
    if len(left) != len(right):
        return False
    shortest = params.fuzzy_min_letters
    floor = params.word_spelling_floor * 100
    return all(len(a) >= shortest and len(b) >= shortest and fuzz.ratio(a, b) >= floor
               and OSA.distance(a, b, score_cutoff=_TYPO_EDITS) <= _TYPO_EDITS
               for a, b in (*zip(left, right), *loose))


def _brand_rest(query: tuple[Token, ...], result: tuple[Token, ...], extra_q: list[int],
                extra_r: list[int]) -> str | None:
    """Why what two names leave over leaves the query's brand as the listed name's
    distinctive part (None when it does not), for ``generic_extras_floor``:

    * only legal forms, places and generic industry words on the listed side, legal forms
      and function words on the query side ("Megvii" / "Megvii Technology");
    * a region (Europe, Asia, Middle East) on one side only and no other place, the rest as
      above: the same name for a regional subsidiary, or for its parent ("Faberlic" /
      "FABERLIC EUROPE Sp. z o.o."); not a country ("Banco Santander Chile");
    * one more word of a trade name after the brand, where the listed name begins with a
      place ("Zhipu" / "Beijing Zhipu Huazhang Technology Co., Ltd.": place, trade name,
      industry, legal form; the brand is the trade name's first word).
    """
    left_q = [i for i in extra_q if query[i].kind not in _QUERY_SPARE]
    left_r = [j for j in extra_r
              if result[j].kind not in _LISTED_SPARE and result[j].key not in _GENERIC_INDUSTRY]
    if not left_q and not left_r:
        return "only legal forms, places or generic words left over"
    if not left_q or not left_r:
        # A region (not a country: name_bench and the lists' own pairs show national
        # subsidiaries, "Banco Santander Chile", as other entities), and no place on the
        # other side ("ICBC (Asia)" / "ICBC (London)" is two branches).
        places = [query[i] for i in extra_q if query[i].kind in _PLACES] + [
            result[j] for j in extra_r if result[j].kind in _PLACES]
        if places and all(is_region(token) for token in places) and all(
                is_region(query[i]) for i in left_q) and all(is_region(result[j]) for j in left_r):
            return "the same name with a region on one side"
    if left_q or len(left_r) != 1 or result[left_r[0]].kind != WORD:
        return None
    content = [j for j, token in enumerate(result) if token.kind not in _QUERY_SPARE]
    head = next((k for k, j in enumerate(content) if result[j].kind not in _PLACES), 0)
    if head == 0 or head + 1 >= len(content) or content[head + 1] != left_r[0]:
        return None
    brand = result[content[head]]
    if brand.kind != WORD or all(token.key != brand.key for token in query):
        return None
    return "the brand is the first word of the trade name after a place"


def _qualified_query(query: tuple[Token, ...], result: tuple[Token, ...], extra_q: list[int],
                     extra_r: list[int]) -> bool:
    """Whether the query is the listed name with a place added to it and nothing else
    ("Sberbank Russia" / "Sberbank", "Deutsche Bank (Schweiz) AG" / "Deutsche Bank AG"): the
    listed name leaves over only legal forms and function words, the query only places,
    legal forms and function words, at least one place. The query then names the listed
    organisation in a country, or its branch or subsidiary there, which a listing reaches
    (ownership runs down, so the reverse, a listed name with a place the query lacks, is a
    national subsidiary and stays out: "Banco Santander" / "Banco Santander Mexico")."""
    if any(result[j].kind not in _QUERY_SPARE for j in extra_r):
        return False
    kinds = {query[i].kind for i in extra_q}
    return not kinds.isdisjoint(_PLACES) and kinds <= _PLACES | _QUERY_SPARE


_NO_READINGS: tuple[frozenset[int], frozenset[int]] = (frozenset(), frozenset())


def acronym_query(query: Sequence[Token]) -> bool:
    """Whether a query may be read as an acronym: one word, the rest only legal forms,
    function words and places ("PLA", "PLA China"). With another word beside it ("STG
    Holding", "MTS Bank", "RCC Trading") a short word is a name among others, and reading
    it as the initials of a listed name's words finds unrelated firms."""
    words = 0
    for token in query:
        if token.kind == WORD:
            words += 1
        elif token.kind not in _ACRONYM_COMPANY:
            return False
    return words == 1


def _query_readings(query: tuple[Token, ...], layout: _QueryLayout,
                    weights: TokenWeights) -> tuple[frozenset[int], frozenset[int]]:
    """Positions of the query's words the lists do not know (which may be words spaced
    otherwise or misspelt), and of its words that may be acronyms (three to six letters, not
    everyday English): properties of the query alone, found once for all its candidates and
    kept in its layout."""
    if layout.readings is not None:
        return layout.readings
    doc_freq = weights.doc_freq
    everyday = weights.everyday_words
    shortest, longest = ACRONYM_LETTERS
    unknown = frozenset(i for i, t in enumerate(query) if t.kind == WORD and t.key not in doc_freq)
    short: frozenset[int] = frozenset()
    if acronym_query(query):
        short = frozenset(
            i for i, t in enumerate(query)
            if t.kind == WORD and shortest <= len(t.text) <= longest and t.text.isalpha()
            and not ((t.text in everyday) if everyday is not None else everyday_word(t.text)))
    layout.readings = (unknown, short)
    return unknown, short


def _runs(tokens: tuple[Token, ...], left: list[int]) -> list[tuple[int, int, int]]:
    """Runs of one to three consecutive words among the positions ``left``: (start, end)
    indexes into ``left`` (end excluded) and their number of letters."""
    found = []
    for a in range(len(left)):
        letters = 0
        for b in range(a, min(a + 3, len(left))):
            if left[b] - left[a] != b - a:
                break
            letters += len(tokens[left[b]].text)
            found.append((a, b + 1, letters))
    return found


def _respaced_typo(query: tuple[Token, ...], result: tuple[Token, ...], extra_q: list[int],
                   extra_r: list[int], doc_freq: Mapping[str, int]) -> tuple[list[int], list[int], float] | None:
    """The query's words left over (one to three, consecutive, one of them a word the lists
    do not know) against consecutive listed words left over, in a different number, whose
    letters run together agree within the edit budget of the whole ("andrang heta" /
    "ndrangheta", one edit in eleven letters): the (query, listed) positions and their
    similarity, or None. A different number of words is what makes it a respacing: one
    word against one ("ABC" / "ABD") is a word pair, read by the word rules. Every word the
    query leaves over must be in it: a query with another word of its own is another name."""
    left = [i for i in extra_q if query[i].kind == WORD]
    if not left or len(left) > 3 or left[-1] - left[0] != len(left) - 1:
        return None
    if all(query[i].key in doc_freq for i in left):
        return None
    right = [j for j in extra_r if result[j].kind == WORD]
    if not right or len(right) > 4 or len(left) + len(right) < 3:
        return None
    size = sum(len(query[i].text) for i in left)
    if size < 7:
        return None
    mine = None
    best = None
    for c, d, other in _runs(result, right):
        if len(left) == d - c or other < 7:
            continue
        longest = max(size, other)
        budget = int(edit_budget(longest))
        if abs(size - other) > budget:
            continue
        if mine is None:
            mine = "".join([query[i].text for i in left])
        theirs = "".join([result[j].text for j in right[c:d]])
        distance = OSA.distance(mine, theirs, score_cutoff=budget)
        if distance <= budget and (best is None or distance / longest < 1.0 - best[2]):
            best = (left, right[c:d], 1.0 - distance / longest)
    return best


def _acronym(query: tuple[Token, ...], result: tuple[Token, ...], extra_q: list[int],
             extra_r: list[int]) -> tuple[list[int], list[int]] | None:
    """The query's one word left over, when it spells the initials of every word left over
    on the listed side, legal forms aside, in order ("pla" / "peoples liberation army",
    "boc" / "bank of china"; places may also be left out): the (query, listed) positions, or
    None. The caller has checked that the word may be an acronym (``_query_readings``: an
    acronym query, three to six letters, not everyday English). Only this way round: a
    listed acronym is an alias of an entity whose full name is listed too, and the query's
    words meet that full name, where a word of their own ("Kefoga Committee for Space
    Technology" / "KCST") cannot hide."""
    words = [i for i in extra_q if query[i].kind == WORD]
    if len(words) != 1:
        return None
    word = query[words[0]].text
    rest = [j for j in extra_r if result[j].kind != ORG]
    if len(rest) < ACRONYM_LETTERS[0] or all(result[j].text[0] != word[0] for j in rest[:3]):
        return None  # too few words, or none of the first few begins the word (a quick no)
    for run in (rest, [j for j in rest if result[j].kind not in _PLACES]):
        if word in acronyms(tuple(result[j] for j in run)):
            return words, run
    return None


def _run_token(tokens: tuple[Token, ...], positions: list[int]) -> Token:
    """Words read as one (a respacing, an acronym's words), as one token for the
    explanation."""
    return Token(" ".join(tokens[k].key for k in positions),
                 " ".join(tokens[k].text for k in positions), WORD)


def _edge(tokens: tuple[Token, ...], k: int) -> int:
    """-1 when token ``k`` is the first word of its name, 1 the last (function words
    aside), 0 otherwise."""
    words = [n for n, token in enumerate(tokens) if token.kind != STOP]
    return -1 if words and k == words[0] else 1 if words and k == words[-1] else 0


def _misspelt_form(query: tuple[Token, ...], result: tuple[Token, ...], extra_q: list[int],
                   extra_r: list[int], weights: TokenWeights,
                   params: AlignParams) -> tuple[int, int] | None:
    """A word left over on one side that is a legal form left over on the other with one
    letter changed, added or dropped, both at the same end of their names ("Siemens AkG" /
    "Siemens AG", "OOOO Romashka" / "OOO Romashka"): the (query, listed) positions, or None.
    The word must be neither a common English word nor a word of the lists (where it is one,
    it names something: "Siemens Agro" is not "Siemens AG")."""
    common = weights.common_words
    for i in extra_q:
        for j in extra_r:
            form, word = (result[j], query[i]) if result[j].kind == ORG else (query[i], result[j])
            if form.kind != ORG or word.kind != WORD or len(form.text.replace(" ", "")) > 4:
                continue
            if len(word.text) < 2 or abs(len(word.text) - len(form.text)) > 1:
                continue
            if OSA.distance(word.text, form.text, score_cutoff=1) > 1:
                continue
            if weights.doc_freq.get(word.key, 0) >= params.short_fuzzy_names:
                continue
            if (word.text in common) if common is not None else common_word(word.text):
                continue
            side = _edge(query, i)
            if side and side == _edge(result, j):
                return i, j
    return None


def _numeric(token: Token) -> bool:
    return token.kind == NUMBER or (token.kind in (WORD, STOP) and token.text in _ROMAN_LETTERS)


@lru_cache(maxsize=200_000)
def _joined(tokens: tuple[Token, ...]) -> str:
    # "&" is left out, so "H & H" and "HH" agree; words (even "al", "of") are kept.
    return "".join([t.text for t in tokens if t.text != "&"]).replace(" ", "")


@dataclass(slots=True)
class _QueryLayout:
    """What the aligner reads from a query alone, found once for all its candidates: its
    tokens arranged for finding the ones a listed token agrees with, and more."""

    by_key: dict[str, list[int]]
    by_text: dict[str, list[int]]
    long: tuple[tuple[int, str, str, int, bool], ...]
    """Spelled words of four letters or more: (position, key, text, length, a place)."""
    form_positions: tuple[int, ...]
    letters: tuple[int, ...]
    """Spelled tokens of one letter at most (initials)."""
    loose: tuple[int, ...]
    """Every token but legal forms, numbers and function words."""
    spelled: tuple[bool, ...]
    """Per position: a spelled word of two letters or more."""
    forms: frozenset[str]
    """Keys of its legal forms that name a class of company."""
    joined: str
    """Its letters without spaces (``_joined``)."""
    content: str
    """Its content words (``_content_text``)."""
    rows: dict[Token, tuple[tuple[int, float, str], ...]]
    """Listed tokens met so far -> the query tokens agreeing with them (``_row``)."""
    readings: tuple[frozenset[int], frozenset[int]] | None = None
    """Its unknown words and possible acronyms (``_query_readings``), once asked for."""


def _query_layout(query: tuple[Token, ...]) -> _QueryLayout:
    by_key: dict[str, list[int]] = {}
    by_text: dict[str, list[int]] = {}
    long: list[tuple[int, str, str, int, bool]] = []
    forms: list[int] = []
    letters: list[int] = []
    loose: list[int] = []
    spelled: list[bool] = []
    for i, (key, text, kind) in enumerate(query):
        by_key.setdefault(key, []).append(i)
        by_text.setdefault(text, []).append(i)
        fuzzy = kind in _FUZZY_KINDS
        spelled.append(fuzzy and len(text) > 1)
        if fuzzy:
            loose.append(i)
            if len(text) > 3:
                long.append((i, key, text, len(text), kind in _PLACES))
            elif len(text) <= 1:
                letters.append(i)
        elif kind == ORG:
            forms.append(i)
    return _QueryLayout(by_key, by_text, tuple(long), tuple(forms), tuple(letters), tuple(loose),
                        tuple(spelled), frozenset(t.key for t in query if t.key in _LEGAL_CLASSES),
                        _joined(query), _content_text(query), {})


def _row(query: tuple[Token, ...], layout: _QueryLayout, rt: Token,
         params: AlignParams) -> tuple[tuple[int, float, str], ...]:
    """The query's tokens that agree with the listed token ``rt`` at all, as (position,
    similarity, how): ``token_sim``'s answers without the soft floor, found through the
    query's layout rather than by trying every token (most pairs share nothing)."""
    r_key, r_text, r_kind = rt
    found: list[tuple[int, float, str]] = []
    same_key = layout.by_key.get(r_key)
    if same_key is not None:
        for i in same_key:
            q_text = query[i][1]
            found.append((i, 1.0, "literal" if q_text == r_text
                          else "legal-form" if query[i][2] == ORG else "symbol"))
    r_len = len(r_text)
    r_spelled = r_len > 1 and r_kind in _FUZZY_KINDS
    r_place = r_kind in _PLACES
    same_text = layout.by_text.get(r_text)
    if same_text is not None:
        for i in same_text:
            q_key, _, q_kind = query[i]
            if q_key == r_key:
                continue
            # The same word read two ways: literal, or (two spelled words, not two places)
            # what the edit-budget similarity says of equal words.
            found.append((i, 1.0, "fuzzy" if r_spelled and layout.spelled[i]
                          and not (r_place and q_kind in _PLACES) else "literal"))
    others: tuple[int, ...]
    if r_kind in _NEVER_FUZZY:
        if r_kind != ORG:
            return tuple(found)  # a number or function word agrees only literally (above)
        others = layout.form_positions  # another legal form of the same class (org-class)
    else:
        if r_len > 3:
            for i, q_key, q_text, q_len, q_place in layout.long:
                if q_key == r_key or q_text == r_text or (q_place and r_place):
                    continue
                # What fuzzy_sim answers 0 without an edit distance (lengths further apart
                # than the budget), decided without the call.
                gap = q_len - r_len if q_len > r_len else r_len - q_len
                if gap > 1 and gap > edit_budget(max(q_len, r_len)):
                    continue
                sim = fuzzy_sim(q_text, r_text)
                if sim > 0:
                    found.append((i, sim, "fuzzy"))
        # Spelled words of two or three letters agree only when spelled alike (above); a
        # single letter may be an initial of any word.
        others = layout.letters if r_spelled else layout.loose
    for i in others:
        qt = query[i]
        if qt[0] == r_key or qt[1] == r_text:
            continue
        sim, how = token_sim(qt, rt, params)
        if sim > 0:
            found.append((i, sim, how))
    return tuple(found)


# The query scored last, with its layout (the engine scores one query against many listed
# names, which share words: "company", "limited", a city): (query, params, weights, layout),
# compared by identity. Replaced whole; the layout only gains rows and readings.
_last_layout: tuple = (None, None, None, None)


def _layout_of(query: tuple[Token, ...], params: AlignParams, weights: TokenWeights) -> _QueryLayout:
    global _last_layout
    last = _last_layout
    if last[0] is query and last[1] is params and last[2] is weights:
        return last[3]
    layout = _query_layout(query)
    _last_layout = (query, params, weights, layout)
    return layout


def _pairs(query: tuple[Token, ...], result: tuple[Token, ...], wq: Sequence[float],
           wr: Sequence[float], params: AlignParams,
           layout: _QueryLayout) -> list[tuple[float, int, int, float, str]]:
    """Every pair of tokens that agree at all, as (-sim * weight, i, j, sim, how), without
    the soft floor (words past the edit budget do not agree). Each listed token's row of
    agreements is worked out once per query."""
    rows = layout.rows
    candidates: list[tuple[float, int, int, float, str]] = []
    append = candidates.append
    for j, rt in enumerate(result):
        row = rows.get(rt)
        if row is None:
            row = rows[rt] = _row(query, layout, rt, params)
        if row:
            r_weight = wr[j]
            for i, sim, how in row:
                # Negated, so a plain sort puts the heaviest agreement first (then by position).
                append((-sim * (wq[i] + r_weight), i, j, sim, how))
    return candidates


def _soft_pairs(query: tuple[Token, ...], result: tuple[Token, ...], wq: Sequence[float],
                wr: Sequence[float], params: AlignParams) -> list[tuple[float, int, int, float, str]]:
    """``_pairs`` with the soft floor (person names): every pair of tokens is tried."""
    candidates: list[tuple[float, int, int, float, str]] = []
    for i, qt in enumerate(query):
        q_key, q_text, q_kind = qt
        # Plain spelled words (not places against places, not initials) are compared through
        # the cached edit-budget similarity directly: the same answer as token_sim, without a
        # Python call per token pair.
        q_len = len(q_text)
        q_plain = q_kind in _FUZZY_KINDS and q_len > 1
        for j, rt in enumerate(result):
            r_key, r_text, r_kind = rt
            if q_key == r_key:
                # The common case, decided without a call (same answer as token_sim).
                sim, how = 1.0, ("literal" if q_text == r_text
                                 else "legal-form" if q_kind == ORG else "symbol")
            elif (q_plain and r_kind in _FUZZY_KINDS and len(r_text) > 1
                  and not (q_kind in _PLACES and r_kind in _PLACES)):
                sim = fuzzy_sim(q_text, r_text)
                if sim <= 0:
                    sim, how = token_sim(qt, rt, params)
                    if sim <= 0:
                        continue
                else:
                    how = "fuzzy"
            elif q_text == r_text:
                sim, how = 1.0, "literal"
            elif (q_kind in _NEVER_FUZZY or r_kind in _NEVER_FUZZY) and not (q_kind == ORG == r_kind):
                continue  # numbers, function words, a legal form against a word: token_sim's 0
            else:
                sim, how = token_sim(qt, rt, params)
                if sim <= 0:
                    continue
            # Negated, so a plain sort puts the heaviest agreement first (then by position).
            candidates.append((-sim * (wq[i] + wr[j]), i, j, sim, how))
    return candidates


def compare_names(query: tuple[Token, ...], result: tuple[Token, ...], weights: TokenWeights,
                  params: AlignParams, *, explain: bool = True,
                  query_weights: Sequence[float] | None = None,
                  result_weights: Sequence[float] | None = None) -> NameScore:
    """Score ``query`` against ``result`` (0..1) with the alignment that produced it.

    With ``explain=False`` the alignment steps are not kept (the engine scores many
    candidates and explains only the ones it returns). The tokens' weights may be passed
    when already known (the engine weighs a query once for all its candidates).
    """
    weight = weights.weight
    doc_freq = weights.doc_freq
    wq = query_weights if query_weights is not None else list(map(weight, query))
    wr = result_weights if result_weights is not None else list(map(weight, result))
    layout = _layout_of(query, params, weights)
    candidates = (_soft_pairs(query, result, wq, wr, params) if params.soft_floor > 0
                  else _pairs(query, result, wq, wr, params, layout))
    candidates.sort()
    used_q: set[int] = set()
    used_r: set[int] = set()
    steps: list[Aligned] = []
    matched = total = 0.0
    content_hit = False
    strong_hit = False
    misread = False
    strong_weight = 0.0
    long_hit = False  # a strong agreement on more than a short word
    short = params.short_word_letters
    loose: list[tuple[str, str]] = []  # aligned words that agree only loosely (initials, 2 edits)
    brand = 0.0  # weight of the heaviest distinctive word agreeing literally (or a long typo)
    brand_typo = False  # a short distinctive word agreeing only fuzzily
    short_typo = False  # a word of five letters or fewer read as a typo of another
    weak_agreement = params.weak_agreement
    for _, i, j, sim, how in candidates:
        if i in used_q or j in used_r:
            continue
        used_q.add(i)
        used_r.add(j)
        qt = query[i]
        rt = result[j]
        q_kind = qt[2]
        r_kind = rt[2]
        pair_weight = (wq[i] + wr[j]) / 2
        matched += sim * pair_weight
        total += pair_weight
        if explain:
            steps.append(_new(Aligned, (qt, rt, sim, pair_weight, how)))
        if sim < weak_agreement and q_kind in _WORDLIKE and r_kind in _WORDLIKE:
            loose.append((qt[1], rt[1]))
        if q_kind in _HARD or r_kind in _HARD:
            content_hit = True
            if sim >= weak_agreement:
                q_text = qt[1]
                r_text = rt[1]
                short_pair = (how == "fuzzy" and params.common_word_names
                              and min(len(q_text), len(r_text)) <= params.short_fuzzy_letters
                              and spelling_fold(q_text) != spelling_fold(r_text))
                if (how == "fuzzy" and params.common_word_names
                        and (doc_freq.get(qt[0], 0) >= params.common_word_names
                             or (short_pair
                                 and _another_word(q_text, r_text, doc_freq.get(qt[0], 0),
                                                   doc_freq.get(rt[0], 0), params,
                                                   weights.common_words)))
                        and spelling_fold(q_text) != spelling_fold(r_text)):
                    misread = True
                else:
                    short_typo = short_typo or short_pair
                    strong_hit = True
                    strong_weight += pair_weight
                    if q_kind in _HARD and r_kind in _HARD:
                        if sim >= 1.0 or min(len(q_text), len(r_text)) >= _BRAND_FUZZY:
                            brand = max(brand, wq[i])
                        else:
                            brand_typo = True
                    if q_kind != WORD or len(q_text) > short or len(r_text) > short:
                        long_hit = True

    # A token repeated on its own side ("Huawei Technologies Co., Ltd. (Huawei)") adds no
    # information once its twin is aligned: it is not an extra (an aligned token's own key is
    # among the aligned keys, so one test leaves out both).
    seen_q = {query[i][0] for i in used_q}
    seen_r = {result[j][0] for j in used_r}
    extra_q = [i for i, t in enumerate(query) if t[0] not in seen_q]
    extra_r = [j for j, t in enumerate(result) if t[0] not in seen_r]
    # Numbers on both sides that found no partner are one conflict, weighed by a factor
    # below; counting them as extras as well would weigh the same evidence twice.
    # A lone "I", "V" or "X" is read as a word (an initial) unless the other side has a
    # number left over: "Trust I" / "Trust II" is a series, not an initial.
    kinds_q = {query[i].kind for i in extra_q}
    kinds_r = {result[j].kind for j in extra_r}
    number_conflict = False
    if NUMBER in kinds_q or NUMBER in kinds_r:
        clash_q = [i for i in extra_q if _numeric(query[i])]
        clash_r = [j for j in extra_r if _numeric(result[j])]
        number_conflict = bool(clash_q and clash_r)
    # Only a distinctive family name makes two numbers siblings ("Carlyle Partners VII" /
    # "VIII"); generic ones ("Shanghai Fund 2" / "3", "Research Institute 14" / "28") are
    # different entities that happen to share a pattern, so their numbers also count as extras.
    if number_conflict and strong_weight >= params.series_min_weight:
        extra_q = [i for i in extra_q if i not in clash_q]
        extra_r = [j for j in extra_r if j not in clash_r]
        kinds_q = {query[i].kind for i in extra_q}
        kinds_r = {result[j].kind for j in extra_r}
    # Words of one side read as other words of the other: spaced otherwise and misspelt
    # ("Andrang Heta" / "'Ndrangheta": their letters agree within the edit budget of the
    # whole, a typo, so at most ``review``), or an acronym and the words whose initials it
    # spells ("PLA" / "People's Liberation Army": read literally, at most ``review``, a few
    # letters spell many names). Each needs a word of the query's own kind (unknown to the
    # lists, or a possible acronym), found once per query.
    acronym = False
    readings = (_query_readings(query, layout, weights) if extra_r and WORD in kinds_q
                else _NO_READINGS)
    for reading in ("respaced", "acronym"):
        if reading == "respaced":
            found = (_respaced_typo(query, result, extra_q, extra_r, doc_freq)
                     if readings[0] and not readings[0].isdisjoint(extra_q) else None)
        else:
            found = (_acronym(query, result, extra_q, extra_r) if params.acronyms and readings[1]
                     and not readings[1].isdisjoint(extra_q) else None)
            if found is not None:
                found = (*found, 1.0)
                acronym = True
        if found is None:
            continue
        left, right, sim = found
        pair_weight = (sum(wq[i] for i in left) + sum(wr[j] for j in right)) / 2
        extra_q = [i for i in extra_q if i not in left]
        extra_r = [j for j in extra_r if j not in right]
        kinds_q = {query[k].kind for k in extra_q}
        kinds_r = {result[k].kind for k in extra_r}
        matched += sim * pair_weight
        total += pair_weight
        content_hit = True
        if sim >= params.weak_agreement:
            strong_hit = long_hit = True
            short_typo = short_typo or sim < 1.0
            strong_weight += pair_weight
        else:
            loose.append((_run_token(query, left).text, _run_token(result, right).text))
        if reading == "acronym":
            brand = max(brand, pair_weight)
        if explain:
            steps.append(_new(Aligned, (_run_token(query, left), _run_token(result, right), sim,
                                        pair_weight, reading)))
    if (extra_q and extra_r and (ORG in kinds_q or ORG in kinds_r)
            and (WORD in kinds_q or WORD in kinds_r)):
        typo = _misspelt_form(query, result, extra_q, extra_r, weights, params)
        if typo is not None:
            # A legal form misspelt where the other name has one ("Siemens AkG" / "Siemens
            # AG"): the same legal form, read as a typo (so at most ``review``).
            i, j = typo
            extra_q.remove(i)
            extra_r.remove(j)
            kinds_q = {query[k].kind for k in extra_q}
            kinds_r = {result[k].kind for k in extra_r}
            form_weight = wr[j] if result[j].kind == ORG else wq[i]
            matched += form_weight
            total += form_weight
            short_typo = True
            if explain:
                steps.append(_new(Aligned, (query[i], result[j], 1.0, form_weight, "legal-form typo")))
    # A legal form says what kind of entity a name is, not which one: added or dropped, its
    # cost stays a small share of what agrees, even when the name is one common word ("Al").
    legal_room = params.legal_form_share * matched
    # A word left over on each side is a substitution (one name where the other has another),
    # which may cost more than a word only one side carries (``substitution``).
    swapped = (params.substitution > 0 and not kinds_q.isdisjoint(_WORDLIKE)
               and not kinds_r.isdisjoint(_WORDLIKE))
    query_extra = params.substitution if swapped else params.extra_query
    for i in extra_q:
        penalty = (params.extra_number if query[i].kind == NUMBER else query_extra) * wq[i]
        if query[i].kind == ORG:
            penalty = min(penalty, legal_room)
            legal_room -= penalty
        total += penalty
        if explain:
            steps.append(_new(Aligned, (query[i], None, 0.0, penalty, "extra-query")))
    # A listed token with a partner-less query token beside it is a substitution ("Bank of
    # Chad" for "Bank of China"), not extra detail: it then costs as much as a query token.
    substituted = not kinds_q.isdisjoint(_WORDLIKE)
    listed_extra = query_extra if substituted else params.extra_result
    listed_content = max(listed_extra, params.extra_result_content)
    for j in extra_r:
        kind = result[j].kind
        if kind in _DISTINCT:
            penalty = listed_content * max(wr[j], params.industry_floor)
        elif kind == COUNTRY:
            penalty = listed_content * max(wr[j], params.country_floor)
        else:
            penalty = (params.extra_number if kind == NUMBER else listed_extra) * wr[j]
            if kind == ORG:
                penalty = min(penalty, legal_room)
                legal_room -= penalty
        total += penalty
        if explain:
            steps.append(_new(Aligned, (None, result[j], 0.0, penalty, "extra-result")))
    score = matched / total if total > 0 else 0.0
    factors: list[str] = []
    respelled = False
    numbers_unmatched = number_conflict or NUMBER in kinds_q or NUMBER in kinds_r
    if params.string_floor and not numbers_unmatched and params.string_floor > score > 0.3:
        # Whole-name spelling similarity catches typos that split across the token budget
        # ("Sensetime Tecnology Devlopment"); only when every distinctive word left over has
        # a partner it is spelt like, so a different word never passes ("Acme Real Estate" /
        # "Ahome Real Estate"); numbers are never typos, so not then.
        spelled = _spelling_sim(layout.content, result, params.string_floor)
        if (spelled >= params.string_floor and spelled > score
                and _typos_only(query, result, extra_q, extra_r, loose, params)):
            score = spelled
            respelled = True
            factors.append(f"whole-name spelling {spelled:.2f}")
    if number_conflict:
        score *= params.number_conflict
        mine = " ".join(query[i].text for i in clash_q)
        theirs = " ".join(result[j].text for j in clash_r)
        factors.append(f"numbers differ ('{mine}' / '{theirs}') x{params.number_conflict:.2f}")
    if not kinds_q.isdisjoint(_PLACES) and not kinds_r.isdisjoint(_PLACES):
        score *= params.location_conflict
        factors.append(f"places differ x{params.location_conflict:.2f}")
    unmatched_content = (number_conflict or not kinds_q.isdisjoint(_HARD)
                         or not kinds_r.isdisjoint(_HARD))
    if (params.generic_extras_floor > score and long_hit and not misread and not loose
            and not brand_typo and brand >= params.brand_min_weight and not numbers_unmatched):
        why = _brand_rest(query, result, extra_q, extra_r)
        if why:
            # The listed name is the query's distinctive part plus generic words only, or
            # the same name for another country or region, or the rest of a trade name.
            score = params.generic_extras_floor
            factors.append(f"{why}, at least {params.generic_extras_floor:.2f}")
    if (params.generic_extras_floor > score and long_hit and not misread and not loose
            and not brand_typo and brand > 0 and not numbers_unmatched
            and _qualified_query(query, result, extra_q, extra_r)):
        # The listed name with a place added by the query: the listed organisation there, or
        # its branch or subsidiary, which its listing reaches.
        score = params.generic_extras_floor
        factors.append("the listed name with a place added by the query, at least "
                       f"{params.generic_extras_floor:.2f}")
    if not content_hit and unmatched_content and score > params.generic_only_cap:
        score = params.generic_only_cap
        factors.append(f"only generic words agree, capped at {params.generic_only_cap:.2f}")
    elif (content_hit and not strong_hit and (unmatched_content or misread)
          and score > params.weak_only_cap):
        score = params.weak_only_cap
        why = ("a word common in the lists or in English agrees only in spelling"
               if misread and not unmatched_content else "distinctive words agree only weakly")
        factors.append(f"{why}, capped at {params.weak_only_cap:.2f}")
    if strong_hit and not long_hit and unmatched_content and score > params.generic_only_cap:
        # Only short words (acronyms, two- or three-letter names) agree while a distinctive
        # word is left over: "VK" is not "Kvarta VK", "SK" is not "SK Hynix".
        score = params.generic_only_cap
        factors.append(f"only a short word agrees, capped at {params.generic_only_cap:.2f}")
    if (params.substitution_cap and score > params.substitution_cap and not respelled
            and any(query[i].kind == WORD and wq[i] >= params.distinctive_weight for i in extra_q)
            and any(result[j].kind == WORD and wr[j] >= params.distinctive_weight for j in extra_r)):
        # A distinctive word of the query replaced by another distinctive word on the list
        # ("Ayman Al Ganufu Trading" / "Ayman Al Sabbagh Trading"): however long the rest
        # that agrees, another name of the same pattern.
        score = params.substitution_cap
        factors.append(f"a distinctive word differs, capped at {params.substitution_cap:.2f}")
    if acronym and score > params.short_typo_cap:
        score = params.short_typo_cap
        factors.append(f"read through an acronym, capped at {params.short_typo_cap:.2f}")
    if short_typo and score > params.short_typo_cap:
        # One edit in a word of five letters or fewer: read as a typo ("Vital" / "Vitol"),
        # but as likely another name; an analyst decides.
        score = params.short_typo_cap
        factors.append(f"a short word agrees only by a typo, capped at {params.short_typo_cap:.2f}")
    forms_q = layout.forms
    forms_r = {t.key for t in result if t.key in _LEGAL_CLASSES} if forms_q else forms_q
    if forms_q and forms_r and forms_q.isdisjoint(forms_r) and score > params.legal_form_conflict_cap:
        # Legal forms of different classes and none shared ("AG" / "GmbH"): decided on the
        # sets, not the alignment, so which pairs the aligner chose cannot change it.
        score = params.legal_form_conflict_cap
        factors.append(f"legal forms differ, capped at {params.legal_form_conflict_cap:.2f}")
    if score < 0.98 and (extra_q or extra_r) and layout.joined == _joined(result):
        # Same letters, different spacing ("SiemensAG", "Good Will"): the same name.
        score = 0.98
        factors.append("same letters when spaces are ignored 0.98")
    return _new(NameScore, (round(min(1.0, max(0.0, score)), 4), tuple(steps), tuple(factors)))
