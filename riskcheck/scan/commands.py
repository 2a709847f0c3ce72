"""Command lines that pull or serve models: ollama, vLLM, TGI, SGLang, llama.cpp, hub downloads.

Shared by the shell/Dockerfile/Makefile detector and by YAML detectors (compose ``command:``,
Kubernetes ``args:``).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from riskcheck.scan.patterns import looks_like_model_id, strip_quotes

SERVER_WORDS = re.compile(r"vllm|text-generation|sglang|lmdeploy|llama[-_.]?(cpp|server)|tgi\b|"
                          r"aphrodite|tabbyapi|exllama|mlc_llm|openllm", re.I)
MODEL_FLAGS = {"--model", "--model-id", "--model_id", "--model-path", "--model_path",
               "--hf-repo", "-hf", "--tokenizer"}
URL_MODEL = re.compile(r"https?://(?:www\.)?(?:huggingface\.co|hf\.co|modelscope\.cn)/"
                       r"(?!datasets/|spaces/|docs/|api/)([\w.-]+/[\w.-]+?)(?:\.git)?(?=[\s\"'/]|$)")
HF_SHORT = re.compile(r"(?<![\w/.:])(?:hf\.co|huggingface\.co)/[\w.-]+/[\w.-]+(?::[\w.-]+)?")
ENV_MODEL_KEYS = re.compile(r"^(MODEL|MODEL_ID|MODEL_NAME|HF_MODEL_ID|[A-Z0-9_]*_MODEL(_ID|_NAME)?)$")


@dataclass(frozen=True)
class CommandHit:
    """A model named on a command line: the value and how it was named."""

    value: str
    column: int
    how: str
    usage: str = "self-hosted"


def tokens(line: str) -> list[str]:
    """Shell words of ``line`` (comments dropped); a plain split when quoting is broken."""
    try:
        return shlex.split(line, comments=True)
    except ValueError:
        return line.split("#", 1)[0].split()


def _column(line: str, value: str) -> int:
    index = line.find(value)
    return index + 1 if index >= 0 else 1


def command_hits(line: str, *, serving_context: bool) -> list[CommandHit]:
    """Every model named on one (already variable-expanded) command line."""
    words = tokens(line)
    hits: list[CommandHit] = []
    lowered = [w.casefold() for w in words]
    serving = serving_context or bool(SERVER_WORDS.search(line))
    for i, word in enumerate(lowered):
        following = words[i + 1] if i + 1 < len(words) else None
        if word.endswith("ollama") and following in ("pull", "run") and i + 2 < len(words):
            target = next((w for w in words[i + 2:] if not w.startswith("-")), None)
            if target:
                hits.append(CommandHit(target, _column(line, target), f"ollama {following}"))
        elif word == "serve" and i > 0 and lowered[i - 1].endswith("vllm") and following \
                and not following.startswith("-"):
            hits.append(CommandHit(following, _column(line, following), "vllm serve"))
        elif word in ("download",) and i > 0 and lowered[i - 1] in ("huggingface-cli", "hf") \
                and following and not following.startswith("-"):
            hits.append(CommandHit(following, _column(line, following), f"{lowered[i - 1]} download"))
        elif serving and (word in MODEL_FLAGS or word.split("=", 1)[0] in MODEL_FLAGS):
            value = words[i].split("=", 1)[1] if "=" in words[i] else following
            if value and not value.startswith("-") and word.split("=", 1)[0] != "--tokenizer":
                hits.append(CommandHit(value, _column(line, value), word.split("=", 1)[0]))
        elif "=" in words[i] and i > 0 and lowered[i - 1] in ("-e", "--env"):
            key, _, value = words[i].partition("=")
            if ENV_MODEL_KEYS.match(key) and (serving or key in ("MODEL_ID", "HF_MODEL_ID")):
                hits.append(CommandHit(value, _column(line, value), f"env {key}"))
    for match in URL_MODEL.finditer(line):
        hits.append(CommandHit(match.group(1), match.start(1) + 1, "hub URL"))
    taken = {hit.value.strip("'\"") for hit in hits}
    for match in HF_SHORT.finditer(line):
        if match.group(0) not in taken:  # hf.co/org/repo-GGUF:Q4_K_M, as Ollama pulls it
            hits.append(CommandHit(match.group(0), match.start() + 1, "hub reference"))
    return [hit for hit in hits if looks_like_model_id(strip_quotes(hit.value))]
