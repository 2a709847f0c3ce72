"""Shell scripts, Dockerfiles, Makefiles and Ollama Modelfiles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from riskcheck.scan.commands import SERVER_WORDS, command_hits, tokens
from riskcheck.scan.interface import Detector, FoundReference
from riskcheck.scan.patterns import expand_variables, looks_like_model_id, strip_quotes

SHELL_SUFFIXES = {".sh", ".bash", ".zsh", ".ksh", ".mk", ".dockerfile", ".containerfile"}
SHELL_NAMES = {"dockerfile", "containerfile", "makefile", "gnumakefile", "justfile", "procfile",
               "entrypoint", "docker-entrypoint"}
ASSIGNMENT = re.compile(
    r"^\s*(?:export\s+|ENV\s+|ARG\s+|readonly\s+|declare\s+(?:-\w+\s+)?)?"
    r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:\?=|:=|::=|\+=|=)\s*(.*?)\s*$"
)
DOCKER_ENV_SPACED = re.compile(r"^\s*ENV\s+([A-Za-z_][A-Za-z0-9_]*)\s+(\S.*?)\s*$")
SERVER_ENV_KEYS = {"MODEL_ID", "HF_MODEL_ID"}
FOR_LOOP = re.compile(r"(?:^|[;&|]\s*)for\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\s+(.+?)\s*(?:;\s*do\b|\s+do\b|;?\s*$)\s*(.*)$")
DONE = re.compile(r"(?:^|;\s*)done\s*;?\s*$")
MODELFILE_FROM = re.compile(r"^\s*FROM\s+(\S+)", re.I)


def is_modelfile(path: PurePosixPath) -> bool:
    """Ollama Modelfiles: ``Modelfile``, ``Modelfile.x``, ``x.Modelfile``, ``x.modelfile``."""
    name = path.name.casefold()
    return name == "modelfile" or name.startswith("modelfile.") or name.endswith(".modelfile")


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines with backslash continuations joined, numbered by their first physical line."""
    start, parts = 0, []
    for number, raw in enumerate(text.splitlines(), 1):
        if not parts:
            start = number
        stripped = raw.rstrip()
        if stripped.endswith("\\"):
            parts.append(stripped[:-1])
            continue
        parts.append(stripped)
        yield start, " ".join(parts)
        parts = []
    if parts:
        yield start, " ".join(parts)


class ShellDetector(Detector):
    """``ollama pull/run``, ``vllm serve``, ``--model``/``--model-id``, ``MODEL_ID``, hub downloads."""

    name = "shell"

    def claims(self, path: PurePosixPath) -> bool:
        """Shell-like files by suffix or well-known name."""
        name = path.name.casefold()
        return (path.suffix.casefold() in SHELL_SUFFIXES or name in SHELL_NAMES
                or name.startswith(("dockerfile.", "containerfile.")) or is_modelfile(path))

    def detect(self, path: PurePosixPath, text: str) -> Iterator[FoundReference]:
        """Expand variables line by line and apply the command rules."""
        if is_modelfile(path):
            yield from self._modelfile(path, text)
            return
        variables: dict[str, str] = {}
        loops: dict[str, list[str]] = {}
        serving_context = bool(SERVER_WORDS.search(text))
        for number, line in logical_lines(text):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            loop = FOR_LOOP.search(stripped)
            if loop:
                # for m in $MODELS; do ollama pull $m; done  (or over several lines)
                items = tokens(expand_variables(loop.group(2), variables))
                loops[loop.group(1)] = [w for i in items for w in i.split()]
                line = loop.group(3) or ""
                stripped = line.strip()
                if not stripped:
                    continue
            if DONE.match(stripped):
                loops.clear()
                continue
            used = [name for name in loops if re.search(rf"\$\{{?{name}\b", line)]
            if used:
                yield from self._loop_line(path, number, line, stripped, used[0], loops[used[0]],
                                           variables, serving_context)
                if DONE.search(stripped):
                    loops.clear()
                continue
            assignment = ASSIGNMENT.match(stripped) or DOCKER_ENV_SPACED.match(stripped)
            if assignment and not stripped.startswith(("RUN ", "CMD ", "ENTRYPOINT ")):
                name, value = assignment.group(1), strip_quotes(assignment.group(2).split(" #")[0])
                if value.startswith("(") and value.endswith(")"):
                    value = " ".join(strip_quotes(v) for v in tokens(value[1:-1]))  # a bash array
                variables[name] = expand_variables(value, variables)
                if name in SERVER_ENV_KEYS and looks_like_model_id(variables[name]):
                    # TGI and similar images read the model from this variable at start-up.
                    yield FoundReference(
                        id=variables[name], path=str(path), line=number,
                        column=max(line.find(value), 0) + 1, detector=f"{self.name}:env {name}",
                        confidence="high", text=stripped[:200], usage="self-hosted")
                    continue
            expanded = expand_variables(line, variables)
            for hit in command_hits(expanded, serving_context=serving_context):
                column = line.find(hit.value)
                yield FoundReference(
                    id=strip_quotes(hit.value), path=str(path), line=number,
                    column=column + 1 if column >= 0 else max(line.find("$") + 1, 1),
                    detector=f"{self.name}:{hit.how}",
                    confidence="high" if column >= 0 else "medium",
                    text=stripped[:200], usage=hit.usage,  # type: ignore[arg-type]
                )

    def _loop_line(self, path: PurePosixPath, number: int, line: str, stripped: str, name: str,
                   items: list[str], variables: dict[str, str],
                   serving_context: bool) -> Iterator[FoundReference]:
        """A loop body line run once per item of the loop's list."""
        use = re.search(rf"\$\{{?{name}\b", line)
        column = use.start() + 1 if use else 1
        for item in items:
            expanded = expand_variables(line, {**variables, name: item})
            hits = [hit for part in re.split(r"\s*(?:;|&&|\|\|)\s*", expanded)
                    for hit in command_hits(part, serving_context=serving_context)]
            for hit in hits:
                if hit.value.strip("'\";") != item:
                    continue
                yield FoundReference(
                    id=item, path=str(path), line=number, column=column,
                    detector=f"{self.name}:{hit.how} (loop over ${name})", confidence="high",
                    text=stripped[:200], usage=hit.usage)  # type: ignore[arg-type]

    def _modelfile(self, path: PurePosixPath, text: str) -> Iterator[FoundReference]:
        for number, line in enumerate(text.splitlines(), 1):
            match = MODELFILE_FROM.match(line)
            if match and looks_like_model_id(match.group(1)):
                yield FoundReference(id=match.group(1), path=str(path), line=number,
                                     column=match.start(1) + 1, detector="ollama:modelfile",
                                     confidence="high", text=line.strip()[:200],
                                     usage="self-hosted")
