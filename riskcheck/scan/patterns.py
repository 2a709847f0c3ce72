"""Shared recognisers: what a model reference looks like, and shell-style variable expansion."""

from __future__ import annotations

import re
from functools import lru_cache

_PLACEHOLDER = re.compile(r"\$\{|\$[A-Za-z_]|\{\{|\}\}|<[a-z_-]+>|%\(|\{[a-z_]*\}")
_LOCAL_PATH = re.compile(r"^(\.{1,2}/|/|~|[A-Za-z]:\\)")
_ID_CHARS = re.compile(r"^[\w.:/@+-]+$", re.UNICODE)
_WEIGHT_FILE = re.compile(r"\.(bin|pt|pth|ckpt|onnx|safetensors|h5|pkl|json|txt|yaml|yml)$", re.I)

# Values that appear in model arguments but name no model.
NOT_MODELS = frozenset({
    "auto", "none", "null", "true", "false", "default", "model", "models", "cpu", "cuda", "gpu",
    "text-generation", "feature-extraction", "sentiment-analysis", "summarization",
    "translation", "fill-mask", "question-answering", "token-classification",
    "text-classification", "zero-shot-classification", "text2text-generation",
    "image-classification", "automatic-speech-recognition", "conversational",
})


@lru_cache(maxsize=65536)
def looks_like_model_id(value: str) -> bool:
    """True when ``value`` can name a model (not a path, placeholder, task name or URL to elsewhere)."""
    text = value.strip()
    if not text or len(text) > 200 or text.casefold() in NOT_MODELS:
        return False
    lowered = text.casefold()
    if lowered.startswith(("http://", "https://")):
        return "huggingface.co/" in lowered or "hf.co/" in lowered or "modelscope.cn/" in lowered
    if lowered.startswith("hf://"):
        return True
    if _PLACEHOLDER.search(text) or _LOCAL_PATH.match(text):
        return False
    if not _ID_CHARS.match(text) or not re.search(r"[A-Za-z]", text):
        return False
    if _WEIGHT_FILE.search(text) and "/" not in text.split(":")[0]:
        return False
    return text.count("/") <= 4


_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:\[[@*]\])?(?::?-([^}]*))?\}"
                  r"|\$\(([A-Za-z_][A-Za-z0-9_]*)\)|\$([A-Za-z_][A-Za-z0-9_]*)")


def expand_variables(text: str, variables: dict[str, str]) -> str:
    """Expand ``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``${ARRAY[@]}`` and Make's ``$(VAR)``
    from ``variables``.

    Unknown variables are left as written, so the result is recognisably unresolved.
    """
    def substitute(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3) or match.group(4)
        if name in variables:
            return variables[name]
        if match.group(2) is not None:
            return match.group(2)
        return match.group(0)

    return _VAR.sub(substitute, text)


