"""Go sources: string constants and variables with model-named names, and flag defaults.

``defaultModel = "gemini-1.5-flash-latest"`` in a ``const`` block, ``Model: "gpt-4o"`` in a struct
literal, and ``cmd.Flags().StringVar(&model, "model", "gpt-4o", ...)`` are what Go programs use
to pick a model; the value must look like a model reference (medium confidence).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from riskcheck.scan.interface import Detector, FoundReference
from riskcheck.scan.javascript import strip_comments
from riskcheck.scan.patterns import looks_like_model_reference, model_named

ASSIGNED = re.compile(r"""\b([A-Za-z_]\w*)\s*(?::=|=|:)\s*(["`])([^"`\s]+)\2""")
FLAG = re.compile(r"""(?:\.|^\s*)(String|StringVar|StringP|StringVarP|StringSlice|StringSliceVar)\(([^()]*)\)""")
STRING = re.compile(r'"([^"\\]*)"')
# Position of the flag name and of its default among the string arguments of each form.
FLAG_ARGS = {"String": (0, 1), "StringVar": (0, 1), "StringP": (0, 2), "StringVarP": (0, 2),
             "StringSlice": (0, 1), "StringSliceVar": (0, 1)}


class GoDetector(Detector):
    """Model names in Go constants, variables, struct fields and command-line flag defaults."""

    name = "go"

    def claims(self, path: PurePosixPath) -> bool:
        """Go sources (generated protobuf code excluded)."""
        return path.suffix == ".go" and not path.name.endswith((".pb.go", "_gen.go"))

    def detect(self, path: PurePosixPath, text: str) -> Iterator[FoundReference]:
        """Read the code line by line, comments removed."""
        in_block = False
        for number, raw in enumerate(text.splitlines(), 1):
            code, in_block = strip_comments(raw, in_block)
            if '"' not in code and "`" not in code:
                continue
            for match in ASSIGNED.finditer(code):
                name, value = match.group(1), match.group(3)
                if model_named(name) and looks_like_model_reference(value):
                    yield self._found(path, number, match.start(3), value, raw, f"name {name}")
            for match in FLAG.finditer(code):
                strings = STRING.findall(match.group(2))
                flag_at, default_at = FLAG_ARGS[match.group(1)]
                if len(strings) > default_at and model_named(strings[flag_at]):
                    value = strings[default_at]
                    if looks_like_model_reference(value):
                        start = code.find(f'"{value}"', match.start()) + 1
                        yield self._found(path, number, start, value, raw,
                                          f"flag --{strings[flag_at]}")

    def _found(self, path: PurePosixPath, line: int, start: int, value: str, raw: str,
               how: str) -> FoundReference:
        return FoundReference(id=value, path=str(path), line=line, column=start + 1,
                              detector=f"{self.name}:{how}", confidence="medium",
                              text=raw.strip()[:200], usage="unknown")
