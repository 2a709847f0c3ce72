"""The name index: every listed name analysed once, with inverted indexes for candidates.

Built once per list version and cached on disk in a compact, safe format (a JSON header
followed by little-endian int32 arrays; no pickle), written atomically. Holds:

* each listed name's analysed tokens (as ids into a token vocabulary) and its entity;
* postings: token key -> names carrying it (candidate generation by shared tokens), also
  under the words a name becomes with its inner punctuation deleted ("AL-NASER" -> "alnaser");
* the one-deletion neighbourhood of every vocabulary word, as sorted hashes (two words one
  edit apart share a deletion), and character trigrams -> vocabulary words (long misspelt
  words, which may carry two edits); for every listed key, the vocabulary words within its
  edit budget, found through them once at build time (a query word that is a listed word
  is answered without the look-up);
* document frequencies of token keys (the information weights);
* normalised names -> names (the exact-hit short cut).
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import sys
import zlib
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import compress
from pathlib import Path
from typing import BinaryIO

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from riskcheck.match.align import english_by_frequency, slash_parts
from riskcheck.match.normalize import normalize, tokenize
from riskcheck.match.tables import tables_fingerprint
from riskcheck.match.tokens import (
    ACRONYM_MARK,
    PART_MARK,
    Token,
    TokenWeights,
    acronyms,
    analyze_org,
    analyze_person,
    edit_budget,
    join_initials,
)
from riskcheck.model import ListEntity

FORMAT = "riskcheck-name-index/14"
_MAGIC = b"RCNI1\n"
_RARE_GRAM = 400
_ARRAYS = ("name_entity", "name_off", "name_len", "name_tok", "post_off", "post_names", "tri_off",
           "tri_words", "same_prev", "del_hash", "del_word", "name_alias", "gap_hash", "gap_name",
           "order_hash", "order_name", "near_off", "near_words", "vocab_weight")
_TYPECODES = {"vocab_weight": "d"}
"""Arrays not of 32-bit integers: the vocabulary's weights are floats (kept exact)."""
_DELETION_MAX = 11
"""Longest query word looked up only through deletions; a longer one (a budget of two edits
and more) also goes through trigrams when no listed word is one edit from it."""


def trigrams(text: str) -> set[str]:
    """Character trigrams of a word padded with spaces (so short words still have some)."""
    padded = f" {text} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


_INNER_PUNCTUATION = re.compile(r"(?<=\w)[^\w\s&](?=\w)")


def _glued_words(name: str, tokens: tuple[Token, ...]) -> tuple[str, ...]:
    """Words a query may write for this name with its spacing or punctuation lost: inner
    punctuation deleted ("AL-NASER" -> "alnaser", "ISIL-YEMEN" -> "isilyemen"), and runs of
    short words run together ("B.R.C. S.A." typed "B R C S A" -> "brcsa"). The name is also
    found under them; only words its own tokens do not already carry."""
    found: list[str] = []
    if _INNER_PUNCTUATION.search(name):
        found.extend(w for w in tokenize(_INNER_PUNCTUATION.sub("", name)) if len(w) > 3)
    run: list[str] = []
    for word in (*join_initials(tokenize(name)), ""):
        if 0 < len(word) <= 3 and word.isalpha():
            run.append(word)
            continue
        if len(run) > 1:
            found.append("".join(run))
        run = []
    if not found:
        return ()
    own = {t.key for t in tokens} | {t.text for t in tokens}
    return tuple(word for word in dict.fromkeys(found) if word not in own)


def _spaceless_key(normalized: str) -> str:
    return normalized.replace(" ", "")


def _word_order_key(normalized: str) -> str:
    return " ".join(sorted(normalized.split()))


def deletions(text: str) -> set[str]:
    """The word and every string one character shorter than it."""
    return {text, *(text[:i] + text[i + 1:] for i in range(len(text)))}


@lru_cache(maxsize=1)
def _common_text() -> tuple[str | None, int]:
    """The common English words as the index stores them, most frequent first, and how many
    of them are everyday words (once per process: small indexes, a custom deny list, are
    built often)."""
    table = english_by_frequency()
    return (None, 0) if table is None else ("\n".join(table[0]), table[1])


