"""The leaf syntaxes of model references: URLs, local paths, Ollama tags, OpenRouter slugs,
Bedrock ids, and the :class:`ParsedRef` they produce (assembled by :mod:`riskcheck.resolution.references`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import urlsplit

from riskcheck.resolution.providers import load_providers

_PROVIDERS = load_providers()

LITELLM_PROVIDERS = _PROVIDERS.litellm
"""LiteLLM's provider prefixes (lists/providers.yaml). The first segment of a LiteLLM model
string names who serves the call, not who made the model."""

SELF_HOSTED_RUNTIMES = _PROVIDERS.self_hosted
"""LiteLLM providers that run weights on the caller's own machines: no third party sees data."""

OPENAI_COMPATIBLE = _PROVIDERS.protocol
"""Providers that only name a wire protocol: the serving party is whoever runs the base URL."""

GATEWAYS = _PROVIDERS.gateways
"""Providers that route each call to one of several upstream hosts."""

OPENROUTER_VARIANTS = _PROVIDERS.openrouter_variants

CLOUD_NAMESPACES = _PROVIDERS.cloud_namespaces
"""(id prefix, provider) pairs such as ``@cf/`` for Cloudflare Workers AI."""


RefKind = Literal["huggingface", "ollama", "openrouter", "litellm", "api", "local-file", "unknown"]


Syntax = Literal["huggingface", "ollama", "openrouter", "api", "bedrock", "local-file", "unknown"]


WEIGHT_SUFFIXES = (".gguf", ".ggml", ".safetensors", ".bin", ".pt", ".pth", ".onnx", ".ckpt",
                   ".llamafile", ".tflite", ".mlmodel", ".mlpackage", ".nemo", ".h5", ".keras")


_GENERIC_FILES = re.compile(r"^(model|pytorch_model|adapter_model|ggml-model|consolidated)"
                            r"([-.]\d+(-of-\d+)?)?(\.[\w-]+)?$", re.IGNORECASE)


_HF_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


BEDROCK_ID = re.compile(r"^(?:(?:us|eu|apac|us-gov|global|jp|au|ca|in|uk|sa|me|af)\.)?"
                      r"(?P<org>[a-z0-9-]+)\.(?P<name>[a-z][\w.-]*?)(?::(?P<tag>\d+))?$")


BEDROCK_PUBLISHERS = _PROVIDERS.bedrock_publishers


PUBLISHER_RESOURCE = re.compile(r"(?:^|/)publishers/(?P<org>[^/]+)/models/(?P<name>[^/@:]+)")


FIREWORKS_PATH = re.compile(r"^accounts/(?P<org>[^/]+)/models/(?P<name>[^/]+)$")


_HF_HOSTS = ("huggingface.co", "hf.co")


@dataclass(frozen=True)
class ParsedRef:
    """A model reference split into what each resolution step needs."""

    raw: str
    kind: RefKind
    """The outer syntax. ``unknown`` with a ``name`` means a bare name that may be an Ollama
    library name, a vendor API name or a sentence-transformers short name."""
    name: str
    """Model name without namespace or tag (``Qwen2.5-7B-Instruct``, ``glm-4.5``)."""
    org: str | None = None
    """HF org, Ollama namespace, OpenRouter prefix, or Bedrock/Vertex publisher."""
    tag: str | None = None
    """Ollama tag, quantisation after ``:`` (``Q4_K_M``), OpenRouter variant, Bedrock version."""
    provider: str | None = None
    """Serving provider key: LiteLLM provider, declared provider, or ``openrouter``."""
    host: str | None = None
    """Host name of the base URL (or of the URL the reference was written as)."""
    syntax: Syntax = "unknown"
    """How ``org``/``name`` are to be read; equals ``kind`` except inside LiteLLM strings."""
    api: bool | None = None
    """True: the syntax means an API call; False: weights run locally; None: cannot tell."""
    hub: str | None = None
    """``modelscope`` for ModelScope references (same org/name pairs as Hugging Face)."""
    alternative: str | None = None
    """Another kind the same text is valid as (e.g. ``openrouter`` for ``google/gemma-3-27b-it``)."""

    @property
    def model_id(self) -> str:
        """``org/name`` when there is an org, else the name."""
        return f"{self.org}/{self.name}" if self.org else self.name


