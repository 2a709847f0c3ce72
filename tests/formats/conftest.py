"""One canned Report shared by every format test (and by bench/bench_formats.py).

Built only from riskcheck.model dataclasses, so the formats are tested independently of the
resolver, matcher and scorer. The facts follow public records (1260H, Entity List, SDN/EU/UK
listings); the UN entry with an Arabic alias is FICTIONAL and says so in its remarks.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from riskcheck import model as model_module
from riskcheck.model import (
    Alias,
    Citation,
    Finding,
    Level,
    ListEntity,
    ListVersion,
    Match,
    MatchExplanation,
    ModelAssessment,
    ModelRef,
    Organisation,
    Ownership,
    Party,
    Policy,
    Project,
    Report,
    Resolution,
    RunMetadata,
    ServingParty,
    SourceLocation,
)

REPO = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = REPO.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"

ZHIPU_NATIVE = "北京智谱华章科技有限公司"
SBER_NATIVE = "ПАО Сбербанк"
TII_NATIVE = "معهد الابتكار التكنولوجي"
ARABIC_ALIAS = "معهد الابتكار التقني"


def _sha(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def _loc(line: int) -> SourceLocation:
    return SourceLocation(path="riskcheck.yaml", line=line, column=5)


ALIBABA_CLOUD = Organisation(
    id="alibaba-cloud", name="Alibaba Cloud",
    legal_names=("Alibaba Cloud Computing Co., Ltd.",), native_names=("阿里云计算有限公司",),
    country="CN", kind="publisher", parents=(Ownership("alibaba-group", None, "wholly owned"),),
    citations=(Citation("https://www.alibabacloud.com/", "2026-08-01", verified=False),))
ALIBABA_GROUP = Organisation(
    id="alibaba-group", name="Alibaba Group", legal_names=("Alibaba Group Holding Limited",),
    native_names=("阿里巴巴集团控股有限公司",), country="CN", incorporated_in="KY", kind="parent",
    citations=(Citation("https://www.alibabagroup.com/", "2026-08-01"),))
ZHIPU = Organisation(
    id="zhipu", name="Zhipu AI", legal_names=("Beijing Zhipu Huazhang Technology Co., Ltd.",),
    native_names=(ZHIPU_NATIVE,), aliases=("Z.ai", "Knowledge Atlas"), country="CN",
    citations=(Citation("https://www.federalregister.gov/d/2025-00704", "2025-01-16"),))
ZAI_SG = Organisation(
    id="zai-sg", name="Z.ai (Singapore)", legal_names=("Jingsheng Hengxing Technology Pte. Ltd.",),
    country="SG", kind="host", parents=(Ownership("zhipu", None, "international arm"),))
SBER_DEVICES = Organisation(
    id="sber-devices", name="SberDevices", legal_names=("SberDevices LLC",),
    native_names=("ООО «СберДевайсы»",), country="RU",
    parents=(Ownership("sberbank", 1.0),), verified=False)
SBERBANK = Organisation(
    id="sberbank", name="Sberbank", legal_names=("PJSC Sberbank of Russia",),
    native_names=(SBER_NATIVE, "Сбербанк России"), country="RU", kind="parent",
    citations=(Citation("https://ofac.treasury.gov/recent-actions/20220406", "2022-04-06"),))
TII = Organisation(
    id="tii", name="Technology Innovation Institute", native_names=(TII_NATIVE,),
    aliases=("TII",), country="AE", kind="lab", verified=False)
MISTRAL = Organisation(id="mistral-ai", name="Mistral AI", legal_names=("Mistral AI SAS",),
                       country="FR")

E_1260H = ListEntity(
    source="us_dod_1260h", source_id="1260h-2026-alibaba", lists=("1260H",),
    programs=("NDAA-1260H",), name="Alibaba Group Holding Limited (Alibaba)",
    aliases=(Alias("Alibaba", "aka", "weak"),), countries=("CN",), listed_on="2026-06-08",
    citation="DoD list of Chinese military companies, section 1260H NDAA FY2021 (2026-06-08)",
    url="https://media.defense.gov/2026/Jun/08/2003945537/-1/-1/1/ENTITIES-IDENTIFIED-AS-"
        "CHINESE-MILITARY-COMPANIES-OPERATING-IN-THE-UNITED-STATES-IN-ACCORDANCE-WITH-"
        "SECTION-1260H.PDF")
E_ZHIPU = ListEntity(
    source="us_csl", source_id="el-2025-00704-1", lists=("EL",), programs=("EAR",),
    name="Beijing Zhipu Huazhang Technology Co., Ltd.",
    aliases=(Alias(ZHIPU_NATIVE, "native", "strong"), Alias("Zhipu AI", "aka", "strong")),
    countries=("CN",), addresses=("Haidian District, Beijing, CN",), listed_on="2025-01-16",
    citation="90 FR 4617", url="https://www.federalregister.gov/d/2025-00704")


def _sber(source: str, sid: str, code: str, name: str, listed: str, cite: str) -> ListEntity:
    return ListEntity(
        source=source, source_id=sid, lists=(code,), programs=("RUSSIA-EO14024",)
        if code == "SDN" else ("RUS",), name=name,
        aliases=(Alias(SBER_NATIVE, "native", "strong"), Alias("Sberbank", "aka", "strong")),
        countries=("RU",), listed_on=listed, citation=cite)


E_SDN = _sber("ofac_sdn", "22169", "SDN", "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA",
              "2022-04-06", "87 FR 21232")
E_EU = _sber("eu_fsf", "EU.7591.48", "EU", "Public Joint Stock Company Sberbank",
             "2022-07-21", "Council Regulation (EU) 2022/1269")
E_UK = _sber("uk_sanctions", "RUS1450", "UK", "Sberbank of Russia", "2022-04-06",
             "The Russia (Sanctions) (EU Exit) Regulations 2019")
E_UN_AR = ListEntity(
    source="un_sc", source_id="QDe.999", lists=("UN",), entity_type="organisation",
    name="Technical Innovation Foundation", aliases=(Alias(ARABIC_ALIAS, "aka", "weak"),),
    countries=("YE",), listed_on="2019-03-01", remarks="FICTIONAL entry for riskcheck tests.")


def _exp(query: str, matched: str, score: float, *qualifiers: str) -> MatchExplanation:
    return MatchExplanation(
        query_name=query, matched_name=matched,
        alignment=" ".join(f"'{t}'='{t}' literal" for t in query.lower().split()[:3]),
        features=(("name_jaro", round(score, 4)), ("token_overlap", 1.0)),
        qualifiers=qualifiers)


def _match(party: Organisation, role: str, entity: ListEntity, score: float, band: str,
           query: str, matched: str, *qualifiers: str) -> Match:
    return Match(party_id=party.id, party_role=role, entity=entity, score=score,  # type: ignore[arg-type]
                 band=band, status="current", explanation=_exp(query, matched, score,  # type: ignore[arg-type]
                                                                *qualifiers))


def _qwen(line: int, suffix: str = "") -> ModelAssessment:
    ref = ModelRef(id=f"qwen2.5:7b{suffix}", source="ollama", usage="self-hosted",
                   criticality="high", purpose="summarise tickets", location=_loc(line))
    res = Resolution(ref=ref, status="resolved", family="qwen",
                     canonical_id="Qwen/Qwen2.5-7B-Instruct",
                     parties=(Party(ALIBABA_CLOUD, "vendor", "publisher"),
                              Party(ALIBABA_GROUP, "parent", "parent",
                                    path=("alibaba-cloud", "alibaba-group"))),
                     method="registry", confidence="high")
    m = _match(ALIBABA_GROUP, "parent", E_1260H, 0.97, "match", "Alibaba Group Holding Limited",
               "Alibaba Group Holding Limited (Alibaba)", "country agrees (CN) +0.05")
    findings = (
        Finding("parent-list-match", Level.HIGH, "parent Alibaba Group is on the DoD 1260H list",
                party_id="alibaba-group", match=m, score=0.97,
                details=("1260H imposes no sanctions; DoD may not contract with listed entities",)),
        Finding("jurisdiction", Level.MEDIUM, "vendor Alibaba Cloud is headquartered in CN",
                party_id="alibaba-cloud", score=0.5),
    )
    return ModelAssessment(res, (m,), findings, Level.HIGH, 0.97,
                           "HIGH: parent on 1260H (Alibaba Group Holding Limited)",
                           alternatives=("mistralai/Mistral-7B-Instruct-v0.3",))


def _glm(line: int, suffix: str = "") -> ModelAssessment:
    ref = ModelRef(id=f"zai/glm-4.6{suffix}", source="litellm", usage="api", provider="zai",
                   base_url="https://api.z.ai/api/paas/v4", criticality="critical",
                   location=SourceLocation("src/app/llm.py", line, 17, detector="litellm"))
    res = Resolution(ref=ref, status="resolved", family="glm", canonical_id="zai-org/GLM-4.6",
                     parties=(Party(ZHIPU, "vendor", "publisher"),
                              Party(ZAI_SG, "serving", "api-host")),
                     serving=ServingParty(ZAI_SG, host="api.z.ai", data_country="SG"),
                     method="registry", confidence="high")
    m = _match(ZHIPU, "vendor", E_ZHIPU, 1.0, "match", ZHIPU_NATIVE, ZHIPU_NATIVE,
               "native-script name identical")
    findings = (
        Finding("list-match", Level.CRITICAL,
                "vendor Zhipu AI is on the BIS Entity List (90 FR 4617)", party_id="zhipu",
                match=m, score=1.0),
        Finding("data-location", Level.LOW, "prompts are processed in SG by api.z.ai",
                party_id="zai-sg", score=0.2),
    )
    return ModelAssessment(res, (m,), findings, Level.CRITICAL, 1.0,
                           "CRITICAL: vendor on the Entity List (Beijing Zhipu Huazhang)")


def _gigachat(line: int, suffix: str = "") -> ModelAssessment:
    ref = ModelRef(id=f"ai-sage/GigaChat-20B-A3B-instruct{suffix}", source="huggingface",
                   usage="self-hosted", criticality="medium", location=_loc(line))
    res = Resolution(ref=ref, status="resolved", family="gigachat",
                     canonical_id="ai-sage/GigaChat-20B-A3B-instruct",
                     parties=(Party(SBER_DEVICES, "vendor", "publisher"),
                              Party(SBERBANK, "parent", "parent",
                                    path=("sber-devices", "sberbank"), ownership=1.0)),
                     method="hub-metadata", confidence="medium")
    matches = tuple(
        _match(SBERBANK, "parent", e, s, "match", SBER_NATIVE, SBER_NATIVE if i else e.name)
        for i, (e, s) in enumerate(((E_SDN, 0.95), (E_EU, 0.9912), (E_UK, 0.93))))
    findings = tuple(
        Finding("parent-list-match", Level.CRITICAL,
                f"parent Sberbank is on the {m.entity.lists[0]} list", party_id="sberbank",
                match=m, score=m.score) for m in matches) + (
        Finding("ownership-rule", Level.CRITICAL,
                "SberDevices is 100% owned by SDN-listed Sberbank (OFAC 50% rule)",
                party_id="sber-devices", match=matches[0], score=1.0),)
    return ModelAssessment(res, matches, findings, Level.CRITICAL, 1.0,
                           "CRITICAL: parent Sberbank on SDN, EU and UK lists")


def _falcon(line: int, suffix: str = "") -> ModelAssessment:
    ref = ModelRef(id=f"tiiuae/Falcon3-7B-Instruct{suffix}", source="huggingface",
                   usage="self-hosted", location=_loc(line))
    res = Resolution(ref=ref, status="resolved", family="falcon",
                     canonical_id="tiiuae/Falcon3-7B-Instruct",
                     parties=(Party(TII, "vendor", "publisher"),), method="registry",
                     confidence="high")
    m = _match(TII, "vendor", E_UN_AR, 0.6125, "possible", TII_NATIVE, ARABIC_ALIAS,
               "country differs (AE vs YE) -0.10")
    finding = Finding("list-match", Level.LOW,
                      "possible match of TII's Arabic name with a UN entry "
                      "(reviewed: not the same)",
                      party_id="tii", match=m, score=0.6125, exception_id="EXC-2026-004",
                      details=("lowered from medium by exception EXC-2026-004",))
    return ModelAssessment(res, (m,), (finding,), Level.LOW, 0.6125,
                           "LOW: possible UN match reviewed and excepted")


def _unresolved(line: int, suffix: str = "") -> ModelAssessment:
    ref = ModelRef(id=f"acme-internal/summarizer-v2{suffix}", usage="unknown",
                   criticality="low", location=_loc(line))
    res = Resolution(ref=ref, status="unresolved",
                     tried=("registry: no prefix rule for 'acme-internal'",
                            "huggingface: metadata unavailable offline"),
                     hint="declare the vendor: add 'vendor: <registry id>' to this model")
    finding = Finding("unresolved", Level.MEDIUM,
                      "could not tell who publishes acme-internal/summarizer-v2", score=0.5,
                      details=res.tried)
    return ModelAssessment(res, (), (finding,), Level.MEDIUM, 0.5,
                           "UNKNOWN: unresolved, not screened")


def _mistral(line: int, suffix: str = "") -> ModelAssessment:
    ref = ModelRef(id=f"mistralai/Mistral-7B-Instruct-v0.3{suffix}", source="huggingface",
                   usage="self-hosted", location=_loc(line))
    res = Resolution(ref=ref, status="resolved", family="mistral",
                     canonical_id="mistralai/Mistral-7B-Instruct-v0.3",
                     parties=(Party(MISTRAL, "vendor", "publisher"),), method="registry",
                     confidence="high")
    return ModelAssessment(res, (), (), Level.NONE, 0.0, "OK: no list match (vendor in FR)")


BUILDERS = (_qwen, _glm, _gigachat, _falcon, _unresolved, _mistral)

LIST_VERSIONS = (
    ListVersion("us_csl", "US Consolidated Screening List", _sha("us_csl 2026-11-20"),
                published="2026-11-20", fetched_at="2026-11-28T06:00:00+00:00",
                record_count=12456, url="https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"),
    ListVersion("ofac_sdn", "OFAC Specially Designated Nationals", _sha("ofac_sdn 2026-11-25"),
                published="2026-11-25", fetched_at="2026-11-28T06:00:01+00:00",
                record_count=17321, url="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XML"),
    ListVersion("eu_fsf", "EU Financial Sanctions Files", _sha("eu_fsf 2026-11-24"),
                published="2026-11-24", fetched_at="2026-11-28T06:00:02+00:00", record_count=5890),
    ListVersion("uk_sanctions", "UK Sanctions List", _sha("uk 2026-11-26"),
                published="2026-11-26", fetched_at="2026-11-28T06:00:03+00:00", record_count=4712),
    ListVersion("un_sc", "UN Security Council Consolidated List", _sha("un 2026-11-18"),
                published="2026-11-18", fetched_at="2026-11-28T06:00:04+00:00", record_count=1003),
    ListVersion("us_dod_1260h", "DoD 1260H Chinese military companies", _sha("1260h 2026-06-08"),
                published="2026-06-08", fetched_at="2026-11-28T06:00:05+00:00", record_count=134,
                stale=True),
)


APPROVER = "J. Doe (compliance)"


def _policy() -> Policy:
    """fail_on high; with the approved exception when this model.py has policy exceptions."""
    policy = Policy(fail_on=Level.HIGH, max_list_age_days=30)
    exception_cls = getattr(model_module, "PolicyException", None)
    if exception_cls is None or "exceptions" not in Policy.__dataclass_fields__:
        return policy
    approved = exception_cls(
        id="EXC-2026-004", model="tiiuae/Falcon3-7B-Instruct", lists=("UN",),
        reason="reviewed: a different organisation (different country, no shared names)",
        approver=APPROVER, created="2026-10-01", expires="2027-04-01", source="un_sc",
        source_id="QDe.999")
    return replace(policy, exceptions=(approved,))


def make_report(n_models: int = 6) -> Report:
    """The canned report; with ``n_models > 6`` the six models repeat with numbered ids."""
    assessments = []
    for i in range(n_models):
        suffix = "" if i < len(BUILDERS) else f"-{i}"
        assessments.append(BUILDERS[i % len(BUILDERS)](8 + 6 * i, suffix))
    models = tuple(assessments)
    concentration = Finding("concentration", Level.LOW,
                            "3 of 6 models come from vendors in CN or RU under listed parents",
                            score=0.25, details=("CN: 2 models", "RU: 1 model"))
    undeclared = ModelRef(id="deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", source="huggingface",
                          location=SourceLocation("src/app/embed.py", 22, 9,
                                                  detector="transformers"))
    undeclared_finding = Finding("undeclared-model", Level.MEDIUM,
                                 f"{undeclared.id} is used in src/app/embed.py but not declared",
                                 score=0.5)
    project = Project(name="rag-app", owner="platform-security@example.com",
                      models=tuple(a.resolution.ref for a in models),
                      policy=_policy(),
                      path="riskcheck.yaml")
    return Report(
        project=project, models=models, list_versions=LIST_VERSIONS, level=Level.CRITICAL,
        score=1.0, failed=True, bundled_data=False,
        warnings=("stale lists: us_dod_1260h", "1 model unresolved: acme-internal/summarizer-v2"),
        project_findings=(concentration, undeclared_finding), undeclared=(undeclared,),
        metadata=RunMetadata(tool_version="0.1.0", started_at="2026-11-29T08:00:00+00:00",
                             duration_ms=1234, run_id="3f9c2a7b1d4e"))


def make_bundled_report() -> Report:
    """The canned report as if screened against the bundled snapshot."""
    report = make_report()
    versions = tuple(replace(v, origin="bundled", version="snapshot-2026-11-01",
                             published="2026-11-01") for v in LIST_VERSIONS)
    return replace(report, bundled_data=True, list_versions=versions)


@pytest.fixture
def report() -> Report:
    """The six-model canned report."""
    return make_report()


@pytest.fixture
def big_report() -> Report:
    """The 50-model variant (for rendering every format at size)."""
    return make_report(50)


@pytest.fixture
def bundled_report() -> Report:
    """The canned report screened against the bundled snapshot."""
    return make_bundled_report()


@pytest.fixture(scope="session")
def make() -> object:
    """The builder itself, for tests that need variants (``make(n_models)``)."""
    return make_report


@pytest.fixture
def names() -> dict[str, str]:
    """Native-script names the fixture carries, by script."""
    return {"cjk": ZHIPU_NATIVE, "cyrillic": SBER_NATIVE, "arabic": TII_NATIVE,
            "arabic_alias": ARABIC_ALIAS}


@pytest.fixture
def sarif_schema_path() -> Path:
    """The official SARIF 2.1.0 schema beside the project (skips when absent)."""
    if not SARIF_SCHEMA.is_file():
        pytest.skip("SARIF schema not present (../shared/schemas/sarif-schema-2.1.0.json)")
    return SARIF_SCHEMA
