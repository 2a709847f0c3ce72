"""Normalisation: one function for list names and queries."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from riskcheck.match.normalize import normalize, tokenize


def test_dots_and_apostrophes_are_deleted_without_splitting() -> None:
    assert normalize("U.S.A. Co.,Ltd.") == "usa co ltd"
    assert normalize("O'Brien & Sons") == "obrien & sons"
    assert normalize("L.X.C Aviation") == "lxc aviation"


def test_other_punctuation_splits_and_case_and_accents_fold() -> None:
    assert normalize("Société-Générale (S.A.)") == "societe generale sa"
    assert normalize("  ALPHABET   INC. ") == "alphabet inc"


def test_cyrillic_and_greek_are_transliterated() -> None:
    assert normalize("ПАО Сбербанк") == "pao sberbank"
    assert normalize("Яндекс") == "yandeks"
    assert normalize("Αθήνα") == "athina"


def test_han_is_kept_and_digits_kept() -> None:
    assert normalize("华为技术有限公司") == "华为技术有限公司"
    assert tokenize("Brigade 44, Fund II") == ("brigade", "44", "fund", "ii")


def test_full_width_and_ligatures_fold_through_nfkc() -> None:
    assert normalize("ＳＥＮＳＥＴＩＭＥ") == "sensetime"
    assert normalize("ﬁnance") == "finance"


def test_punctuation_only_name_is_not_emptied() -> None:
    assert normalize("!!!") == "!!!"


@given(st.text(min_size=1, max_size=40))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(min_size=1, max_size=40).filter(
    lambda t: unicodedata.normalize("NFKC", t).casefold().split() != []))
def test_normalize_never_empties_a_non_blank_name(text: str) -> None:
    assert normalize(text) != ""


def test_lone_combining_mark_is_kept() -> None:
    assert normalize("\u0301") != ""


def test_a_percent_sign_is_the_word_percent() -> None:
    from riskcheck.match.normalize import tokenize

    assert tokenize("3%ers") == ("3", "percent", "ers")
    assert tokenize("Тест 100%") == ("test", "100", "percent")
