"""The catalogue of list sources: the shipped ``lists/sources.yaml`` plus the user's config.

User config lives at ``<data_dir>/config.yaml`` (or the file given with ``--config`` /
``RISKCHECK_CONFIG``)::

    eu_token: <token>            # or RISKCHECK_EU_TOKEN; fills {eu_token} in the EU URL
    mirror_url: https://mirror.example/lists   # or RISKCHECK_MIRROR_URL (the env var wins)
    sources:
      eu_fsf: {enabled: false}                 # switch a source off
      ofac_sdn: {variant: enhanced_xml}        # use another official format of the list
      us_csl:                                   # point a file at another URL or a local file
        files: {main: https://proxy.example/consolidated.csv}
        max_age_days: 3
    custom:                                     # your own lists, screened like the others
      - id: custom_denied_vendors
        title: Vendors our policy denies
        format: custom_csv                      # or custom_yaml
        files: {main: denied-vendors.csv}       # path relative to config.yaml, or a URL

A mirror holds the same file names as the publishers: ``<mirror_url>/<file name>``, where the
file name is the last segment of the official URL's path (or ``filenames`` in the catalogue).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from riskcheck.errors import DataError, InputError


_ID = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
_CUSTOM_ID = re.compile(r"^custom_[a-z0-9_]{1,56}$")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
CONFIG_NAME = "config.yaml"


@dataclass(frozen=True)
class FileSpec:
    """One file of a source: its role, where to fetch it, and the name it is known by."""

    role: str
    url: str
    """An http(s) URL, or an absolute local path when ``local`` is true."""
    filename: str
    local: bool = False
    mirror_of: str | None = None
    """The official URL when the file is fetched from a mirror (RISKCHECK_MIRROR_URL)."""


@dataclass(frozen=True)
class SourceSpec:
    """One list source: what it is, how to fetch and parse it, and when it is stale."""

    id: str
    title: str
    publisher: str
    lists: tuple[str, ...]
    format: str
    files: tuple[FileSpec, ...]
    page: str | None = None
    licence: str | None = None
    max_age_days: int = 7
    min_records: int = 1
    max_shrink: float = 20.0
    """Percent fewer records than the stored version above which a new version is refused."""
    enabled: bool = True
    required_for_fresh: bool = False
    variant: str | None = None
    origin: str = "catalogue"
    """``catalogue`` for shipped sources, ``config`` for user-defined lists."""

    def file_map(self) -> dict[str, FileSpec]:
        """Files by role."""
        return {spec.role: spec for spec in self.files}

    @property
    def main_url(self) -> str:
        """The URL (or path) of the ``main`` file, cited as the version's URL."""
        return self.file_map()["main"].url


@dataclass(frozen=True)
class Catalogue:
    """Every known source after the user's overrides, in catalogue order."""

    sources: tuple[SourceSpec, ...]
    config_path: Path | None = None
    mirror_url: str | None = None

    def get(self, source_id: str) -> SourceSpec:
        """The source with this id; :class:`InputError` naming the known ids otherwise."""
        for source in self.sources:
            if source.id == source_id:
                return source
        known = ", ".join(source.id for source in self.sources)
        raise InputError(f"unknown list source {source_id!r}", hint=f"choose one of: {known}")

    def max_ages(self) -> dict[str, int]:
        """Each source's staleness limit in days (``max_age_days``), by source id."""
        return {source.id: source.max_age_days for source in self.sources}

    def select(self, ids: Iterable[str] | None = None) -> tuple[SourceSpec, ...]:
        """The named sources (even disabled ones), or every enabled source when ``ids`` is empty."""
        wanted = list(ids or ())
        if not wanted:
            return tuple(source for source in self.sources if source.enabled)
        return tuple(self.get(source_id) for source_id in dict.fromkeys(wanted))


