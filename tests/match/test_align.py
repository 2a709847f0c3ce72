"""The name comparison: alignment, extras, conflicts and explanations."""

from __future__ import annotations

import pytest

from riskcheck.match.align import AlignParams, compare_names, fuzzy_sim
from riskcheck.match.tokens import TokenWeights, analyze_org

W = TokenWeights()
P = AlignParams()


def score(a: str, b: str) -> float:
    return compare_names(analyze_org(a), analyze_org(b), W, P).score


def test_same_name_different_legal_spelling_is_a_full_match() -> None:
    assert score("OAO Gazprom", "Open Joint Stock Company Gazprom") == 1.0
    assert score("Siemens AG", "Siemens Aktiengesellschaft") == 1.0


def test_missing_legal_form_costs_little() -> None:
    assert score("Huawei Technologies", "Huawei Technologies Co., Ltd.") >= 0.9


def test_extra_query_words_cost_more_than_extra_listed_words() -> None:
    assert score("DeepSeek", "Hangzhou DeepSeek Research") > score("Hangzhou DeepSeek Research", "DeepSeek")


def test_numbers_differing_is_evidence_against() -> None:
    # A sibling of a series with a distinctive family name is worth a review, never a match;
    # a generic name with another number is another entity.
    assert 0.8 <= score("Zhipu Huazhang Fund 2", "Zhipu Huazhang Fund 3") < 0.9
    assert score("Shanghai Fund 2", "Shanghai Fund 3") < 0.7
    assert score("Carlyle Partners VII L.P.", "Carlyle Partners VIII L.P.") < 0.9
    assert score("Citigroup Capital Trust I", "Citigroup Capital Trust II") < 0.9
    assert score("Mortgage Loan Trust 2004-1", "Mortgage Loan Trust 2005-1") < 0.9
    # The conflict is a factor on the rest of the name, so a weak rest stays low.
    assert score("Shanghai Fund 2", "Shanghai Holdings 3") < 0.7
    explained = compare_names(analyze_org("KKR Asian Fund III"), analyze_org("KKR Asian Fund IV"), W, P)
    assert "numbers differ ('iii' / 'iv')" in explained.describe()
    assert score("Bowne Global Solutions", "Bowne Global Solutions II") < score(
        "Bowne Global Solutions", "Bowne Global Solutions Group")


def test_a_country_only_the_listed_name_carries_names_a_subsidiary() -> None:
    # Uniform weights here (no corpus): "Chile" costs what it would cost as a query word.
    assert score("Banco Santander S.A.", "Banco Santander Chile S.A.") < 0.85
    assert score("Banco Santander S.A.", "Banco Santander Chile S.A.") < score(
        "Banco Santander Chile S.A.", "Banco Santander S.A.")


def test_a_place_only_the_query_adds_names_the_listed_organisation_there() -> None:
    # Ownership runs down: the listed name's branch or subsidiary in a country is reached by
    # its listing, so `review`; the reverse (above) is a subsidiary of the query, not.
    assert 0.80 <= score("Banco Santander Chile S.A.", "Banco Santander S.A.") < 0.90
    assert 0.80 <= score("Sberbank Russia", "Sberbank") < 0.90
    assert 0.80 <= score("Deutsche Bank (Schweiz) AG", "Deutsche Bank AG") < 0.90
    # Not when the listed name has a word the query lacks, nor through a generic word alone.
    assert score("Sberbank Russia", "Sberbank Technologies") < 0.80
    assert score("Bank Russia", "Bank") < 0.80
    # Two places still conflict.
    assert score("Bank of China (Hong Kong)", "Bank of China (Singapore)") < 0.80


def test_a_legal_form_misspelt_at_the_same_end_is_that_legal_form_at_review() -> None:
    assert 0.80 <= score("Siemens AkG", "Siemens AG") < 0.90
    assert 0.80 <= score("Siemens AG", "Siemens AkG") < 0.90
    # A word, or a letter-change at the other end, is not a legal form.
    assert score("Siemens Agro", "Siemens AG") < 0.80
    assert score("AkG Siemens", "Siemens AG") < 0.80