def hostname(url: str | None) -> str | None:
    """The lower-case host of a URL or bare host name, without port; None when empty."""
    if not url or not url.strip():
        return None
    text = url.strip()
    parts = urlsplit(text if "://" in text else f"//{text}")
    return (parts.hostname or "").rstrip(".") or None


def parse_url(text: str, raw: str) -> ParsedRef | None:
    """Parse URL-shaped references (HF, ModelScope, Ollama, OpenRouter, files); None otherwise."""
    lowered = text.lower()
    if lowered.startswith("pkg:huggingface/"):
        return parse_hf_id(raw, text.split("/", 1)[1].split("@", 1)[0].split("?", 1)[0])
    if lowered.startswith("hf://"):
        path = text[5:]
        if path.lower().startswith(("datasets/", "spaces/")):
            return ParsedRef(raw, "unknown", path)
        return parse_hf_id(raw, path.removeprefix("models/"), api=False)
    if lowered.startswith(("hf.co/", "huggingface.co/")):
        return _hf_path(raw, text.split("/", 1)[1], host=None)
    if lowered.startswith(("gpt://", "emb://", "cls://")):
        # Yandex Cloud model URIs: gpt://<folder id>/<model>/<version>
        segments = [s for s in text.split("://", 1)[1].split("/") if s]
        name = segments[1] if len(segments) > 1 else ""
        return ParsedRef(raw, "api", name, tag="/".join(segments[2:]) or None, syntax="api",
                         api=True)
    if lowered.startswith("file://"):
        return parse_local(raw, text[7:])
    if "://" not in text and not lowered.startswith(("www.modelscope.cn/", "modelscope.cn/",
                                                     "ollama.com/", "openrouter.ai/",
                                                     "registry.ollama.ai/")):
        return None
    parts = urlsplit(text if "://" in text else f"https://{text}")
    host = (parts.hostname or "").lower()
    path = parts.path.strip("/")
    if host.endswith(_HF_HOSTS):
        return _hf_path(raw, path, host=host)
    if host.endswith(("modelscope.cn", "modelscope.ai")):
        segments = [s for s in path.split("/") if s]
        if segments and segments[0] == "models":
            segments = segments[1:]
        return parse_hf_id(raw, "/".join(segments[:2]).removesuffix(".git"), hub="modelscope",
                              api=False)
    if host in ("ollama.com", "www.ollama.com", "registry.ollama.ai"):
        return parse_ollama(raw, path.removeprefix("v2/"))
    if host.endswith("openrouter.ai") and path.count("/") == 1 and not path.startswith("api/"):
        return parse_openrouter(raw, path)
    if path.lower().endswith(WEIGHT_SUFFIXES):
        return replace(parse_local(raw, path), host=host)
    return ParsedRef(raw, "unknown", path or text, host=host or None)


def _hf_path(raw: str, path: str, host: str | None) -> ParsedRef:
    segments = [s for s in path.split("/") if s]
    if segments and segments[0] in ("datasets", "spaces"):
        return ParsedRef(raw, "unknown", "/".join(segments), host=host)
    if segments and segments[0] == "models" and len(segments) > 2:
        segments = segments[1:]
    tag = None
    if len(segments) >= 2:
        name, _, tag = segments[1].partition(":")
        segments[1] = name.removesuffix(".git")
    if len(segments) > 3 and segments[2] in ("resolve", "blob", "tree"):
        filename = segments[-1]
        if filename.lower().endswith(".gguf") and not tag:
            tag = _quant_from_filename(filename)
    parsed = parse_hf_id(raw, "/".join(segments[:2]), api=False)
    return replace(parsed, tag=tag or None)


def parse_hf_id(raw: str, model_id: str, *, hub: str | None = None,
                   api: bool | None = None) -> ParsedRef:
    """Parse ``org/name[:tag]`` as a Hugging Face id, else an ``unknown`` reference."""
    org, _, name = model_id.strip("/").partition("/")
    name, _, tag = name.partition(":")
    if org and name and _HF_PART.match(org) and _HF_PART.match(name):
        return ParsedRef(raw, "huggingface", name, org=org, tag=tag or None,
                         syntax="huggingface", hub=hub, api=api)
    if org and not name and _HF_PART.match(org):
        return ParsedRef(raw, "unknown", org, hub=hub, api=api)
    return ParsedRef(raw, "unknown", model_id, hub=hub, api=api)


