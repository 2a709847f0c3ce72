"""Shared recognisers: what a model reference looks like, and shell-style variable expansion."""

from __future__ import annotations

import re

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


_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$\(([A-Za-z_][A-Za-z0-9_]*)\)"
                  r"|\$([A-Za-z_][A-Za-z0-9_]*)")


def expand_variables(text: str, variables: dict[str, str]) -> str:
    """Expand ``$VAR``, ``${VAR}``, ``${VAR:-default}`` and Make's ``$(VAR)`` from ``variables``.

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
