"""Name normalisation: the one function list names and queries both go through.

Steps, in order (order matters, see comments): NFKC, casefold, transliteration of scripts
with one standard Latin form (table kept as data in ``lists/matching/transliteration.yaml``),
accent stripping, deletion of ``.`` and apostrophes WITHOUT splitting ("U.S.A." -> "usa",
"O'Brien" -> "obrien"), ``&`` kept as a token, ``%`` read as the word "percent", every other
punctuation, symbol or space splits. Digits are kept: a number is evidence, never noise. Han and other scripts without one
standard romanisation are kept as they are here (the exact-name short cut compares them as
written); the analysis (``tokens.py``) reads Han words in pinyin.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from riskcheck.match.tables import transliteration_table

# Deleted without splitting, so abbreviations with dots and names with apostrophes keep
# their letters together.
_SKIP = frozenset(".'‘’ʼʹ`´′")
# Category prefixes (first letter) that separate tokens; letters, marks and digits do not.
_SPLIT_CATEGORIES = frozenset("PZCS")
_AMPERSAND = "&"


@lru_cache(maxsize=1)
def _translit() -> dict[int, str]:
    return {ord(char): latin for char, latin in transliteration_table().items()}


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    return unicodedata.normalize("NFC", kept)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    table = _translit()
    # Transliterate before stripping marks (so that Cyrillic "й" stays "y" and is not folded
    # to "и" -> "i"), then again after, for Greek letters that only match once unaccented.
    text = text.translate(table)
    text = _strip_marks(text)
    return text.translate(table)


_ASCII_TOKEN = re.compile(r"[a-z0-9]+|[&%]")
_ASCII_SKIP = str.maketrans("", "", ".'`")
# Signs that stand for a word in a name ("3%ers" is "Three Percenters"): read as the word.
_SIGN_WORDS = {"%": "percent"}


def tokenize(text: str) -> tuple[str, ...]:
    """Split a name into normalised tokens (may be empty for names of punctuation only)."""
    if text.isascii():
        # Same result as the general path below, without a Python loop per character.
        found = _ASCII_TOKEN.findall(text.lower().translate(_ASCII_SKIP))
        if "%" in text:
            found = [_SIGN_WORDS.get(token, token) for token in found]
        return tuple(found)
    folded = _fold(text)
    tokens: list[str] = []
    current: list[str] = []
    for ch in folded:
        if ch in _SKIP:
            continue
        if ch == _AMPERSAND or ch in _SIGN_WORDS:
            if current:
                tokens.append("".join(current))
                current = []
            tokens.append(_SIGN_WORDS.get(ch, ch))
            continue
        category = unicodedata.category(ch)
        if category[0] in _SPLIT_CATEGORIES:
            if current:
                tokens.append("".join(current))
                current = []
            continue
        current.append(ch)
    if current:
        tokens.append("".join(current))
    return tuple(tokens)


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """The comparable form of a name: normalised tokens joined by single spaces.

    Never empties a name that has visible characters: a name made only of punctuation keeps
    its folded characters, so it can still be looked up exactly.
    """
    tokens = tokenize(text)
    if tokens:
        return " ".join(tokens)
    # Nothing but punctuation or marks: keep the folded (or at least case-folded) characters,
    # so such a name can still be compared exactly instead of becoming empty.
    return " ".join(_fold(text).split()) or " ".join(
        unicodedata.normalize("NFKC", text).casefold().split())
