#!/usr/bin/env bash
vllm serve Qwen/Qwen2.5-VL-7B-Instruct --served-model-name assistant --max-model-len 8192
