"""``.env`` files: ``*_MODEL=`` settings, paired with the ``*_BASE_URL=`` that says who serves them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from riskcheck.scan.interface import Detector, FoundReference
from riskcheck.scan.patterns import (looks_like_model_id, looks_like_model_reference, model_named,
                                     strip_quotes)

LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$")
MODEL_KEY = re.compile(r"^(?:(?P<prefix>[A-Z0-9_]+?)_)?(?:MODEL|MODEL_ID|MODEL_NAME|LLM_MODEL|"
                       r"CHAT_MODEL|EMBEDDING_MODEL|EMBED_MODEL|DEPLOYMENT_NAME)$", re.I)
URL_KEY = re.compile(r"^(?:(?P<prefix>[A-Z0-9_]+?)_)?(?:BASE_URL|API_BASE|API_BASE_URL|ENDPOINT|"
                     r"API_URL|HOST)$", re.I)


def is_dotenv(path: PurePosixPath) -> bool:
    """``.env``, ``.env.local``, ``prod.env``, ``.env.example`` ..."""
    name = path.name.casefold()
    return name == ".env" or name.startswith(".env.") or name.endswith(".env")


def is_model_setting(key: str, value: str) -> bool:
    """``*_MODEL``/``MODEL_ID``-style keys with an id-like value, or any other model-named key
    (``RERANKER``, ``EMBEDDING_MODEL_NAME``, ``LLM_MODEL_PATH``) whose value looks like a model."""
    if MODEL_KEY.match(key):
        return looks_like_model_id(value)
    return model_named(key) and looks_like_model_reference(value)


def pair_settings(values: dict[str, tuple[int, int, str]]) -> Iterator[tuple[str, int, int, str, str | None]]:
    """(key, line, column, model, base_url) for every model setting, with the base URL that
    shares its prefix (``OPENAI_MODEL`` + ``OPENAI_BASE_URL``), or the only one in the file."""
    urls = {}
    for key, (_, _, value) in values.items():
        match = URL_KEY.match(key)
        if match and value.startswith(("http://", "https://")):
            urls[(match.group("prefix") or "").upper()] = value
    for key, (line, column, value) in values.items():
        if not is_model_setting(key, value):
            continue
        prefix = key.upper().split("_")[0] if "_" in key else ""
        match = MODEL_KEY.match(key)
        if match:
            prefix = (match.group("prefix") or "").upper()
        for probe in (prefix, prefix.split("_")[0]):
            if probe in urls:
                base = urls[probe]
                break
        else:
            base = next(iter(urls.values())) if len(urls) == 1 else None
        yield key, line, column, value, base


class DotenvDetector(Detector):
    """Model settings in environment files."""

    name = "dotenv"

    def claims(self, path: PurePosixPath) -> bool:
        """Environment files."""
        return is_dotenv(path)

    def detect(self, path: PurePosixPath, text: str) -> Iterator[FoundReference]:
        """Read ``KEY=value`` lines; comments are skipped."""
        values: dict[str, tuple[int, int, str]] = {}
        lines = text.splitlines()
        for number, raw in enumerate(lines, 1):
            if raw.lstrip().startswith("#"):
                continue
            match = LINE.match(raw)
            if match:
                value = strip_quotes(match.group(2).split(" #")[0])
                values[match.group(1)] = (number, raw.find(value) + 1 if value else 1, value)
        for key, line, column, model, base in pair_settings(values):
            yield FoundReference(id=model, path=str(path), line=line, column=column,
                                 detector=f"{self.name}:{key}",
                                 confidence="high" if MODEL_KEY.match(key) else "medium",
                                 text=lines[line - 1].strip()[:200],
                                 usage="api" if base else "unknown", base_url=base)
