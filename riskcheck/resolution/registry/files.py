"""Reading the vendor-registry folder: parse, validate, and check the files against each other.

Every problem becomes a :class:`DataError` naming the file, because a half-loaded registry
would silently attribute models to nobody (or to the wrong organisation).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from riskcheck.errors import DataError
from riskcheck.resolution.registry.cache import fingerprint, read_cached, write_cached
from riskcheck.data import read_yaml
from riskcheck.resolution.registry.records import VendorRecord, build_record
from riskcheck.resolution.registry.schema import SchemaProblem, check_vendor

_FIX = "fix the file or reinstall riskcheck"


def _parse(path: Path) -> Any:
    # The registry caches all its files as one (registry.cache); a copy per file would only
    # slow down the first run, which writes them.
    return read_yaml(path, hint=_FIX, cache=False)


def read_registry(directory: Path) -> tuple[dict[str, str], tuple[VendorRecord, ...]]:
    """Countries and every ``<id>.yaml`` in ``directory`` as records (id order), all checked."""
    strays = sorted(directory.glob("*.yml"))
    if strays:
        raise DataError(f"{strays[0]}: registry files must end in .yaml", hint="rename it")
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise DataError(f"{directory}: no vendor files (*.yaml) found", hint=_FIX)
    from riskcheck.data import lists_dir
    from riskcheck.territories import iso_codes

    # The schema module is part of the key: changed validation rules must re-read the YAML.
    key = fingerprint([lists_dir() / "territories.yaml",
                       Path(__file__).with_name("schema.py"), *paths])
    cached = read_cached(directory, key)
    if cached is not None:
        # Stored only after every check below passed, for exactly these files.
        countries, documents = cached
        return countries, tuple(build_record(doc) for doc in documents)
    countries = iso_codes()
    documents = []
    for path in paths:
        doc = _parse(path)
        try:
            check_vendor(doc, path.stem, countries)
        except SchemaProblem as problem:
            raise DataError(f"{path}: {problem}", hint=_FIX) from None
        documents.append(doc)
    records = [build_record(doc) for doc in documents]
    files = {record.id: directory / f"{record.id}.yaml" for record in records}
    _check_references(records, files)
    _check_unique_claims(records, files)
    _check_no_cycles(records, files)
    write_cached(directory, key, countries, documents)
    return countries, tuple(records)


def _check_references(records: list[VendorRecord], files: dict[str, Path]) -> None:
    for record in records:
        for edge in record.organisation.parents:
            if edge.parent_id not in files:
                raise DataError(f"{files[record.id]}: parent {edge.parent_id!r} has no file "
                                f"{edge.parent_id}.yaml", hint=_FIX)
        for host in record.api:
            if host.entity_id not in files:
                raise DataError(f"{files[record.id]}: API host {host.host} names entity "
                                f"{host.entity_id!r}, which has no file", hint=_FIX)


def _claims(record: VendorRecord) -> Iterable[tuple[str, str]]:
    yield from (("Hugging Face org", org.casefold()) for org in record.hf_orgs)
    yield from (("Ollama name", name.casefold()) for name in record.ollama)
    yield from (("OpenRouter prefix", p.casefold()) for p in record.openrouter)
    yield from (("LiteLLM provider", p.casefold()) for p in record.litellm)
    yield from (("API host", host.host) for host in record.api)


def _check_unique_claims(records: list[VendorRecord], files: dict[str, Path]) -> None:
    # A key claimed twice would make look-ups depend on file order: refuse instead.
    owner: dict[tuple[str, str], str] = {}
    for record in records:
        for claim in _claims(record):
            first = owner.setdefault(claim, record.id)
            if first != record.id:
                raise DataError(f"{files[record.id]}: {claim[0]} {claim[1]!r} is already "
                                f"claimed by {files[first].name}", hint="keep it in one file")


def _check_no_cycles(records: list[VendorRecord], files: dict[str, Path]) -> None:
    parents = {r.id: [edge.parent_id for edge in r.organisation.parents] for r in records}
    done: set[str] = set()
    for start in parents:
        # Iterative DFS with an explicit "on the current path" set.
        on_path: list[str] = []
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            node, index = stack.pop()
            if index == 0:
                if node in done:
                    continue
                if node in on_path:
                    cycle = " -> ".join([*on_path[on_path.index(node):], node])
                    raise DataError(f"{files[node]}: parent cycle {cycle}", hint=_FIX)
                on_path.append(node)
            if index < len(parents[node]):
                stack.append((node, index + 1))
                stack.append((parents[node][index], 0))
            else:
                on_path.pop()
                done.add(node)
