"""Python code, read with :mod:`ast` (never executed): model-loading and model-calling APIs.

String constants are followed: module-level assignments and simple assignments inside the
enclosing function, so ``MODEL = "Qwen/..."`` used as ``from_pretrained(MODEL)`` is found.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from riskcheck.scan.interface import Confidence, Detector, DetectorError, FoundReference
from riskcheck.scan.patterns import looks_like_model_id

# Callable name -> (positional index of the model argument or None, keyword names, usage).
SELF_HOSTED_CALLS: dict[str, tuple[int | None, tuple[str, ...]]] = {
    "from_pretrained": (0, ("pretrained_model_name_or_path", "model_id")),
    "SentenceTransformer": (0, ("model_name_or_path",)),
    "CrossEncoder": (0, ("model_name", "model_name_or_path")),
    "hf_hub_download": (0, ("repo_id",)),
    "snapshot_download": (0, ("repo_id", "model_id")),
    "pipeline": (1, ("model",)),
    "HuggingFaceEmbeddings": (None, ("model_name", "model")),
    "HuggingFaceEmbedding": (None, ("model_name",)),
    "HuggingFaceBgeEmbeddings": (None, ("model_name",)),
    "HuggingFaceInstructEmbeddings": (None, ("model_name",)),
    "HuggingFacePipeline.from_model_id": (None, ("model_id",)),
    "from_model_id": (None, ("model_id",)),
    "HuggingFaceLLM": (None, ("model_name", "tokenizer_name")),
    "LLM": (0, ("model",)),  # vLLM offline engine
    "Ollama": (None, ("model",)),
    "OllamaLLM": (None, ("model",)),
    "ChatOllama": (None, ("model",)),
    "OllamaEmbeddings": (None, ("model",)),
    "OllamaEmbedding": (None, ("model_name",)),
    "FastEmbedEmbeddings": (None, ("model_name",)),
    "TextEmbedding": (0, ("model_name",)),
}

API_CALLS: dict[str, tuple[int | None, tuple[str, ...], str | None]] = {
    # name -> (positional index, keywords, provider implied by the class)
    "completion": (None, ("model",), None),
    "acompletion": (None, ("model",), None),
    "embedding": (None, ("model",), None),
    "aembedding": (None, ("model",), None),
    "text_completion": (None, ("model",), None),
    "ChatLiteLLM": (None, ("model", "model_name"), None),
    "ChatOpenAI": (None, ("model", "model_name"), "openai"),
    "AzureChatOpenAI": (None, ("model", "azure_deployment", "deployment_name"), "azure"),
    "OpenAIEmbeddings": (None, ("model",), "openai"),
    "OpenAI": (None, ("model",), "openai"),
    "OpenAILike": (None, ("model",), None),
    "OpenAIEmbedding": (None, ("model", "model_name"), "openai"),
    "ChatAnthropic": (None, ("model", "model_name"), "anthropic"),
    "Anthropic": (None, ("model",), "anthropic"),
    "ChatMistralAI": (None, ("model", "model_name"), "mistral"),
    "MistralAI": (None, ("model",), "mistral"),
    "ChatGoogleGenerativeAI": (None, ("model",), "google"),
    "GoogleGenerativeAIEmbeddings": (None, ("model",), "google"),
    "ChatVertexAI": (None, ("model", "model_name"), "vertex_ai"),
    "ChatGroq": (None, ("model", "model_name"), "groq"),
    "Groq": (None, ("model",), "groq"),
    "ChatTogether": (None, ("model",), "together_ai"),
    "ChatFireworks": (None, ("model",), "fireworks_ai"),
    "ChatDeepSeek": (None, ("model",), "deepseek"),
    "DeepSeek": (None, ("model",), "deepseek"),
    "ChatTongyi": (None, ("model", "model_name"), "dashscope"),
    "DashScope": (None, ("model_name",), "dashscope"),
    "DashScopeEmbeddings": (None, ("model",), "dashscope"),
    "ChatZhipuAI": (None, ("model", "model_name"), "zhipuai"),
    "ZhipuAI": (None, ("model",), "zhipuai"),
    "Moonshot": (None, ("model",), "moonshot"),
    "MoonshotChat": (None, ("model",), "moonshot"),
    "ChatBaichuan": (None, ("model",), "baichuan"),
    "GigaChat": (None, ("model",), "gigachat"),
    "GigaChatEmbeddings": (None, ("model",), "gigachat"),
    "YandexGPT": (None, ("model_name", "model_uri"), "yandex"),
    "ChatYandexGPT": (None, ("model_name", "model_uri"), "yandex"),
    "ChatCohere": (None, ("model",), "cohere"),
    "CohereEmbeddings": (None, ("model",), "cohere"),
    "ChatBedrock": (None, ("model_id", "model"), "bedrock"),
    "BedrockEmbeddings": (None, ("model_id",), "bedrock"),
    "ChatOpenRouter": (None, ("model",), "openrouter"),
    "OpenRouter": (None, ("model",), "openrouter"),
    "ChatNVIDIA": (None, ("model",), "nvidia_nim"),
    "ChatXAI": (None, ("model",), "xai"),
}

CLIENT_CLASSES = {"OpenAI", "AsyncOpenAI", "AzureOpenAI", "AsyncAzureOpenAI", "Client",
                  "AsyncClient", "Anthropic", "Mistral", "Groq", "Together", "ZhipuAI"}
"""SDK clients whose ``base_url`` says who serves every model called through them."""
CLIENT_METHODS = {"create", "generate", "chat", "embed", "embeddings", "complete", "stream"}
BASE_URL_KEYWORDS = ("base_url", "api_base", "openai_api_base", "openai_api_base_url",
                     "endpoint", "azure_endpoint", "host")


@dataclass
class _Scope:
    strings: dict[str, str]
    clients: dict[str, tuple[str | None, str | None]]
    """Variable -> (base_url, provider) for SDK client objects."""


def _call_name(func: ast.expr) -> tuple[str, str]:
    """(last name, dotted name) of a call target: ``transformers.AutoModel.from_pretrained``."""
    parts: list[str] = []
    node = func
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    dotted = ".".join(reversed(parts))
    return (parts[0] if parts else "", dotted)


class PythonDetector(Detector):
    """Transformers, sentence-transformers, hub downloads, PEFT, LangChain, LlamaIndex,
    LiteLLM, vLLM, Ollama and OpenAI-compatible SDK clients."""

    name = "python"

    def claims(self, path: PurePosixPath) -> bool:
        """Python source files and notebooks' exported scripts."""
        return path.suffix in (".py", ".pyw")

    def detect(self, path: PurePosixPath, text: str) -> Iterator[FoundReference]:
        """Parse and walk the module."""
        try:
            tree = ast.parse(text, filename=str(path))
        except (SyntaxError, ValueError) as exc:
            line = getattr(exc, "lineno", None)
            raise DetectorError(f"Python syntax error{f' on line {line}' if line else ''}") from None
        except (MemoryError, RecursionError):
            # CPython's parser gives up on ``x = ----...-1`` or 5,000 nested brackets with
            # MemoryError or RecursionError: the file is skipped, the scan goes on.
            raise DetectorError("nested too deeply to parse") from None
        lines = text.splitlines()
        module = _Scope(strings={}, clients={})
        _collect(tree.body, module, module)
        yield from _Walker(path, lines, module).run(tree)