def bundled_lists_dir() -> Path:
    """The ``lists/`` data folder: ``riskcheck/_lists`` in a wheel, the repo's ``lists/`` otherwise."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_lists", package.parent / "lists"):
        if (candidate / "sources.yaml").is_file():
            return candidate
    raise DataError("the list catalogue (lists/sources.yaml) is missing from this installation",
                    hint="reinstall riskcheck")


def default_config_path(data_dir: Path | None = None) -> Path:
    """``<data_dir>/config.yaml``."""
    from riskcheck.paths import data_dir as default_data_dir

    return default_data_dir(data_dir) / CONFIG_NAME


def load_catalogue(data_dir: Path | None = None, *, config_path: Path | None = None,
                   env: Mapping[str, str] | None = None,
                   catalogue_path: Path | None = None) -> Catalogue:
    """Load the shipped catalogue and apply the user's config and environment.

    ``config_path`` (else ``RISKCHECK_CONFIG``, else ``<data_dir>/config.yaml`` when it exists)
    is user input: its errors are :class:`InputError` with file:line:column.
    """
    from riskcheck.yamlio import load_yaml, read_text

    env = os.environ if env is None else env
    shipped_path = catalogue_path or bundled_lists_dir() / "sources.yaml"
    try:
        shipped, _ = load_yaml(read_text(shipped_path, "catalogue"), str(shipped_path))
    except InputError as exc:
        raise DataError(f"list catalogue is broken: {exc}", hint="reinstall riskcheck") from None
    explicit = config_path or (Path(env["RISKCHECK_CONFIG"]) if env.get("RISKCHECK_CONFIG") else None)
    config: dict[str, Any] = {}
    config_locator = None
    if explicit is None:
        candidate = default_config_path(data_dir)
        explicit = candidate if candidate.is_file() else None
    if explicit is not None:
        loaded, config_locator = load_yaml(read_text(explicit, "config"), str(explicit))
        if loaded is not None and not isinstance(loaded, dict):
            raise config_locator.error("config must be a mapping (eu_token, mirror_url, sources, custom)")
        config = loaded or {}
        unknown = set(config) - {"eu_token", "mirror_url", "sources", "custom"}
        if unknown:
            key = min(unknown)
            raise config_locator.error(f"unknown config key {key!r}", (key,), key=True,
                                       hint="allowed: eu_token, mirror_url, sources, custom")
    values = _placeholder_values(shipped.get("placeholders") or {}, config, env)
    base = shipped_path.parent
    try:
        sources = [_build_source(raw, base, values, f"sources[{index}]")
                   for index, raw in enumerate(shipped.get("sources") or [])]
    except ValueError as exc:
        raise DataError(f"list catalogue is broken: {shipped_path}: {exc}",
                        hint="reinstall riskcheck") from None
    if config:
        sources = _apply_config(sources, config, config_locator, raw_by_id={
            raw["id"]: raw for raw in shipped.get("sources") or []}, base=base, values=values)
    mirror = (env.get("RISKCHECK_MIRROR_URL") or config.get("mirror_url") or "").strip() or None
    if mirror:
        if urlsplit(mirror).scheme not in ("http", "https", "file"):
            raise InputError(f"mirror URL {mirror!r} is not http(s) or file",
                             hint="set RISKCHECK_MIRROR_URL to e.g. https://mirror.example/lists")
        sources = [_mirrored(source, mirror.rstrip("/")) for source in sources]
    return Catalogue(sources=tuple(sources), config_path=explicit, mirror_url=mirror)


def _shipped(catalogue_path: Path | None = None) -> tuple[dict[str, Any], Path]:
    from riskcheck.yamlio import load_yaml, read_text

    path = catalogue_path or bundled_lists_dir() / "sources.yaml"
    try:
        shipped, _ = load_yaml(read_text(path, "catalogue"), str(path))
    except InputError as exc:
        raise DataError(f"list catalogue is broken: {exc}", hint="reinstall riskcheck") from None
    return shipped, path


def shipped_formats(source_id: str) -> dict[str | None, str]:
    """The formats a shipped source comes in: ``None`` -> its default format, then each
    variant name -> its format (empty for a source the catalogue does not ship)."""
    shipped, _ = _shipped()
    for raw in shipped.get("sources") or []:
        if raw.get("id") == source_id:
            formats: dict[str | None, str] = {None: str(raw.get("format"))}
            for name, variant in (raw.get("variants") or {}).items():
                formats[str(name)] = str(variant.get("format") or raw.get("format"))
            return formats
    return {}


def with_variant(catalogue: Catalogue, source_id: str, variant: str) -> Catalogue:
    """``catalogue`` with ``source_id`` switched to one of its shipped variants, as
    ``sources: {<id>: {variant: <name>}}`` in config.yaml does (for ``lists import
    --variant``)."""
    shipped, path = _shipped()
    raw = next((dict(r) for r in shipped.get("sources") or [] if r.get("id") == source_id),
               None)
    if raw is None:
        catalogue.get(source_id)  # an unknown id gets the usual error
        raise InputError(f"source {source_id} has no variants",
                         hint="--variant applies to the shipped sources only")
    variants = raw.get("variants") or {}
    if variant not in variants:
        raise InputError(f"source {source_id} has no variant {variant!r}",
                         hint=f"choose one of: {', '.join(variants) or '(none)'}")
    raw.pop("filenames", None)
    raw.update(variants[variant])
    values = _placeholder_values(shipped.get("placeholders") or {}, {}, os.environ)
    spec = replace(_build_source(raw, path.parent, values, f"sources.{source_id}"),
                   variant=variant)
    return replace(catalogue, sources=tuple(spec if s.id == source_id else s
                                            for s in catalogue.sources))


def _placeholder_values(spec: Mapping[str, Any], config: Mapping[str, Any],
                        env: Mapping[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, how in spec.items():
        value = env.get(how.get("env", "")) or config.get(how.get("config", "")) or how.get("default")
        if value:
            values[name] = str(value)
    return values


def _known_formats() -> list[str]:
    from riskcheck.lists.parsers import FORMAT_FILES

    return list(FORMAT_FILES)


def _format_roles(format_id: str) -> tuple[str, ...] | None:
    """The file roles the parser of ``format_id`` declares, or None for an unknown format."""
    from riskcheck.lists.parsers import FORMAT_FILES

    return FORMAT_FILES.get(format_id)


def _file_spec(role: str, target: str, base: Path, values: Mapping[str, str],
               filename: str | None) -> FileSpec:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise ValueError(f"URL placeholder {{{name}}} has no value")
        return values[name]

    target = _PLACEHOLDER.sub(fill, str(target).strip())
    scheme = urlsplit(target).scheme.lower()
    if scheme in ("http", "https"):
        name = filename or PurePosixPath(urlsplit(target).path).name or role
        return FileSpec(role=role, url=target, filename=name)
    if scheme == "file":
        target = urlsplit(target).path
    elif scheme and len(scheme) > 1:
        raise ValueError(f"file {role!r}: unsupported URL scheme {scheme!r} (use https or a path)")
    path = Path(target).expanduser()
    path = path if path.is_absolute() else (base / path)
    return FileSpec(role=role, url=str(path.resolve()), filename=filename or path.name, local=True)


def _build_source(raw: Mapping[str, Any], base: Path, values: Mapping[str, str], where: str,
                  origin: str = "catalogue") -> SourceSpec:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: a source must be a mapping")
    source_id = str(raw.get("id", ""))
    if not _ID.match(source_id):
        raise ValueError(f"{where}: id {source_id!r} must be lower-case letters, digits and _")
    for key in ("title", "format", "files"):
        if not raw.get(key):
            raise ValueError(f"{where} ({source_id}): {key} is required")
    format_id = str(raw["format"])
    roles = _format_roles(format_id)
    if roles is None:
        raise ValueError(f"{where} ({source_id}): unknown format {format_id!r} "
                         f"(known: {', '.join(sorted(_known_formats()))})")
    files = raw["files"]
    if not isinstance(files, Mapping) or "main" not in files:
        raise ValueError(f"{where} ({source_id}): files must map roles to URLs, with a 'main' file")
    extra = set(files) - set(roles)
    if extra:
        raise ValueError(f"{where} ({source_id}): format {format_id} has no file role "
                         f"{min(extra)!r} (roles: {', '.join(roles)})")
    names = raw.get("filenames") or {}
    specs = tuple(_file_spec(str(role), str(url), base, values, names.get(role))
                  for role, url in files.items())
    lists = raw.get("lists") or (["CUSTOM"] if origin == "config" else [])
    if isinstance(lists, str):
        lists = [lists]
    for key in ("max_age_days", "min_records"):
        value = raw.get(key, 1)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{where} ({source_id}): {key} must be a whole number >= 0")
    max_shrink = raw.get("max_shrink", 20)
    if not isinstance(max_shrink, (int, float)) or isinstance(max_shrink, bool) \
            or not 0 <= max_shrink <= 100:
        raise ValueError(f"{where} ({source_id}): max_shrink must be a percentage from 0 to 100")
    return SourceSpec(
        id=source_id, title=str(raw["title"]), publisher=str(raw.get("publisher") or "user"),
        lists=tuple(str(code) for code in lists), format=format_id, files=specs,
        page=raw.get("page"), licence=raw.get("licence"),
        max_age_days=int(raw.get("max_age_days", 30 if origin == "config" else 7)),
        min_records=int(raw.get("min_records", 1)), max_shrink=float(max_shrink),
        enabled=bool(raw.get("enabled", True)),
        required_for_fresh=bool(raw.get("required_for_fresh", False)), origin=origin)


_OVERRIDABLE = {"enabled", "variant", "max_age_days", "min_records", "max_shrink",
                "required_for_fresh", "files"}


def _apply_config(sources: list[SourceSpec], config: Mapping[str, Any], locator: Any, *,
                  raw_by_id: Mapping[str, Mapping[str, Any]], base: Path,
                  values: Mapping[str, str]) -> list[SourceSpec]:
    config_dir = Path(locator.path).resolve().parent
    overrides = config.get("sources") or {}
    if not isinstance(overrides, Mapping):
        raise locator.error("'sources' must map source ids to settings", ("sources",))
    by_id = {source.id: index for index, source in enumerate(sources)}
    for source_id, settings in overrides.items():
        where = ("sources", source_id)
        if source_id not in by_id:
            raise locator.error(f"unknown list source {source_id!r}", where, key=True,
                                hint=f"choose one of: {', '.join(by_id)}")
        if not isinstance(settings, Mapping):
            raise locator.error("source settings must be a mapping", where)
        bad = set(settings) - _OVERRIDABLE
        if bad:
            key = min(bad)
            raise locator.error(f"setting {key!r} cannot be overridden", (*where, key), key=True,
                                hint=f"allowed: {', '.join(sorted(_OVERRIDABLE))}")
        raw = dict(raw_by_id[source_id])
        variant = settings.get("variant")
        if variant is not None:
            variants = raw.get("variants") or {}
            if variant not in variants:
                raise locator.error(f"source {source_id} has no variant {variant!r}",
                                    (*where, "variant"),
                                    hint=f"choose one of: {', '.join(variants) or '(none)'}")
            raw.pop("filenames", None)  # names belong to the files they were written for
            raw.update(variants[variant])
        merged = {**raw, **{k: v for k, v in settings.items() if k not in ("files", "variant")}}
        try:
            spec = _build_source(merged, base, values, f"sources.{source_id}")
            if "files" in settings:
                files = settings["files"]
                if not isinstance(files, Mapping):
                    raise ValueError("files must map roles to URLs or paths")
                current = spec.file_map()
                for role, target in files.items():
                    if role not in current and role not in (_format_roles(spec.format) or ()):
                        raise ValueError(f"format {spec.format} has no file role {role!r}")
                    current[role] = _file_spec(str(role), str(target), config_dir, values, None)
                spec = replace(spec, files=tuple(current.values()))
        except ValueError as exc:
            raise locator.error(str(exc), where) from None
        sources[by_id[source_id]] = replace(spec, variant=variant)
    custom = config.get("custom") or []
    if not isinstance(custom, list):
        raise locator.error("'custom' must be a list of list definitions", ("custom",))
    for index, raw in enumerate(custom):
        where = ("custom", index)
        source_id = str(raw.get("id", "")) if isinstance(raw, Mapping) else ""
        if not _CUSTOM_ID.match(source_id):
            raise locator.error(f"custom list id {source_id!r} must start with 'custom_' "
                                "followed by lower-case letters, digits or _", where)
        if source_id in by_id:
            raise locator.error(f"duplicate list id {source_id!r}", where)
        try:
            sources.append(_build_source(raw, config_dir, values, f"custom[{index}]", "config"))
        except ValueError as exc:
            raise locator.error(str(exc), where) from None
        by_id[source_id] = len(sources) - 1
    return sources


def _mirrored(source: SourceSpec, mirror: str) -> SourceSpec:
    if source.origin == "config":
        return source  # the user's own lists are fetched from where the user put them
    if mirror.lower().startswith("file://"):
        folder = Path(urlsplit(mirror).path)
        files = tuple(spec if spec.local else replace(spec, url=str(folder / spec.filename),
                                                      local=True, mirror_of=spec.url)
                      for spec in source.files)
    else:
        files = tuple(spec if spec.local else replace(spec, url=f"{mirror}/{spec.filename}",
                                                      mirror_of=spec.url)
                      for spec in source.files)
    return replace(source, files=files)