def strip_quotes(value: str) -> str:
    """Remove one pair of matching surrounding quotes."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


# Model families and naming words: a value under a model-named key, or passed to a call we do
# not know, counts as a model only when it has one of these or the shape of a model reference.
_FAMILY = re.compile(
    r"gpt|o[1-9](?:-|$)|claude|llama|qwen|qwq|glm|mistral|mixtral|stral|gemma|gemini|"
    r"phi-?\d|deepseek|bge|(?:^|[-_/])e5(?:[-_]|$)|minilm|mpnet|bert|t5|flan|falcon|(?:^|/)yi-|"
    r"baichuan|internlm|gigachat|yandexgpt|embed|command-?r|nomic|mxbai|llava|starcoder|"
    r"vicuna|zephyr|whisper|m3e|text2vec|ernie|moonshot|kimi|sonar|grok|diffusion|sdxl|"
    r"(?:^|/)sd-|dall-e|(?:^|[-/])tts|spark|minicpm|cogvlm|xglm|mt0|bloom|(?:^|/)opt-|"
    r"pythia|stablelm|openchat|hermes|dolphin|wizard|orca|granite|olmo|smollm|jina|gte-|"
    r"ada-00|davinci|babbage|rerank|nemotron|(?:^|/)aya-|jamba|abab|hunyuan|doubao|idefics|"
    r"rugpt|fred-t5|saiga|vikhr|labse|voyage|titan|palm|bison|cohere|nous|solar|codegen|"
    r"chatgpt|turbo|instruct|chat|coder|vision|(?:^|[-_.])\d+(?:\.\d+)?[bm](?:$|[-_.:])",
    re.I)
_ORG_NAME = re.compile(r"^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.+-]*(?:/[\w.+-]+)?(?::[\w.-]+)?$")
_NAME_TAG = re.compile(r"^[A-Za-z][\w.-]*:[\w.-]+$")
_NOT_ORGS = frozenset({"data", "src", "app", "static", "assets", "images", "img", "tmp", "output",
                       "outputs", "logs", "docs", "api", "v1", "text", "application", "image",
                       "audio", "video", "http", "https", "file", "files", "tests", "test",
                       "results", "configs", "config", "scripts", "lib", "bin"})


@lru_cache(maxsize=65536)
def looks_like_model_reference(value: str) -> bool:
    """Stricter than :func:`looks_like_model_id`: the value names a known family, or has the
    shape of a hub id (``org/name``), a provider-prefixed name or a ``name:tag``."""
    text = value.strip()
    if not looks_like_model_id(text) or " " in text or "@" in text:
        return False
    lowered = text.casefold()
    if lowered in _BARE_WORDS:
        return False
    if lowered.startswith(("hf.co/", "hf://", "http://", "https://", "huggingface.co/")):
        return True
    if _ORG_NAME.match(text) and lowered.split("/", 1)[0] not in _NOT_ORGS:
        return True
    if _NAME_TAG.match(text) and not lowered.startswith(("http", "file", "data")):
        return True
    return bool(_FAMILY.search(text))


_BARE_WORDS = frozenset({
    "ollama", "openai", "anthropic", "azure", "huggingface", "local", "custom", "chat", "instruct",
    "vision", "coder", "turbo", "embed", "embedding", "embeddings", "rerank", "reranker",
    "chatgpt", "gpt", "llama", "llama.cpp", "llamacpp", "vllm", "bert", "t5", "cohere", "palm",
    "mistralai", "google", "deepseek-ai", "tts", "spark", "titan", "solar", "orca", "hermes",
})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_MODEL_WORD = re.compile(r"model|llm|embed|rerank|checkpoint|deployment|engine", re.I)
_NOT_MODEL_NAMES = frozenset({
    "type", "types", "provider", "providers", "kwargs", "args", "class", "cls", "key", "keys",
    "url", "urls", "base", "host", "endpoint", "version", "dim", "dims", "dimension",
    "dimensions", "size", "format", "platform", "backend", "prefix", "suffix", "file", "files",
    "count", "tokens", "token", "timeout", "temperature", "template", "prompt", "label", "labels",
    "title", "description", "desc", "help", "text", "icon", "color", "status", "source",
    "sources", "config", "configs", "dir", "folder", "length", "len", "limit", "batch",
    "threads", "workers", "device", "dtype", "quantization", "mode", "enabled", "enable",
    "options", "params", "param", "path_or_type", "family", "families", "owner", "org",
    "cache", "registry", "loader", "manager", "factory", "wrapper", "client", "instance",
    "module", "modules", "router", "list_url", "role", "output", "input", "state", "fn",
})


@lru_cache(maxsize=65536)
def model_named(name: str) -> bool:
    """True when an identifier or key says it holds a model: ``EMBED_MODEL``, ``modelId``,
    ``llm_model``, ``reranker``, ``--model-name-or-path``; not ``model_type`` or ``llm_provider``."""
    words = [w for w in re.split(r"[^a-z0-9]+", _CAMEL.sub("_", name.strip("-")).casefold()) if w]
    if not words or not _MODEL_WORD.search(name):
        return False
    return words[-1] not in _NOT_MODEL_NAMES