def _string_value(node: ast.expr | None, scope: _Scope, module: _Scope) -> tuple[str, Confidence] | None:
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, "high"
    if isinstance(node, ast.Name):
        for table in (scope.strings, module.strings):
            if node.id in table:
                return table[node.id], "high"
        return None
    if isinstance(node, ast.JoinedStr) and all(
        isinstance(v, ast.Constant) or (isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name)
                                        and _string_value(v.value, scope, module))
        for v in node.values
    ):
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(str(v.value))
            else:
                resolved = _string_value(v.value, scope, module)  # type: ignore[attr-defined]
                parts.append(resolved[0] if resolved else "")
        return "".join(parts), "medium"
    if isinstance(node, ast.Call):
        # os.getenv("X", "default") / os.environ.get("X", "default"): the default is used
        # whenever the variable is unset, so it is a real (if overridable) reference.
        _, dotted = _call_name(node.func)
        if dotted.endswith(("getenv", "environ.get")) and len(node.args) >= 2:
            value = _string_value(node.args[1], scope, module)
            if value:
                return value[0], "medium"
    return None


def _collect(body: list[ast.stmt], scope: _Scope, module: _Scope) -> None:
    """Record simple string assignments and SDK client constructions in ``body``."""
    for statement in body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            value = statement.value
            for target in targets:
                if not isinstance(target, ast.Name) or value is None:
                    continue
                text = _string_value(value, scope, module)
                if text is not None:
                    scope.strings[target.id] = text[0]
                elif isinstance(value, ast.Call):
                    last, _ = _call_name(value.func)
                    if last in CLIENT_CLASSES:
                        scope.clients[target.id] = _client_target(value, last, scope, module)


def _defaults(arguments: ast.arguments, scope: _Scope, module: _Scope) -> None:
    """Parameters with string defaults (``def load(path=MODEL)``) name the model when the
    caller passes nothing, the common case for loaders."""
    positional = arguments.posonlyargs + arguments.args
    for arg, default in zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults):
        value = _string_value(default, scope, module)
        if value is not None:
            scope.strings[arg.arg] = value[0]
    for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
        value = _string_value(default, scope, module)
        if value is not None:
            scope.strings[arg.arg] = value[0]


def _client_target(call: ast.Call, cls: str, scope: _Scope, module: _Scope) -> tuple[str | None, str | None]:
    base_url = None
    for keyword in call.keywords:
        if keyword.arg in BASE_URL_KEYWORDS:
            value = _string_value(keyword.value, scope, module)
            if value:
                base_url = value[0]
    provider = {"OpenAI": "openai", "AsyncOpenAI": "openai", "AzureOpenAI": "azure",
                "AsyncAzureOpenAI": "azure", "Anthropic": "anthropic", "Mistral": "mistral",
                "Groq": "groq", "Together": "together_ai", "ZhipuAI": "zhipuai"}.get(cls)
    if base_url:
        provider = None  # the base URL, not the SDK, says who serves the model
    return base_url, provider


