"""Python code and Jupyter notebooks, read with :mod:`ast` (never executed).

Two kinds of evidence make a reference:

- a call site: a model-loading or model-calling API (``from_pretrained``, ``ChatOpenAI``,
  ``litellm.completion``, SDK clients ...) whose model argument resolves to a string (high);
- a key: a value held under a model-named name (``EMBED_MODEL = ...``, ``model_name: str = ...``,
  ``{"llm_models": [...]}``, ``add_argument("--model", default=...)``, ``model=`` passed to any
  call, ``.get("model", default)``) that looks like a model reference (medium).

Values are followed through module constants, simple and conditional assignments, parameter
defaults, ``os.getenv`` defaults, attributes of config objects (``settings.llm_model``,
``args.model``, ``self.model_name``) and constants imported from other modules of the same
repository; the project-wide tables are built in a first pass over every Python file.
"""

from __future__ import annotations

import ast
import json
import re
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from riskcheck.scan.commands import command_hits
from riskcheck.scan.interface import Confidence, Detector, DetectorError, FoundReference
from riskcheck.scan.patterns import looks_like_model_id, looks_like_model_reference, model_named

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

SELF_HOSTED_CALLS.update({
    "WhisperModel": (0, ("model_size_or_path",)),  # faster-whisper
    "AutoModel": (0, ("model_name_or_path",)),
    "InferenceClient": (0, ("model",)),
})
NOT_MODEL_REPO_TYPES = {"dataset", "space"}
LIBRARY_DEFAULTS: dict[str, tuple[str, tuple[str, ...]]] = {
    # class -> (the model it uses when none is named, the keywords that name one)
    "OpenAIEmbeddings": ("text-embedding-ada-002", ("model", "deployment")),
    "BedrockEmbeddings": ("amazon.titan-embed-text-v1", ("model_id",)),
    "HuggingFaceEmbeddings": ("sentence-transformers/all-mpnet-base-v2", ("model_name", "model")),
    "SentenceTransformerEmbeddings": ("sentence-transformers/all-mpnet-base-v2", ("model_name",)),
    "OpenAIEmbedding": ("text-embedding-ada-002", ("model", "model_name")),
}
"""Library classes with a vendor default model (LangChain, LlamaIndex), reported at low
confidence where the code constructs them without naming a model."""
PROJECT_INDEX_BUDGET_SECONDS = 3.0
"""The first pass over a repository's Python files stops collecting after this long; the
per-file detection still runs on every file."""
MAX_INDEXED_BYTES = 512 * 1024


_API_NAMES = {*SELF_HOSTED_CALLS, *API_CALLS, *CLIENT_CLASSES, *LIBRARY_DEFAULTS, "ollama", "litellm"}
_MODEL_WORDS = ("model", "llm", "embed", "rerank", "checkpoint", "deployment", "engine", "pretrained")
NAMING_WORDS = tuple(sorted({*_MODEL_WORDS, *(n.split(".")[-1].casefold() for n in _API_NAMES)}))
"""Files without any of these words have no call site and no model-named setting: the walk
over their syntax tree is skipped."""
VALUE_WORDS = (*_MODEL_WORDS, "gpt", "claude", "llama", "qwen", "mistral", "gemma", "gemini", "bge",
               "deepseek", "glm")
HUB_ID = re.compile(r"""["'][\w.-]+/[\w.-]+["']""")
"""Files without any of these words (or an ``org/name`` string) offer no model value to other
modules: not indexed."""


def _mentions(text: str, words: tuple[str, ...]) -> bool:
    lowered = text.casefold()
    return any(word in lowered for word in words)


@dataclass
class ModuleIndex:
    """What one module offers the rest of the repository."""

    constants: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    """Class attributes, dataclass/pydantic field defaults, ``self.x = ...`` and argparse dests."""
    signatures: dict[str, list[str]] = field(default_factory=dict)
    """Function and class (``__init__``) name -> parameter names (``self`` dropped)."""


