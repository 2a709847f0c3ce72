"""Find the model publishers that public catalogues list and the vendor registry does not know.

Reads maintained public catalogues, collects every *publisher key* they use (OpenRouter slug
prefixes, Hugging Face orgs of the ids inference providers serve, Ollama library names, the org
segment of LiteLLM ``provider/org/model`` strings), checks each against the registry
(``lists/vendors/``) and writes, for review:

* ``report.yaml``: per key, whether the registry knows it, the catalogue entries (catalogue,
  version or commit, path) it was read from, example references, and for Ollama names the
  library page's description and the Hugging Face orgs its readme links to; plus the share of
  catalogue references that resolve per kind (``--frame``);
* ``candidates/<id>.yaml``: a vendor file skeleton per unknown publisher (a gateway's
  publisher prefix is proposed as an HF org: the reviewer keeps it only if it is one, else gives
  the publisher a model family instead), carrying the
  catalogue facts (keys, with a citation naming catalogue, commit and date) and ``country:
  null``, ``kind`` guessed, ``verified: false``. A reviewer fills in name, kind and country
  from a source they cite before the file is copied to ``lists/vendors/``;
* ``additions.yaml``: keys to add to existing vendor files: an Ollama library name whose
  readme links a known organisation's Hugging Face org while the registry reads the name as
  someone else's (``samantha-mistral`` links cognitivecomputations, the registry saw Mistral).

Nothing is written to ``lists/``: the output is reviewed by hand first. Facts the catalogues
give are the keys (which prefix, org or name a catalogue lists); who the publisher is and
where it is based never come from a catalogue.

Catalogues (all public; pass local copies):
  --litellm        litellm/model_prices_and_context_window_backup.json from the litellm wheel
  --models-dev     a git directory of the models.dev repository (providers/<p>/models/...)
  --ollama-mirror  a git directory of an Ollama registry manifest mirror
                   (manifests/registry.ollama.ai/library/<name>/<tag>)
  --ollama-library a JSON list of Ollama library pages ({name, description, readme}), e.g.
                   docs/model.json of the yuma-shintani/ollama-model-library repository

    python scripts/catalogue_vendors.py --litellm FILE --models-dev GIT --ollama-mirror GIT \
        --ollama-library GIT:PATH --out DIR [--date YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]

HF_SERVERS = ("huggingface", "deepinfra", "togetherai", "nebius", "siliconflow",
              "siliconflow-cn", "novita-ai", "chutes", "baseten", "friendli", "gmicloud",
              "fireworks-ai", "featherless-ai", "nearai", "inference", "io-net", "synthetic",
              "wandb", "modelscope", "submodel", "hpc-ai")
"""models.dev providers whose model ids are Hugging Face ids (org/name as on the Hub)."""

_HF_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*$")
_HF_LINK = re.compile(r"huggingface\.co/([A-Za-z0-9][\w.-]*)/([A-Za-z0-9][\w.-]*)")
_NOT_ORGS = {"spaces", "datasets", "docs", "blog", "papers", "collections", "models", "join",
             "settings", "learn", "tasks", "chat", "posts"}
LITELLM_HF_SERVERS = {"together_ai", "deepinfra", "novita", "featherless_ai", "nebius", "baseten",
                      "wandb", "groq", "gmi", "nscale", "hyperbolic", "sambanova", "friendliai",
                      "lambda_ai", "ovhcloud", "cerebras", "replicate", "huggingface",
                      "nvidia_nim", "aiand", "bespoke", "vercel_ai_gateway"}
"""LiteLLM providers whose ``provider/org/model`` strings carry a publisher org in the middle
(elsewhere the middle segment is a region, a deployment, an account or a quality tier)."""

MODELS_DEV = "https://github.com/anomalyco/models.dev"
LITELLM = "https://pypi.org/project/litellm/"


@dataclass
class Key:
    """One publisher key a catalogue uses, with where it was read."""

    kind: str
    """``openrouter`` (slug prefix), ``hf`` (Hugging Face org), ``ollama`` (library name) or
    ``litellm-org`` (org segment of a LiteLLM ``provider/org/model`` string) or ``prefix`` (the
    publisher prefix of another gateway's ``publisher/model`` slug)."""
    key: str
    sources: set[str] = field(default_factory=set)
    examples: list[str] = field(default_factory=list)
    description: str = ""
    linked_orgs: list[str] = field(default_factory=list)
    """Hugging Face orgs an Ollama library page links to, most often linked first."""

    def add(self, source: str, example: str) -> None:
        self.sources.add(source)
        if example not in self.examples and len(self.examples) < 5:
            self.examples.append(example)


# -- reading the catalogues ----------------------------------------------------------------------

def _git(repo: str, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", repo, *args], capture_output=True, text=True,
                          check=True).stdout


def git_head(repo: str) -> str:
    return _git(repo, "rev-parse", "HEAD").strip()


def models_dev_ids(repo: str) -> dict[str, list[str]]:
    """Model ids per models.dev provider (``providers/<p>/models/<id>.toml``)."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in _git(repo, "ls-tree", "-r", "--name-only", "HEAD", "providers/").splitlines():
        if path.endswith(".toml") and "/models/" in path:
            provider, rest = path[len("providers/"):].split("/models/", 1)
            found[provider].append(rest.removesuffix(".toml"))
    return dict(found)


def ollama_names(repo: str) -> list[str]:
    """Library names that ever had a manifest in the mirror's history."""
    prefix = "manifests/registry.ollama.ai/library/"
    out = _git(repo, "log", "--all", "--name-only", "--format=")
    return sorted({line[len(prefix):].split("/")[0] for line in out.splitlines()
                   if line.startswith(prefix) and line.count("/") == 4
                   and not line[len(prefix):].startswith(".")})


def linked_orgs(text: str) -> list[str]:
    """Hugging Face orgs a library page links to, most often linked first."""
    counts: dict[str, int] = defaultdict(int)
    for org, _name in _HF_LINK.findall(text or ""):
        if org.lower() not in _NOT_ORGS:
            counts[org] += 1
    return sorted(counts, key=lambda org: -counts[org])


def collect(litellm: dict, litellm_version: str, models_dev: dict[str, list[str]],
            models_dev_commit: str, ollama: list[str], ollama_source: str,
            library: list[dict], library_source: str) -> dict[tuple[str, str], Key]:
    """Every publisher key of the catalogues, keyed by (kind, lower-cased key)."""
    keys: dict[tuple[str, str], Key] = {}

    def key(kind: str, value: str) -> Key:
        return keys.setdefault((kind, value.casefold()), Key(kind, value))

    for slug in models_dev.get("openrouter", ()):
        prefix = slug.lstrip("~").split("/", 1)[0]
        if "/" in slug:
            key("openrouter", prefix).add(
                f"models.dev@{models_dev_commit} providers/openrouter/models/{prefix}", slug)
    for provider, models in sorted(models_dev.items()):
        if provider == "openrouter":
            continue
        for model in models:
            if _HF_ID.match(model):
                org = model.split("/", 1)[0]
                # Other gateways write OpenRouter-style <publisher>/<model> slugs: a publisher
                # prefix, which is an HF org only when the reviewer finds one.
                key("hf" if provider in HF_SERVERS else "prefix", org).add(
                    f"models.dev@{models_dev_commit} providers/{provider}/models/{org}", model)
    for name, entry in litellm.items():
        if not isinstance(entry, dict) or name.count("/") < 2:
            continue
        provider = str(entry.get("litellm_provider") or "")
        head, org, _rest = name.split("/", 2)
        if head != provider.replace("-", "_") or provider not in LITELLM_HF_SERVERS:
            continue
        if not _HF_ID.match(f"{org}/x") or org in ("accounts", "ranking", "streaming"):
            continue
        key("litellm-org", org).add(f"litellm {litellm_version} "
                                    "model_prices_and_context_window_backup.json", name)
    for name in ollama:
        key("ollama", name).add(f"Ollama registry mirror {ollama_source}", name)
    for page in library:
        name = str(page.get("name") or "")
        if not name or "/" in name:
            continue
        entry = key("ollama", name)
        entry.add(f"Ollama library pages {library_source}", name)
        entry.description = str(page.get("description") or "")
        entry.linked_orgs = linked_orgs(str(page.get("readme") or ""))
    return keys


# -- checking against the registry --------------------------------------------------------------

def check(keys: dict[tuple[str, str], Key], registry, resolve) -> dict[str, list[dict]]:
    """Split the keys into known, unknown and Ollama names read as someone else's.

    ``resolve(ref, kind)`` returns the resolved vendor id or None."""
    known: list[dict] = []
    unknown: list[dict] = []
    additions: list[dict] = []
    for (kind, _), entry in sorted(keys.items()):
        record = None
        if kind == "openrouter":
            record = registry.by_openrouter(entry.key)
        elif kind in ("hf", "litellm-org", "prefix"):
            record = registry.by_hf_org(entry.key) or registry.by_openrouter(entry.key)
        elif kind == "ollama":
            record = registry.by_ollama(entry.key)
        row = {"kind": kind, "key": entry.key, "sources": sorted(entry.sources),
               "examples": entry.examples}
        if entry.description:
            row["description"] = entry.description
        if entry.linked_orgs:
            row["linked_hf_orgs"] = entry.linked_orgs
        resolved = [resolve(example, kind) for example in entry.examples]
        row["resolves_to"] = sorted({r for r in resolved if r}) or None
        if kind == "ollama" and record is None and entry.linked_orgs:
            linked = [registry.by_hf_org(org) for org in entry.linked_orgs]
            linked = [r for r in linked if r is not None
                      and r.organisation.kind != "reuploader"]
            first = registry.by_hf_org(entry.linked_orgs[0])
            if first is None:
                row["candidate_org"] = entry.linked_orgs[0]
                unknown.append(row)
                continue
            if linked and linked[0].id not in (row["resolves_to"] or ()):
                row["add_to"] = linked[0].id
                additions.append(row)
                continue
        named = None if record is not None else (registry.by_name(entry.key)
                                                 or registry.by_hf_org(entry.key))
        if kind in ("openrouter", "hf", "prefix") and named is not None and not row["resolves_to"]:
            # rekaai (OpenRouter) is the registry's reka: the key belongs in that file.
            row["add_to"] = named.id
            additions.append(row)
            continue
        if record is not None or (kind != "openrouter" and row["resolves_to"]):
            row["vendor"] = record.id if record is not None else row["resolves_to"][0]
            known.append(row)
        else:
            unknown.append(row)
    return {"known": known, "unknown": unknown, "additions": additions}


def candidate_id(text: str) -> str:
    """A registry id for an org key: lower-case kebab-case."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def candidate_files(unknown: list[dict], date: str) -> dict[str, dict]:
    """One vendor file skeleton per unknown publisher, keys grouped by candidate id.

    Every key carries a citation naming the catalogue entries it was read from and ``date``;
    identity facts (name, kind, country) are left for the reviewer: ``country: null`` and
    ``verified: false`` until a cited source says otherwise."""
    files: dict[str, dict] = {}
    for row in unknown:
        org = row.get("candidate_org") or row["key"]
        vendor_id = candidate_id(org)
        doc = files.setdefault(vendor_id, {
            "id": vendor_id, "name": org, "kind": "publisher", "verified": False,
            "description": "", "country": None, "hf_orgs": [], "ollama": [],
            "openrouter": [], "citations": [],
            "notes": f"Generated by scripts/catalogue_vendors.py on {date} from public "
                     "catalogues; name, kind and country to be reviewed."})
        field_name = {"hf": "hf_orgs", "litellm-org": "hf_orgs", "prefix": "hf_orgs",
                      "openrouter": "openrouter", "ollama": "ollama"}[row["kind"]]
        for value, target in ((row["key"], field_name), (row.get("candidate_org"), "hf_orgs")):
            if value and value.casefold() not in {v.casefold() for v in doc[target]}:
                doc[target].append(value)
        for source in row["sources"]:
            doc["citations"].append({"url": citation_url(source, row), "as_of": date,
                                     "verified": True,
                                     "about": f"generated: {row['kind']} key {row['key']} "
                                              f"listed by {source}"})
            if row.get("candidate_org") and source.startswith("Ollama library pages"):
                doc["citations"].append({
                    "url": citation_url(source, row), "as_of": date, "verified": True,
                    "about": f"generated: hf key {row['candidate_org']} linked from the Ollama "
                             f"library page of {row['key']} ({source})"})
    for doc in files.values():
        for name in ("hf_orgs", "ollama", "openrouter"):
            if not doc[name]:
                del doc[name]
    return files


def citation_url(source: str, row: dict) -> str:
    """A URL for a catalogue entry (the page a reviewer opens to see the key listed)."""
    if source.startswith("models.dev@"):
        commit, path = source[len("models.dev@"):].split(" ", 1)
        return f"{MODELS_DEV}/tree/{commit}/{path}"
    if source.startswith("litellm "):
        return LITELLM
    if row["kind"] == "ollama":
        return f"https://ollama.com/library/{row['key']}"
    return source


# -- coverage of the catalogues ------------------------------------------------------------------

def frame_coverage(keys: dict[tuple[str, str], Key], resolve) -> dict[str, str]:
    """Per key kind, the share of keys whose example references resolve to a publisher."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (kind, _), entry in keys.items():
        counts[kind][1] += 1
        if entry.examples and resolve(entry.examples[0], kind):
            counts[kind][0] += 1
    return {kind: f"{done}/{total} ({done / total:.1%})"
            for kind, (done, total) in sorted(counts.items())}


def make_resolve():
    """``resolve(ref, kind)``: the vendor id the offline resolver gives, or None."""
    import tempfile

    from riskcheck.model import ModelRef
    from riskcheck.resolution.resolver import build_resolver

    resolver = build_resolver(offline=True, cache_dir=Path(tempfile.mkdtemp()))

    def resolve(ref: str, kind: str) -> str | None:
        usage = "api" if kind in ("openrouter", "litellm-org") else "unknown"
        source = {"openrouter": "openrouter", "hf": "huggingface"}.get(kind)
        result = resolver.resolve(ModelRef(id=ref, usage=usage, source=source))
        return result.vendor.id if result.status == "resolved" and result.vendor else None

    return resolve


def _read_library(spec: str) -> tuple[list[dict], str]:
    if ":" in spec and not Path(spec).exists():
        repo, path = spec.split(":", 1)
        text = _git(repo, "show", f"HEAD:{path}")
        return json.loads(text), f"{path}@{git_head(repo)}"
    return json.loads(Path(spec).read_text(encoding="utf-8")), Path(spec).name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--litellm", required=True, type=Path)
    parser.add_argument("--litellm-version", default="(version not given)")
    parser.add_argument("--models-dev", required=True)
    parser.add_argument("--ollama-mirror", required=True)
    parser.add_argument("--ollama-library", required=True, help="FILE or GIT_DIR:PATH")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--date", default=dt.date.today().isoformat())
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from riskcheck.resolution.registry import load_registry

    try:
        litellm = json.loads(args.litellm.read_text(encoding="utf-8"))
        library, library_source = _read_library(args.ollama_library)
        models_dev_commit = git_head(args.models_dev)
        keys = collect(litellm, args.litellm_version, models_dev_ids(args.models_dev),
                       models_dev_commit, ollama_names(args.ollama_mirror),
                       f"commit {git_head(args.ollama_mirror)}", library, library_source)
    except (OSError, ValueError, subprocess.CalledProcessError) as exc:
        print(f"error: cannot read a catalogue: {exc}", file=sys.stderr)
        return 2
    resolve = make_resolve()
    result = check(keys, load_registry(), resolve)
    args.out.mkdir(parents=True, exist_ok=True)
    report = {"date": args.date, "coverage_of_keys": frame_coverage(keys, resolve),
              "unknown": result["unknown"], "additions": result["additions"],
              "known": result["known"]}
    (args.out / "report.yaml").write_text(yaml.safe_dump(report, sort_keys=False, width=100),
                                          encoding="utf-8")
    (args.out / "additions.yaml").write_text(
        yaml.safe_dump(result["additions"], sort_keys=False, width=100), encoding="utf-8")
    folder = args.out / "candidates"
    folder.mkdir(exist_ok=True)
    for vendor_id, doc in candidate_files(result["unknown"], args.date).items():
        (folder / f"{vendor_id}.yaml").write_text(
            yaml.safe_dump(doc, sort_keys=False, width=100, allow_unicode=True), encoding="utf-8")
    print(f"{len(keys)} publisher keys; unknown {len(result['unknown'])}, additions "
          f"{len(result['additions'])}; coverage {report['coverage_of_keys']}; written to "
          f"{args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
