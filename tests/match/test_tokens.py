"""Name analysis: legal forms, symbols, places, numbers, Han segmentation, weights."""

from __future__ import annotations

from riskcheck.match.tokens import (
    COUNTRY,
    LOCATION,
    NUMBER,
    ORG,
    STOP,
    SYMBOL,
    WORD,
    TokenWeights,
    analyze_org,
    analyze_person,
)


def kinds(name: str) -> list[tuple[str, str]]:
    return [(t.key, t.kind) for t in analyze_org(name)]


def texts(name: str) -> list[str]:
    return [t.text for t in analyze_org(name)]


def test_legal_forms_across_languages_share_a_generic_class() -> None:
    for name in ("X Co., Ltd.", "X Limited", "X LLC", "ООО X", "X 有限公司", "X GmbH"):
        assert ("#LLC", ORG) in kinds(name), name
    for name in ("PJSC X", "ПАО X", "X AG", "X 股份有限公司", "Open Joint Stock Company X", "X plc"):
        assert ("#JSC", ORG) in kinds(name), name


def test_misspelt_legal_form_is_still_a_legal_form() -> None:
    assert ("#JSC", ORG) in kinds("Siemens Aktiengeselschaft")


def test_symbols_places_countries_and_stopwords() -> None:
    found = kinds("Beijing Technology Group of China & Intl")
    assert ("@beijing", LOCATION) in found
    assert ("~tech", SYMBOL) in found and ("~group", SYMBOL) in found and ("~intl", SYMBOL) in found
    assert ("!CN", COUNTRY) in found
    assert ("of", STOP) in found and ("&", STOP) in found


def test_han_names_are_segmented_with_the_dictionary() -> None:
    assert kinds("北京智谱华章科技有限公司") == [
        ("@beijing", LOCATION), ("zhipu", WORD), ("huazhang", WORD), ("~tech", SYMBOL), ("#LLC", ORG)]


def test_numbers_and_roman_numerals_are_numbers() -> None:
    found = kinds("Fund II 2004")
    assert ("ii", NUMBER) in found and ("2004", NUMBER) in found
    assert ("xi", WORD) in kinds("Xi Technology")


def test_a_name_is_never_reduced_to_nothing() -> None:
    assert [t.kind for t in analyze_org("Limited")] == [WORD]
    assert [(t.key, t.kind) for t in analyze_org("SL Ltd.")] == [("sl", WORD), ("#LLC", ORG)]
    assert analyze_org("The Company") != ()


def test_person_names_are_reordered_and_titles_dropped() -> None:
    assert [t.text for t in analyze_person("PUTIN, Vladimir")] == ["vladimir", "putin"]
    assert [t.text for t in analyze_person("Dr. Hans Friedrich")] == ["hans", "friedrich"]


def test_weights_follow_information() -> None:
    names = [analyze_org(n) for n in (
        "Beijing A Technology Co., Ltd.", "Beijing B Technology Co., Ltd.",
        "Beijing C Technology Co., Ltd.", "Zhipu Technology Co., Ltd.")]
    weights = TokenWeights.from_names(names)
    zhipu = analyze_org("Zhipu")[0]
    beijing, tech = analyze_org("Beijing Technology")
    assert weights.weight(zhipu) > weights.weight(tech)
    assert weights.weight(zhipu) > weights.weight(beijing)


def test_a_possessive_split_by_a_space_is_one_word() -> None:
    assert texts("PEOPLE S BANK") == texts("People's Bank")
    assert texts("MARK S AND SPENCER") == ["marks", "and", "spencer"]
    # ... but a phrase through the "s" still reads as the phrase.
    assert "obshchestvo s ogranichennoy otvetstvennostyu" in texts("ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ БАЙ")
    assert texts("Limited S Cape")[:2] == ["limited", "s"]