def test_words_spaced_otherwise_and_misspelt_are_read_as_one_at_review() -> None:
    assert 0.80 <= score("Andrang Heta", "'Ndrangheta") < 0.90
    assert score("Camor ra", "Camorra") >= 0.90  # spacing alone, no typo: the same name
    # One word against one is a word pair, not a respacing.
    assert score("ABC Trading", "ABD Trading") < 0.80
    assert score("Andrang Heta", "Ndrxngzeta") < 0.80  # past the edit budget


def test_different_places_conflict() -> None:
    assert score("Bank of China (Hong Kong) Limited", "Bank of China (Singapore) Limited") < 0.8


def test_generic_words_alone_cannot_match() -> None:
    assert score("Beijing Moonshot Technology Co., Ltd.", "Beijing Zhongguancun Technology Co., Ltd.") <= 0.5


def test_glued_and_split_words() -> None:
    assert score("SiemensAG", "Siemens AG") >= 0.98
    assert score("Good Will Company", "Goodwill Company") >= 0.98


def test_fuzzy_budget_has_a_cliff() -> None:
    assert fuzzy_sim("sensetime", "sensetlme") > 0.85
    assert fuzzy_sim("bae", "bwi") == 0.0
    assert fuzzy_sim("moonshot", "moonshine") == 0.0


def test_explanation_names_the_alignment() -> None:
    result = compare_names(analyze_org("Zhipu Huazang Co Ltd"), analyze_org("Beijing Zhipu Huazhang Co., Ltd."), W, P)
    text = result.describe()
    assert "'zhipu'='zhipu' literal 1.00" in text
    assert "'huazang'~'huazhang' fuzzy" in text
    assert "'co ltd'='co ltd' literal" in text
    assert "extra list token 'beijing' (location)" in text


def test_scores_stay_in_range() -> None:
    for a, b in (("A", "B"), ("", "X"), ("Sberbank", "Sberbank"), ("1 2 3", "3 2 1")):
        assert 0.0 <= score(a, b) <= 1.0


def test_an_extra_generic_listed_word_is_review_never_match() -> None:
    # "Sberbank Technologies" may be another company (a subsidiary) or the brand's listed
    # name ("Megvii" / "Megvii Technology"): an analyst decides, so `review`, never `match`;
    # a legal form or a place on the listed side is only extra detail.
    assert 0.8 <= score("Sberbank", "Sberbank Technologies") < 0.9
    assert 0.8 <= score("Megvii", "Megvii Technology") < 0.9
    assert 0.8 <= score("Beijing Sensetime Technology",
                        "Beijing Sensetime Technology Development Co., Ltd.") < 0.9
    # A distinctive word left over on the listed side is another name, not the brand's...
    assert score("Dahua", "Dahua Wisdom Information Technology Co., Ltd.") < 0.8
    assert score("Dahua", "Chengdu Wisdom Dahua Information Technology Co., Ltd.") < 0.8
    assert score("Dahua", "Chengdu Dahua Wisdom Trading Co., Ltd.") < 0.8
    # ... unless the brand is the first word of a trade name after a place (place, trade name,
    # industry, legal form): the 1260H list names Zhejiang Dahua Technology as the parent of
    # "Chengdu Dahua Wisdom Information Technology" (lists/transcriptions/dod_1260h.yaml).
    assert 0.8 <= score("Dahua", "Chengdu Dahua Wisdom Information Technology Co., Ltd.") < 0.9
    assert 0.8 <= score("Zhipu", "Beijing Zhipu Huazhang Technology Co., Ltd.") < 0.9
    # Only one more word of the trade name, and only a rare brand.
    assert score("Zhipu", "Beijing Zhipu Huazhang Wisdom Technology Co., Ltd.") < 0.8
    frequent = TokenWeights({"sberbank": 300}, 75_000)
    assert compare_names(analyze_org("Sberbank"), analyze_org("Moscow Sberbank Zenit Ltd."),
                         frequent, P).score < 0.8
    # A region left over names a regional arm of the brand: `review` ("FABERLIC EUROPE"),
    # not when the other side names another place ("ICBC (Asia)" / "ICBC (London)").
    assert 0.8 <= score("Faberlic", "FABERLIC EUROPE Sp. z o.o.") < 0.9
    assert 0.8 <= score("Faberlic Middle East", "Faberlic") < 0.9
    assert score("ICBC (Asia) Limited", "ICBC (London) plc") < 0.8
    assert score("ICBC (Asia) Limited", "ICBC (Europe) plc") < 0.8
    # A country left over names a national subsidiary: not lifted.
    assert score("Huawei", "Huawei Technologies Deutschland") < 0.8
    assert score("Sberbank", "Sberbank Ltd.") >= 0.9
    assert score("Sberbank", "Sberbank Moscow") > score("Sberbank", "Sberbank Technologies")