class _Walker:
    def __init__(self, path: PurePosixPath, lines: list[str], module: _Scope) -> None:
        self.path = path
        self.lines = lines
        self.module = module

    def run(self, tree: ast.Module) -> Iterator[FoundReference]:
        yield from self._visit(tree.body, self.module)

    def _visit(self, body: list[ast.stmt], scope: _Scope) -> Iterator[FoundReference]:
        for statement in body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner = _Scope(strings={}, clients=dict(scope.clients))
                _defaults(statement.args, inner, self.module)
                _collect(statement.body, inner, self.module)
                yield from self._visit(statement.body, inner)
                continue
            if isinstance(statement, ast.ClassDef):
                yield from self._visit(statement.body, scope)
                continue
            for node in ast.walk(statement):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    continue
                if isinstance(node, ast.Call):
                    yield from self._call(node, scope)
                elif isinstance(node, ast.Dict):
                    yield from self._litellm_dict(node, scope)

    def _found(self, node: ast.expr, value: str, confidence: Confidence, usage: str,
               base_url: str | None = None, provider: str | None = None) -> Iterator[FoundReference]:
        value = value.strip()
        if not looks_like_model_id(value):
            return
        line = getattr(node, "lineno", 1)
        text = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        yield FoundReference(id=value, path=str(self.path), line=line,
                             column=getattr(node, "col_offset", 0) + 1, detector="python",
                             confidence=confidence, text=text[:200], usage=usage,  # type: ignore[arg-type]
                             base_url=base_url, provider=provider)

    def _argument(self, call: ast.Call, position: int | None, keywords: tuple[str, ...]) -> ast.expr | None:
        for keyword in call.keywords:
            if keyword.arg in keywords:
                return keyword.value
        if position is not None and len(call.args) > position:
            return call.args[position]
        return None

    def _call(self, call: ast.Call, scope: _Scope) -> Iterator[FoundReference]:
        last, dotted = _call_name(call.func)
        if last == "from_pretrained" and dotted.split(".")[0].startswith(("PeftModel", "PeftMixed")):
            node = self._argument(call, 1, ("model_id",))  # PeftModel.from_pretrained(base, adapter)
            yield from self._emit(node, scope, "self-hosted")
            return
        if last == "pipeline" and not any(k.arg == "model" for k in call.keywords) and len(call.args) < 2:
            return
        if dotted in SELF_HOSTED_CALLS or last in SELF_HOSTED_CALLS:
            position, keywords = SELF_HOSTED_CALLS.get(dotted) or SELF_HOSTED_CALLS[last]
            if last == "LLM" and not dotted.startswith(("LLM", "vllm")):
                return
            yield from self._emit(self._argument(call, position, keywords), scope, "self-hosted")
            return
        if last in ("chat", "generate", "embed", "embeddings", "pull") and dotted.startswith("ollama."):
            yield from self._emit(self._argument(call, 0, ("model",)), scope, "self-hosted")
            return
        if last in API_CALLS and (last[0].isupper() or dotted.startswith("litellm.") or dotted == last):
            position, keywords, provider = API_CALLS[last]
            if last in ("embedding", "aembedding", "completion", "acompletion", "text_completion") \
                    and not dotted.startswith("litellm") and dotted != last:
                return
            base_url = None
            for keyword in call.keywords:
                if keyword.arg in BASE_URL_KEYWORDS:
                    value = _string_value(keyword.value, scope, self.module)
                    if value:
                        base_url, provider = value[0], None
            yield from self._emit(self._argument(call, position, keywords), scope, "api",
                                  base_url=base_url, provider=provider)
            return
        if last in CLIENT_METHODS and isinstance(call.func, ast.Attribute):
            root = call.func
            while isinstance(root, ast.Attribute):
                root = root.value  # type: ignore[assignment]
            if isinstance(root, ast.Name) and root.id in scope.clients:
                base_url, provider = scope.clients[root.id]
                yield from self._emit(self._argument(call, None, ("model",)), scope, "api",
                                      base_url=base_url, provider=provider)

    def _emit(self, node: ast.expr | None, scope: _Scope, usage: str, *,
              base_url: str | None = None, provider: str | None = None) -> Iterator[FoundReference]:
        value = _string_value(node, scope, self.module)
        if node is not None and value is not None:
            yield from self._found(node, value[0], value[1], usage, base_url, provider)

    def _litellm_dict(self, node: ast.Dict, scope: _Scope) -> Iterator[FoundReference]:
        """``{"litellm_params": {"model": ..., "api_base": ...}}`` entries of a Router model list."""
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and key.value == "litellm_params" and isinstance(value, ast.Dict):
                params = {k.value: v for k, v in zip(value.keys, value.values)
                          if isinstance(k, ast.Constant) and isinstance(k.value, str)}
                base = _string_value(params.get("api_base"), scope, self.module)
                yield from self._emit(params.get("model"), scope, "api",
                                      base_url=base[0] if base else None)
