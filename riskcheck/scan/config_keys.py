"""INI, ``.cfg``, ``.conf``, ``.properties`` and TOML files: model-named keys.

``embedding_model = "BAAI/bge-m3"``, ``remote_llm_model: qwen-max`` or ``models = ["a", "b"]``
under any section. Values must look like model references (medium confidence). Dependency
sections (``[tool.poetry.dependencies]``, ``install_requires``) are not read: package names
there are not models.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from riskcheck.scan.interface import Detector, FoundReference
from riskcheck.scan.patterns import looks_like_model_reference, model_named, strip_quotes

SUFFIXES = {".ini", ".cfg", ".conf", ".toml", ".properties"}
SECTION = re.compile(r"^\s*\[+\s*([^\]]+?)\s*\]+\s*$")
KEY_VALUE = re.compile(r"""^\s*["']?([A-Za-z_][\w.-]*)["']?\s*[=:]\s*(.+?)\s*$""")
ITEM = re.compile(r"""(["'])([^"']+)\1""")
NOT_CONFIG_SECTIONS = re.compile(r"dependencies|requires|extras|packages|scripts|entry.points|"
                                 r"plugins|optional|options\.install", re.I)


class ConfigKeysDetector(Detector):
    """Model settings in INI-style and TOML configuration files."""

    name = "config"

    def claims(self, path: PurePosixPath) -> bool:
        """INI-style and TOML files (lock files excluded)."""
        return path.suffix.casefold() in SUFFIXES and not path.name.endswith((".lock",))

    def detect(self, path: PurePosixPath, text: str) -> Iterator[FoundReference]:
        """Read ``key = value`` lines section by section; comments are skipped."""
        section = ""
        for number, raw in enumerate(text.splitlines(), 1):
            stripped = raw.strip()
            if not stripped or stripped.startswith(("#", ";")):
                continue
            header = SECTION.match(stripped)
            if header:
                section = header.group(1)
                continue
            if NOT_CONFIG_SECTIONS.search(section):
                continue
            match = KEY_VALUE.match(raw)
            if not match or not model_named(match.group(1).rsplit(".", 1)[-1]):
                continue
            value = match.group(2).split(" #")[0].split(" ;")[0].strip()
            values = [m.group(2) for m in ITEM.finditer(value)] if value.startswith("[") \
                else [strip_quotes(value)]
            for item in values:
                if looks_like_model_reference(item):
                    yield FoundReference(id=item, path=str(path), line=number,
                                         column=max(raw.find(item), 0) + 1,
                                         detector=f"{self.name}:key {match.group(1)}",
                                         confidence="medium", text=stripped[:200])
