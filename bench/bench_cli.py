"""Whole-process timings of the CLI: `riskcheck --help` and `check` on a 50-model manifest.

Targets: --help under 300 ms; check of 50 models on the bundled data under 1 s. The baseline,
measured in the same run, is a bare `python -c pass`; the ratio shows what riskcheck adds.

riskcheck keeps parsed bundled data (vendor registry, YAML tables) in the user cache folder, so
after the first run the checks above read it from there. The last line is the first run after
an install: every run gets an empty cache folder (XDG_CACHE_HOME; honoured on Linux) and data
folder. It has no target.

Then the same check without ``--offline`` where the Hub cannot be reached (its endpoint a closed
port on this machine: the connection is refused at once, as on a machine without network):
target at most 1.5x the ``--offline`` check measured in the same run.

Run: python bench/bench_cli.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODELS = [
    "Qwen/Qwen2.5-7B-Instruct", "BAAI/bge-m3", "deepseek-ai/DeepSeek-R1-Distill-Llama-8B",
    "meta-llama/Llama-3.1-8B-Instruct", "mistralai/Mistral-7B-Instruct-v0.3",
    "google/gemma-2-9b-it", "microsoft/Phi-3-mini-4k-instruct", "THUDM/chatglm3-6b",
    "zai-org/GLM-4.5", "bartowski/Qwen2.5-7B-Instruct-GGUF", "qwen2.5-coder:7b",
    "deepseek-r1:8b", "glm4", "bge-m3", "z-ai/glm-4.5", "deepseek/deepseek-r1:free",
    "moonshotai/kimi-k2", "qwen/qwen3-235b-a22b", "dashscope/qwen-max",
    "together_ai/Qwen/Qwen2.5-72B-Instruct-Turbo", "openrouter/moonshotai/kimi-k2",
    "ollama/qwen2.5", "sentence-transformers/all-MiniLM-L6-v2", "nomic-ai/nomic-embed-text-v1.5",
    "ibm-granite/granite-3.1-8b-instruct", "tiiuae/falcon-7b-instruct", "01-ai/Yi-1.5-9B-Chat",
    "baichuan-inc/Baichuan2-7B-Chat", "internlm/internlm2_5-7b-chat", "openbmb/MiniCPM-V-2_6",
    "ai-sage/GigaChat-20B-A3B-instruct", "NousResearch/Hermes-3-Llama-3.1-8B",
    "perplexity-ai/r1-1776", "unsloth/Llama-3.2-3B-Instruct-bnb-4bit",
    "mlx-community/Qwen2.5-7B-Instruct-4bit", "TheBloke/Mistral-7B-Instruct-v0.2-GGUF",
    "lmstudio-community/Meta-Llama-3.1-8B-Instruct-GGUF", "QuantFactory/Meta-Llama-3-8B-GGUF",
    "intfloat/multilingual-e5-large", "jinaai/jina-embeddings-v3", "Alibaba-NLP/gte-large-en-v1.5",
    "stabilityai/stablelm-2-1_6b", "allenai/OLMo-2-1124-7B-Instruct", "CohereForAI/aya-expanse-8b",
    "LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct", "upstage/SOLAR-10.7B-Instruct-v1.0",
    "MiniMaxAI/MiniMax-Text-01", "stepfun-ai/GOT-OCR2_0", "tencent/Hunyuan-A13B-Instruct",
    "Skywork/Skywork-o1-Open-Llama-3.1-8B",
]


def timed(command: list[str], runs: int, fresh: Path | None = None,
          extra_env: dict[str, str] | None = None) -> list[float]:
    """Wall-clock seconds of each of ``runs`` runs of ``command``.

    With ``fresh``, each run gets new, empty cache and data folders under it.
    """
    times = []
    for run in range(runs):
        env = {**os.environ, **extra_env} if extra_env else None
        argv = command
        if fresh is not None:
            env = {**(env or os.environ), "XDG_CACHE_HOME": str(fresh / f"cache-{run}")}
            argv = [*command, "--data-dir", str(fresh / f"data-{run}")]
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                       env=env)
        times.append(time.perf_counter() - start)
    return times


def report(label: str, times: list[float], baseline: float, target: float | None) -> None:
    median = statistics.median(times)
    verdict = ""
    if target is not None:
        verdict = "  OK" if median <= target else f"  OVER TARGET ({target * 1000:.0f} ms)"
    print(f"{label:<44} median {median * 1000:7.1f} ms  min {min(times) * 1000:7.1f} ms  "
          f"x{median / baseline:5.1f} of baseline{verdict}")


def main() -> None:
    assert len(MODELS) == 50
    runs = 7
    exe = [sys.executable, "-m", "riskcheck"]
    with tempfile.TemporaryDirectory() as tmp:
        manifest = Path(tmp) / "riskcheck.yaml"
        manifest.write_text("models:\n" + "".join(f"  - id: {m!r}\n" for m in MODELS),
                            encoding="utf-8")
        base = timed([sys.executable, "-c", "pass"], runs)
        baseline = statistics.median(base)
        print(f"{'baseline: python -c pass':<44} median {baseline * 1000:7.1f} ms")
        timed(exe + ["--help"], 1)  # warm the OS file cache and bytecode
        report("riskcheck --help", timed(exe + ["--help"], runs), baseline, 0.300)
        check = exe + ["check", str(manifest), "--bundled", "--fail-on", "none",
                       "--offline", "--data-dir", tmp]
        timed(check, 1)
        offline = timed(check, runs)
        report("riskcheck check (50 models, bundled data)", offline, baseline, 1.0)
        report("riskcheck check --format json (50 models)",
               timed(check + ["--format", "json"], runs), baseline, 1.0)
        first = exe + ["check", str(manifest), "--bundled", "--fail-on", "none", "--offline"]
        report("riskcheck check, empty caches (first run)",
               timed(first, runs, fresh=Path(tmp)), baseline, None)
        unreachable = {"RISKCHECK_HF_ENDPOINT": "http://127.0.0.1:9"}
        online = [a for a in check if a != "--offline"]
        no_network = timed(online, runs, extra_env=unreachable)
        report("riskcheck check, Hub unreachable (no --offline)", no_network, baseline, None)
        ratio = statistics.median(no_network) / statistics.median(offline)
        print(f"{'  ratio to the --offline check':<44} x{ratio:.2f}"
              + ("  OK" if ratio <= 1.5 else "  OVER TARGET (1.5x)"))


if __name__ == "__main__":
    main()
