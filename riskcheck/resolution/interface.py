"""The resolver interface."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator

from riskcheck.model import ModelRef, Resolution


class Resolver(ABC):
    """Turns a :class:`ModelRef` into a :class:`Resolution`.

    A reference that cannot be resolved yields ``Resolution(status="unresolved", tried=...,
    hint=...)``; resolvers never raise for an unknown model.
    """

    @abstractmethod
    def resolve(self, ref: ModelRef) -> Resolution:
        """Resolve one reference."""

    def run_warnings(self) -> tuple[str, ...]:
        """What the run should be told once about how references were resolved (e.g. offline)."""
        return ()

    def resolve_all(self, refs: Iterable[ModelRef]) -> Iterator[Resolution]:
        """Resolve many references; implementations may batch network look-ups."""
        for ref in refs:
            yield self.resolve(ref)
