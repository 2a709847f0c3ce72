"""Resolution on references drawn from public model catalogues, labelled by hand.

The references in ``bench/resolve_catalogue.yaml`` were sampled (``--sample``, seed below) from:

* LiteLLM's model list (``litellm/model_prices_and_context_window_backup.json`` inside the
  ``litellm`` wheel, version recorded in the data file): LiteLLM strings, vendor API names and
  Bedrock ids;
* models.dev (the public ``models.dev`` repository, commit recorded in the data file): OpenRouter
  slugs, Hugging Face ids served by inference providers (Hugging Face router, DeepInfra, Together,
  Nebius, SiliconFlow), and cloud ids (Amazon Bedrock, Google Vertex, Azure, Cloudflare Workers
  AI ``@cf/...``);
* the Ollama library names listed by a public mirror of the Ollama registry manifests
  (repository and commit recorded in the data file);
* the Hugging Face ids named by the public repositories of ``bench/real_repos.yaml``.

Each reference was then labelled by hand (publisher registry id, country, serving party for
cloud ids, lineage base when the model is a fine-tune), each label with the source it was read
from (catalogue entry, model card, vendor page). A third of each kind, chosen by the seeded
shuffle, is the held-out part: it was never looked at while changing the resolver.

Measured per part (tuned, held-out, all), by kind and by the labelled publisher country:
* coverage: share of references that resolve at all;
* right: share of resolved references whose vendor and its country are the labelled ones
  (``publisher_alt`` lists other registry ids that are equally right, e.g. a subsidiary);
* high-confidence wrong: resolved with high confidence to a wrong publisher or country.
The same figures are printed for the references whose labelled publisher has a registry file
("publisher in registry"): the rest can only resolve once the registry knows their publisher.

A second, fresh sample (``bench/resolve_catalogue_fresh.yaml``, ``--fresh``) was drawn the same
way with another seed, 20 references per kind, none of the first sample's, half held out; it was
labelled before the vendor files it would need beyond the catalogue generator's were added.

Run:    python bench/bench_resolve_catalogue.py [--fresh] [--part tuned|held-out|all] [--verbose]
Sample: python bench/bench_resolve_catalogue.py [--fresh] --sample LITELLM_JSON MODELS_DEV_GIT
                OLLAMA_MIRROR_GIT > pool.yaml   (prints the unlabelled sample)
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

DATA = HERE / "resolve_catalogue.yaml"
SEED = 20261205
PER_KIND = 45
HELD_OUT_SHARE = 1 / 3
FRESH = HERE / "resolve_catalogue_fresh.yaml"
FRESH_SEED = 20261206
FRESH_PER_KIND = 20
FRESH_HELD_OUT_SHARE = 1 / 2
"""The second sample (``--sample-fresh``): drawn with another seed from the same catalogues,
leaving out every reference of the first, half of it held out; labelled before the vendor files
it would need beyond the catalogue generator's (``scripts/catalogue_vendors.py``) were added."""
KINDS = ("hf", "ollama", "litellm", "openrouter", "api", "cloud")
EUROPE = {"AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR",
          "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT",
          "RO", "SE", "SI", "SK"}

# Vendor API names come from LiteLLM entries of these first-party providers.
FIRST_PARTY = {"openai", "anthropic", "mistral", "deepseek", "xai", "gemini", "cohere",
               "cohere_chat", "moonshot", "zai", "minimax", "dashscope", "ai21", "perplexity",
               "voyage", "volcengine"}
CLOUD_LITELLM = ("bedrock", "bedrock_converse")
HF_SERVERS = ("huggingface", "deepinfra", "togetherai", "nebius", "siliconflow")
CLOUD_SERVERS = ("amazon-bedrock", "google-vertex", "azure", "cloudflare-workers-ai")
_HF_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*$")


# -- sampling ----------------------------------------------------------------------------------

