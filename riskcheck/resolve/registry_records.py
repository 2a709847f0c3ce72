"""The records the vendor registry is made of, and how one parsed file becomes one record.

Split from :mod:`riskcheck.resolve.registry` so reading files and answering look-ups stay
small modules; the resolver imports everything from ``registry``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from riskcheck.model import Citation, Identifier, Organisation, Ownership

T = TypeVar("T")

_TOKEN = re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]\\])*\]|\{[^}]*\}|[A-Za-z0-9 _:/-]+|.", re.DOTALL)
"""A regex source cut into escapes, character classes, counted repeats, runs of plain ASCII
characters and single characters."""


def required_words(source: str) -> tuple[str, ...]:
    """Lower-case text every match of ``source`` contains, read off the source without compiling.

    Only plain ASCII characters outside groups count, and only when no ``|`` outside a group
    offers an alternative; a character that a quantifier makes optional or repeatable ends the
    word. Inline flags (``(?x)`` and the like) give up. An empty result promises nothing.
    """
    if "(?" in source:
        return ()
    words: list[str] = []
    word = ""
    depth = 0
    for token in _TOKEN.findall(source):
        first = token[0]
        if depth == 0 and first in "?*+{":
            word = word[:-1]
        elif depth == 0 and first.isascii() and (first.isalnum() or first in " _:/-"):
            word += token
            continue
        elif depth == 0 and token == "|":
            return ()
        if word:
            words.append(word.lower())
        word = ""
        depth += (token == "(") - (token == ")")
    if word:
        words.append(word.lower())
    return tuple(words)


class NamePattern:
    """A case-insensitive regex over model names, compiled the first time a name could match.

    A registry holds a few hundred of these and a check tries each against every model name;
    compiling them all cost more than the look-ups. Names that lack a word every match needs
    (see :func:`required_words`) are answered without compiling; the answer is the same as the
    regex's, since for ASCII text case-insensitive matching is plain lower-casing.
    """

    __slots__ = ("_compiled", "_words", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        """The regex source, as written in the registry file."""
        self._words: tuple[str, ...] | None = None
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
            if not all(word in lowered for word in self._words):
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
    looking up each pattern's longest required word in the lower-cased name first leaves a
    handful. Items come back in their original order.
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
        positions = [*self._always]
        for word, where in self._by_word.items():  # type: ignore[union-attr]
            if word in lowered:
                positions.extend(where)
        return [self._items[i] for i in sorted(positions)]

    def _index(self) -> None:
        self._by_word = {}
        for position, item in enumerate(self._items):
            words = required_words(self._pattern_of(item).pattern)
            if words:
                self._by_word.setdefault(max(words, key=len), []).append(position)
            else:
                self._always.append(position)


@dataclass(frozen=True)
class FamilyRule:
    """A model-name pattern that attributes a model family to a vendor."""

    pattern: NamePattern
    """Case-insensitive; searched in the model name without org or tag."""
    family: str
    vendor_id: str


@dataclass(frozen=True)
class ApiHost:
    """An API endpoint host, the legal entity operating it and where data is processed."""

    host: str
    entity_id: str
    """Registry id of the organisation that operates the host (may differ from the brand)."""
    vendor_id: str
    """Registry id of the file that declares the host (the brand)."""
    data_country: str | None
    """ISO country where requests are processed/stored, when a source says so."""


@dataclass(frozen=True)
class RegistryModel:
    """A notable model of a vendor, used to propose alternatives of the same task and size."""

    id: str
    task: str
    params_b: float | None = None
    licence: str | None = None


@dataclass(frozen=True)
class VendorRecord:
    """One registry file: the organisation plus every key the resolver looks it up by."""

    organisation: Organisation
    hf_orgs: tuple[str, ...] = ()
    ollama: tuple[str, ...] = ()
    openrouter: tuple[str, ...] = ()
    litellm: tuple[str, ...] = ()
    families: tuple[FamilyRule, ...] = ()
    api: tuple[ApiHost, ...] = ()
    api_models: tuple[NamePattern, ...] = ()
    models: tuple[RegistryModel, ...] = ()
    roles: tuple[str, ...] = ()
    """Every kind this organisation acts as: its ``kind`` first, then extra ``roles``."""
    description: str | None = None
    identifiers: tuple[Identifier, ...] = ()
    """Register numbers (``ru-ogrn``, ``lei`` ...) as printed on lists, for exact matching."""

    @property
    def id(self) -> str:
        """The registry id (same as ``organisation.id``)."""
        return self.organisation.id


def _ownership(edge: dict[str, Any]) -> Ownership:
    # The relation word leads the note so Registry.parent_chain can recover it; "unverified"
    # travels with it because reports must not present a guessed owner as fact.
    note = edge["relation"]
    if not edge["verified"]:
        note += " (unverified)"
    if edge.get("note"):
        note += f"; {edge['note']}"
    return Ownership(parent_id=edge["id"], share=edge.get("share"), note=note)


def _former_name(item: str | dict[str, Any]) -> str:
    return item if isinstance(item, str) else item["name"]


def build_record(doc: dict[str, Any]) -> VendorRecord:
    """Turn one validated registry file into a :class:`VendorRecord`."""
    vendor_id = doc["id"]
    organisation = Organisation(
        id=vendor_id,
        name=doc["name"],
        legal_names=tuple(entry["name"] for entry in doc.get("legal_names", ())),
        native_names=tuple(doc.get("native_names", ())),
        aliases=tuple(doc.get("aliases", ())),
        former_names=tuple(_former_name(item) for item in doc.get("former_names", ())),
        country=doc["country"],
        incorporated_in=doc.get("incorporated_in"),
        kind=doc["kind"],
        parents=tuple(_ownership(edge) for edge in doc.get("parents", ())),
        citations=tuple(
            Citation(url=c["url"], as_of=c["as_of"], verified=c["verified"])
            for c in doc["citations"]
        ),
        verified=doc["verified"],
    )
    families = tuple(
        FamilyRule(NamePattern(rule["pattern"]), rule["family"], vendor_id)
        for rule in doc.get("families", ())
    )
    hosts = tuple(
        ApiHost(host=h["host"], entity_id=h["entity"], vendor_id=vendor_id,
                data_country=h["data_country"])
        for h in doc.get("api", ())
    )
    models = tuple(
        RegistryModel(id=m["id"], task=m["task"],
                      params_b=float(m["params_b"]) if "params_b" in m else None,
                      licence=m.get("licence"))
        for m in doc.get("models", ())
    )
    roles = (doc["kind"], *(r for r in doc.get("roles", ()) if r != doc["kind"]))
    return VendorRecord(
        organisation=organisation,
        hf_orgs=tuple(doc.get("hf_orgs", ())),
        ollama=tuple(doc.get("ollama", ())),
        openrouter=tuple(doc.get("openrouter", ())),
        litellm=tuple(doc.get("litellm", ())),
        families=families,
        api=hosts,
        api_models=tuple(NamePattern(p) for p in doc.get("api_models", ())),
        models=models,
        roles=roles,
        description=doc.get("description"),
        identifiers=tuple(Identifier(scheme=i["scheme"], value=i["value"])
                          for i in doc.get("identifiers", ())),
    )