def test_weak_word_agreement_alone_stays_below_every_band() -> None:
    # A city, generic words and a two-edit lookalike ("Huanfang" / "Huazhang") are not
    # evidence of the same company.
    assert score("Hangzhou Huanfang Technology Co., Ltd.",
                 "Hangzhou Zhipu Huazhang Technology Co., Ltd.") <= P.weak_only_cap
    assert score("Hangzhou Huanfang Technology Co., Ltd.", "Hangzhou Zhipu Technology Co., Ltd.") <= 0.5


def test_a_word_common_in_the_lists_is_not_read_as_a_misspelling() -> None:
    # "Russian" in 200 of 10,000 listed names: typed as the lists spell it, it is that word.
    common = TokenWeights({"russian": 200, "gazprom": 200}, 10_000)
    names = ("OJSC Russian", "AO Russtan")
    assert compare_names(analyze_org(names[0]), analyze_org(names[1]), W, P).score > 0.8
    found = compare_names(analyze_org(names[0]), analyze_org(names[1]), common, P)
    assert found.score <= P.weak_only_cap
    assert any("common in the lists" in factor for factor in found.factors)
    # Person names keep every spelling variant.
    person = AlignParams(common_word_names=0)
    assert compare_names(analyze_org(names[0]), analyze_org(names[1]), common, person).score > 0.8


def test_a_short_word_one_edit_from_another_is_a_typo_unless_both_are_english_words() -> None:
    pytest.importorskip("wordfreq")
    listed = TokenWeights({"inter": 18, "vital": 4, "shell": 4, "strip": 3, "stripe": 3}, 75_000)
    # Two common English words: another name ("Intel" is not the airline alias "INTER").
    assert compare_names(analyze_org("Intel"), analyze_org("INTER"), listed, P).score <= P.weak_only_cap
    assert compare_names(analyze_org("Stripe LLC"), analyze_org("Strip LLC"), listed, P).score < 0.8
    # A rare word or a non-word one edit from a word: a typo, worth a review, never a match.
    for query, name in (("Vitol Holding S.A.", "Vital Holding S.A."), ("Schell plc", "Shell plc"),
                        ("Bank of Chima Limited", "Bank of China Limited")):
        found = compare_names(analyze_org(query), analyze_org(name), listed, P)
        assert 0.8 <= found.score <= P.short_typo_cap, (query, found.describe())
        assert any("short word agrees only by a typo" in f for f in found.factors)
    # Two edits in five letters stay apart whatever the frequencies ("Acme" / "Ahome").
    assert compare_names(analyze_org("Acme Real Estate LLC"), analyze_org("AHOME REAL ESTATE"),
                         listed, P).score < 0.8


def test_without_word_frequencies_short_words_known_to_the_lists_stay_apart(monkeypatch) -> None:
    import riskcheck.match.align as align

    monkeypatch.setattr(align, "common_word", lambda word: None)
    listed = TokenWeights({"inter": 18, "vital": 4}, 75_000)
    for query, name in (("Intel", "INTER"), ("Vitol Holding S.A.", "Vital Holding S.A.")):
        found = compare_names(analyze_org(query), analyze_org(name), listed, P)
        assert found.score <= P.weak_only_cap, (query, found.describe())


def test_transliteration_variants_of_a_common_word_still_agree() -> None:
    common = TokenWeights({"gazprom": 200, "lukoil": 200}, 10_000)
    assert compare_names(analyze_org("OAO Gazprom"), analyze_org("Gasprom JSC"), common, P).score > 0.8
    assert compare_names(analyze_org("Lukoil"), analyze_org("Lukoyl"), common, P).score > 0.8


