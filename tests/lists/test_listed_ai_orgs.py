"""Every listed organisation behind a notable model or AI API is caught on the bundled data.

The table below is written by hand from the official lists (and, where no list file could be
read, from the reporting named in each snapshot entry's evidence). For each organisation it
names the bundled snapshot entries it must hit, the list and listing date, the names printed
on the list, and the references that lead to it: Hugging Face ids, Ollama tags, and API calls
to the organisation's own or a cloud's endpoint. The tests check, with an
empty store (only the bundled snapshot and registry):

* the entries exist with that list code and date, and print those names;
* ``riskcheck screen`` finds the entry for its listed name and every printed alias;
* ``riskcheck check`` of each model reference reports a list finding that rests on the entry,
  through the vendor, a parent or the serving cloud.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
import yaml

from riskcheck.cli import main
from riskcheck.lists.snapshot import load_snapshot
from riskcheck.model import ListEntity


@dataclass(frozen=True)
class Listed:
    """One listed organisation: its snapshot entries and how users reach it."""

    label: str
    entries: dict[str, tuple[str, str | None]]
    """snapshot id -> (list code, listed_on or None when the day is not confirmed)"""
    names: tuple[str, ...]
    """names printed on the list (listed names and a.k.a.s), at least one per entry"""
    refs: tuple[dict, ...] = field(default=())
    """manifest model entries that must be flagged through one of ``entries``"""


def _hf(*ids: str) -> tuple[dict, ...]:
    """Hugging Face ids or Ollama tags, declared without usage."""
    return tuple({"id": ref} for ref in ids)


def _api(model: str, base_url: str) -> tuple[dict, ...]:
    """An API call of ``model`` on ``base_url``."""
    return ({"id": model, "base_url": base_url, "usage": "api"},)


MIPT_SDN = ("FEDERAL STATE INSTITUTION OF HIGHER VOCATIONAL EDUCATION MOSCOW INSTITUTE OF "
            "PHYSICS AND TECHNOLOGY")

LISTED: tuple[Listed, ...] = (
    Listed("Zhipu AI", {"el-zhipu-huazhang-beijing": ("EL", "2025-01-16")},
           ("Beijing Zhipu Huazhang Technology Co., Ltd.", "Zhipu AI"),
           _hf("zai-org/GLM-4.5", "THUDM/glm-4-9b-chat", "glm4:9b")
           + _api("glm-4.5", "https://open.bigmodel.cn/api/paas/v4/")),
    Listed("Beijing Academy of Artificial Intelligence", {"el-baai": ("EL", "2025-03-25")},
           ("Beijing Academy of Artificial Intelligence", "BAAI"),
           _hf("BAAI/bge-m3", "bge-m3:567m")),
    Listed("iFLYTEK", {"el-iflytek": ("EL", "2019-10-09")}, ("IFLYTEK",),
           _hf("hfl/chinese-roberta-wwm-ext")
           + _api("generalv3.5", "https://spark-api-open.xf-yun.com/v1")),
    Listed("Harbin Institute of Technology",
           {"el-harbin-institute-of-technology": ("EL", "2020-06-05")},
           ("Harbin Institute of Technology",),
           _hf("HIT-SCIR/Chinese-Mixtral-8x7B", "hfl/chinese-macbert-base")),
    Listed("Northwestern Polytechnical University (ASLP lab)",
           {"el-northwestern-polytechnical-university": ("EL", "2001-05-14")},
           ("Northwestern Polytechnical University", "Northwestern Polytechnic University",
            "Northwest Polytechnic University", "Northwest Polytechnical University"),
           _hf("ASLP-lab/DiffRhythm-base")),
    Listed("Moscow Institute of Physics and Technology (DeepPavlov)",
           {"el-mipt": ("EL", "2022-03-03"), "sdn-mipt": ("SDN", None)},
           ("Moscow Institute of Physics and Technology", "MIPT", "MFTI", MIPT_SDN,
            "MOSKOVSKIY FIZIKO TEKHNICHESKIY INSTITUT"),
           _hf("DeepPavlov/rubert-base-cased")),
    Listed("SenseTime", {"el-sensetime-beijing": ("EL", "2019-10-09"),
                         "1260h-sensetime": ("1260H", "2025-01-07")},
           ("Beijing Sensetime Technology Development Co., Ltd.",
            "Beijing Shangtang Technology Development Co., Ltd.", "Sense Time",
            "SenseTime Group, Inc.", "SenseTime"),
           _hf("SenseTime/deformable-detr")
           + _api("SenseChat-5", "https://api.sensenova.cn/compatible-mode/v1")),
    Listed("Megvii", {"el-megvii": ("EL", "2019-10-09")}, ("Megvii Technology",),
           _hf("megvii-research/yolox")),
    Listed("Qihoo 360", {"el-qihoo-360": ("EL", "2020-06-05"),
                         "1260h-qihoo-360": ("1260H", "2022-10-05")},
           ("Qihoo 360 Technology Company", "360 Security Technology Inc.", "Qihoo 360"),
           _hf("qihoo360/360Zhinao-7B-Chat-4K")),
    Listed("IEIT Systems / Inspur", {"el-ieit-systems": ("EL", None),
                                     "1260h-inspur": ("1260H", "2021-06-03")},
           ("Inspur Electronic Information Industry Co., Ltd.", "IEIT Systems Co., Ltd.",
            "Inspur Group Co., Ltd.", "Inspur"),
           _hf("IEITYuan/Yuan2-2B-hf")),
    Listed("Huawei", {"el-huawei": ("EL", "2019-05-21"),
                      "1260h-huawei": ("1260H", "2021-06-03")},
           ("Huawei Technologies Co., Ltd.", "Huawei", "Shenzhen Huawei Technologies",
            "Huawei Technology"),
           _hf("huawei-noah/TinyBERT_General_4L_312D")),
    Listed("Huawei Cloud (ModelArts MaaS)",
           {"el-huawei-cloud-computing": ("EL", "2020-08-20")},
           ("Huawei Cloud Computing Technology",),
           _api("deepseek-v3", "https://api.modelarts-maas.com/v1")),
    Listed("Tencent", {"1260h-tencent": ("1260H", "2025-01-07")},
           ("Tencent Holdings Limited", "Tencent"),
           _hf("tencent/Hunyuan-A13B-Instruct")
           + _api("hunyuan-lite", "https://api.hunyuan.cloud.tencent.com/v1")),
    Listed("Alibaba", {"1260h-alibaba": ("1260H", "2026-06-08")},
           ("Alibaba Group Holding Limited", "Alibaba"),
           _hf("Qwen/Qwen3-8B", "damo-vilab/text-to-video-ms-1.7b", "OFA-Sys/ofa-large",
               "qwen3:8b")
           + _api("qwen-plus", "https://dashscope.aliyuncs.com/compatible-mode/v1")),
    Listed("Baidu", {"1260h-baidu": ("1260H", "2026-06-08")}, ("Baidu, Inc.", "Baidu"),
           _hf("baidu/ERNIE-4.5-0.3B-PT")
           + _api("ernie-4.0-8k", "https://qianfan.baidubce.com/v2")),
    Listed("China Telecom", {"1260h-china-telecom-group": ("1260H", "2024-01-31")},
           ("China Telecom Group Co., Ltd.", "China Telecom"), _hf("Tele-AI/TeleChat2-7B")),
    Listed("China Telecom Tianyi Cloud", {"1260h-tianyi-cloud": ("1260H", "2026-06-08")},
           ("Tianyi Cloud Technology Co., Ltd.",),
           _api("DeepSeek-R1", "https://wishub-x1.ctyun.cn/v1")),
    Listed("China Unicom", {"1260h-china-unicom-group": ("1260H", "2021-06-03")},
           ("China United Network Communications Group Co., Ltd.", "China Unicom"),
           _hf("UnicomLLM/Unichat-llama3-Chinese-8B")),
    Listed("Unitree", {"1260h-unitree": ("1260H", "2026-06-08")},
           ("Hangzhou Yushu Technology Co., Ltd.", "Unitree"),
           _hf("unitreerobotics/UnifoLM-WMA-0-Base")),
    Listed("Skoltech", {"sdn-skoltech": ("SDN", "2022-08-02")},
           ("SKOLKOVO INSTITUTE OF SCIENCE AND TECHNOLOGY", "SKOLTECH"),
           _hf("s-nlp/roberta_toxicity_classifier",
               "SkolkovoInstitute/russian_toxicity_classifier")),
    Listed("AIRI", {"sdn-airi": ("SDN", None)},
           ("ARTIFICIAL INTELLIGENCE RESEARCH INSTITUTE", "AIRI"),
           _hf("AIRI-Institute/OmniFusion")),
    Listed("Sberbank (SaluteDevices, GigaChat)",
           {"sdn-sberbank": ("SDN", "2022-04-06"),
            "eu-sberbank-asset-freeze": ("EU", "2022-07-21")},
           ("PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA", "SBERBANK OF RUSSIA", "PJSC SBERBANK",
            "Sberbank", "Сбербанк"),
           _hf("ai-sage/GigaChat-20B-A3B-instruct", "ai-forever/ruGPT-3.5-13B")
           + _api("GigaChat-Pro", "https://gigachat.devices.sberbank.ru/api/v1")),
    Listed("T-Bank", {"sdn-t-bank": ("SDN", "2023-07-20"),
                      "eu-t-bank-asset-freeze": ("EU", "2023-02-25")},
           ("JSC TINKOFF BANK", "T-Bank JSC", "Tinkoff Bank JSC"), _hf("t-tech/T-pro-it-1.0")),
    Listed("Sistema (MTS AI)", {"sdn-sistema": ("SDN", None),
                                "eu-sistema-asset-freeze": ("EU", "2026-07-23")},
           ("SISTEMA PUBLIC JOINT STOCK FINANCIAL CORPORATION", "Sistema"),
           _hf("MTSAIR/Cotype-Nano")),
    # MTS-Bank and MTS RED publish no models: sister companies of MTS AI, screened by name only.
    Listed("MTS-Bank", {"eu-mts-bank-asset-freeze": ("EU", "2026-07-23"),
                        "sdn-mts-bank": ("SDN", None)},
           ("MTS-Bank", "PUBLIC JOINT STOCK COMPANY MTS BANK", "PJSC MTS BANK")),
    Listed("MTS RED", {"eu-mts-red-asset-freeze": ("EU", "2026-07-23")}, ("MTS RED",)),
    Listed("VK", {"eu-vk": ("EU", "2026-07-13")}, ("VK", "Mail.ru group", "VK Company Limited"),
           _hf("deepvk/USER-bge-m3")),
)

LIST_FINDINGS = {"list-match", "parent-list-match", "serving-list-match"}
SERIOUS = {"medium", "high", "critical"}


@cache
def _snapshot() -> dict[str, ListEntity]:
    return {entity.source_id: entity for entity in load_snapshot().entities}


def test_the_table_is_the_whole_class() -> None:
    """Each organisation appears once, and every entry it names is a distinct snapshot id."""
    labels = [org.label for org in LISTED]
    assert len(labels) == len(set(labels))
    ids = [entry for org in LISTED for entry in org.entries]
    assert len(ids) == len(set(ids))
    assert len(LISTED) >= 25


@pytest.mark.parametrize("org", LISTED, ids=lambda org: org.label)
def test_entries_exist_with_list_date_and_printed_names(org: Listed) -> None:
    snapshot = _snapshot()
    printed: set[str] = set()
    for entry_id, (code, listed_on) in org.entries.items():
        assert entry_id in snapshot, f"{org.label}: no bundled entry {entry_id}"
        entity = snapshot[entry_id]
        assert code in entity.lists, (entry_id, entity.lists)
        assert entity.listed_on == listed_on, (entry_id, entity.listed_on)
        printed |= {entity.name} | {alias.name for alias in entity.aliases}
    missing = set(org.names) - printed
    assert not missing, f"{org.label}: names not printed on its entries: {missing}"


@cache
def _screen_results(tmp_dir: str) -> dict[str, list[dict]]:
    names = sorted({name for org in LISTED for name in _names_to_screen(org)})
    query = Path(tmp_dir) / "names.json"
    query.write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
    out = Path(tmp_dir) / "screen.json"
    with pytest.raises(SystemExit):
        main(["screen", "--input", str(query), "--bundled", "-f", "json", "-o", str(out),
              "--jobs", "1", "--limit", "50"])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["bundled_data"] is True
    return {result["name"]: result["hits"] for result in data["results"]}


def _names_to_screen(org: Listed) -> set[str]:
    """The table's names plus every name the entries print (weak a.k.a.s left out)."""
    snapshot = _snapshot()
    names = set(org.names)
    for entry_id in org.entries:
        entity = snapshot[entry_id]
        names.add(entity.name)
        names |= {alias.name for alias in entity.aliases if alias.strength != "weak"}
    return names


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    return _screen_results(str(tmp_path_factory.mktemp("screen")))


