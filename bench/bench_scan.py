"""Scan speed on a generated 10,000-file repository (target: at most 10 s on this machine).

The baseline, measured in the same run, walks the same tree and reads every file without
parsing; the ratio shows what the detectors cost on top of I/O.

Run: python bench/bench_scan.py [FILES]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

PY = '''import os
from transformers import AutoModel, AutoTokenizer

MODEL = "{model}"


def load(path: str = MODEL):
    """Load the model for module {n}."""
    tokenizer = AutoTokenizer.from_pretrained(path)
    return AutoModel.from_pretrained(path), tokenizer


def helper_{n}(values):
    total = 0
    for value in values:
        total += value * {n}
    return total
'''
PLAIN_PY = '''def compute_{n}(a, b):
    """Pure helper without models."""
    result = []
    for i in range(a):
        result.append(i * b + {n})
    return result
'''
YAML = '''model_list:
  - model_name: m{n}
    litellm_params:
      model: {slug}
      api_base: https://example.internal/v1
settings:
  retries: 3
'''
JS = '''export const config{n} = {{
  model: "{slug}",
  temperature: 0.2,
  // previous: "qwen/qwen3-32b"
}};
'''
SH = '''#!/usr/bin/env bash
set -e
ollama pull {tag}
echo done {n}
'''
MD = "# Module {n}\n\nSome documentation text about the module.\n" * 5
MODELS = ["Qwen/Qwen2.5-7B-Instruct", "BAAI/bge-m3", "meta-llama/Llama-3.1-8B-Instruct",
          "mistralai/Mistral-7B-Instruct-v0.3", "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"]
SLUGS = ["z-ai/glm-4.5", "deepseek/deepseek-r1:free", "openai/gpt-4o", "qwen/qwen3-235b-a22b"]
TAGS = ["qwen2.5", "llama3.1:8b", "bge-m3", "glm4"]


def generate(root: Path, count: int) -> None:
    rng = random.Random(7)
    for n in range(count):
        directory = root / f"pkg{n % 100}" / f"sub{n % 7}"
        directory.mkdir(parents=True, exist_ok=True)
        kind = rng.random()
        if kind < 0.35:
            (directory / f"m{n}.py").write_text(PLAIN_PY.format(n=n))
        elif kind < 0.55:
            (directory / f"load{n}.py").write_text(PY.format(n=n, model=rng.choice(MODELS)))
        elif kind < 0.65:
            (directory / f"cfg{n}.yaml").write_text(YAML.format(n=n, slug=rng.choice(SLUGS)))
        elif kind < 0.8:
            (directory / f"c{n}.ts").write_text(JS.format(n=n, slug=rng.choice(SLUGS)))
        elif kind < 0.85:
            (directory / f"s{n}.sh").write_text(SH.format(n=n, tag=rng.choice(TAGS)))
        else:
            (directory / f"doc{n}.md").write_text(MD.format(n=n))


def baseline(root: Path) -> float:
    start = time.perf_counter()
    for current, _, files in os.walk(root):
        for name in files:
            with open(os.path.join(current, name), "rb") as handle:
                handle.read()
    return time.perf_counter() - start


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    from riskcheck.scan import scan_tree

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, count)
        scan_tree(root / "pkg0")  # load the registry and detectors once, as the CLI would
        base = baseline(root)
        start = time.perf_counter()
        result = scan_tree(root)
        elapsed = time.perf_counter() - start
    print(f"files generated         {count}")
    print(f"baseline walk + read    {base:6.2f} s")
    print(f"riskcheck scan          {elapsed:6.2f} s   x{elapsed / base:5.1f} of baseline   "
          f"{'OK' if elapsed <= 10 else 'OVER TARGET (10 s)'}")
    print(f"files read {result.files_scanned}, references {len(result.references)}, "
          f"skipped {len(result.skipped)}")


if __name__ == "__main__":
    main()