def test_a_word_read_as_a_legal_form_on_one_side_only_still_agrees() -> None:
    # Which word of "PTE OOO" is the legal form depends on where it stands.
    assert score("ooo pte", "PTE OOO") == 1.0
    # "Private, Ltd." and "Private Limited" are one legal form.
    assert score("NEC Engineers Private Limited", "NEC Engineers Private, Ltd.") >= 0.9


def test_a_legal_form_alone_never_takes_a_one_word_name_out_of_match() -> None:
    # "Al" is in half the names and the legal form in most: the form must not outweigh it.
    common = TokenWeights({"al": 5000, "#LLC": 8000}, 10_000)
    found = compare_names(analyze_org("Al Ltd."), analyze_org("Al"), common, P)
    assert found.score >= 0.9
    uncapped = AlignParams(legal_form_share=1e9)
    assert compare_names(analyze_org("Al Ltd."), analyze_org("Al"), common, uncapped).score < 0.9


def test_the_common_words_an_index_carries_decide_as_the_library_does(monkeypatch) -> None:
    """The name index keeps the common English words (read once when it is built): with
    them the aligner gives the library's answers without asking it at query time."""
    import riskcheck.match.align as align
    from riskcheck.match.index import NameIndex
    from riskcheck.model import ListEntity

    pairs = (("Intel", "INTER"), ("Stripe", "STRIP"), ("Vitol Holding S.A.", "Vital Holding S.A."),
             ("Schell", "SHELL"), ("Bank of Chima Limited", "Bank of China Limited"))
    entities = [ListEntity(source="test", source_id=str(k), lists=("SDN",), name=name)
                for k, (_, name) in enumerate(pairs)]
    index = NameIndex.build(entities)
    common = index.weights.common_words
    assert common is not None and {"intel", "inter", "vital", "shell", "china"} <= common
    assert not {"vitol", "schell", "chima"} & common
    with_library = [compare_names(analyze_org(q), analyze_org(n), index.weights, P).score
                    for q, n in pairs]

    def no_library(word: str) -> bool:
        raise AssertionError(f"the word-frequency library was asked about {word!r}")

    monkeypatch.setattr(align, "common_word", no_library)
    assert [compare_names(analyze_org(q), analyze_org(n), index.weights, P).score
            for q, n in pairs] == with_library
    assert with_library[0] < 0.8 and with_library[2] >= 0.8


def test_the_pairs_found_through_the_query_layout_are_every_pair_that_agrees() -> None:
    """The aligner finds the token pairs that agree through the query's layout (by key, by
    text, long words, legal forms, initials); trying every pair of tokens must find the same
    pairs with the same similarity and reason, for every kind of token against every other."""
    from dataclasses import replace
    from itertools import product

    from riskcheck.match.align import _pairs, _query_layout, _soft_pairs

    names = ["Bank of China Ltd", "Bank Of Chinna Limited", "China Construction Bank Corp",
             "OOO Romashka", "Romashka LLC", "Romaska Gmbh AG", "J P Morgan", "JP Morgan Chase & Co",
             "Moscow Trading House 2", "Moskva Trading Haus 3", "Trust II", "Trust I", "S A", "SA",
             "The Third Research Institute", "3rd Research Inst", "Deutsche Bank (Schweiz) AG",
             "Al-Qaida in Iraq", "Al Qaeda Iraq", "Shenzhen Huawei", "Huawei Technologies Co",
             "H & H", "HH Company", "K", "Kim", "Banco Santander Chile", "Santander"]
    tokens = [analyze_org(name) for name in names]
    weights = TokenWeights.from_names(tokens)
    params = AlignParams()
    every_pair = replace(params, soft_floor=0.0)
    for query, result in product(tokens, tokens):
        wq = [weights.weight(t) for t in query]
        wr = [weights.weight(t) for t in result]
        found = sorted(_pairs(query, result, wq, wr, params, _query_layout(query)))
        assert found == sorted(_soft_pairs(query, result, wq, wr, every_pair)), (query, result)
