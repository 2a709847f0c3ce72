"""Fixtures for the resolution tests: the bundled registry and lineage, an offline resolver
with its own empty Hub cache, and Hub API documents in the real ``/api/models`` format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from riskcheck.resolution.lineage import Lineage, load_lineage
from riskcheck.resolution.registry import Registry, load_registry
from riskcheck.resolution.resolver import RegistryResolver, build_resolver


@pytest.fixture(scope="session")
def registry() -> Registry:
    """The bundled vendor registry."""
    return load_registry()


@pytest.fixture(scope="session")
def lineage() -> Lineage:
    """The bundled ``lists/lineage.yaml``."""
    return load_lineage()


@pytest.fixture()
def resolver(tmp_path: Path) -> RegistryResolver:
    """An offline resolver whose Hub cache is empty, so answers come from bundled data only."""
    built = build_resolver(offline=True, cache_dir=tmp_path / "hub-cache")
    assert isinstance(built, RegistryResolver)
    return built


def hub_document(repo_id: str, *, base: str | list[str] | None = None,
                 relation: str | None = None, tag_relation: str | None = None) -> dict[str, Any]:
    """A model record shaped like ``GET https://huggingface.co/api/models/{repo_id}``.

    ``base`` goes into ``cardData.base_model`` (a string or a list, as model cards write it),
    ``relation`` into ``cardData.base_model_relation``; the Hub's own ``base_model:...`` tags
    are added with ``tag_relation`` (the relation the Hub inferred).
    """
    bases = [base] if isinstance(base, str) else list(base or [])
    tags = ["transformers", "safetensors", "text-generation", "conversational", "en",
            "license:apache-2.0", "endpoints_compatible", "region:us"]
    for item in bases:
        tags.append(f"base_model:{item}")
        if tag_relation:
            tags.append(f"base_model:{tag_relation}:{item}")
    card: dict[str, Any] = {"license": "apache-2.0", "language": ["en"],
                            "pipeline_tag": "text-generation", "library_name": "transformers"}
    if base is not None:
        card["base_model"] = base
    if relation:
        card["base_model_relation"] = relation
    return {
        "_id": "66e2b6c2a1b2c3d4e5f60718",
        "id": repo_id,
        "modelId": repo_id,
        "author": repo_id.split("/", 1)[0],
        "sha": "a09a35458c702b33eeacc393d103063234e8bc28",
        "lastModified": "2024-09-25T12:33:44.000Z",
        "private": False,
        "disabled": False,
        "gated": False,
        "downloads": 1250000,
        "likes": 480,
        "library_name": "transformers",
        "pipeline_tag": "text-generation",
        "tags": tags,
        "cardData": card,
        "siblings": [{"rfilename": ".gitattributes"}, {"rfilename": "README.md"},
                     {"rfilename": "config.json"}],
        "createdAt": "2024-09-16T11:55:40.000Z",
        "usedStorage": 15231272715,
    }