def _quant_from_filename(filename: str) -> str | None:
    found = re.search(r"(?i)[-._]((?:I?Q\d[\w]*?)|f16|bf16|f32)\.gguf$", filename)
    return found.group(1) if found else None


def looks_like_path(text: str) -> bool:
    """True for local paths and weight file names."""
    if text.startswith(("/", "./", "../", "~", ".\\", "..\\")) or "\\" in text:
        return True
    if re.match(r"^[A-Za-z]:[\\/]", text):
        return True
    return text.lower().endswith(WEIGHT_SUFFIXES) and ":" not in text


def parse_local(raw: str, path: str) -> ParsedRef:
    """A local file or directory: the model name is the file (or folder) name."""
    segments = [s for s in re.split(r"[\\/]", path) if s and s not in (".", "..", "~")]
    name = segments[-1] if segments else path
    if _GENERIC_FILES.match(name) and len(segments) > 1:
        name = segments[-2]
    for suffix in WEIGHT_SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return ParsedRef(raw, "local-file", name, syntax="local-file", api=False)


def parse_ollama(raw: str, text: str) -> ParsedRef:
    """Parse ``[library/|namespace/]name[:tag]`` (and ``hf.co/...`` pulls)."""
    body = text.strip("/")
    for prefix in ("registry.ollama.ai/", "library/"):
        if body.lower().startswith(prefix):
            body = body[len(prefix):]
    if body.lower().startswith(("hf.co/", "huggingface.co/")):
        return _hf_path(raw, body.split("/", 1)[1], host=None)
    namespace, slash, rest = body.rpartition("/")
    name, _, tag = rest.partition(":")
    org = namespace if slash and namespace.lower() != "library" else None
    return ParsedRef(raw, "ollama", name.lower(), org=org, tag=tag or None, syntax="ollama",
                     api=False)


def parse_openrouter(raw: str, text: str) -> ParsedRef:
    """Parse an OpenRouter slug ``[~]vendor/model[:variant]`` (``~`` marks an alias that follows
    the vendor's latest model, ``~openai/gpt-latest``)."""
    org, _, rest = text.strip("/").partition("/")
    org = org.removeprefix("~")
    name, _, variant = rest.partition(":")
    if not name:
        return ParsedRef(raw, "openrouter", org, provider="openrouter", syntax="openrouter",
                         api=True, host="openrouter.ai")
    return ParsedRef(raw, "openrouter", name, org=org, tag=variant or None, provider="openrouter",
                     syntax="openrouter", api=True, host="openrouter.ai")


_BEDROCK_SCOPE = re.compile(r"^(?:\*|[a-z]{2}(?:-gov)?-[a-z]+-\d+|\d+-months?-commitment)$")
"""A region (``us-east-1``, ``us-gov-west-1``, ``*``) or commitment term before a Bedrock id."""


def parse_bedrock(raw: str, rest: str) -> ParsedRef:
    """Parse a Bedrock model id (``[region.]publisher.model[:version]``)."""
    body = rest
    for route in ("converse/", "invoke/", "converse_like/", "llama/", "deepseek_r1/", "nova/"):
        body = body.removeprefix(route)
    segments = body.split("/")
    while len(segments) > 1 and _BEDROCK_SCOPE.match(segments[0]):
        # bedrock/us-east-1/1-month-commitment/<id>, bedrock/*/6-month-commitment/<id>:
        # LiteLLM's region and provisioned-throughput scopes in front of the model id.
        segments.pop(0)
    body = "/".join(segments)
    if body.startswith("arn:"):
        return ParsedRef(raw, "unknown", body, syntax="unknown")
    found = BEDROCK_ID.match(body)
    if found and found.group("org") in BEDROCK_PUBLISHERS:
        return ParsedRef(raw, "api", found.group("name"), org=found.group("org"),
                         tag=found.group("tag"), syntax="bedrock")
    # bedrock/claude_platform/claude-opus-4-5: a route LiteLLM names before a plain model name.
    return ParsedRef(raw, "api", body.rsplit("/", 1)[-1], syntax="api")

