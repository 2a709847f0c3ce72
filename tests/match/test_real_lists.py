"""Matching against the real official list snapshots (skipped when they are absent).

* recall: exact, case, punctuation, legal-form and word-order variants of EVERY organisation
  name and alias on the real lists find their entity in the ``match`` band (100%);
* false positives: unlisted AI vendors get no ``match``/``review`` hit;
* true positives: listed organisations are found for their vendor.
"""

from __future__ import annotations

import re

import pytest

from riskcheck.match.engine import MatchEngine
from riskcheck.match.normalize import normalize
from riskcheck.match.tokens import ORG, analyze_org

pytestmark = pytest.mark.realdata


UNLISTED = [
    (["Mistral AI SAS", "Mistral AI"], "FR"),
    (["Cohere Inc.", "Cohere"], "CA"),
    (["Beijing Moonshot Technology Co., Ltd.", "Moonshot AI", "月之暗面"], "CN"),
    (["Shanghai Xiyu Jizhi Technology Co., Ltd.", "MiniMax"], "CN"),
    (["Hangzhou DeepSeek Artificial Intelligence Basic Technology Research Co., Ltd.", "DeepSeek",
      "杭州深度求索人工智能基础技术研究有限公司"], "CN"),
    (["Anthropic PBC", "Anthropic"], "US"),
    (["Meta Platforms, Inc.", "Meta", "Facebook, Inc."], "US"),
    (["Alibaba Cloud Computing Co., Ltd.", "Alibaba Cloud", "Aliyun", "阿里云计算有限公司"], "CN"),
    (["Beijing Zhipu Huazhang Technology Co., Ltd.", "Zhipu AI"], "CN"),
    (["Beijing Baichuan Intelligent Technology Co., Ltd.", "Baichuan"], "CN"),
    (["Shanghai Artificial Intelligence Laboratory"], "CN"),
    (["Shanghai Jieyue Xingchen Intelligent Technology Co., Ltd.", "StepFun"], "CN"),
    (["Beijing Lingyiwanwu Information Technology Co., Ltd.", "01.AI"], "CN"),
    (["Technology Innovation Institute"], "AE"),
    (["OpenAI, Inc.", "OpenAI"], "US"),
    (["Microsoft Corporation"], "US"),
    (["NVIDIA Corporation"], "US"),
    (["Hugging Face, Inc."], "US"),
    (["AI21 Labs Ltd."], "IL"),
    (["Together Computer, Inc.", "Together AI"], "US"),
]


@pytest.mark.parametrize(("names", "country"), UNLISTED, ids=[n[0][0] for n in UNLISTED])
def test_unlisted_vendors_raise_no_match_or_review(real_engine: MatchEngine, names: list[str],
                                                   country: str) -> None:
    hits = [r for r in real_engine.search(names, country=country, limit=50)
            if r.band in ("match", "review")]
    assert hits == [], [(h.score, h.entity.lists, h.explanation.matched_name) for h in hits]


LISTED = [
    (["Public Joint Stock Company Sberbank of Russia", "Sberbank"], "RU", "SDN", "SBERBANK"),
    (["Beijing SenseTime Technology Development Co., Ltd.", "SenseTime"], "CN", "EL", "SENSETIME"),
    (["SenseTime Group Inc.", "SenseTime"], "CN", "CMIC", "SENSETIME"),
    (["iFlytek Co., Ltd.", "iFlytek"], "CN", "EL", "IFLYTEK"),
    (["Megvii Technology Limited", "Megvii"], "CN", "EL", "MEGVII"),
    (["Huawei Technologies Co., Ltd.", "Huawei"], "CN", "EL", "HUAWEI TECHNOLOGIES"),
    (["Inspur Group Co., Ltd.", "Inspur"], "CN", "CMIC", "INSPUR"),
    (["Dawning Information Industry Co., Ltd.", "Sugon"], "CN", "EL", "SUGON"),
    (["Tencent Holdings Limited", "Tencent"], "CN", "1260H", "TENCENT"),
    (["Alibaba Group Holding Limited"], "CN", "1260H", "ALIBABA"),
    (["Baidu, Inc.", "Baidu"], "CN", "1260H", "BAIDU"),
]


@pytest.mark.parametrize(("names", "country", "code", "word"), LISTED, ids=[n[0][0] for n in LISTED])
def test_listed_organisations_are_found(real_engine: MatchEngine, names: list[str], country: str,
                                        code: str, word: str) -> None:
    hits = [r for r in real_engine.search(names, country=country, limit=50)
            if code in r.entity.lists and r.band == "match"]
    assert hits, f"no {code} match for {names[0]}"
    assert any(word in name.upper() for h in hits for name in h.entity.all_names)