def test_legal_forms_read_with_the_fewest_tokens() -> None:
    # Not "company limited" + "liability" + "company".
    assert texts("Sberbank Financial Company Limited Liability Company") == [
        "sberbank", "financial", "company", "limited liability company"]


def test_a_dictionary_word_with_letters_around_it_is_not_a_misspelling() -> None:
    assert [t.kind for t in analyze_org("VBSERVICE")] == [WORD]
    assert [t.kind for t in analyze_org("Sevrices")] == [SYMBOL]  # a misspelling still is


def test_every_country_key_is_its_iso_code() -> None:
    # YAML 1.1 reads a bare NO as false (Norway would become the key "!False").
    from riskcheck.territories import all_names

    codes = all_names()
    assert all(isinstance(code, str) and len(code) == 2 and code.isupper() for code in codes)
    assert ("!NO", COUNTRY) in kinds("Equinor Norway AS")


def test_number_words_read_as_their_number() -> None:
    for name in ("Brigade Forty-Four", "Brigade Forty 4", "Brigade Fourty-four", "Brigade 44"):
        assert ("44", NUMBER) in kinds(name), name
    assert ("21", NUMBER) in kinds("Twenty-First Century Group")
    assert ("40", NUMBER) in kinds("Forty Niners")  # a tens word alone stays its number


def test_han_names_without_a_dictionary_meaning_are_read_in_pinyin() -> None:
    # Two syllables to a word, as Latin company names write them; dictionary words (places,
    # industry words, legal forms) keep their meaning.
    tokens = analyze_org("北京智谱华章科技有限公司")
    assert [(t.text, t.kind) for t in tokens] == [
        ("北京", "location"), ("zhipu", "word"), ("huazhang", "word"), ("科技", "symbol"),
        ("有限公司", "org")]
    # A character with several readings is read through the library's phrase dictionary.
    assert [t.text for t in analyze_org("重庆长安")][-1] == "changan"


def test_han_stays_as_written_without_the_pinyin_library(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sys

    from riskcheck.match.tokens import han_words

    monkeypatch.setitem(sys.modules, "pypinyin", None)  # import fails as if not installed
    assert han_words.__wrapped__("智谱华章") == ("智谱华章",)


def test_the_one_edit_lookup_answers_as_a_full_comparison_would() -> None:
    """Misspelt table words are looked for only among choices sharing their first or last
    two letters; on words one or two edits from the tables' own words (and random ones), the
    answer is the full comparison's: the first of the closest choices within one edit."""
    import random
    import string

    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extractOne

    from riskcheck.match.tokens import _dictionary, _one_edit, edit_budget

    table = _dictionary()
    lists = [*table.phrase_words_by_length.values(), table.number_choices, table.short_phrase_words,
             *(table.choices_near(n, edit_budget(n)) for n in (6, 7))]
    rng = random.Random(7)
    letters = string.ascii_lowercase

    def mutate(word: str) -> str:
        chars = list(word)
        for _ in range(rng.choice((1, 1, 2))):
            k = rng.randrange(len(chars))
            op = rng.randrange(4)
            if op == 0:
                chars[k] = rng.choice(letters)
            elif op == 1:
                chars.insert(k, rng.choice(letters))
            elif op == 2 and len(chars) > 1:
                del chars[k]
            elif k + 1 < len(chars):
                chars[k], chars[k + 1] = chars[k + 1], chars[k]
        return "".join(chars)

    near = 0
    for choices in lists:
        if not choices:
            continue
        for _ in range(300):
            word = (mutate(rng.choice(choices)) if rng.random() < 0.8
                    else "".join(rng.choice(letters) for _ in range(rng.randint(3, 12))))
            full = extractOne(word, choices, scorer=OSA.distance, score_cutoff=1)
            fast = _one_edit(word, choices)
            assert (fast and fast[:2]) == (full and full[:2]), word
            near += full is not None
    assert near > 1000  # the comparison met many words within one edit, not only misses