def _git_files(repo: str, prefix: str) -> list[str]:
    out = subprocess.run(["git", "--git-dir", repo, "ls-tree", "-r", "--name-only", "HEAD",
                          prefix], capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def _git_head(repo: str) -> str:
    return subprocess.run(["git", "--git-dir", repo, "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()


def _models_dev(repo: str, provider: str) -> list[str]:
    prefix = f"providers/{provider}/models/"
    return [f[len(prefix):].removesuffix(".toml") for f in _git_files(repo, prefix)
            if f.endswith(".toml")]


CLOUD_PROVIDER = {"amazon-bedrock": "bedrock", "google-vertex": "vertex_ai", "azure": "azure",
                  "cloudflare-workers-ai": "cloudflare", "bedrock": "bedrock",
                  "bedrock_converse": "bedrock"}
"""The provider a manifest declares beside a cloud id (the cloud is not in the id itself)."""


def pools(litellm_json: Path, models_dev: str, ollama_mirror: str
          ) -> dict[str, list[tuple[str, str]]]:
    """Every candidate (group, reference) per kind, deduplicated and sorted (the sampling
    frame); the group is the publisher org, API provider or cloud the reference was listed by."""
    table = json.loads(litellm_json.read_text(encoding="utf-8"))
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for key, entry in table.items():
        if not isinstance(entry, dict) or entry.get("mode") not in ("chat", "embedding",
                                                                     "completion"):
            continue
        provider = entry.get("litellm_provider") or ""
        if provider in CLOUD_LITELLM and "." in key and "/" not in key:
            found["cloud"].add((provider, key))
        elif "/" in key and key.split("/", 1)[0] == provider.replace("-", "_"):
            found["litellm"].add((provider, key))
        elif "/" not in key and provider in FIRST_PARTY and not key.startswith("ft:"):
            found["api"].add((provider, key))
    for slug in _models_dev(models_dev, "openrouter"):
        found["openrouter"].add((slug.lstrip("~").split("/", 1)[0], slug))
    for provider in HF_SERVERS:
        found["hf"].update((m.split("/", 1)[0], m) for m in _models_dev(models_dev, provider)
                           if _HF_ID.match(m) and m != m.lower())
    real = yaml.safe_load((HERE / "real_repos.yaml").read_text(encoding="utf-8"))
    for repo in real["repositories"]:
        for item in repo.get("expected", []):
            if _HF_ID.match(item["id"]) and item["id"] != item["id"].lower():
                found["hf"].add((item["id"].split("/", 1)[0], item["id"]))
    for provider in CLOUD_SERVERS:
        found["cloud"].update((provider, m) for m in _models_dev(models_dev, provider))
    prefix = "manifests/registry.ollama.ai/library/"
    out = subprocess.run(["git", "--git-dir", ollama_mirror, "log", "--all", "--name-only",
                          "--format="], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith(prefix) and line.count("/") == 4:
            name, tag = line[len(prefix):].split("/")
            if not name.startswith("."):
                found["ollama"].add((name, name if tag.startswith("latest") else
                                     f"{name}:{tag.removesuffix('.json')}"))
    return {kind: sorted(found[kind]) for kind in KINDS}


def sample(frame: dict[str, list[tuple[str, str]]], *, seed: int = SEED,
           per_kind: int = PER_KIND, held_out_share: float = HELD_OUT_SHARE,
           exclude: frozenset[str] = frozenset()) -> list[dict[str, str]]:
    """``per_kind`` references per kind, taken round-robin over the groups (publisher orgs,
    providers, clouds) in a seeded order so that no big group fills a kind, one reference per
    Ollama name, none of ``exclude``; the first ``held_out_share`` of each kind is the held-out
    part."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    for kind in KINDS:
        by_group: dict[str, list[str]] = defaultdict(list)
        for group, ref in frame[kind]:
            if ref not in exclude:
                by_group[group].append(ref)
        groups = sorted(by_group)
        rng.shuffle(groups)
        for group in groups:
            rng.shuffle(by_group[group])
        chosen: list[tuple[str, str]] = []
        while len(chosen) < per_kind and any(by_group.values()):
            for group in groups:
                if by_group[group] and len(chosen) < per_kind:
                    chosen.append((group, by_group[group].pop()))
        held = int(len(chosen) * held_out_share)
        for index, (group, ref) in enumerate(chosen):
            row = {"ref": ref, "kind": kind, "part": "held-out" if index < held else "tuned",
                   "listed_by": group}
            if kind == "cloud":
                row["provider"] = CLOUD_PROVIDER.get(group, group)
            rows.append(row)
    return rows


# -- measuring ---------------------------------------------------------------------------------

def _model_ref(case: dict):
    from riskcheck.model import ModelRef

    usage = case.get("usage") or ("api" if case["kind"] in ("api", "cloud") else "unknown")
    return ModelRef(id=case["ref"], usage=usage, provider=case.get("provider"),
                    base_url=case.get("base_url"))


def measure(cases: list[dict], *, verbose: bool) -> dict:
    from riskcheck.resolution.resolver import build_resolver

    with tempfile.TemporaryDirectory() as cache:
        resolver = build_resolver(offline=True, cache_dir=Path(cache))
        results = [(case, resolver.resolve(_model_ref(case))) for case in cases]
    groups: dict[str, dict[str, list]] = {"kind": defaultdict(list),
                                          "country": defaultdict(list)}
    lines: list[str] = []
    for case, res in results:
        country = case.get("country") or "??"
        region = f"{country} (Europe)" if country in EUROPE else country
        groups["kind"][case["kind"]].append((case, res))
        groups["country"][region].append((case, res))
        if country in EUROPE:
            groups["country"]["Europe (all)"].append((case, res))
        verdict = _verdict(case, res)
        if verbose and verdict != "right":
            vendor = res.vendor
            lines.append(f"  {verdict:<9} [{case['kind']}] {case['ref']}: expected "
                         f"{case['publisher']} ({country}), got "
                         f"{vendor.id if vendor else '-'} ({vendor.country if vendor else '-'})"
                         f" [{res.confidence}]")
    from riskcheck.resolution.registry import load_registry

    registry = load_registry()
    known = [(c, r) for c, r in results if registry.get(c["publisher"]) is not None]
    served = [(c, r) for c, r in results if "serving" in c]
    serving_right = sum(1 for c, r in served
                        if r.serving is not None and r.serving.organisation.id == c["serving"])
    return {"all": _figures([(c, r) for c, r in results]),
            "known": _figures(known),
            "serving": (serving_right, len(served)),
            "kind": {k: _figures(v) for k, v in sorted(groups["kind"].items())},
            "country": {k: _figures(v) for k, v in sorted(groups["country"].items())},
            "lines": lines}


def _verdict(case: dict, res) -> str:
    if res.status != "resolved" or res.vendor is None:
        return "unresolved"
    allowed = {case["publisher"], *case.get("publisher_alt", ())}
    if res.vendor.id in allowed and (res.vendor.country or None) == (case.get("country") or None):
        return "right"
    return "wrong-high" if res.confidence == "high" else "wrong"


def _figures(pairs: list) -> dict:
    verdicts = [_verdict(case, res) for case, res in pairs]
    resolved = [v for v in verdicts if v != "unresolved"]
    right = verdicts.count("right")
    return {"n": len(verdicts), "resolved": len(resolved), "right": right,
            "high_wrong": verdicts.count("wrong-high"),
            "coverage": len(resolved) / len(verdicts) if verdicts else 0.0,
            "accuracy": right / len(resolved) if resolved else 0.0}


def _print(title: str, figures: dict) -> None:
    print(f"{title:<22} n={figures['n']:>3}  coverage {figures['coverage']:6.1%}  "
          f"right of resolved {figures['accuracy']:6.1%}  high-confidence wrong "
          f"{figures['high_wrong']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--part", choices=("tuned", "held-out", "all"), default="all")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--fresh", action="store_true",
                        help=f"measure the second sample ({FRESH.name}) instead of the first")
    parser.add_argument("--sample", nargs=3, metavar=("LITELLM_JSON", "MODELS_DEV_GIT",
                                                      "OLLAMA_MIRROR_GIT"))
    args = parser.parse_args()
    if args.sample:
        litellm_json, models_dev, ollama = args.sample
        frame = pools(Path(litellm_json), models_dev, ollama)
        if args.fresh:
            first = yaml.safe_load(DATA.read_text(encoding="utf-8"))["references"]
            rows = sample(frame, seed=FRESH_SEED, per_kind=FRESH_PER_KIND,
                          held_out_share=FRESH_HELD_OUT_SHARE,
                          exclude=frozenset(c["ref"] for c in first))
        else:
            rows = sample(frame)
        print(f"# models.dev commit {_git_head(models_dev)}; Ollama mirror commit "
              f"{_git_head(ollama)}; seed {FRESH_SEED if args.fresh else SEED}")
        print(yaml.safe_dump(rows, sort_keys=False, width=200))
        return 0
    document = yaml.safe_load((FRESH if args.fresh else DATA).read_text(encoding="utf-8"))
    cases = [c for c in document["references"] if "exclude" not in c
             and (args.part == "all" or c["part"] == args.part)]
    print(f"resolution on catalogue references ({document['date']}), part {args.part}")
    figures = measure(cases, verbose=args.verbose)
    _print("all", figures["all"])
    _print("publisher in registry", figures["known"])
    right, total = figures["serving"]
    if total:
        print(f"cloud ids with the cloud as serving party: {right}/{total}")
    print("by kind:")
    for kind, values in figures["kind"].items():
        _print(f"  {kind}", values)
    print("by publisher country:")
    for country, values in figures["country"].items():
        _print(f"  {country}", values)
    for line in figures["lines"]:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
