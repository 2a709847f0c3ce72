"""Hugging Face model cards: the ``base_model`` of a README's YAML front matter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

import yaml

from riskcheck.scan.interface import Detector, DetectorError, FoundReference
from riskcheck.scan.patterns import looks_like_model_id


class ModelCardDetector(Detector):
    """A fine-tuned or quantised model kept in the repository names its upstream here."""

    name = "model-card"

    def claims(self, path: PurePosixPath) -> bool:
        """README.md files (only those with front matter are model cards)."""
        return path.name.casefold() == "readme.md"

    def detect(self, path: PurePosixPath, text: str) -> Iterator[FoundReference]:
        """Parse the front matter and report every ``base_model`` entry."""
        lines = text.lstrip("\ufeff").splitlines()
        if not lines or lines[0].strip() != "---":
            return
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            return
        try:
            node = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            raise DetectorError(f"invalid model-card front matter: {str(exc).splitlines()[0]}") from None
        if not isinstance(node, yaml.MappingNode):
            return
        for key, value in node.value:
            if not (isinstance(key, yaml.ScalarNode) and key.value == "base_model"):
                continue
            items = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for item in items:
                if isinstance(item, yaml.ScalarNode) and looks_like_model_id(str(item.value)):
                    line = item.start_mark.line + 2  # +1 for 1-based, +1 for the opening ---
                    yield FoundReference(id=str(item.value), path=str(path), line=line,
                                         column=item.start_mark.column + 1, detector=self.name,
                                         confidence="high", text=lines[line - 1].strip()[:200],
                                         usage="self-hosted")
