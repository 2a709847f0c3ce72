"""The vendor registry: the whole data set is valid, and the loader's look-ups behave."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from riskcheck.data import lists_dir
from riskcheck.errors import DataError, ExitCode
from riskcheck.model import Citation, Organisation, Ownership
from riskcheck.territories import iso_codes
from riskcheck.resolution.registry import Registry, load_registry, normalise_name
from riskcheck.resolution.registry.schema import KINDS, SchemaProblem, check_vendor

REPO = Path(__file__).resolve().parents[2]
LISTS = REPO / "lists"
VENDORS = LISTS / "vendors"
FILES = sorted(VENDORS.glob("*.yaml"))
COUNTRIES = iso_codes()
DOCS = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in FILES}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


# --- the data set -------------------------------------------------------------------------


def test_countries_table_is_complete_iso_3166() -> None:
    assert len(COUNTRIES) == 249
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in COUNTRIES)
    assert COUNTRIES["NO"] == "Norway"  # quoted key: YAML 1.1 would read a bare NO as false
    assert {"CN", "RU", "US", "KY", "SG", "HK", "IR", "KP", "TW"} <= set(COUNTRIES)
    assert "XK" not in COUNTRIES and "EU" not in COUNTRIES


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_file_matches_the_schema(path: Path) -> None:
    check_vendor(DOCS[path.stem], path.stem, COUNTRIES)


def test_ids_are_unique_and_equal_file_names() -> None:
    ids = [doc["id"] for doc in DOCS.values()]
    assert len(ids) == len(set(ids)) == len(FILES)
    assert all(doc["id"] == stem for stem, doc in DOCS.items())


def test_every_file_cites_a_dated_source() -> None:
    for stem, doc in DOCS.items():
        assert doc["citations"], stem
        for citation in doc["citations"]:
            assert citation["url"].startswith(("https://", "http://")), stem
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", citation["as_of"]), stem


def test_every_country_code_is_iso() -> None:
    for stem, doc in DOCS.items():
        codes = [doc["country"], doc.get("incorporated_in")]
        codes += [host["data_country"] for host in doc.get("api", [])]
        for code in codes:
            assert code is None or code in COUNTRIES, f"{stem}: {code}"


def test_publishers_parents_labs_and_hosts_have_a_country() -> None:
    for stem, doc in DOCS.items():
        if doc["kind"] in ("publisher", "parent", "lab", "host"):
            assert doc["country"] in COUNTRIES, stem


def test_no_dangling_parents_or_host_entities() -> None:
    for stem, doc in DOCS.items():
        for parent in doc.get("parents", []):
            assert parent["id"] in DOCS, f"{stem} -> {parent['id']}"
        for host in doc.get("api", []):
            assert host["entity"] in DOCS, f"{stem}: {host['host']} -> {host['entity']}"


def test_parent_graph_has_no_cycle() -> None:
    parents = {stem: [p["id"] for p in doc.get("parents", [])] for stem, doc in DOCS.items()}

    def reaches_itself(start: str) -> bool:
        stack, seen = list(parents[start]), set()
        while stack:
            node = stack.pop()
            if node == start:
                return True
            if node not in seen:
                seen.add(node)
                stack.extend(parents[node])
        return False

    assert [stem for stem in parents if reaches_itself(stem)] == []


@pytest.mark.parametrize("field", ["hf_orgs", "ollama", "openrouter", "litellm"])
def test_lookup_keys_are_claimed_once(field: str) -> None:
    owners: dict[str, list[str]] = defaultdict(list)
    for stem, doc in DOCS.items():
        for key in doc.get(field, []):
            owners[key.casefold()].append(stem)
    assert {key: ids for key, ids in owners.items() if len(ids) > 1} == {}


def test_api_hosts_are_claimed_once() -> None:
    owners: dict[str, list[str]] = defaultdict(list)
    for stem, doc in DOCS.items():
        for host in doc.get("api", []):
            owners[host["host"]].append(stem)
    assert {host: ids for host, ids in owners.items() if len(ids) > 1} == {}


def test_every_regex_compiles() -> None:
    for stem, doc in DOCS.items():
        patterns = [rule["pattern"] for rule in doc.get("families", [])]
        for pattern in [*patterns, *doc.get("api_models", [])]:
            try:
                re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                pytest.fail(f"{stem}: {pattern!r} does not compile: {exc}")


def test_names_do_not_collide_between_organisations() -> None:
    # by_name and screening would otherwise confuse two organisations.
    owners: dict[str, set[str]] = defaultdict(set)
    for record in load_registry():
        org = record.organisation
        for name in (org.id, org.name, *org.legal_names, *org.native_names, *org.aliases,
                     *org.former_names):
            owners[normalise_name(name)].add(org.id)
    assert {name: ids for name, ids in owners.items() if len(ids) > 1} == {}


def test_coverage_of_publishers_and_required_organisations() -> None:
    kinds = [doc["kind"] for doc in DOCS.values()]
    assert set(kinds) <= set(KINDS)
    assert sum(kind in ("publisher", "lab") for kind in kinds) >= 80
    required = {
        "deepseek", "high-flyer", "alibaba-cloud", "alibaba-group", "zhipu", "zai-sg", "baai",
        "moonshot", "moonshot-sg", "minimax", "01-ai", "baichuan", "shanghai-ai-lab", "tencent",
        "tencent-holdings", "baidu", "baidu-inc", "bytedance", "stepfun", "sensetime", "huawei",
        "iflytek", "sber-devices", "sberbank", "yandex", "t-bank", "mts-ai", "vk", "meta",
        "google", "alphabet", "microsoft", "openai", "anthropic", "nvidia", "ibm", "mistral-ai",
        "cohere", "tii", "ai21", "hugging-face", "sentence-transformers", "nous-research",
        "perplexity", "bartowski", "unsloth", "thebloke", "mlx-community", "lmstudio-community",
        "quantfactory", "maziyarpanahi", "tngtech", "together-ai", "fireworks-ai", "groq", "aws",
        "openrouter", "deepinfra", "replicate", "cerebras", "sambanova", "novita", "siliconflow",
        "volcengine",
    }
    assert required <= set(DOCS)


def test_publishers_can_be_found_by_something() -> None:
    # A publisher with no HF org, family pattern or API model name can never be resolved.
    for stem, doc in DOCS.items():
        if doc["kind"] in ("publisher", "lab"):
            assert doc.get("hf_orgs") or doc.get("families") or doc.get("api_models"), stem


def test_unverified_facts_are_marked_not_dropped() -> None:
    flags = [doc["verified"] for doc in DOCS.values()]
    flags += [c["verified"] for doc in DOCS.values() for c in doc["citations"]]
    flags += [n["verified"] for doc in DOCS.values() for n in doc.get("legal_names", [])]
    assert True in flags and False in flags
    assert DOCS["zhipu"]["verified"] is True and DOCS["01-ai"]["verified"] is False


# --- the loaded records -------------------------------------------------------------------


def test_loader_builds_model_organisations(registry: Registry) -> None:
    assert len(registry) == len(FILES)
    zhipu = registry.organisation("zhipu")
    assert isinstance(zhipu, Organisation)
    assert zhipu.legal_names == ("Beijing Zhipu Huazhang Technology Co., Ltd.",)
    assert "北京智谱华章科技有限公司" in zhipu.native_names
    assert zhipu.country == "CN" and zhipu.verified
    assert all(isinstance(c, Citation) and c.as_of for c in zhipu.citations)
    alibaba = registry.organisation("alibaba-group")
    assert alibaba is not None and (alibaba.country, alibaba.incorporated_in) == ("CN", "KY")
    edge = registry.organisation("sber-devices").parents[0]
    assert isinstance(edge, Ownership) and (edge.parent_id, edge.share) == ("sberbank", 1.0)
    assert "Tinkoff Bank" in registry.organisation("t-bank").screening_names
    assert registry.get("no-such-org") is None and registry.organisation("nope") is None
    assert registry.get("alibaba-cloud").roles == ("publisher", "host")
    assert ("ru-ogrn", "1027700132195") in {(i.scheme, i.value) for i in registry.get("sberbank").identifiers}


def test_lookups_by_hub_org_ollama_openrouter_and_litellm(registry: Registry) -> None:
    assert registry.by_hf_org("qwen").id == "alibaba-cloud"
    assert registry.by_hf_org("THUDM").id == registry.by_hf_org("zai-org").id == "zhipu"
    assert registry.by_hf_org("ai-sage").id == "sber-devices"
    assert registry.by_hf_org("bartowski").organisation.kind == "reuploader"
    assert registry.by_hf_org("no-such-org") is None
    assert registry.by_ollama("QWEN2.5").id == "alibaba-cloud"
    assert registry.by_ollama("deepseek-r1").id == "deepseek"
    assert registry.by_ollama("tinyllama").id != "meta"
    assert registry.by_ollama("unknown-model") is None
    assert registry.by_openrouter("z-ai").id == "zhipu"
    assert registry.by_openrouter("moonshotai").id == "moonshot"
    assert registry.by_openrouter("meta-llama").id == "meta"
    assert registry.by_litellm("bedrock").id == "aws"
    assert registry.by_litellm("together_ai").id == "together-ai"
    assert registry.by_litellm("dashscope").id == "alibaba-cloud"
    assert registry.by_litellm("hosted_vllm") is None  # self-hosted: nobody to attribute


def test_by_host_matches_subdomains_longest_suffix_first(registry: Registry) -> None:
    z_ai = registry.by_host("api.z.ai")
    assert (z_ai.entity_id, z_ai.vendor_id, z_ai.data_country) == ("zai-sg", "zhipu", "SG")
    assert registry.by_host("open.bigmodel.cn").entity_id == "zhipu"
    assert registry.by_host("https://api.deepseek.com/v1/chat").data_country == "CN"
    assert registry.by_host("API.MOONSHOT.AI:443").entity_id == "moonshot-sg"
    regional = registry.by_host("bedrock-runtime.eu-central-1.amazonaws.com")
    assert (regional.entity_id, regional.data_country) == ("aws", "DE")
    generic = registry.by_host("bedrock-runtime.xx-test-9.amazonaws.com")
    assert (generic.host, generic.entity_id, generic.data_country) == ("amazonaws.com", "aws", None)
    assert registry.by_host("my-resource.openai.azure.com").entity_id == "microsoft"
    assert registry.by_host("ws-1.ap-southeast-1.maas.aliyuncs.com").entity_id == "alibaba-cloud-sg"
    assert registry.by_host("dashscope-intl.aliyuncs.com").data_country == "SG"
    assert registry.by_host("dashscope.aliyuncs.com").data_country == "CN"
    # Only whole labels count: look-alike domains are not the vendor.
    assert registry.by_host("notamazonaws.com") is None
    assert registry.by_host("api.deepseek.com.attacker.example") is None
    assert registry.by_host("localhost") is None and registry.by_host("") is None


def test_families_for_orders_head_family_before_lineage_hints(registry: Registry) -> None:
    def families(name: str) -> list[tuple[str, str]]:
        return [(rule.family, rule.vendor_id) for rule in registry.families_for(name)]

    assert families("DeepSeek-R1-Distill-Qwen-32B") == [("DeepSeek", "deepseek"), ("Qwen", "alibaba-cloud")]
    assert families("DeepSeek-R1-Distill-Llama-70B")[1] == ("Llama", "meta")
    assert families("deepseek-r1t2-chimera")[0] == ("R1T Chimera", "tngtech")
    assert families("Meta-Llama-3.1-8B-Instruct-Q4_K_M") == [("Llama", "meta")]
    assert families("Hermes-3-Llama-3.1-8B") == [("Hermes", "nous-research"), ("Llama", "meta")]
    assert families("glm-4.5-air")[0][1] == "zhipu"
    assert families("Yi-1.5-9B-Chat")[0][1] == "01-ai"
    assert families("bge-m3")[0][1] == "baai"
    assert families("GigaChat-20B-A3B-instruct")[0][1] == "sber-devices"
    assert families("gpt-oss-20b")[0] == ("gpt-oss", "openai")


@pytest.mark.parametrize("name", [
    "tinyllama-1.1b-chat",    # not Meta weights
    "gpt4all-j",              # Nomic, not OpenAI
    "phind-codellama-34b",    # not Microsoft Phi
    "bagel-dpo-34b-v0.2",     # jondurbin, not ByteDance BAGEL
    "yield-curve-model",      # 'yi' must not fire on any word starting with yi
    "Dolphin",                # ByteDance's document model, not Cognitive Computations
])
def test_family_patterns_avoid_false_attribution(registry: Registry, name: str) -> None:
    wrong = {"tinyllama-1.1b-chat": "meta", "gpt4all-j": "openai", "phind-codellama-34b": "microsoft",
             "bagel-dpo-34b-v0.2": "bytedance", "yield-curve-model": "01-ai",
             "Dolphin": "cognitive-computations"}[name]
    assert wrong not in {rule.vendor_id for rule in registry.families_for(name)}


def test_by_api_model(registry: Registry) -> None:
    expected = {
        "deepseek-chat": "deepseek", "deepseek-reasoner": "deepseek", "moonshot-v1-8k": "moonshot",
        "kimi-k2-0905-preview": "moonshot", "glm-4.6": "zhipu", "qwen-plus": "alibaba-cloud",
        "gpt-4o": "openai", "o3-mini": "openai", "claude-sonnet-4-5": "anthropic",
        "us.anthropic.claude-3-7-sonnet-20250219-v1:0": "anthropic", "gemini-2.5-pro": "google",
        "grok-4": "xai", "mistral-large-latest": "mistral-ai", "command-r-plus": "cohere",
        "text-embedding-3-small": "openai", "text-embedding-v3": "alibaba-cloud",
        "GigaChat-Pro": "sber-devices", "ernie-4.0-8k": "baidu", "hunyuan-turbo": "tencent",
    }
    assert {name: getattr(registry.by_api_model(name), "id", None) for name in expected} == expected
    assert registry.by_api_model("my-private-model") is None


def test_by_name_uses_every_kind_of_name(registry: Registry) -> None:
    expected = {
        "Tinkoff Bank": "t-bank", "АО «Тинькофф Банк»": "t-bank", "THUDM": "zhipu",
        "Z.ai": "zhipu", "z ai": "zhipu", "智谱": "zhipu", "Kimi": "moonshot", "Hailuo": "minimax",
        "ПАО Сбербанк": "sberbank", "Public Joint Stock Company Sberbank of Russia": "sberbank",
        "alibaba group holding limited": "alibaba-group", "Yandex N.V.": "nebius",
        "Mail.ru Group": "vk", "deepseek": "deepseek", "High-Flyer": "high-flyer",
        "SberDevices LLC": "sber-devices", "ООО «СалютДевайсы»": "sber-devices",
    }
    assert {name: getattr(registry.by_name(name), "id", None) for name in expected} == expected
    assert registry.by_name("Acme Widgets") is None and registry.by_name("...") is None


def test_parent_chain_with_shares(registry: Registry) -> None:
    [(org, path, share, relation)] = registry.parent_chain("sber-devices")
    assert (org.id, path, share, relation) == ("sberbank", ("sber-devices", "sberbank"), 1.0, "subsidiary")
    steps = registry.parent_chain("alibaba-cloud")
    assert [(o.id, p) for o, p, _, _ in steps] == [("alibaba-group", ("alibaba-cloud", "alibaba-group"))]
    assert steps[0][2] is None  # share not published: unknown, not 100%
    assert [o.id for o, *_ in registry.parent_chain("deepseek")] == ["high-flyer"]
    assert registry.parent_chain("alibaba-group") == ()
    assert registry.parent_chain("not-there") == ()


# --- a registry of our own: shares, cycles and broken files ---------------------------------


def _write(directory: Path, doc: dict) -> None:
    (directory / f"{doc['id']}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True),
                                                 encoding="utf-8")


def _org(org_id: str, *parents: tuple[str, float | None], **extra: object) -> dict:
    doc: dict = {"id": org_id, "name": org_id.title(), "kind": "publisher", "verified": True,
                 "country": "CN",
                 "citations": [{"url": f"https://example.org/{org_id}", "as_of": "2026-01-01",
                                "verified": True}]}
    if parents:
        doc["parents"] = [{"id": pid, "relation": "subsidiary", "verified": True,
                           **({"share": share} if share is not None else {})}
                          for pid, share in parents]
    doc.update(extra)
    return doc


@pytest.fixture
def small(tmp_path: Path) -> Path:
    directory = tmp_path / "vendors"
    directory.mkdir()
    for doc in (_org("child", ("mid", 0.5), ("other", None)), _org("mid", ("top", 0.4)),
                _org("top"), _org("other", ("top", 0.9))):
        _write(directory, doc)
    return directory


def test_parent_chain_multiplies_shares_breadth_first(small: Path) -> None:
    steps = load_registry(small).parent_chain("child")
    assert [(o.id, p, s) for o, p, s, _ in steps] == [
        ("mid", ("child", "mid"), 0.5),
        ("other", ("child", "other"), None),
        ("top", ("child", "mid", "top"), pytest.approx(0.2)),  # reported once, shortest path
    ]


def test_custom_registry_uses_bundled_countries(small: Path) -> None:
    assert load_registry(small).country_name("CN") == "China"


def _copy_bundled(tmp_path: Path) -> Path:
    target = tmp_path / "lists" / "vendors"
    shutil.copytree(VENDORS, target)
    return target


@pytest.mark.parametrize(("file", "corrupt", "message"), [
    ("zhipu", lambda text: text + "\n  bad: [unclosed\n", "invalid YAML"),
    ("deepseek", lambda text: text.replace("country: CN", "country: ZZ"), "country"),
    ("deepseek", lambda text: text.replace("id: deepseek", "id: deep-seek"), "file name"),
    ("deepseek", lambda text: text.replace("id: high-flyer", "id: nobody-owns-this"), "nobody-owns-this"),
    ("moonshot", lambda text: text + "\nsurprise: 1\n", "unknown field"),
    ("baai", lambda text: text.replace("^bge-", "^bge-(["), "regex"),
    ("minimax", lambda text: text.replace("hf_orgs: [MiniMaxAI]", "hf_orgs: [MiniMaxAI, qwen]"), "qwen"),
    ("high-flyer", lambda text: text + "parents:\n- {id: deepseek, relation: investor, verified: false}\n", "cycle"),
])
def test_broken_registry_raises_data_error_naming_the_file(tmp_path: Path, file: str, corrupt,
                                                           message: str) -> None:
    directory = _copy_bundled(tmp_path)
    path = directory / f"{file}.yaml"
    path.write_text(corrupt(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_registry(directory)
    text = str(caught.value)
    assert caught.value.exit_code == ExitCode.DATA
    assert message in text
    assert ".yaml" in text and "\n" not in text
    if message != "qwen":  # duplicate claims name the second file and the first owner
        assert f"{file}.yaml" in text or "cycle" in text


def test_missing_or_empty_registry_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        load_registry(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no vendor files"):
        load_registry(tmp_path / "empty")


def test_cached_copy_is_identical_and_follows_edits(small: Path) -> None:
    first = load_registry(small)
    second = load_registry(small)  # served from the JSON cache
    assert [r.organisation for r in first] == [r.organisation for r in second]
    _write(small, _org("top", name="Top Holdings Renamed"))
    assert load_registry(small).organisation("top").name == "Top Holdings Renamed"


def test_vendor_files_are_cached_as_one_registry_not_one_by_one(small: Path) -> None:
    from riskcheck import data

    load_registry(small)
    folder = data._cache_folder()
    assert not folder.exists() or not any(folder.iterdir())


def test_a_registry_failing_a_check_is_refused_on_every_run(tmp_path: Path) -> None:
    # The cache is written only after the cross-file checks pass, and then skips them.
    directory = _copy_bundled(tmp_path)
    path = directory / "deepseek.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: high-flyer", "id: nobody"),
                    encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DataError, match="nobody"):
            load_registry(directory)


def test_schema_problems_name_the_field() -> None:
    doc = dict(DOCS["sber-devices"])
    doc["parents"] = [{"id": "sberbank", "relation": "subsidiary", "verified": False, "share": 1.5}]
    with pytest.raises(SchemaProblem, match=r"parents\[0\]\.share"):
        check_vendor(doc, "sber-devices", COUNTRIES)


def test_lists_dir_finds_the_bundled_data() -> None:
    assert (lists_dir() / "vendors" / "deepseek.yaml").is_file()
    assert (lists_dir() / "territories.yaml").is_file()