@pytest.mark.parametrize("org", LISTED, ids=lambda org: org.label)
def test_screen_finds_every_listed_name_and_printed_alias(
        org: Listed, screened: dict[str, list[dict]]) -> None:
    snapshot = _snapshot()
    misses = []
    for name in sorted(_names_to_screen(org)):
        # A name must find an entry of this organisation that prints it (or that it is).
        own = {entry_id for entry_id in org.entries
               if name in {snapshot[entry_id].name}
               | {alias.name for alias in snapshot[entry_id].aliases}}
        hits = {hit["source_id"] for hit in screened.get(name, [])
                if hit["band"] in ("match", "review")}
        if not own & hits:
            misses.append(f"{name!r} -> {sorted(hits) or 'nothing'} "
                          f"(expected one of {sorted(own)})")
    assert not misses, f"{org.label}:\n" + "\n".join(misses)


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """One ``check`` of every reference in the table, on the bundled data only."""
    root = tmp_path_factory.mktemp("check")
    models = [ref for org in LISTED for ref in org.refs]
    manifest = root / "riskcheck.yaml"
    manifest.write_text(yaml.safe_dump({"version": 1, "project": {"name": "listed-ai"},
                                        "models": models}, allow_unicode=True),
                        encoding="utf-8")
    out = root / "check.json"
    with pytest.raises(SystemExit) as done:
        main(["check", str(manifest), "--offline", "--bundled", "-f", "json", "-o", str(out)])
    assert done.value.code == 1, "a check of listed organisations' models must fail"
    data = json.loads(out.read_text(encoding="utf-8"))
    return {f"{m['ref']['id']}@{m['ref'].get('base_url')}": m for m in data["models"]}


REFS = [(org, ref) for org in LISTED for ref in org.refs]


@pytest.mark.parametrize(("org", "ref"), REFS,
                         ids=[f"{org.label}:{ref['id']}" for org, ref in REFS])
def test_check_flags_each_model_through_its_listed_organisation(
        org: Listed, ref: dict, checked: dict[str, dict]) -> None:
    model = checked[f"{ref['id']}@{ref.get('base_url')}"]
    matches = model["matches"]
    resting = [finding for finding in model["findings"]
               if finding["kind"] in LIST_FINDINGS and finding["level"] in SERIOUS
               and finding["match_ref"] is not None
               and matches[finding["match_ref"]]["entity"]["source_id"] in org.entries]
    found = sorted({(m["entity"]["source_id"], m["band"]) for m in matches})
    assert resting, (f"{org.label}: {ref['id']} is not flagged through {sorted(org.entries)}; "
                     f"matches {found}")
