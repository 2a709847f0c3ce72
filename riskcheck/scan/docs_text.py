"""Documentation (only with ``--include-docs``): commands and hub URLs in Markdown and text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from riskcheck.scan.commands import command_hits
from riskcheck.scan.interface import Detector, FoundReference
from riskcheck.scan.patterns import strip_quotes

DOC_SUFFIXES = {".md", ".markdown", ".rst", ".txt", ".adoc"}


class DocsDetector(Detector):
    """``ollama pull``, ``vllm serve``, ``huggingface-cli download`` and hub links in docs."""

    name = "docs"

    def claims(self, path: PurePosixPath) -> bool:
        """Documentation files."""
        return path.suffix.casefold() in DOC_SUFFIXES

    def detect(self, path: PurePosixPath, text: str) -> Iterator[FoundReference]:
        """Every line is treated as a possible command line; findings are low confidence."""
        for number, raw in enumerate(text.splitlines(), 1):
            # Inline code marks (`ollama pull x`) and prompts are not part of the command.
            for hit in command_hits(raw.replace("`", " ").strip(" >$"), serving_context=False):
                column = raw.find(hit.value)
                yield FoundReference(id=strip_quotes(hit.value), path=str(path), line=number,
                                     column=column + 1 if column >= 0 else 1,
                                     detector=f"{self.name}:{hit.how}", confidence="low",
                                     text=raw.strip()[:200], usage=hit.usage)  # type: ignore[arg-type]
