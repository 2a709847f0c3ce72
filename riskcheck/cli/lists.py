"""``riskcheck lists``: download, store, inspect, compare, import and search official lists."""

import os
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from riskcheck.cli.options import (
    AcceptShrinkOption,
    DataDirOption,
    FormatOption,
    OfflineOption,
    OutputOption,
    TimeoutOption,
    download_timeout,
)

app = typer.Typer(
    help="Download, store and inspect the official sanctions and export-control lists.\n\n"
         "Example: riskcheck lists update",
    no_args_is_help=True,
    rich_markup_mode=None,
)

SCHEMA_VERSION = 1

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Lists config file (default: config.yaml in the data "
                 "directory): source URLs, disabled sources, custom lists, eu_token, mirror_url.",
                 envvar="RISKCHECK_CONFIG", show_envvar=True, dir_okay=False),
]


def _usage(message: str, hint: str) -> Exception:
    from riskcheck.errors import RiskcheckError

    return RiskcheckError(message, hint=hint)  # exit code 2 (usage)


def _formats(value: str, *allowed: str) -> str:
    if value not in allowed:
        raise _usage(f"--format {value} is not available for this command",
                     f"choose one of: {', '.join(allowed)}")
    return value


def _render(headers: list[str], rows: list[list[str]], title: str | None = None) -> str:
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(*headers, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    from riskcheck.terminal import terminal_safe

    for row in rows:
        table.add_row(*(terminal_safe(str(cell)) for cell in row))
    buffer = io.StringIO()
    width = int(os.environ.get("COLUMNS", "0") or 0) or 120
    Console(file=buffer, width=width, no_color=True, highlight=False, emoji=False,
            markup=False, force_terminal=False).print(table)
    # The title is a plain line: a table title would wrap to the table's width.
    return (f"{terminal_safe(title, one_line=True)}\n" if title else "") + buffer.getvalue().rstrip() + "\n"


def _json(payload: dict[str, Any]) -> str:
    import json  # here: --help and the other commands do not need it

    return json.dumps({"schema_version": SCHEMA_VERSION, **payload}, indent=2, ensure_ascii=False)


def _catalogue(data_dir: Path | None, config: Path | None):  # type: ignore[no-untyped-def]
    from riskcheck.lists.catalogue import load_catalogue

    return load_catalogue(data_dir, config_path=config)


def _outcome_rows(outcomes: list[Any]) -> tuple[list[str], list[list[str]]]:
    rows = []
    for outcome in outcomes:
        version = outcome.version
        rows.append([outcome.source, outcome.status,
                     str(version.record_count) if version else "-",
                     (version.published or "-") if version else "-",
                     outcome.message.split(": ", 1)[-1]])
    return ["source", "result", "records", "published", "detail"], rows


def _outcome_json(outcome: Any) -> dict[str, Any]:
    version = outcome.version
    return {"source": outcome.source, "title": outcome.title, "status": outcome.status,
            "message": outcome.message, "previous_count": outcome.previous_count,
            "version": None if version is None else {
                "sha256": version.version, "record_count": version.record_count,
                "published": version.published, "fetched_at": version.fetched_at,
                "url": version.url}}


def _emit_outcomes(command: str, outcomes: list[Any], format: str, output: Path | None) -> None:
    from riskcheck.cli.console import error
    from riskcheck.cli.options import write_output

    if format == "json":
        write_output(_json({"command": command,
                            "outcomes": [_outcome_json(o) for o in outcomes]}), output)
    else:
        headers, rows = _outcome_rows(outcomes)
        write_output(_render(headers, rows), output)
    failed = [o for o in outcomes if o.failed]
    if failed:
        from riskcheck.errors import DataError

        # One line per failed source; the last goes through the common error path, which
        # also sets exit code 3.
        for outcome in failed[:-1]:
            error(outcome.message)
        raise DataError(failed[-1].message)


@app.command("update")
def update(
    sources: Annotated[list[str] | None, typer.Argument(
        help="Source ids to update (default: every enabled source; see 'lists status').",
        show_default=False)] = None,
    format: FormatOption = "table",
    output: OutputOption = None,
    data_dir: DataDirOption = None,
    offline: OfflineOption = False,
    config: ConfigOption = None,
    accept_shrink: AcceptShrinkOption = False,
    timeout: TimeoutOption = None,
) -> None:
    """Download the official lists, check them and store new versions.

    A source that fails keeps its previous version in force; the others still update, and the
    exit code is 3. A new version with more than max_shrink percent (default 20) fewer records
    than the stored one is refused unless --accept-shrink is given. Set RISKCHECK_MIRROR_URL to fetch every file from a mirror holding the
    official file names, and RISKCHECK_EU_TOKEN to override the EU download token.

    Example: riskcheck lists update ofac_sdn us_csl
    """
    from riskcheck.cli.console import progress_bar
    from riskcheck.lists.update import update_lists
    from riskcheck.progress import NULL_PROGRESS, RichProgressAdapter

    _formats(format, "table", "json")
    catalogue = _catalogue(data_dir, config)
    with progress_bar() as bar:
        progress = RichProgressAdapter(bar) if bar is not None else NULL_PROGRESS
        outcomes = update_lists(sources or None, data_dir=data_dir, catalogue=catalogue,
                                progress=progress, offline=offline,
                                accept_shrink=accept_shrink, timeout=download_timeout(timeout),
                                on_new_version=_index_builder(data_dir))
    _emit_outcomes("lists update", outcomes, format, output)


def _index_builder(data_dir: Path | None) -> Any:
    """After a new list version is stored: build the name indexes the next runs load."""
    from functools import partial

    from riskcheck.match.batch import prepare_index

    return partial(prepare_index, data_dir)


def _status_rows(catalogue: Any, store: Any, now: Any) -> list[dict[str, Any]]:
    from riskcheck.redact import redact

    stored = {version.source: version for version in store.current()} if store else {}
    refused = store.refusals() if store else {}
    result = []
    for spec in catalogue.sources:
        version = stored.pop(spec.id, None)
        if version is None and not spec.enabled:
            continue
        age = version.age_days(now) if version else None
        state = "missing" if version is None else (
            "stale" if age is not None and age > spec.max_age_days else "fresh")
        result.append({"source": spec.id, "title": spec.title, "enabled": spec.enabled,
                       "required_for_fresh": spec.required_for_fresh and spec.enabled,
                       "state": state, "max_age_days": spec.max_age_days,
                       "age_days": None if age is None else round(age, 1),
                       "record_count": version.record_count if version else None,
                       "published": version.published if version else None,
                       "fetched_at": version.fetched_at if version else None,
                       "checked_at": version.checked_at if version else None,
                       "sha256": version.sha256 if version else None,
                       "url": version.url if version else redact(spec.main_url),
                       "refused": refused.get(spec.id)})
    for version in stored.values():  # stored sources the catalogue no longer lists
        result.append({"source": version.source, "title": version.title, "enabled": False,
                       "required_for_fresh": False, "state": "not in catalogue",
                       "max_age_days": None, "age_days": round(version.age_days(now), 1),
                       "record_count": version.record_count, "published": version.published,
                       "fetched_at": version.fetched_at, "checked_at": version.checked_at,
                       "sha256": version.sha256, "url": version.url,
                       "refused": refused.get(version.source)})
    return result


@app.command("status")
def status(
    format: FormatOption = "table",
    output: OutputOption = None,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
    require_fresh: Annotated[bool, typer.Option(
        "--require-fresh", help="Exit 3 when a list required for a fresh check is stale or "
        "missing.")] = False,
) -> None:
    """Show each list's stored version: age, record count, publication date and staleness.

    Example: riskcheck lists status --require-fresh
    """
    from riskcheck.cli.options import write_output
    from riskcheck.errors import DataError
    from riskcheck.lists.store import StoreMissingError, open_store, utc_now

    _formats(format, "table", "json")
    catalogue = _catalogue(data_dir, config)
    try:
        store = open_store(data_dir, create=False, read_only=True)
    except StoreMissingError:
        store = None
    try:
        entries = _status_rows(catalogue, store, utc_now())
    finally:
        if store is not None:
            store.close()
    if format == "json":
        write_output(_json({"command": "lists status", "sources": entries}), output)
    else:
        rows = [[e["source"], e["state"] + ("" if e["enabled"] else " (disabled)")
                 + ("; new version refused" if e.get("refused") else ""),
                 "-" if e["age_days"] is None else f"{e['age_days']:g}d",
                 "-" if e["max_age_days"] is None else f"{e['max_age_days']}d",
                 "-" if e["record_count"] is None else str(e["record_count"]),
                 e["published"] or "-", (e["fetched_at"] or "-")[:16].replace("T", " "),
                 (e["sha256"] or "-")[:12]] for e in entries]
        table = _render(["source", "state", "age", "max age", "records", "published",
                         "fetched", "version"], rows)
        notes = [e["refused"] for e in entries if e.get("refused")]
        if notes:
            table = table.rstrip("\n") + "\n" + "\n".join(notes) + "\n"
        write_output(table, output)
    bad = [e for e in entries if e["required_for_fresh"] and e["state"] in ("stale", "missing")]
    if require_fresh and bad:
        names = ", ".join(f"{e['source']} ({e['state']})" for e in bad)
        raise DataError(f"lists not fresh: {names}", hint="run 'riskcheck lists update'")


def _entity_json(entity: Any) -> dict[str, Any]:
    return {"source_id": entity.source_id, "name": entity.name, "lists": list(entity.lists),
            "programs": list(entity.programs), "countries": list(entity.countries),
            "aliases": [alias.name for alias in entity.aliases], "listed_on": entity.listed_on,
            "removed_on": entity.removed_on}


@app.command("diff")
def diff(
    source: Annotated[str, typer.Argument(help="Source id, e.g. us_csl.", show_default=False)],
    since: Annotated[str | None, typer.Option(
        "--since", help="Compare with the version stored on or before this date (YYYY-MM-DD) "
        "instead of the previous one.")] = None,
    format: FormatOption = "table",
    output: OutputOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Show entries added, removed and changed between two stored versions of a list.

    Example: riskcheck lists diff us_csl --since 2026-01-01
    """
    from riskcheck.cli.options import write_output
    from riskcheck.lists.diff import diff_versions, pick_versions
    from riskcheck.lists.store import open_store

    _formats(format, "table", "json")
    when = None
    if since is not None:
        try:
            when = date.fromisoformat(since)
        except ValueError:
            raise _usage(f"--since {since!r} is not a date", "use YYYY-MM-DD") from None
    with open_store(data_dir, create=False, read_only=True) as store:
        old, new = pick_versions(store, source, when)
        result = diff_versions(store, old, new)
    span = {"old": {"fetched_at": old.fetched_at, "published": old.published, "sha256": old.sha256,
                    "record_count": old.record_count},
            "new": {"fetched_at": new.fetched_at, "published": new.published, "sha256": new.sha256,
                    "record_count": new.record_count}}
    if format == "json":
        write_output(_json({"command": "lists diff", "source": source, **span,
                            "added": [_entity_json(e) for e in result.added],
                            "removed": [_entity_json(e) for e in result.removed],
                            "changed": [{**_entity_json(c.new), "fields": list(c.fields)}
                                        for c in result.changed]}), output)
        return
    rows = ([["added", e.source_id, e.name, ", ".join(e.lists), ""] for e in result.added]
            + [["removed", e.source_id, e.name, ", ".join(e.lists), ""] for e in result.removed]
            + [["changed", c.new.source_id, c.new.name, ", ".join(c.new.lists), ", ".join(c.fields)]
               for c in result.changed])
    title = (f"{source}: {old.fetched_at[:10]} ({old.record_count}) -> {new.fetched_at[:10]} "
             f"({new.record_count}): {len(result.added)} added, {len(result.removed)} removed, "
             f"{len(result.changed)} changed")
    write_output(_render(["change", "id", "name", "lists", "fields"], rows, title=title), output)


@app.command("import")
def import_(
    source: Annotated[str, typer.Argument(help="Source id, e.g. ofac_sdn.", show_default=False)],
    files: Annotated[list[str], typer.Argument(
        help="Files as published (role inferred from the name, e.g. SDN.CSV, ADD.CSV) or "
        "ROLE=PATH.", show_default=False)],
    role: Annotated[str | None, typer.Option(
        "--role", help="The file role of a single FILE (main, add, alt, comments).")] = None,
    format: FormatOption = "table",
    output: OutputOption = None,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
    accept_shrink: AcceptShrinkOption = False,
    variant: Annotated[str | None, typer.Option(
        "--variant", metavar="NAME",
        help="Read the files as one of the source's other official formats (its variants in "
        "lists/sources.yaml, e.g. uk_sanctions ofsi_conlist for the OFSI ConList.csv), for "
        "this import only.", show_default=False)] = None,
    min_records: Annotated[int | None, typer.Option(
        "--min-records", min=1,
        help="Accept a file with at least this many records for this import (an archived or "
        "older edition smaller than the source's min_records).")] = None,
) -> None:
    """Store a list version from files fetched by other means (air-gapped machines).

    A version with more than max_shrink percent (default 20) fewer records than the stored
    one is refused unless --accept-shrink is given; a file with fewer records than the
    source's min_records is refused unless --min-records says so.

    Example: riskcheck lists import ofac_sdn SDN.CSV ADD.CSV ALT.CSV SDN_COMMENTS.CSV
    """
    from riskcheck.errors import InputError
    from riskcheck.lists.update import import_files

    _formats(format, "table", "json")
    if role is not None and len(files) != 1:
        raise _usage("--role needs exactly one FILE", "use ROLE=PATH to name several files")
    explicit: dict[str, Path] = {}
    plain: list[Path] = []
    for item in files:
        if role is not None:
            explicit[role] = Path(item)
        elif "=" in item and not Path(item).exists():
            key, _, value = item.partition("=")
            explicit[key.strip()] = Path(value)
        else:
            plain.append(Path(item))
    for path in [*explicit.values(), *plain]:
        if not path.is_file():
            raise InputError("file not found", path=str(path), hint="check the path")
    catalogue = _catalogue(data_dir, config)
    if variant is not None:
        from riskcheck.lists.catalogue import with_variant

        catalogue = with_variant(catalogue, source, variant)
    if plain:
        from riskcheck.lists.update import infer_role

        spec = catalogue.get(source)
        for path in plain:
            explicit.setdefault(infer_role(spec, path), path)
    if min_records is not None:
        from dataclasses import replace

        catalogue = replace(catalogue, sources=tuple(
            replace(spec, min_records=min_records) if spec.id == source else spec
            for spec in catalogue.sources))
    from riskcheck.cli.console import progress_bar
    from riskcheck.progress import NULL_PROGRESS, RichProgressAdapter

    with progress_bar() as bar:  # the name index is built after the import
        progress = RichProgressAdapter(bar) if bar is not None else NULL_PROGRESS
        outcome = import_files(source, explicit, data_dir=data_dir, catalogue=catalogue,
                               accept_shrink=accept_shrink, progress=progress,
                               on_new_version=_index_builder(data_dir))
    _emit_outcomes("lists import", [outcome], format, output)


@app.command("search")
def search(
    name: Annotated[str, typer.Argument(help="The name to look up.", show_default=False)],
    country: Annotated[str | None, typer.Option(
        "--country", help="ISO country code of the party (raises agreeing matches).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=200, help="Most results shown.")] = 10,
    people: Annotated[bool, typer.Option(
        "--people", help="Also match people, vessels and aircraft (default: organisations).")] = False,
    format: FormatOption = "table",
    output: OutputOption = None,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
) -> None:
    """Look a name up in every stored list (a one-off screening, without a manifest).

    Example: riskcheck lists search "Beijing Sensetime Technology" --country CN
    """
    from riskcheck.cli.console import warning
    from riskcheck.cli.options import write_output
    from riskcheck.lists.store import open_store
    from riskcheck.match.batch import entity_set_key
    from riskcheck.match.engine import MatchEngine

    _formats(format, "table", "json")
    catalogue = _catalogue(data_dir, config)
    with open_store(data_dir, create=False, read_only=True) as store:
        entity_set = store.entity_set(catalogue=catalogue)
        cache_key = entity_set_key(entity_set)  # the key `lists update` builds the index under
        cache_dir = store.data_dir / "cache"
    if not entity_set.entities:
        from riskcheck.errors import DataError

        raise DataError("no lists stored", hint="run 'riskcheck lists update' first")
    for version in entity_set.versions:
        if version.stale:
            warning(f"{version.source} is stale (fetched {version.fetched_at}); "
                    "run 'riskcheck lists update'")
    engine = MatchEngine(entity_set.entities, cache_dir=cache_dir, cache_key=cache_key)
    types = ("organisation", "unknown", "person", "vessel", "aircraft") if people else (
        "organisation", "unknown")
    found = engine.search(name, country=country.upper() if country else None,
                          entity_types=types, limit=limit)
    if format == "json":
        write_output(_json({"command": "lists search", "query": name, "country": country,
                            "versions": [{"source": v.source, "sha256": v.version,
                                          "published": v.published, "fetched_at": v.fetched_at,
                                          "stale": v.stale} for v in entity_set.versions],
                            "results": [{**_entity_json(r.entity), "source": r.entity.source,
                                         "score": round(r.score, 4), "band": r.band,
                                         "status": r.status,
                                         "matched_name": r.explanation.matched_name,
                                         "explanation": r.explanation.alignment,
                                         "qualifiers": list(r.explanation.qualifiers)}
                                        for r in found]}), output)
        return
    rows = [[f"{r.score:.2f}", r.band or "-", r.entity.name, r.explanation.matched_name,
             ", ".join(r.entity.lists), f"{r.entity.source}:{r.entity.source_id}", r.status]
            for r in found]
    title = f"{len(found)} result(s) for {name!r} in {len(entity_set.entities)} listed entries"
    write_output(_render(["score", "band", "listed name", "matched", "lists", "entry", "status"],
                         rows, title=title), output)
