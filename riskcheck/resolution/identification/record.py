"""The working record of identification: vendor, lineage, confidence and what was tried."""

from __future__ import annotations

from dataclasses import dataclass, field

_RANK = {"high": 3, "medium": 2, "low": 1, "none": 0}


@dataclass
class Identity:
    """What identification found; turned into parties by the resolver."""

    vendor: str | None = None
    method: str = "none"
    confidence: str = "none"
    canonical_id: str | None = None
    family: str | None = None
    upstream: list[tuple[str, str, str | None]] = field(default_factory=list)
    """(registry id, relation, upstream model or family)."""
    reuploader: tuple[str, str, str | None] | None = None
    tried: list[str] = field(default_factory=list)
    api_name: bool = False
    """The vendor was recognised from a vendor API model name (implies API use)."""

    def cap(self, level: str) -> None:
        """Lower the confidence to at most ``level``."""
        if _RANK[self.confidence] > _RANK[level]:
            self.confidence = level

    def add_upstream(self, vendor_id: str, relation: str, model: str | None) -> None:
        """Record an upstream vendor once (never the vendor itself)."""
        if vendor_id != self.vendor and all(vendor_id != u[0] for u in self.upstream):
            self.upstream.append((vendor_id, relation, model))

    def adopt(self, inner: Identity) -> None:
        """Take over what identifying the original model (``inner``) found."""
        self.vendor, self.method, self.confidence = inner.vendor, inner.method, inner.confidence
        self.canonical_id, self.family = inner.canonical_id, inner.family
        self.upstream.extend(u for u in inner.upstream if u not in self.upstream)
        self.tried.extend(inner.tried)