@dataclass
class ProjectIndex:
    """Module indexes of a repository, by dotted module name."""

    modules: dict[str, ModuleIndex] = field(default_factory=dict)
    attributes: dict[str, set[str]] = field(default_factory=dict)
    signatures: dict[str, list[str]] = field(default_factory=dict)
    spent: float = 0.0

    tails: dict[str, list[ModuleIndex]] = field(default_factory=dict)

    def add(self, dotted: str, module: ModuleIndex) -> None:
        self.modules[dotted] = module
        parts = dotted.split(".")
        for start in range(1, len(parts)):
            self.tails.setdefault(".".join(parts[start:]), []).append(module)

    def module(self, dotted: str) -> ModuleIndex | None:
        if dotted in self.modules:
            return self.modules[dotted]
        # ``from common import X`` run from a sub-folder, or a package imported by its tail.
        matches = self.tails.get(dotted, ())
        return matches[0] if len(matches) == 1 else None

    def attribute(self, name: str) -> str | None:
        values = self.attributes.get(name)
        return next(iter(values)) if values and len(values) == 1 else None


def module_name(path: PurePosixPath) -> str:
    parts = list(path.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _call_name(func: ast.expr) -> tuple[str, str]:
    """(last name, dotted name) of a call target: ``transformers.AutoModel.from_pretrained``."""
    parts: list[str] = []
    node = func
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif isinstance(node, ast.Call):
        parts.append(_call_name(node.func)[0])
    dotted = ".".join(reversed(parts))
    return (parts[0] if parts else "", dotted)


def _const(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _flag_dest(call: ast.Call) -> str | None:
    """``add_argument("--model-id", ...)`` / ``click.option("--model")`` -> ``model_id``."""
    flags = [c for c in (_const(a) for a in call.args) if c]
    for keyword in call.keywords:
        if keyword.arg == "dest" and _const(keyword.value):
            return _const(keyword.value)
    longs = [f for f in flags if f.startswith("--")] or flags
    return longs[0].lstrip("-").replace("-", "_") if longs else None


def _default_of(call: ast.Call) -> ast.expr | None:
    """The default a parser option or field declares: ``default=``, or typer's first argument."""
    for keyword in call.keywords:
        if keyword.arg in ("default", "default_factory"):
            return keyword.value
    last, _ = _call_name(call.func)
    if last in ("Option", "Argument") and call.args and _const(call.args[0]) is not None \
            and not str(_const(call.args[0])).startswith("-"):
        return call.args[0]
    return None


def _params(arguments: ast.arguments) -> list[str]:
    names = [a.arg for a in arguments.posonlyargs + arguments.args]
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


def all_statements(tree: ast.Module) -> list[ast.stmt]:
    """Every statement of ``tree``, breadth-first through compound statements' bodies (never
    into expressions: far fewer nodes than a full walk), kept for the later passes."""
    statements = getattr(tree, "_riskcheck_statements", None)
    if statements is None:
        statements, queue = [], deque(tree.body)
        while queue:
            statement = queue.popleft()
            statements.append(statement)
            for name in ("body", "orelse", "finalbody", "handlers", "cases"):
                nested = getattr(statement, name, None)
                if isinstance(nested, list):
                    for item in nested:
                        if isinstance(item, ast.stmt):
                            queue.append(item)
                        elif hasattr(item, "body"):  # except handlers, match cases
                            queue.extend(s for s in item.body if isinstance(s, ast.stmt))
        tree._riskcheck_statements = statements  # type: ignore[attr-defined]
    return statements


def _statement_calls(statement: ast.stmt) -> list[ast.Call]:
    """Calls a statement makes directly (``parser.add_argument(...)``) and its decorators."""
    calls = [d for d in getattr(statement, "decorator_list", ()) if isinstance(d, ast.Call)]
    value = getattr(statement, "value", None)
    if isinstance(value, ast.Call):
        calls.append(value)
    return calls


def index_module(tree: ast.Module) -> ModuleIndex:
    """Module constants, attribute defaults and signatures, without following any flow."""
    index = ModuleIndex()
    defaults: dict[str, str] = {}
    for statement in tree.body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            value = _simple_value(statement.value, index.constants)
            for target in targets:
                if isinstance(target, ast.Name) and value is not None:
                    index.constants[target.id] = value
    for node in all_statements(tree):
        for call in _statement_calls(node):
            last, _ = _call_name(call.func)
            if last in ("add_argument", "option", "Option", "argument"):
                dest, default = _flag_dest(call), _default_of(call)
                value = _simple_value(default, index.constants)
                if dest and value is not None:
                    index.attributes.setdefault(dest, value)
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, (ast.Assign, ast.AnnAssign)):
                    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                    value = _simple_value(statement.value, index.constants)
                    for target in targets:
                        if isinstance(target, ast.Name) and value is not None:
                            index.attributes[target.id] = value
                elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                        and statement.name == "__init__":
                    index.signatures[node.name] = _params(statement.args)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            index.signatures.setdefault(node.name, _params(node.args))
            # Functions come before their bodies in a breadth-first walk: their parameter
            # defaults are known when ``self.x = param`` is met.
            defaults.update(_param_defaults(node.args, index.constants))
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Attribute) \
                and isinstance(node.targets[0].value, ast.Name) and node.targets[0].value.id == "self":
            value = _simple_value(node.value, index.constants)
            if value is None and isinstance(node.value, ast.Name):
                value = defaults.get(node.value.id)
            if value is not None:
                index.attributes.setdefault(node.targets[0].attr, value)
    return index