def _variants(name: str) -> list[str]:
    """Exact, case, punctuation, legal-form and word-order variants of a listed name."""
    tokens = analyze_org(name)
    out = [name, name.upper(), name.lower(), name.title(),
           re.sub(r"[^\w\s]", "", name),  # punctuation deleted (may glue words)
           re.sub(r"[,.;:()\"'-]", " ", name)]  # punctuation as spaces
    legal = [t for t in tokens if t.kind == ORG]
    content = [t.text for t in tokens if t.kind != ORG]
    if legal and content:
        out.append(" ".join(content))  # legal form dropped
        out.append(" ".join([legal[-1].text, *content]))  # legal form moved to the front
    else:
        out.append(f"{name} Ltd.")  # a legal form added
    words = [t.text for t in tokens]
    if len(words) > 2:
        out.append(" ".join([*words[1:], words[0]]))  # first word moved to the end
    return out


def _other_form(name: str) -> str | None:
    """The name with its legal form replaced by one of another class ("CIMEX, S.A." ->
    "cimex Limited"): at most ``review`` by design (docs/matching.md), never lost."""
    tokens = analyze_org(name)
    legal = {t.key for t in tokens if t.kind == ORG}
    content = [t.text for t in tokens if t.kind != ORG]
    if not legal or not content or "#LLC" in legal:
        return None
    return " ".join(content) + " Limited"


@pytest.mark.slow
def test_every_listed_organisation_name_survives_variants(real_engine: MatchEngine) -> None:
    entities = real_engine.entities
    index = real_engine.index
    # Distinct variants -> the entities each must find, and whether in ``match`` (True) or at
    # least ``review`` (False: a weak alias of the list, or another class of legal form, both
    # capped at review by design). A name shared by several entries, as on SDN and CSL, is
    # searched once and must find all of them.
    wanted: dict[str, dict[int, bool]] = {}
    example: dict[str, str] = {}
    exact_missed: list[str] = []
    for entity_id, entity in enumerate(entities):
        if entity.entity_type not in ("organisation", "unknown"):
            continue
        strong = {entity.name} | {a.name for a in entity.aliases if a.strength != "weak"}
        for name in entity.all_names:
            base = normalize(name)
            if entity_id not in {index.entity_of(i) for i in index.exact(base)}:
                exact_missed.append(name)  # exact, case and punctuation variants end here
            variants = [(v, name in strong) for v in _variants(name)]
            other = _other_form(name) if name in strong else None
            if other is not None:
                variants.append((other, False))
            for variant, full in variants:
                key = normalize(variant)
                if key != base:
                    owners = wanted.setdefault(key, {})
                    owners[entity_id] = owners.get(entity_id, False) or full
                    example.setdefault(key, variant)
    missed: list[str] = []
    for key, owners in wanted.items():
        found = {id(h.entity): h.band for h in real_engine.search(example[key], limit=500)}
        for entity_id, full in owners.items():
            band = found.get(id(entities[entity_id]))
            if band != "match" and (full or band != "review"):
                missed.append(f"{example[key]!r} -> {entities[entity_id].name!r} ({band})")
    assert not exact_missed, exact_missed[:10]
    assert len(wanted) > 10_000
    # Target and measured: 100% (see docs/matching.md).
    assert not missed, f"{len(missed)} of {len(wanted)} variants missed, e.g. {missed[:15]}"


def test_subsidiary_with_an_extra_distinctive_word_is_not_a_match(real_engine: MatchEngine) -> None:
    # "Sberbank Technologies" is a subsidiary, another legal entity: its extra word must cost.
    hits = real_engine.search(["Public Joint Stock Company Sberbank of Russia", "ПАО Сбербанк",
                               "Sberbank"], country="RU", limit=200)
    subsidiaries = [h for h in hits if any("TECHNOLOGIES" in n.upper() for n in h.entity.all_names)
                    and not any(normalize(n) in ("sberbank", "sberbank of russia")
                                for n in h.entity.all_names)]
    assert not [h for h in subsidiaries if h.band in ("match", "review")], [
        (h.score, h.band, h.explanation.matched_name) for h in subsidiaries]
    assert any(h.band == "match" and "SDN" in h.entity.lists for h in hits)  # the bank itself


def test_only_generic_or_weak_agreement_stays_below_possible(real_engine: MatchEngine) -> None:
    # High-Flyer (DeepSeek's parent) shares a city, generic words and a two-edit lookalike
    # ("Huanfang" / "Huazhang") with Zhipu: no band at all.
    names = ["Ningbo High-Flyer Quantitative Investment Management Partnership (Limited Partnership)",
             "Hangzhou Huanfang Technology Co., Ltd.", "宁波幻方量化投资管理合伙企业（有限合伙）",
             "杭州幻方科技有限公司", "幻方量化", "High-Flyer Quant", "Huanfang", "幻方", "High-Flyer"]
    hits = real_engine.search(names, country="CN", limit=200)
    assert not [h for h in hits if "ZHIPU" in h.entity.name.upper()], [
        (h.score, h.explanation.matched_name) for h in hits]
    pair = real_engine.score_pair("Hangzhou Huanfang Technology Co., Ltd.",
                                  "Hangzhou Zhipu Huazhang Technology Co., Ltd.")
    assert pair.score < 0.70 - real_engine.config.country_agree
