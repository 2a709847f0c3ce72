#!/usr/bin/env bash
set -euo pipefail
# ollama pull llama2   (no longer used)
ollama pull qwen2.5
ollama pull bge-m3
ollama run gemma3:12b "warm up"