def _simple_value(node: ast.expr | None, constants: dict[str, str]) -> str | None:
    """A string a node holds without flow analysis: literal, known constant, getenv default,
    ``Field(default=...)``."""
    if node is None:
        return None
    text = _const(node)
    if text is not None:
        return text
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.Call):
        last, dotted = _call_name(node.func)
        if (dotted.endswith(("getenv", "environ.get")) or last == "get") and len(node.args) >= 2:
            return _simple_value(node.args[1], constants)
        if last in ("Field", "field", "attrib", "ib", "Option", "Argument"):
            return _simple_value(_default_of(node), constants)
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        for value in node.values:
            found = _simple_value(value, constants)
            if found is not None:
                return found
    return None


def _param_defaults(arguments: ast.arguments, constants: dict[str, str]) -> dict[str, str]:
    positional = arguments.posonlyargs + arguments.args
    pairs = list(zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults))
    pairs += [(a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is not None]
    found = {}
    for arg, default in pairs:
        value = _simple_value(default, constants)
        if value is not None:
            found[arg.arg] = value
    return found


@dataclass
class _Scope:
    strings: dict[str, str]
    clients: dict[str, tuple[str | None, str | None]]
    """Variable -> (base_url, provider) for SDK client objects."""
    params: set[str] = field(default_factory=set)


class PythonDetector(Detector):
    """Transformers, sentence-transformers, hub downloads, PEFT, LangChain, LlamaIndex,
    LiteLLM, vLLM, Ollama, OpenAI-compatible SDK clients, and model-named settings."""

    name = "python"
    project_wide = True
    """The scanner calls :meth:`index` on every claimed file before any :meth:`detect`."""

    def __init__(self) -> None:
        self.project = ProjectIndex()
        self._trees: dict[str, tuple[ast.Module, list[int] | None]] = {}

    def claims(self, path: PurePosixPath) -> bool:
        """Python source files and Jupyter notebooks."""
        return path.suffix in (".py", ".pyw", ".ipynb")

    def _parse(self, path: PurePosixPath, text: str) -> tuple[ast.Module, list[int] | None]:
        cached = self._trees.pop(str(path), None)
        if cached is not None:
            return cached
        if path.suffix == ".ipynb":
            source, line_map = notebook_code(text)
            try:
                return ast.parse(source, filename=str(path)), line_map
            except (SyntaxError, ValueError):
                raise DetectorError("notebook code does not parse") from None
            except (MemoryError, RecursionError):
                raise DetectorError("nested too deeply to parse") from None
        try:
            return ast.parse(text, filename=str(path)), None
        except (SyntaxError, ValueError) as exc:
            line = getattr(exc, "lineno", None)
            raise DetectorError(f"Python syntax error{f' on line {line}' if line else ''}") from None
        except (MemoryError, RecursionError):
            # CPython's parser gives up on ``x = ----...-1`` or 5,000 nested brackets with
            # MemoryError or RecursionError: the file is skipped, the scan goes on.
            raise DetectorError("nested too deeply to parse") from None

    def index(self, path: PurePosixPath, text: str) -> None:
        """First pass: record what this module offers to the others (within the time budget)."""
        if self.project.spent > PROJECT_INDEX_BUDGET_SECONDS or len(text) > MAX_INDEXED_BYTES \
                or not (_mentions(text, VALUE_WORDS) or HUB_ID.search(text)):
            return
        started = time.perf_counter()
        try:
            tree = self._parse(path, text)
            module = index_module(tree[0])
        except (DetectorError, RecursionError):
            return
        finally:
            self.project.spent += time.perf_counter() - started
        self._trees[str(path)] = tree
        self.project.add(module_name(path), module)
        for name, value in module.attributes.items():
            self.project.attributes.setdefault(name, set()).add(value)
        for name, params in module.signatures.items():
            self.project.signatures.setdefault(name, params)

    def detect(self, path: PurePosixPath, text: str) -> Iterator[FoundReference]:
        """Parse (or reuse the first pass's tree) and walk the module."""
        if not _mentions(text, NAMING_WORDS):
            self._trees.pop(str(path), None)
            return
        tree, line_map = self._parse(path, text)
        lines = text.splitlines()
        module = _Scope(strings={}, clients={})
        walker = _Walker(path, lines, module, self.project, line_map)
        walker.imports(tree)
        _collect(tree.body, module, walker)
        found: dict[tuple[str, int], FoundReference] = {}
        for reference in walker.run(tree):
            key = (reference.id, reference.line)
            if key not in found or _RANK[reference.confidence] > _RANK[found[key].confidence]:
                found[key] = reference
        yield from sorted(found.values(), key=lambda r: (r.line, r.column))
        if line_map is not None:
            yield from _notebook_commands(path, text)


_RANK = {"low": 0, "medium": 1, "high": 2}


def notebook_code(text: str) -> tuple[str, list[int]]:
    """The code cells of a notebook as one module, and the file line of each module line.

    IPython magics and shell escapes (``%``, ``!``) become blank lines; a cell that does not
    parse on its own is left out, so one broken cell does not hide the others.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DetectorError(f"invalid notebook JSON on line {exc.lineno}") from None
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        raise DetectorError("not a Jupyter notebook")
    code_lines: list[str] = []
    line_map: list[int] = []
    position = 0
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source")
        parts = source if isinstance(source, list) else str(source or "").splitlines(True)
        cell_lines: list[str] = []
        cell_map: list[int] = []
        for part in "".join(str(p) for p in parts).splitlines():
            encoded = json.dumps(part, ensure_ascii=False)[1:-1]
            found = text.find(encoded, position) if encoded else -1
            if found < 0:
                found = text.find(json.dumps(part)[1:-1], position) if part else -1
            if found >= 0:
                position = found
            cell_map.append(text.count("\n", 0, max(position, 0)) + 1)
            stripped = part.lstrip()
            cell_lines.append("" if stripped.startswith(("%", "!")) else part)
        try:
            ast.parse("\n".join(cell_lines))
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            continue
        code_lines.extend(cell_lines)
        line_map.extend(cell_map)
    return "\n".join(code_lines), line_map


def _notebook_commands(path: PurePosixPath, text: str) -> Iterator[FoundReference]:
    """Shell escapes in notebooks (``!ollama pull x``, ``!python train.py --model_name_or_path x``)."""
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip().strip(",").strip('"')
        if not stripped.startswith("!"):
            continue
        try:
            command = json.loads(f'"{stripped}"')
        except json.JSONDecodeError:
            continue
        command = command[1:].strip().rstrip("\\").strip()
        for hit in command_hits(command, serving_context=False):
            yield FoundReference(id=hit.value.strip("'\""), path=str(path), line=number,
                                 column=max(raw.find(hit.value), 0) + 1,
                                 detector=f"python:notebook {hit.how}", confidence="high",
                                 text=raw.strip()[:200], usage=hit.usage)  # type: ignore[arg-type]
        words = command.split()
        for flag, value in zip(words, words[1:]):
            value = value.strip("'\"")
            if flag.startswith("--") and model_named(flag) and looks_like_model_reference(value) \
                    and "/" in value:
                yield FoundReference(id=value, path=str(path), line=number,
                                     column=max(raw.find(value), 0) + 1,
                                     detector=f"python:notebook flag {flag}", confidence="medium",
                                     text=raw.strip()[:200])


def _collect(body: list[ast.stmt], scope: _Scope, walker: _Walker) -> None:
    """Record string assignments (also inside ``if``/``try``/``with``/loops, the last one
    winning) and SDK client constructions in ``body``."""
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            value = statement.value
            for target in targets:
                if not isinstance(target, ast.Name) or value is None:
                    continue
                text = walker.value(value, scope)
                if text is not None:
                    scope.strings.setdefault(target.id, text[0])
                elif isinstance(value, ast.Call):
                    last, _ = _call_name(value.func)
                    if last in CLIENT_CLASSES:
                        scope.clients[target.id] = _client_target(value, last, scope, walker)
        for inner in ("body", "orelse", "finalbody", "handlers"):
            nested = getattr(statement, inner, None)
            if isinstance(nested, list) and nested and isinstance(nested[0], (ast.stmt, ast.excepthandler)):
                _collect([s for n in nested for s in (n.body if isinstance(n, ast.excepthandler) else [n])],
                         scope, walker)


def _client_target(call: ast.Call, cls: str, scope: _Scope, walker: _Walker) -> tuple[str | None, str | None]:
    base_url = None
    for keyword in call.keywords:
        if keyword.arg in BASE_URL_KEYWORDS:
            value = walker.value(keyword.value, scope)
            if value:
                base_url = value[0]
    provider = {"OpenAI": "openai", "AsyncOpenAI": "openai", "AzureOpenAI": "azure",
                "AsyncAzureOpenAI": "azure", "Anthropic": "anthropic", "Mistral": "mistral",
                "Groq": "groq", "Together": "together_ai", "ZhipuAI": "zhipuai"}.get(cls)
    if base_url:
        provider = None  # the base URL, not the SDK, says who serves the model
    return base_url, provider


class _Walker:
    def __init__(self, path: PurePosixPath, lines: list[str], module: _Scope, project: ProjectIndex,
                 line_map: list[int] | None) -> None:
        self.path = path
        self.lines = lines
        self.module = module
        self.project = project
        self.line_map = line_map
        self.imported: dict[str, str] = {}
        """Local name -> value of a constant imported from another module of the repository."""
        self.modules: dict[str, ModuleIndex] = {}
        """Local alias -> an imported module of the repository."""
        self.own = project.modules.get(module_name(path)) or ModuleIndex()
        self.signatures: dict[str, list[str]] = {}

    # -- resolution -------------------------------------------------------------------------
    def imports(self, tree: ast.Module) -> None:
        package = module_name(self.path).split(".")[:-1]
        for node in all_statements(tree):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package[:len(package) - (node.level - 1)] if node.level > 1 else package
                    base = ".".join([*anchor, base] if base else anchor)
                source = self.project.module(base) if base else None
                for alias in node.names:
                    local = alias.asname or alias.name
                    if source is not None and alias.name in source.constants:
                        self.imported[local] = source.constants[alias.name]
                    elif source is not None and alias.name in source.signatures:
                        self.signatures[local] = source.signatures[alias.name]
                    else:
                        sub = self.project.module(f"{base}.{alias.name}" if base else alias.name)
                        if sub is not None:
                            self.modules[local] = sub
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    sub = self.project.module(alias.name)
                    if sub is not None:
                        self.modules[alias.asname or alias.name] = sub

    def value(self, node: ast.expr | None, scope: _Scope) -> tuple[str, Confidence] | None:
        """The string ``node`` evaluates to when the code runs with its defaults."""
        if node is None:
            return None
        text = _const(node)
        if text is not None:
            return text, "high"
        if isinstance(node, ast.Name):
            for table in (scope.strings, self.module.strings):
                if node.id in table:
                    return table[node.id], "high"
            if node.id in self.imported:
                return self.imported[node.id], "medium"
            if node.id in self.own.constants:
                return self.own.constants[node.id], "high"
            return None
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id in self.modules:
                found = self.modules[node.value.id].constants.get(node.attr)
                return (found, "medium") if found is not None else None
            found = self.own.attributes.get(node.attr) or self.project.attribute(node.attr)
            return (found, "medium") if found is not None else None
        if isinstance(node, ast.JoinedStr):
            parts = []
            for v in node.values:
                if isinstance(v, ast.Constant):
                    parts.append(str(v.value))
                elif isinstance(v, ast.FormattedValue):
                    # Only names bound in this module: an attribute looked up in the project
                    # table is too loose to build a new id from.
                    resolved = self.value(v.value, scope) if isinstance(v.value, ast.Name) else None
                    if resolved is None:
                        return None
                    parts.append(resolved[0])
            return "".join(parts), "medium"
        if isinstance(node, ast.Call):
            last, dotted = _call_name(node.func)
            # os.getenv("X", "default") / os.environ.get("X", "default") / cfg.get("k", "d"):
            # the default is used whenever the setting is absent.
            if (dotted.endswith(("getenv", "environ.get")) or last == "get") and len(node.args) >= 2:
                value = self.value(node.args[1], scope)
                return (value[0], "medium") if value else None
            if last in ("Field", "field", "attrib", "ib", "Option", "Argument"):
                value = self.value(_default_of(node), scope)
                return (value[0], "medium") if value else None
            return None
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            for item in node.values:
                found = self.value(item, scope)
                if found is not None:
                    return found[0], "medium"
        if isinstance(node, ast.IfExp):
            found = self.value(node.body, scope) or self.value(node.orelse, scope)
            return (found[0], "medium") if found else None
        return None

    def values(self, node: ast.expr | None, scope: _Scope) -> list[tuple[ast.expr, str, Confidence]]:
        """Every string a node can hold: lists, tuples and sets of them, both branches of a
        conditional expression."""
        if node is None:
            return []
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return [found for item in node.elts for found in self.values(item, scope)]
        if isinstance(node, ast.Dict):
            # A table {"openai": "gpt-4o-mini", "groq": "llama-3.1-8b"}: only flat string tables;
            # a nested settings dict is read key by key instead.
            if node.values and all(_const(v) is not None for v in node.values):
                return [found for item in node.values for found in self.values(item, scope)]
            return []
        if isinstance(node, ast.IfExp):
            return self.values(node.body, scope) + self.values(node.orelse, scope)
        if isinstance(node, ast.Name) and isinstance(self.own_literals.get(node.id), ast.expr) \
                and not isinstance(self.own_literals[node.id], ast.Name):
            return self.values(self.own_literals[node.id], scope)
        found = self.value(node, scope)
        return [(node, found[0], found[1])] if found else []

    # -- walking ----------------------------------------------------------------------------
    def run(self, tree: ast.Module) -> Iterator[FoundReference]:
        self.own_literals: dict[str, ast.expr] = {
            t.id: s.value for s in tree.body if isinstance(s, ast.Assign)
            for t in s.targets if isinstance(t, ast.Name) and isinstance(s.value, (ast.List, ast.Tuple, ast.Set, ast.Dict))}
        for node in all_statements(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if isinstance(node, ast.ClassDef) and node.name not in self.signatures:
                    init = next((s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                                 and s.name == "__init__"), None)
                    if init is not None:
                        self.signatures[node.name] = _params(init.args)
                elif not isinstance(node, ast.ClassDef):
                    self.signatures.setdefault(node.name, _params(node.args))
        yield from self._visit(tree.body, self.module)

    def _visit(self, body: list[ast.stmt], scope: _Scope) -> Iterator[FoundReference]:
        for statement in body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for decorator in statement.decorator_list:  # @click.option("--model", default=...)
                    for node in ast.walk(decorator):
                        if isinstance(node, ast.Call):
                            yield from self._call(node, scope)
                inner = _Scope(strings=dict(_param_defaults_scope(statement.args, scope, self)),
                               clients=dict(scope.clients))
                inner.params = {a.arg for a in statement.args.args + statement.args.kwonlyargs}
                yield from self._parameters(statement.args, scope)
                _collect(statement.body, inner, self)
                yield from self._visit(statement.body, inner)
                continue
            if isinstance(statement, ast.ClassDef):
                yield from self._visit(statement.body, scope)
                continue
            for node in _walk_here(statement):
                if isinstance(node, ast.Call):
                    yield from self._call(node, scope)
                elif isinstance(node, ast.Dict):
                    yield from self._litellm_dict(node, scope)
                    yield from self._dict(node, scope)
                elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                    yield from self._assignment(node, scope)
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    yield from self._visit([node], scope)

    def _found(self, node: ast.expr, value: str, confidence: Confidence, usage: str,
               base_url: str | None = None, provider: str | None = None,
               evidence: str = "") -> Iterator[FoundReference]:
        value = value.strip()
        if not looks_like_model_id(value):
            return
        if confidence != "high" and not evidence.startswith(("call ", "litellm")) \
                and not looks_like_model_reference(value):
            confidence = "low"  # no model call, and does not look like a model
        line = getattr(node, "lineno", 1)
        column = getattr(node, "col_offset", 0) + 1
        if self.line_map is not None:
            line = self.line_map[line - 1] if 0 < line <= len(self.line_map) else 1
            column = max(self.lines[line - 1].find(value), 0) + 1 if 0 < line <= len(self.lines) else 1
        text = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        yield FoundReference(id=value, path=str(self.path), line=line, column=column,
                             detector=f"python:{evidence}" if evidence else "python",
                             confidence=confidence, text=text[:200], usage=usage,  # type: ignore[arg-type]
                             base_url=base_url, provider=provider)

    def _keyed(self, node: ast.expr | None, scope: _Scope, evidence: str) -> Iterator[FoundReference]:
        """Values under a model-named name: reported when they look like model references."""
        for where, value, _ in self.values(node, scope):
            if looks_like_model_reference(value):
                yield from self._found(where, value, "medium", "unknown", evidence=evidence)

    def _assignment(self, node: ast.Assign | ast.AnnAssign, scope: _Scope) -> Iterator[FoundReference]:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            name = target.id if isinstance(target, ast.Name) else target.attr \
                if isinstance(target, ast.Attribute) else _const(target.slice) \
                if isinstance(target, ast.Subscript) else None
            if name and model_named(name):
                value = node.value
                if isinstance(value, ast.Call) and _const(_default_of(value)) is not None:
                    value = _default_of(value)  # model_id = Prompt.ask("Model", default="org/name")
                yield from self._keyed(value, scope, f"name {name}")

    def _dict(self, node: ast.Dict, scope: _Scope) -> Iterator[FoundReference]:
        for key, value in zip(node.keys, node.values):
            name = _const(key)
            if name and model_named(name):
                yield from self._keyed(value, scope, f"key {name}")

    def _parameters(self, arguments: ast.arguments, scope: _Scope) -> Iterator[FoundReference]:
        positional = arguments.posonlyargs + arguments.args
        pairs = list(zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults))
        pairs += [(a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is not None]
        for arg, default in pairs:
            if model_named(arg.arg):
                yield from self._keyed(default, scope, f"parameter {arg.arg}")

    def _argument(self, call: ast.Call, position: int | None, keywords: tuple[str, ...]) -> ast.expr | None:
        for keyword in call.keywords:
            if keyword.arg in keywords:
                return keyword.value
        if position is not None and len(call.args) > position:
            return call.args[position]
        return None

    def _call(self, call: ast.Call, scope: _Scope) -> Iterator[FoundReference]:
        known = list(self._known_call(call, scope))
        yield from known
        consumed = {r.line for r in known}
        last, _ = _call_name(call.func)
        # Options and fields that declare a model-named setting with a default.
        if last in ("add_argument", "option", "Option", "argument", "StringVar"):
            dest = _flag_dest(call)
            if dest and model_named(dest):
                yield from self._keyed(_default_of(call), scope, f"option {dest}")
        # cfg.get("model", "default"), safe_get(req, "model", "default")
        for i, arg in enumerate(call.args[:-1]):
            key = _const(arg)
            if key and model_named(key) and "get" in last.casefold() and i == len(call.args) - 2:
                yield from self._keyed(call.args[i + 1], scope, f"default of {key}")
                break
        for keyword in call.keywords:
            if keyword.arg and model_named(keyword.arg):
                for where, value, _ in self.values(keyword.value, scope):
                    if getattr(where, "lineno", 0) not in consumed and looks_like_model_reference(value):
                        yield from self._found(where, value, "medium", "unknown",
                                               evidence=f"argument {keyword.arg}=")
        # A call of the project's own function or class: a positional argument bound to a
        # model-named parameter (``Embedder("org/name")`` with ``def __init__(self, model_name)``).
        params = self.signatures.get(last) or self.project.signatures.get(last)
        if params and isinstance(call.func, (ast.Name, ast.Attribute)):
            for param, arg in zip(params, call.args):
                if model_named(param) and not isinstance(arg, ast.Starred):
                    for where, value, _ in self.values(arg, scope):
                        if looks_like_model_reference(value):
                            yield from self._found(where, value, "medium", "unknown",
                                                   evidence=f"parameter {param} of {last}")

    def _known_call(self, call: ast.Call, scope: _Scope) -> Iterator[FoundReference]:
        last, dotted = _call_name(call.func)
        evidence = f"call {last}"
        if any(k.arg == "repo_type" and _const(k.value) in NOT_MODEL_REPO_TYPES for k in call.keywords):
            return
        if last == "from_pretrained" and dotted.split(".")[0].startswith(("PeftModel", "PeftMixed")):
            node = self._argument(call, 1, ("model_id",))  # PeftModel.from_pretrained(base, adapter)
            yield from self._emit(node, scope, "self-hosted", evidence=evidence)
            return
        if last == "pipeline" and not any(k.arg == "model" for k in call.keywords) and len(call.args) < 2:
            return
        if last in LIBRARY_DEFAULTS and not call.args and not any(
                k.arg in LIBRARY_DEFAULTS[last][1] or k.arg is None for k in call.keywords):
            # The class picks its vendor's default model when the code names none.
            model, _ = LIBRARY_DEFAULTS[last]
            yield from self._found(call, model, "low", "api" if "/" not in model else "self-hosted",
                                   evidence=f"default model of {last}")
            return
        if dotted in SELF_HOSTED_CALLS or last in SELF_HOSTED_CALLS:
            position, keywords = SELF_HOSTED_CALLS.get(dotted) or SELF_HOSTED_CALLS[last]
            if last == "LLM" and not dotted.startswith(("LLM", "vllm")):
                return
            yield from self._emit(self._argument(call, position, keywords), scope, "self-hosted",
                                  evidence=evidence)
            return
        if last in ("chat", "generate", "embed", "embeddings", "pull") and dotted.startswith("ollama."):
            yield from self._emit(self._argument(call, 0, ("model",)), scope, "self-hosted",
                                  evidence=evidence)
            return
        if last in API_CALLS and (last[0].isupper() or dotted.startswith("litellm.") or dotted == last):
            position, keywords, provider = API_CALLS[last]
            if last in ("embedding", "aembedding", "completion", "acompletion", "text_completion") \
                    and not dotted.startswith("litellm") and dotted != last:
                return
            base_url = None
            for keyword in call.keywords:
                if keyword.arg in BASE_URL_KEYWORDS:
                    value = self.value(keyword.value, scope)
                    if value:
                        base_url, provider = value[0], None
            yield from self._emit(self._argument(call, position, keywords), scope, "api",
                                  base_url=base_url, provider=provider, evidence=evidence)
            return
        if last in CLIENT_METHODS and isinstance(call.func, ast.Attribute):
            root = call.func
            while isinstance(root, ast.Attribute):
                root = root.value  # type: ignore[assignment]
            if isinstance(root, ast.Name) and root.id in scope.clients:
                base_url, provider = scope.clients[root.id]
                yield from self._emit(self._argument(call, None, ("model",)), scope, "api",
                                      base_url=base_url, provider=provider, evidence=evidence)

    def _emit(self, node: ast.expr | None, scope: _Scope, usage: str, *,
              base_url: str | None = None, provider: str | None = None,
              evidence: str = "") -> Iterator[FoundReference]:
        for where, value, confidence in self.values(node, scope):
            yield from self._found(node if where is node else where, value, confidence, usage,
                                   base_url, provider, evidence)

    def _litellm_dict(self, node: ast.Dict, scope: _Scope) -> Iterator[FoundReference]:
        """``{"litellm_params": {"model": ..., "api_base": ...}}`` entries of a Router model list."""
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and key.value == "litellm_params" and isinstance(value, ast.Dict):
                params = {k.value: v for k, v in zip(value.keys, value.values)
                          if isinstance(k, ast.Constant) and isinstance(k.value, str)}
                base = self.value(params.get("api_base"), scope)
                yield from self._emit(params.get("model"), scope, "api",
                                      base_url=base[0] if base else None, evidence="litellm model_list")


def _param_defaults_scope(arguments: ast.arguments, scope: _Scope, walker: _Walker) -> dict[str, str]:
    """Parameters with string defaults (``def load(path=MODEL)``) name the model when the
    caller passes nothing, the common case for loaders."""
    positional = arguments.posonlyargs + arguments.args
    pairs = list(zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults))
    pairs += [(a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is not None]
    found = {}
    for arg, default in pairs:
        value = walker.value(default, scope)
        if value is not None:
            found[arg.arg] = value[0]
    return found


def _walk_here(statement: ast.stmt) -> Iterator[ast.AST]:
    """Nodes of ``statement`` without descending into nested functions and classes (those are
    yielded themselves, to be visited with their own scope)."""
    stack: list[ast.AST] = [statement]
    while stack:
        node = stack.pop()
        yield node
        for child in reversed(list(ast.iter_child_nodes(node))):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                if not isinstance(child, ast.Lambda):
                    yield child
                continue
            stack.append(child)
