"""Case-insensitive regexes over model names, compiled only when a name could match them.

The registry, the lineage rules and the alternatives catalogue hold a few hundred such patterns;
compiling them all took longer than a whole check's look-ups. Most of them need some plain text
(``^gigachat``, ``(^|-)qwen``) that a name without it cannot match, which is read off the
source without compiling anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")

_TOKEN = re.compile(
    r"\(\?:|\(\?|\\.|\[\^?\]?(?:\\.|[^\]\\])*\]|\{[^}]*\}|[A-Za-z0-9 _:/-]+|.", re.DOTALL)
"""A regex source cut into group openings, escapes, character classes, counted repeats, runs
of plain ASCII characters and single characters."""

_MAX_CHOICES = 64
"""Alternatives kept per pattern; a group that would multiply them beyond is passed over."""

Choices = list[tuple[str, ...]]
"""Ways a match can go: each a set of words that all appear in it."""


def required_words(source: str) -> tuple[tuple[str, ...], ...]:
    """The ways a match of ``source`` can go, each as lower-case text it surely contains.

    Read off the source without compiling it: plain ASCII text counts unless a quantifier makes
    it optional (the character before ``?``, ``*``, ``+`` or ``{...}`` ends a word), and so does
    a group that must match, one way per alternative in it. A match contains every word of at
    least one of the ways. An empty result promises nothing: some way needs no particular
    text, or the source uses look-arounds, inline flags or named groups.
    """
    tokens = _TOKEN.findall(source)
    if "(?" in tokens:
        return ()
    choices, end = _choices(tokens, 0)
    if choices is None or end != len(tokens):
        return ()
    return tuple(dict.fromkeys(choices))


def _choices(tokens: list[str], start: int) -> tuple[Choices | None, int]:
    """The ways through the alternatives from ``tokens[start]`` up to the ``)`` closing them."""
    every: Choices = []
    current: Choices = [()]
    word = ""
    index = start
    while index < len(tokens):
        token = tokens[index]
        index += 1
        first = token[0]
        if first.isascii() and (first.isalnum() or first in " _:/-"):
            word += token
            continue
        if first in "?*+{":
            word = word[:-1]
        if word:
            current = [(*way, word.lower()) for way in current]
            word = ""
        if token == ")":
            index -= 1
            break
        if token == "|":
            every.extend(current)
            current = [()]
        elif token in ("(", "(?:"):
            inner, index = _choices(tokens, index)
            if index >= len(tokens):
                return None, index
            index += 1  # the closing parenthesis
            optional = index < len(tokens) and tokens[index][0] in "?*{"
            if inner is not None and not optional and len(current) * len(inner) <= _MAX_CHOICES:
                current = [(*way, *more) for way in current for more in inner]
    if word:
        current = [(*way, word.lower()) for way in current]
    every.extend(current)
    if not all(every):
        return None, index
    return every, index


class NamePattern:
    """A case-insensitive regex over model names, compiled the first time a name could match.

    A registry holds a few hundred of these and a check tries each against every model name;
    compiling them all cost more than the look-ups. Names that lack the words each alternative
    needs (see :func:`required_words`) are answered without compiling; the answer is the same
    as the regex's, since for ASCII text case-insensitive matching is plain lower-casing.
    """

    __slots__ = ("_compiled", "_words", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        """The regex source, as written in the registry file."""
        self._words: tuple[tuple[str, ...], ...] | None = None
        self._compiled: re.Pattern[str] | None = None

    def search(self, name: str) -> re.Match[str] | None:
        """Like ``re.search`` with ``re.IGNORECASE``."""
        compiled = self._compiled_for(name)
        return compiled.search(name) if compiled is not None else None

    def match(self, name: str) -> re.Match[str] | None:
        """Like ``re.match`` with ``re.IGNORECASE``."""
        compiled = self._compiled_for(name)
        return compiled.match(name) if compiled is not None else None

    def _compiled_for(self, name: str) -> re.Pattern[str] | None:
        """The compiled regex, or None when ``name`` lacks a word every match contains."""
        if self._words is None:
            self._words = required_words(self.pattern)
        if self._words and name.isascii():
            lowered = name.lower()
            if not any(all(word in lowered for word in branch) for branch in self._words):
                return None
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, re.IGNORECASE)
        return self._compiled

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NamePattern) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __repr__(self) -> str:
        return f"NamePattern({self.pattern!r})"


class PatternIndex(Generic[T]):
    """Items keyed by a :class:`NamePattern`, narrowed to those a name could match.

    Testing a few hundred patterns one by one costs more in Python than the regexes do in C;
    looking up the longest required word of each pattern's alternatives in the lower-cased
    name first leaves a handful. Items come back in their original order.
    """

    def __init__(self, items: Iterable[T], pattern_of: Callable[[T], NamePattern]) -> None:
        self._items = tuple(items)
        self._pattern_of = pattern_of
        self._by_word: dict[str, list[int]] | None = None
        self._always: list[int] = []

    def candidates(self, name: str) -> list[T]:
        """The items whose pattern may match ``name`` (all of them for non-ASCII names)."""
        if not name.isascii():
            return list(self._items)
        if self._by_word is None:
            self._index()
        lowered = name.lower()
        positions = set(self._always)
        for word, where in self._by_word.items():  # type: ignore[union-attr]
            if word in lowered:
                positions.update(where)
        return [self._items[i] for i in sorted(positions)]

    def _index(self) -> None:
        self._by_word = {}
        for position, item in enumerate(self._items):
            branches = required_words(self._pattern_of(item).pattern)
            for branch in branches:
                self._by_word.setdefault(max(branch, key=len), []).append(position)
            if not branches:
                self._always.append(position)