@lru_cache(maxsize=4)
def _common_set(text: str, everyday: int) -> tuple[frozenset[str], frozenset[str]]:
    words = text.split("\n")
    return frozenset(words), frozenset(words[:everyday])


def _hash32(text: str) -> int:
    # A stable hash (unlike hash()), as a signed int32 to fit the index's arrays; collisions
    # only add candidates, which the edit-distance check then drops.
    value = zlib.crc32(text.encode("utf-8"))
    return value - (1 << 32) if value >= 1 << 31 else value


def _csr(groups: list[list[int]]) -> tuple[array, array]:
    offsets = array("i", [0])
    flat = array("i")
    for group in groups:
        flat.extend(group)
        offsets.append(len(flat))
    return offsets, flat


class NameIndex:
    """Analysed names of a list version plus their inverted indexes."""

    def __init__(self, header: dict, arrays: dict[str, array]) -> None:
        self.header = header
        self.entity_count: int = header["entity_count"]
        # Long string lists are stored joined by newlines (one JSON string decodes much faster
        # than tens of thousands); none of them can contain a newline.
        self._vocab_keys = header["vocab_keys"].split("\n")
        self._vocab_texts = header["vocab_texts"].split("\n")
        self._vocab_kinds = header["vocab_kinds"].split("\n")
        self._tokens: list[Token | None] = [None] * len(self._vocab_keys)
        self._name_tokens: dict[int, tuple[Token, ...]] = {}
        self.keys: list[str] = header["keys"].split("\n")
        self.key_ids = dict(zip(self.keys, range(len(self.keys))))
        self.person_names = set(header["person_names"])
        self.normalized: list[str] = header["normalized"].split("\n")
        # Last name id per normalised name; ``same_prev`` chains the earlier ones.
        self._exact_last = dict(zip(self.normalized, range(len(self.normalized))))
        self.part_names = frozenset(header["part_names"])
        """Names that are a part of a slash-joined listed name."""
        self.weak_names = frozenset(header["weak_names"])
        """Names that only aliases their publisher marks weak carry (``_weak_aliases``)."""
        grams = header["trigrams"].split("\n")
        self.trigram_ids = dict(zip(grams, range(len(grams))))
        self.fuzzy_words: list[int] = header["fuzzy_words"]
        self._fuzzy_texts = [self._vocab_texts[i] for i in self.fuzzy_words]
        self.weights = TokenWeights(_DocFreq(self.key_ids, header["doc_freq"]), header["name_count"])
        common = header.get("common_words")
        if common is not None:
            self.weights.common_words, self.weights.everyday_words = _common_set(
                common, header.get("everyday_words", 0))
        self.arrays = arrays
        self._near = (arrays["near_off"], arrays["near_words"]) if "near_off" in arrays else None
        # Postings are read through a view: a slice of it copies nothing (common keys are
        # carried by thousands of names).
        self._post_names = memoryview(arrays["post_names"])
        # Every vocabulary token's weight; a built index sets it once it can weigh tokens.
        self._vocab_weight: array = arrays.get("vocab_weight", array("d"))

    # --- building ------------------------------------------------------------------------

    @classmethod
    def build(cls, entities: Sequence[ListEntity], cache_key: str | None = None) -> NameIndex:
        """Analyse every name of every entity (persons with the person analyser)."""
        vocab_ids: dict[tuple[str, str], int] = {}
        vocab: list[list[str]] = []
        name_entity: list[int] = []
        name_tokens: list[list[int]] = []
        normalized: list[str] = []
        person_names: list[int] = []
        glued: list[tuple[str, ...]] = []
        weak_names: list[int] = []
        name_alias = array("i")
        for entity_id, entity in enumerate(entities):
            analyse = analyze_person if entity.entity_type == "person" else analyze_org
            person = entity.entity_type == "person"
            weak = _weak_aliases(entity)
            readings = ((alias, form, part) for alias, name in enumerate(entity.all_names)
                        for part, form in enumerate((name, *(() if person else slash_parts(name)))))
            for alias, name, part in readings:
                # A part of a slash-joined name ("Al-Qa'ida" of "Al-Qa'ida/Islamic Army") is
                # one more reading of that name (the same alias), never an exact match.
                tokens = analyse(name)
                if not tokens:
                    continue
                ids = []
                for token in tokens:
                    found = vocab_ids.get((token.key, token.text))
                    if found is None:
                        found = vocab_ids[(token.key, token.text)] = len(vocab)
                        vocab.append([token.key, token.text, token.kind])
                    ids.append(found)
                if person:
                    person_names.append(len(name_entity))
                if alias in weak:
                    weak_names.append(len(name_entity))
                name_entity.append(entity_id)
                name_alias.append(alias)
                name_tokens.append(ids)
                normalized.append(PART_MARK + normalize(name) if part else normalize(name))
                words = _glued_words(name, tokens)
                if entity.entity_type == "organisation" and not part:
                    # Found from its acronym too ("PLA" for "People's Liberation Army"); not
                    # an entry of unknown type, whose name may be a person's.
                    words += tuple(ACRONYM_MARK + letters for letters in acronyms(tokens))
                glued.append(words)
        keys: dict[str, int] = {}
        for key, _text, _kind in vocab:
            keys.setdefault(key, len(keys))
        for words in glued:
            for word in words:
                keys.setdefault(word, len(keys))
        postings: list[list[int]] = [[] for _ in keys]
        for name_id, ids in enumerate(name_tokens):
            found = {keys[vocab[i][0]] for i in ids}
            found.update(keys[word] for word in glued[name_id])
            for key_id in sorted(found):
                postings[key_id].append(name_id)
        last_seen: dict[str, int] = {}
        same_prev = array("i")
        for name_id, text in enumerate(normalized):
            same_prev.append(last_seen.get(text, -1))
            last_seen[text] = name_id
        fuzzy_words = [i for i, (key, text, _k) in enumerate(vocab)
                       if len(text) >= 4 and not any(ch.isdigit() for ch in text)]
        grams: dict[str, list[int]] = {}
        for slot, word_id in enumerate(fuzzy_words):
            for gram in trigrams(vocab[word_id][1]):
                grams.setdefault(gram, []).append(slot)
        gram_list = list(grams)
        neighbourhood = sorted((_hash32(variant), slot) for slot, word_id in enumerate(fuzzy_words)
                               for variant in deletions(vocab[word_id][1]))
        spaceless = sorted((_hash32(_spaceless_key(text)), name_id)
                           for name_id, text in enumerate(normalized))
        reordered = sorted((_hash32(_word_order_key(text)), name_id)
                           for name_id, text in enumerate(normalized))
        # Common English words, read from the word-frequency library here rather than at the
        # first query of every run (reading its table costs about 0.2 s).
        common, everyday = _common_text()
        header = {
            "format": FORMAT, "tables": tables_fingerprint(), "cache_key": cache_key,
            "entity_count": len(entities),
            "fingerprint": fingerprint(entities), "name_count": len(name_entity),
            "vocab_keys": "\n".join(v[0] for v in vocab),
            "vocab_texts": "\n".join(v[1] for v in vocab),
            "vocab_kinds": "\n".join(v[2] for v in vocab),
            "keys": "\n".join(keys), "doc_freq": [len(p) for p in postings],
            "person_names": person_names, "normalized": "\n".join(normalized),
            "part_names": [i for i, text in enumerate(normalized) if text.startswith(PART_MARK)],
            "weak_names": weak_names,
            "trigrams": "\n".join(gram_list),
            "fuzzy_words": fuzzy_words,
            "common_words": common, "everyday_words": everyday,
        }
        name_off, name_tok = _csr(name_tokens)
        post_off, post_names = _csr(postings)
        tri_off, tri_words = _csr([grams[g] for g in gram_list])
        arrays = {"name_entity": array("i", name_entity), "name_off": name_off,
                  "name_len": array("i", map(len, name_tokens)), "name_tok": name_tok,
                  "post_off": post_off, "post_names": post_names, "tri_off": tri_off,
                  "tri_words": tri_words, "same_prev": same_prev, "name_alias": name_alias,
                  "del_hash": array("i", (h for h, _ in neighbourhood)),
                  "del_word": array("i", (slot for _, slot in neighbourhood)),
                  "gap_hash": array("i", (h for h, _ in spaceless)),
                  "gap_name": array("i", (name_id for _, name_id in spaceless)),
                  "order_hash": array("i", (h for h, _ in reordered)),
                  "order_name": array("i", (name_id for _, name_id in reordered))}
        index = cls(header, arrays)
        # The listed words near each key (its likely misspellings among the listed words),
        # found once here: a query word that is itself a listed word (most are) then skips
        # the look-up, with the same answer.
        near = [index._similar_ids(key) if len(key) >= 5 else [] for key in index.keys]
        arrays["near_off"], arrays["near_words"] = _csr(near)
        index._near = (arrays["near_off"], arrays["near_words"])
        # Every vocabulary token's weight, worked out once here rather than in every run
        # that meets the token (a listed name's weights are then read, not computed).
        weight = index.weights.weight
        arrays["vocab_weight"] = index._vocab_weight = array(
            "d", [weight(index.token(i)) for i in range(len(index._tokens))])
        return index

    # --- disk cache ----------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the index atomically (temp file in the same folder, then rename)."""
        header = dict(self.header)
        offsets: dict[str, list[int]] = {}
        blobs: list[bytes] = []
        position = 0
        for name in _ARRAYS:
            data = self.arrays[name]
            if sys.byteorder != "little":
                data = array(data.typecode, data)
                data.byteswap()
            blob = data.tobytes()
            offsets[name] = [position, len(self.arrays[name])]
            blobs.append(blob)
            position += len(blob)
        header["arrays"] = offsets
        head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        from riskcheck.files import write_atomically

        def dump(handle: BinaryIO) -> None:
            handle.write(_MAGIC + struct.pack("<Q", len(head)) + head)
            for blob in blobs:
                handle.write(blob)

        write_atomically(path, dump)

    @classmethod
    def load(cls, path: Path, entities: Sequence[ListEntity], cache_key: str | None) -> NameIndex | None:
        """The cached index if it exists and was built for exactly these entities, else None."""
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        if not raw.startswith(_MAGIC) or len(raw) < len(_MAGIC) + 8:
            return None
        (size,) = struct.unpack_from("<Q", raw, len(_MAGIC))
        start = len(_MAGIC) + 8
        try:
            header = json.loads(raw[start:start + size].decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
        if (header.get("format") != FORMAT or header.get("cache_key") != cache_key
                or header.get("tables") != tables_fingerprint()
                or header.get("entity_count") != len(entities)
                or header.get("fingerprint") != fingerprint(entities)):
            return None
        body = memoryview(raw)[start + size:]
        arrays: dict[str, array] = {}
        try:
            for name in _ARRAYS:
                offset, count = header["arrays"][name]
                data = array(_TYPECODES.get(name, "i"))
                data.frombytes(body[offset:offset + data.itemsize * count])
                if sys.byteorder != "little":
                    data.byteswap()
                arrays[name] = data
        except (KeyError, ValueError, TypeError):
            return None
        index = cls(header, arrays)
        if not index._weights_current():
            return None  # weighed by other code than this (the weight rules changed): rebuilt
        return index

    # --- access --------------------------------------------------------------------------

    def token(self, vocab_id: int) -> Token:
        """One vocabulary token (made on first use: start-up stays fast)."""
        found = self._tokens[vocab_id]
        if found is None:
            found = self._tokens[vocab_id] = Token(
                self._vocab_keys[vocab_id], self._vocab_texts[vocab_id], self._vocab_kinds[vocab_id])
        return found

    def name_tokens(self, name_id: int) -> tuple[Token, ...]:
        """The analysed tokens of one listed name."""
        found = self._name_tokens.get(name_id)
        if found is None:
            off = self.arrays["name_off"]
            token = self.token
            found = tuple([token(i) for i in self.arrays["name_tok"][off[name_id]:off[name_id + 1]]])
            if len(self._name_tokens) > 200_000:
                self._name_tokens.clear()
            # Names sharing frequent words come back as candidates query after query.
            self._name_tokens[name_id] = found
        return found

    def name_weights(self, name_id: int) -> list[float]:
        """The weights of one listed name's tokens (``weights.weight`` of each)."""
        off = self.arrays["name_off"]
        return list(map(self._vocab_weight.__getitem__,
                        self.arrays["name_tok"][off[name_id]:off[name_id + 1]]))

    def _weights_current(self) -> bool:
        """Whether the stored weights are the ones this code gives (a sample of tokens of
        every kind is weighed again); an index weighed by other rules is not used."""
        stored = self._vocab_weight
        if len(stored) != len(self._tokens):
            return False
        kinds: dict[str, int] = {}
        for i, kind in enumerate(self._vocab_kinds):
            if kind not in kinds:
                kinds[kind] = i
        sample = {*kinds.values(), *range(0, len(stored), max(1, len(stored) // 16))}
        weight = self.weights.weight
        return all(stored[i] == weight(self.token(i)) for i in sample)

    def exact(self, normalized: str) -> list[int]:
        """Names whose normalised form equals ``normalized``."""
        found: list[int] = []
        name_id = self._exact_last.get(normalized, -1)
        prev = self.arrays["same_prev"]
        while name_id >= 0:
            found.append(name_id)
            name_id = prev[name_id]
        return found

    def respelled(self, normalized: str) -> list[int]:
        """Names that are ``normalized`` with its spaces elsewhere or gone ("g9" for "G-9",
        "www aerocontinente com pe" for "WWW.AEROCONTINENTE.COM.PE") or its words in another
        order ("ooo pte" for "PTE OOO"), the name itself excluded: they may share no word with
        the query, or only words too common to propose them."""
        found: dict[str, int] = {}  # one name per spelling (entries repeat names)
        arrays = self.arrays
        for route, hashes, names in ((_spaceless_key, arrays["gap_hash"], arrays["gap_name"]),
                                     (_word_order_key, arrays["order_hash"], arrays["order_name"])):
            key = route(normalized)
            value = _hash32(key)
            at = bisect_left(hashes, value)
            size = len(hashes)
            while at < size and hashes[at] == value:
                text = self.normalized[names[at]]
                if text != normalized and route(text) == key:  # not a hash collision
                    found.setdefault(text, names[at])
                at += 1
        return list(found.values())

    def entity_of(self, name_id: int) -> int:
        """Index (into the engine's entity sequence) of the entity a name belongs to."""
        return self.arrays["name_entity"][name_id]

    def alias_of(self, name_id: int) -> int:
        """Position of a name among its entity's ``all_names`` (the spelling to report)."""
        return self.arrays["name_alias"][name_id]

    def postings(self, key: str) -> Sequence[int]:
        """Names carrying a token key, in ascending order (a read-only view)."""
        key_id = self.key_ids.get(key)
        if key_id is None:
            return ()
        off = self.arrays["post_off"]
        return self._post_names[off[key_id]:off[key_id + 1]]

    def similar_words(self, text: str) -> list[Token]:
        """Vocabulary words within the edit budget of ``text``: its likely misspellings."""
        key_id = self.key_ids.get(text)
        if key_id is not None and self._near is not None:
            offsets, words = self._near  # found when the index was built (a listed key)
            ids: Sequence[int] = words[offsets[key_id]:offsets[key_id + 1]]
        else:
            ids = self._similar_ids(text)
        return [self.token(i) for i in ids]

    def _similar_ids(self, text: str) -> list[int]:
        budget = int(edit_budget(len(text)))
        if budget == 0:
            return []
        slots = self._one_edit_slots(text)
        if len(text) > _DELETION_MAX and not slots:
            # A long word with no listed word one edit away (nor itself listed): look two
            # edits away, which its budget allows.
            slots = self._trigram_slots(text)
        if not slots:
            return []
        texts = list(map(self._fuzzy_texts.__getitem__, slots))
        size = len(text)
        fuzzy_words = self.fuzzy_words
        if len(texts) <= 32:
            # A few candidates (the deletion path): a direct call each costs less than the
            # set-up of a batch call (a length too far off is decided without one).
            distance = OSA.distance
            return [fuzzy_words[slot] for slot, other in zip(slots, texts)
                    if abs(len(other) - size) <= budget
                    and 0 < distance(text, other, score_cutoff=budget) <= budget]
        # One C call verifies every candidate against the edit budget.
        found = extract(text, texts, scorer=OSA.distance, score_cutoff=budget, limit=None)
        return [fuzzy_words[slots[i]] for _, distance, i in found
                if 0 < distance <= budget and abs(len(texts[i]) - size) <= budget]

    def _one_edit_slots(self, text: str) -> list[int]:
        """Vocabulary words sharing a one-deletion variant with ``text``: every word one edit
        away (substitution, insertion, deletion, swap of neighbours) and a few two away."""
        hashes = self.arrays["del_hash"]
        owners = self.arrays["del_word"]
        size = len(hashes)
        found: set[int] = set()
        crc32 = zlib.crc32
        # The variants' hashes as _hash32 makes them (crc32 as a signed int32), in one pass.
        for value in [(crc32(variant.encode("utf-8")) ^ 0x80000000) - 0x80000000
                      for variant in deletions(text)]:
            at = bisect_left(hashes, value)
            while at < size and hashes[at] == value:
                found.add(owners[at])
                at += 1
        return sorted(found)

    def _trigram_slots(self, text: str) -> list[int]:
        """Vocabulary words sharing enough rare trigrams with ``text`` to be two edits away;
        words further away still meet the query through its other words."""
        edits = 2
        grams = trigrams(text)
        off = self.arrays["tri_off"]
        words = self.arrays["tri_words"]
        # Only the rarer trigrams are counted (common ones like " co" would cost more than the
        # whole search); a word within the edit budget keeps all but 4 per edit of them.
        spans = []
        for gram in grams:
            gram_id = self.trigram_ids.get(gram)
            if gram_id is not None:
                spans.append((off[gram_id + 1] - off[gram_id], gram_id))
        spans.sort()
        used = [gram_id for size, gram_id in spans if size <= _RARE_GRAM] or [g for _, g in spans[:2]]
        need = max(1, len(used) - 4 * edits)  # an edit (even a swap) breaks at most 4 trigrams
        counts: Counter[int] = Counter()
        for gram_id in used:
            counts.update(words[off[gram_id]:off[gram_id + 1]])  # counted in C
        # Filtered in C (map over bound methods, no Python frame per word).
        return list(compress(counts.keys(), map(need.__le__, counts.values())))


class _DocFreq(Mapping[str, int]):
    """Document frequency by key, read through the key ids (no second dictionary to build)."""

    def __init__(self, key_ids: dict[str, int], counts: list[int]) -> None:
        self._ids = key_ids
        self._counts = counts

    def __getitem__(self, key: str) -> int:
        return self._counts[self._ids[key]]

    def get(self, key: str, default: int | None = None) -> int | None:  # type: ignore[override]
        """Frequency of ``key`` or ``default``."""
        found = self._ids.get(key)
        return default if found is None else self._counts[found]

    def __contains__(self, key: object) -> bool:
        return key in self._ids

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def _weak_aliases(entity: ListEntity) -> frozenset[int]:
    """Positions among the entity's ``all_names`` of the names that only weak aliases carry
    (OFAC's and the UK's "low quality" aliases): neither its primary name nor a strong
    alias spells them too."""
    weak = {a.name for a in entity.aliases if a.strength == "weak"}
    if not weak:
        return frozenset()
    weak -= {entity.name} | {a.name for a in entity.aliases if a.strength != "weak"}
    return frozenset(k for k, name in enumerate(entity.all_names) if name in weak)


def fingerprint(entities: Sequence[ListEntity]) -> str:
    """A cheap identity check of an entity sequence (count plus a sample of ids and names)."""
    step = max(1, len(entities) // 64)
    sample = [f"{e.source}:{e.source_id}:{e.name}" for e in entities[::step]]
    return hashlib.sha256("\n".join(sample).encode("utf-8")).hexdigest()[:32]
