"""The resolution use case: model references in, who made and serves each model out."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from riskcheck.errors import InputError
from riskcheck.model import ModelRef, Resolution

USAGES = ("self-hosted", "api", "unknown")

_SELF_EVIDENT = ("huggingface", "ollama", "local-file", "litellm", "openrouter")
"""Reference syntaxes that already name their provider: a shared --provider does not apply
to them when several references are resolved at once (--base-url applies to every one)."""


def hub_offline(offline: bool) -> bool:
    """``offline``, or the Hugging Face tools' own ``HF_HUB_OFFLINE`` switch (air-gapped sites
    already set it; honouring it keeps them from waiting on Hub timeouts)."""
    return offline or os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes")


def references(models: Sequence[str | ModelRef], *, usage: str = "unknown",
               base_url: str | None = None, provider: str | None = None) -> list[ModelRef]:
    """:class:`ModelRef` for each text as a project writes it, with the serving details."""
    from riskcheck.local_hosts import is_local_base_url
    from riskcheck.resolution.references import parse_ref

    if usage not in USAGES:
        raise InputError(f"unknown --usage {usage!r}", hint="use self-hosted, api or unknown")
    refs = []
    for item in models:
        if isinstance(item, ModelRef):
            refs.append(item)
            continue
        # The base URL is where the calls go, whatever the reference's syntax; a provider only
        # fills in for references that do not name one themselves.
        applies = len(models) == 1 or parse_ref(item).kind not in _SELF_EVIDENT
        # A local or private base URL means the weights run on the project's own machines.
        ref_usage = ("self-hosted" if usage == "unknown" and not provider
                     and is_local_base_url(base_url) else usage)
        refs.append(ModelRef(id=item, usage=ref_usage,  # type: ignore[arg-type]
                             base_url=base_url, provider=provider if applies else None))
    return refs


def resolve(models: Sequence[str | ModelRef], *, offline: bool = False,
            data_dir: Path | None = None, usage: str = "unknown", base_url: str | None = None,
            provider: str | None = None) -> list[Resolution]:
    """Resolve each model reference to its vendor, lineage, owners and serving party."""
    from riskcheck.paths import cache_root
    from riskcheck.resolution.resolver import build_resolver

    refs = references(models, usage=usage, base_url=base_url, provider=provider)
    resolver = build_resolver(offline=hub_offline(offline), cache_dir=cache_root(data_dir))
    return list(resolver.resolve_all(refs))


__all__ = ["hub_offline", "references", "resolve"]
