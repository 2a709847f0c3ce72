"""Name analysis: normalised tokens tagged with what they are, and weighted by information.

A name becomes a tuple of :class:`Token`. Phrases from the data tables are recognised
longest first: legal forms and "company" words become one low-weight ``org`` token keyed on
their generic class ("Co., Ltd." / "有限公司" / "ООО" -> ``#LLC``), synonyms become a ``symbol``
token keyed on their concept ("tech" / "technology" / "科技" -> ``~tech``), places become a
``location`` (city, province) or ``country`` token, function words ``stop`` tokens; tokens holding digits (and Roman
numerals) are ``number`` tokens. Han text, which has no spaces, is segmented with the same
dictionary, so "北京智谱华章科技有限公司" reads as beijing / 智谱华章 / tech / LLC.

Weights come from document frequency in the loaded lists (:class:`TokenWeights`), so
"Beijing", "Technology" and "Co" weigh little and "Zhipu" or "Sberbank" a lot.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import permutations
from typing import NamedTuple

from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne

from riskcheck.match.normalize import normalize, tokenize
from riskcheck.match.tables import load_table
from riskcheck.territories import all_names

WORD, NUMBER, ORG, SYMBOL, LOCATION, COUNTRY, STOP = (
    "word", "number", "org", "symbol", "location", "country", "stop")
KINDS = (WORD, NUMBER, ORG, SYMBOL, LOCATION, COUNTRY, STOP)

# How much a token of each kind can say about identity, before frequency is considered.
KIND_BIAS: Mapping[str, float] = {
    WORD: 1.0, NUMBER: 1.0, SYMBOL: 0.7, COUNTRY: 0.7, LOCATION: 0.5, ORG: 0.25, STOP: 0.15,
}
_ROMAN = re.compile(r"^(?=[ivx]{2,}$)x{0,3}(ix|iv|v?i{0,3})$")
# "xi" is a frequent Chinese syllable, far more often than a Roman eleven in these lists.
_NOT_ROMAN = frozenset({"xi"})
_MAX_PHRASE = 6
_REORDERED_FORMS = frozenset({"#LLC", "#JSC"})


class Token(NamedTuple):
    """One analysed part of a name: ``key`` is compared literally, ``text`` fuzzily.

    A named tuple rather than a dataclass: the index creates tens of thousands at start-up.
    """

    key: str
    text: str
    kind: str


# Kana, CJK ideographs (with extensions and compatibility forms) and Hangul: scripts written
# without spaces between words, segmented through the dictionary instead.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]")


_HAN_ONLY = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")


@lru_cache(maxsize=20_000)
def han_words(text: str) -> tuple[str, ...]:
    """Han characters with no dictionary meaning read in pinyin (without tones, through the
    ``pypinyin`` library and its phrase dictionary for characters with several readings),
    two syllables to a word as Latin company names write them ("智谱华章" -> "zhipu",
    "huazhang"; an odd last syllable joins the word before it)."""
    try:
        from pypinyin import lazy_pinyin
    except ImportError:  # an install without the dependency: Han kept as written
        return (text,)
    syllables = [s for s in lazy_pinyin(text, v_to_u=True) if s]
    if any(_has_cjk(s) for s in syllables):
        return (text,)  # a character the library cannot read: kept as written
    syllables = [normalize(s) for s in syllables]
    words = ["".join(syllables[i:i + 2]) for i in range(0, len(syllables), 2)]
    if len(words) > 1 and len(syllables) % 2:
        words[-2:] = [words[-2] + words[-1]]
    return tuple(words)


def _has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def kind_of_key(key: str) -> str:
    """The kind of a token from its key alone (keys carry a prefix per kind)."""
    prefix = key[:1]
    if prefix == "#":
        return ORG
    if prefix == "~":
        return SYMBOL
    if prefix == "@":
        return LOCATION
    if prefix == "!":
        return COUNTRY
    if key in _dictionary().stopwords:
        return STOP
    if any(ch.isdigit() for ch in key) or (_ROMAN.match(key) and key not in _NOT_ROMAN):
        return NUMBER
    return WORD


class _Dictionary:
    """Normalised phrase -> (kind, key), built once from the YAML tables."""

    def __init__(self) -> None:
        self.phrases: dict[tuple[str, ...], tuple[str, str]] = {}
        self.cjk: dict[str, tuple[str, str]] = {}
        self.stopwords: set[str] = set()
        self.person_prefixes: set[str] = set()
        self.display: dict[str, str] = {}
        legal = load_table("legal_forms")
        stop = load_table("stopwords")
        symbols = load_table("symbols")
        # Insertion order is priority: a phrase keeps the first meaning it was given.
        for form in legal.get("forms", []):
            key = f"#{form['generic']}"
            self.display.setdefault(key, str(form.get("generic")))
            for alias in form.get("aliases", []):
                self._add(str(alias), ORG, key)
        # Multi-word legal forms with members abbreviated ("open joint stock co", "ltd
        # liability company"): every combination of the table's abbreviations.
        short = {str(k): str(v) for k, v in (legal.get("abbreviations") or {}).items()}
        # Limited-liability and joint-stock forms of two or three words also read in another
        # order ("company limited liability", "company joint stock"), after every spelling in
        # table order. (Not the other classes: "enterprise state" is not a legal form.)
        reordered: list[tuple[tuple[str, ...], str]] = []
        for form in legal.get("forms", []):
            key = f"#{form['generic']}"
            for alias in form.get("aliases", []):
                words = tokenize(str(alias))
                if len(words) < 2:
                    continue
                variants = [()]
                for word in words:
                    options = (word, short[word]) if word in short else (word,)
                    variants = [(*v, o) for v in variants for o in options]
                for variant in variants:
                    self._add(" ".join(variant), ORG, key)
                    if len(variant) <= 3 and key in _REORDERED_FORMS:
                        reordered.extend((order, key) for order in permutations(variant))
        self.reordered: set[tuple[str, ...]] = set()
        for order, key in reordered:
            if order not in self.phrases:
                self.phrases[order] = (ORG, key)
                self.reordered.add(order)
        for code, names in all_names().items():
            for spelling in names:
                self._add(str(spelling), COUNTRY, f"!{code}")
        # Regions ("Europe", "Middle East") read as countries: a regional subsidiary.
        for region, spellings in (stop.get("region") or {}).items():
            for spelling in [region, *spellings]:
                self._add(str(spelling), COUNTRY, f"!{normalize(str(region))}")
        for place, spellings in (stop.get("location") or {}).items():
            for spelling in [place, *spellings]:
                self._add(str(spelling), LOCATION, f"@{normalize(str(place))}")
        for sym, spellings in (symbols.get("org_class") or {}).items():
            for spelling in spellings:
                self._add(str(spelling), ORG, f"#{str(sym).upper()}")
        for number, spellings in (symbols.get("ordinals") or {}).items():
            for spelling in spellings:
                self._add(str(spelling), NUMBER, str(number))
        # Transliteration variants of one distinctive word ("qaeda" / "qaida"): a word token
        # keyed on the group's spelling.
        for word, spellings in (load_table("word_variants").get("variants") or {}).items():
            for spelling in [word, *spellings]:
                self._add(str(spelling), WORD, normalize(str(word)))
        for sym, spellings in (symbols.get("symbols") or {}).items():
            for spelling in spellings:
                self._add(str(spelling), SYMBOL, f"~{sym}")
        for word in stop.get("stop", []):
            tokens = tokenize(str(word))
            if len(tokens) == 1:
                self.stopwords.add(tokens[0])
            self._add(str(word), STOP, " ".join(tokens))
        self.person_prefixes = {normalize(str(p)) for p in stop.get("person_prefix", [])}
        self.fuzzy_single = {
            phrase[0]: meaning for phrase, meaning in self.phrases.items()
            if len(phrase) == 1 and len(phrase[0]) >= 7 and meaning[0] in (ORG, SYMBOL)
        }
        self.fuzzy_choices = list(self.fuzzy_single)
        self._near: dict[int, list[str]] = {}
        # Ordinal and number words ("second", "third") of five letters or more: a typo in one
        # ("secnod", "thrid") still reads as the number.
        self.number_words = {
            phrase[0]: meaning for phrase, meaning in self.phrases.items()
            if len(phrase) == 1 and len(phrase[0]) >= 5 and meaning[0] == NUMBER
            and phrase[0].isalpha()
        }
        self.number_choices = list(self.number_words)
        # The longest phrase each word begins ("joint" -> 3 for "joint stock company").
        self.phrase_starts: dict[str, int] = {}
        for phrase in self.phrases:
            if len(phrase) > 1 and len(phrase) > self.phrase_starts.get(phrase[0], 1):
                self.phrase_starts[phrase[0]] = len(phrase)
        # Words of multi-word phrases ("joint stock company"), to read a misspelt one in place.
        self.phrase_words = sorted({w for phrase in self.phrases if len(phrase) > 1
                                    for w in phrase if len(w) >= 6})
        self.short_phrase_words = sorted({w for phrase, (kind, _) in self.phrases.items()
                                          if len(phrase) > 2 and kind == ORG
                                          for w in phrase if len(w) == 5 and w.isalpha()})
        self.phrase_word_set = frozenset(self.phrase_words) | frozenset(self.short_phrase_words)
        # For a word of length n, the phrase words of length n - 1, n and n + 1.
        self.phrase_words_by_length: dict[int, list[str]] = {}
        for w in self.phrase_words:
            for n in (len(w) - 1, len(w), len(w) + 1):
                self.phrase_words_by_length.setdefault(n, []).append(w)

    def choices_near(self, length: int, budget: float) -> list[str]:
        """The one-word legal forms and symbols ``budget`` edits can reach from a word of
        ``length`` letters (an edit changes the length by one at most)."""
        found = self._near.get(length)
        if found is None:
            found = self._near[length] = [c for c in self.fuzzy_choices if abs(len(c) - length) <= budget]
        return found

    def _add(self, spelling: str, kind: str, key: str) -> None:
        tokens = tokenize(spelling)
        if not tokens:
            return
        self.phrases.setdefault(tokens, (kind, key))
        if len(tokens) == 1 and _has_cjk(tokens[0]):
            self.cjk.setdefault(tokens[0], (kind, key))

    def segment_cjk(self, token: str) -> list[str]:
        """Split a run of Han/Kana/Hangul text at dictionary words, longest first."""
        out: list[str] = []
        pending = ""
        i = 0
        longest = max((len(w) for w in self.cjk), default=1)
        while i < len(token):
            for size in range(min(longest, len(token) - i), 0, -1):
                piece = token[i:i + size]
                if piece in self.cjk:
                    if pending:
                        out.append(pending)
                        pending = ""
                    out.append(piece)
                    i += size
                    break
            else:
                pending += token[i]
                i += 1
        if pending:
            out.append(pending)
        return out


@lru_cache(maxsize=1)
def _dictionary() -> _Dictionary:
    return _Dictionary()


def is_region(token: Token) -> bool:
    """Whether a country-kind token names a region ("Europe", "Middle East"): country keys
    are ISO codes (upper case), region keys their lower-case name."""
    return token.kind == COUNTRY and token.key[1:2].islower()


def describe_key(key: str) -> str:
    """Readable form of a token key for explanations (``#LLC`` -> ``LLC``)."""
    return key[1:] if key[:1] in "#~@!" else key


@lru_cache(maxsize=200_000)
def _typo_meaning(word: str) -> tuple[str, str] | None:
    """A misspelt legal form or symbol word ("aktiengeselschaft") -> its meaning."""
    table = _dictionary()
    if len(word) >= 5 and word.isalpha() and table.number_choices:
        # A swapped pair of letters, or one edit from six letters on ("secnod", "thrid",
        # "eleveth"): a misspelt number word. A word that is itself a word of the
        # dictionary is not a misspelling.
        found = _one_edit(word, table.number_choices)
        if (found is not None and found[1] == 1 and (word,) not in table.phrases
                and (len(word) >= 6 or sorted(word) == sorted(found[0]))):
            return table.number_words[found[0]]
    if len(word) < 6 or not table.fuzzy_choices:
        return None
    budget = edit_budget(len(word))
    near = table.choices_near(len(word), budget)
    found = (_one_edit(word, near) if budget < 2
             else extractOne(word, near, scorer=OSA.distance, score_cutoff=budget))
    if found is None or found[1] == 0 or found[0] in word:
        # A dictionary word with letters added around it is a compound ("vbservice",
        # "sgdevelopment": a name run together), not a misspelling of the word.
        return None
    return table.fuzzy_single[found[0]]


def _budget(length: int) -> float:
    return math.log(max(length - 2, 1)) / math.log(2.35)


_BUDGETS = [_budget(n) for n in range(256)]


@lru_cache(maxsize=200_000)
def _phrase_word(word: str) -> str | None:
    """The phrase word ``word`` is a misspelling of (one edit, 6+ letters), if any."""
    table = _dictionary()
    if len(word) < 5 or word in table.phrase_word_set:
        return None
    # One edit changes the length by one at most: only words of a near length can be it.
    # Five-letter words only among the five-letter words of long phrases ("joynt stock
    # company"), read as such only inside a phrase of three words or more.
    near = (table.phrase_words_by_length.get(len(word)) if len(word) >= 6
            else table.short_phrase_words)
    if not near:
        return None
    found = _one_edit(word, near)
    return found[0] if found is not None else None


def _one_edit(word: str, choices: list[str]) -> tuple[str, float, int] | None:
    """``extractOne(word, choices, scorer=OSA.distance, score_cutoff=1)`` (the first of the
    closest choices within one edit), trying only the choices that can be one edit away.
    One edit (a letter changed, added, dropped, or two swapped) touches at most two
    neighbouring places, so between words of five letters or more it leaves the first two
    letters or the last two alike: only choices sharing one of them (and shorter choices,
    all tried) are compared, in their order."""
    if len(word) < 5:
        return extractOne(word, choices, scorer=OSA.distance, score_cutoff=1)
    index = _affixes(choices)
    positions = set(index.get("<" + word[:2], ()))
    positions.update(index.get(">" + word[-2:], ()), index.get("", ()))
    if not positions:
        return None
    return extractOne(word, [choices[k] for k in sorted(positions)], scorer=OSA.distance,
                      score_cutoff=1)


_AFFIXES: dict[int, tuple[list[str], dict[str, list[int]]]] = {}


def _affixes(choices: list[str]) -> dict[str, list[int]]:
    """Positions of ``choices`` by their first two letters ("<ab") and last two (">yz");
    choices of fewer than five letters under "" (tried always). Kept per list (the
    dictionary's lists live as long as it does)."""
    entry = _AFFIXES.get(id(choices))
    if entry is not None and entry[0] is choices:
        return entry[1]
    index: dict[str, list[int]] = {}
    for k, choice in enumerate(choices):
        if len(choice) < 5:
            index.setdefault("", []).append(k)
        else:
            index.setdefault("<" + choice[:2], []).append(k)
            index.setdefault(">" + choice[-2:], []).append(k)
    _AFFIXES[id(choices)] = (choices, index)
    return index


def _misspelt_phrase(words: list[str], start: int) -> tuple[int, str, str] | None:
    """A multi-word phrase at ``start`` with one misspelt word ("joint stock cmopany")."""
    phrases = _dictionary().phrases
    for size in range(min(_MAX_PHRASE, len(words) - start), 1, -1):
        window = words[start:start + size]
        for k, word in enumerate(window):
            fixed = _phrase_word(word)
            if fixed is None or (len(word) < 6 and size < 3):
                continue
            meaning = phrases.get((*window[:k], fixed, *window[k + 1:]))
            if meaning is not None:
                return size, meaning[0], meaning[1]
    return None


def edit_budget(length: int) -> float:
    """Edits a token of ``length`` characters may carry and still be the same word.

    log base 2.35 of (length - 2): 0 up to 4 characters, 1 at 5-7, 2 at 8-12, 3 from 15.
    """
    return _BUDGETS[length] if length < 256 else _budget(length)


@lru_cache(maxsize=200_000)
def _plain(text: str) -> Token:
    key = text
    return Token(key, text, kind_of_key(key))


_GLUED = "glued"
_TENS = frozenset({"20", "30", "40", "50", "60", "70", "80", "90"})


def _compound_number(tens: str, unit_word: str, table: _Dictionary) -> str | None:
    """ "forty" + "four" (or "4") -> "44"; None when the two words are not such a pair."""
    if tens not in _TENS:
        return None
    unit = unit_word if len(unit_word) == 1 and unit_word.isdigit() else None
    if unit is None:
        meaning = table.phrases.get((unit_word,))
        if meaning is not None and meaning[0] == NUMBER and len(meaning[1]) == 1:
            unit = meaning[1]
    if unit is None or unit == "0":
        return None
    return str(int(tens) + int(unit))


def _tag(raw: Iterable[str]) -> list[Token]:
    """Read the words as dictionary phrases (legal forms, symbols, places) and plain words.

    The reading with the fewest tokens wins, so "company limited liability company" is
    "company" + "limited liability company", not "company limited" + "liability" +
    "company"; between readings of equal length, the longer phrase first (the greedy one).
    """
    table = _dictionary()
    raw = list(raw)
    words: list[str] = []
    if not _has_cjk("".join(raw)):
        words = raw  # the common case: no word to segment, decided in one search
    else:
        for token in raw:
            if _has_cjk(token):
                for piece in table.segment_cjk(token):
                    if piece in table.cjk or not _HAN_ONLY.fullmatch(piece):
                        words.append(piece)
                    else:
                        words.extend(han_words(piece))
            else:
                words.append(token)
    count = len(words)
    # Words that may be a misspelt word of a phrase; most names have none, and then no
    # position needs the misspelt-phrase search.
    misspelt = [_phrase_word(word) is not None for word in words]
    # cost[i]: fewest tokens reading the words from i; choice[i]: its first step, as
    # (size, kind, key) with kind None for a plain word.
    cost = [0] * (count + 1)
    choice: list[tuple[int, str | None, str]] = [(1, None, "")] * count
    phrase_starts = table.phrase_starts
    for i in range(count - 1, -1, -1):
        options: list[tuple[int, str | None, str]] = []
        late: list[tuple[int, str | None, str]] = []
        # Only words that begin a multi-word phrase are looked up as one (most words do not).
        longest = min(phrase_starts.get(words[i], 1), count - i)
        for size in range(longest, 1, -1):
            phrase = tuple(words[i:i + size])
            meaning = table.phrases.get(phrase)
            if meaning is not None:
                if phrase not in table.reordered:
                    options.append((size, *meaning))
                else:
                    # Forms in another word order only where no reading in table order is
                    # as short.
                    late.append((size, *meaning))
        if not options and any(misspelt[i:i + _MAX_PHRASE]):
            # A longer phrase with one misspelt word beats a one-word reading
            # ("limited liabilty company" is one legal form, not "limited" + words).
            found = _misspelt_phrase(words, i)
            if found is not None:
                options.append(found)
        single = table.phrases.get((words[i],))
        options.append((1, *single) if single is not None else (1, None, ""))
        if single is not None and single[0] == NUMBER and i + 1 < count:
            compound = _compound_number(single[1], words[i + 1], table)
            if compound is not None:
                options.append((2, NUMBER, compound))
        if (i + 1 < count and words[i + 1] == "s" and single is None and len(words[i]) > 1
                and words[i].isalpha()):
            # A possessive whose apostrophe became a space ("PEOPLE S REPUBLIC"): one word,
            # as the normaliser reads "PEOPLE'S" (a phrase through "s" still reads fewer
            # tokens: "obshchestvo s ogranichennoy otvetstvennostyu").
            options.append((2, _GLUED, ""))
        best = (options[0] if len(options) == 1
                else min(options, key=lambda option: 1 + cost[i + option[0]]))
        if late:
            other = min(late, key=lambda option: 1 + cost[i + option[0]])
            if cost[i + other[0]] < cost[i + best[0]]:
                best = other
        choice[i] = best
        cost[i] = 1 + cost[i + best[0]]
    out: list[Token] = []
    i = 0
    while i < count:
        size, kind, key = choice[i]
        if kind == _GLUED:
            out.append(_plain("".join(words[i:i + size])))
        elif kind is not None:
            out.append(Token(key, " ".join(words[i:i + size]), kind))
        else:
            word = words[i]
            meaning = (_typo_meaning(word) if word.isalpha() or not any(ch.isdigit() for ch in word)
                       else None)
            out.append(Token(meaning[1], word, meaning[0]) if meaning else _plain(word))
        i += size
    return out


_CONTENT = frozenset({WORD, NUMBER, SYMBOL, LOCATION, COUNTRY})


ACRONYM_LETTERS = (3, 6)
"""Shortest and longest acronym read from a name's initials."""
ACRONYM_MARK = "^"
"""Prefix of an acronym's key in the name index (never a token's key)."""


def acronyms(tokens: Sequence[Token]) -> tuple[str, ...]:
    """The acronyms a name's words spell ("People's Liberation Army" -> "pla", "Bank of
    China" -> "bc" and "boc"): the initials of its words, legal forms left out, with and
    without function words, of three to six letters; none for a name with a number."""
    words = [t for t in tokens if t.kind != ORG]
    if not words or any(t.kind == NUMBER for t in words):
        return ()
    found = []
    for keep_stop in (False, True):
        letters = "".join(part[0] for t in words if keep_stop or t.kind != STOP
                          for part in t.text.split())
        shortest, longest = ACRONYM_LETTERS
        if shortest <= len(letters) <= longest and letters.isalpha():
            found.append(letters)
    return tuple(dict.fromkeys(found))


def join_initials(raw: tuple[str, ...]) -> tuple[str, ...]:
    """Letters spelt apart ("U K", "A W A") are one initialism in an organisation name."""
    out: list[str] = []
    run: list[str] = []
    for token in (*raw, ""):
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        if run:
            out.append("".join(run)) if len(run) > 1 else out.extend(run)
            run = []
        if token:
            out.append(token)
    return tuple(out)


PART_MARK = "/ "
"""Prefix of the normalised form the name index keeps for a part of a slash-joined name
(never a query's normalised form, so a part is never an exact match)."""
@lru_cache(maxsize=100_000)
def analyze_org(name: str) -> tuple[Token, ...]:
    """Tokens of an organisation (or unknown-type) name.

    Legal forms and generic words are recognised but never reduce a name to nothing: a name
    made only of them ("Limited", "The Company") keeps its words as plain words.
    """
    raw = join_initials(tokenize(name))
    if not raw:
        text = normalize(name)
        return (Token(text, text, WORD),) if text else ()
    tagged = _tag(raw)
    if not any(t.kind in _CONTENT for t in tagged):
        # Only legal-form words ("SL Ltd.", "Limited"): the last one is the legal form, the
        # words before it are the name itself.
        if len(tagged) > 1 and tagged[-1].kind == ORG:
            head = [w for t in tagged[:-1] for w in t.text.split()]
            return (*(Token(w, w, kind_of_key(w)) for w in head), tagged[-1])
        tagged = [Token(w, w, WORD) for w in raw]
    return tuple(tagged)


@lru_cache(maxsize=100_000)
def analyze_person(name: str) -> tuple[Token, ...]:
    """Tokens of a person name: "SURNAME, Given" reordered, titles dropped, no legal forms."""
    table = _dictionary()
    if name.count(",") == 1:
        family, given = name.split(",")
        name = f"{given} {family}"
    raw = list(tokenize(name))
    while len(raw) > 1 and raw[0] in table.person_prefixes:
        raw.pop(0)
    if not raw:
        text = normalize(name)
        return (Token(text, text, WORD),) if text else ()
    out = []
    for word in raw:
        kind = STOP if word in table.stopwords else (NUMBER if any(c.isdigit() for c in word) else WORD)
        out.append(Token(word, word, kind))
    if all(t.kind == STOP for t in out):
        out = [Token(t.key, t.text, WORD) for t in out]
    return tuple(out)


MIN_CORPUS = 200
"""Names assumed when computing document frequency from fewer names than this."""


class TokenWeights:
    """Information weight of token keys, from document frequency over the loaded names."""

    def __init__(self, doc_freq: Mapping[str, int] | None = None, total: int = 0) -> None:
        # Any mapping will do (the index passes a light view over its arrays).
        self.doc_freq: Mapping[str, int] = doc_freq if doc_freq is not None else {}
        self.total = total
        # A small list (a one-line custom deny list) says nothing about how common a word is:
        # every word would be "in every name" and weigh the minimum. Counting at least
        # MIN_CORPUS names, the unseen rest without the word, keeps such words informative.
        self._total = max(total, MIN_CORPUS) if total > 0 else 0
        self._log_total = math.log(self._total + 1) if total > 0 else 0.0
        self._cache: dict[Token, float] = {}
        self.common_words: frozenset[str] | None = None
        """Common words of general English, where the name index carries them (else the
        aligner asks the word-frequency library itself)."""
        self.everyday_words: frozenset[str] | None = None
        """The most frequent of them (everyday English: "army", "nato"), likewise."""

    @classmethod
    def from_names(cls, analysed: Iterable[tuple[Token, ...]]) -> TokenWeights:
        """Count each key once per name."""
        freq: dict[str, int] = {}
        total = 0
        for tokens in analysed:
            total += 1
            for key in {t.key for t in tokens}:
                freq[key] = freq.get(key, 0) + 1
        return cls(freq, total)

    def idf(self, key: str) -> float:
        """1.0 for a key seen in no or one name, down to 0.1 for a key in every name."""
        if self._log_total == 0.0:
            return 1.0
        df = self.doc_freq.get(key, 0)
        value = math.log((self._total + 1) / (df + 1)) / self._log_total
        return min(1.0, max(0.1, value * 1.25))

    def weight(self, token: Token) -> float:
        """Kind bias times inverse document frequency."""
        # Keyed by the token itself (its text does not change the weight, but hashing the
        # tuple as it is costs less than building a key per call: this runs per token pair).
        found = self._cache.get(token)
        if found is None:
            if len(self._cache) > 500_000:
                self._cache.clear()
            found = KIND_BIAS[token.kind] * self.idf(token.key)
            self._cache[token] = found
        return found
