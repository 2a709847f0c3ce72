"""``riskcheck resolve``: show what model references lead to (vendor, lineage, owners, serving)."""

from pathlib import Path
from typing import Annotated, Any

import typer

from riskcheck.cli.options import DataDirOption, FormatOption, OfflineOption, OutputOption

_SELF_EVIDENT = ("huggingface", "ollama", "local-file", "litellm", "openrouter")


def resolve(
    models: Annotated[
        list[str],
        typer.Argument(help="Model references as a project writes them: HF ids, Ollama tags, "
                       "OpenRouter slugs, LiteLLM strings, vendor API names.",
                       metavar="MODEL...", show_default=False),
    ],
    format: FormatOption = "table",
    output: OutputOption = None,
    offline: OfflineOption = False,
    data_dir: DataDirOption = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="Base URL the API models are called on; applies to "
                     "every MODEL (a local or private URL means self-hosted)."),
    ] = None,
    provider: Annotated[
        str | None,
        typer.Option("--provider", help="Serving provider of the API models (e.g. together, "
                     "groq, bedrock). With several MODELs it applies to those whose syntax does "
                     "not already name a provider (vendor API names, HF ids, slugs)."),
    ] = None,
    usage: Annotated[
        str,
        typer.Option("--usage", help="How the models are used: self-hosted, api or unknown "
                     "(infer from the reference)."),
    ] = "unknown",
) -> None:
    """Resolve each MODEL to its vendor, upstream lineage, parent companies and serving party.

    Unresolved models are listed with what was tried and how to resolve them; the command
    still exits 0 (use `riskcheck check` to fail a build).

    Example: riskcheck resolve Qwen/Qwen2.5-7B-Instruct deepseek-chat --base-url https://api.deepseek.com
    """
    from riskcheck.cli.options import write_output
    from riskcheck.errors import InputError
    from riskcheck.model import ModelRef
    from riskcheck.resolve.refs import parse_ref
    from riskcheck.resolve.resolver import build_resolver
    from riskcheck.local_hosts import is_local_base_url

    if usage not in ("self-hosted", "api", "unknown"):
        raise InputError(f"unknown --usage {usage!r}", hint="use self-hosted, api or unknown")
    if format not in ("table", "json"):
        raise InputError(f"unknown --format {format!r} for resolve", hint="use table or json")
    import os

    # HF_HUB_OFFLINE is the Hugging Face tools' own switch; air-gapped sites already set it.
    offline = offline or os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes")
    resolver = build_resolver(offline=offline,
                              cache_dir=Path(data_dir) / "cache" if data_dir else None)
    refs = []
    for text in models:
        # The base URL is where the calls go, whatever the reference's syntax; a provider only
        # fills in for references that do not name one themselves.
        applies = len(models) == 1 or parse_ref(text).kind not in _SELF_EVIDENT
        # A local or private base URL means the weights run on the project's own machines.
        ref_usage = ("self-hosted" if usage == "unknown" and not provider
                     and is_local_base_url(base_url) else usage)
        refs.append(ModelRef(id=text, usage=ref_usage,  # type: ignore[arg-type]
                             base_url=base_url,
                             provider=provider if applies else None))
    resolutions = list(resolver.resolve_all(refs))
    if format == "json":
        import json

        document = {"schema_version": "1",
                    "resolutions": [resolution_to_dict(r) for r in resolutions]}
        write_output(json.dumps(document, indent=2, ensure_ascii=False), output)
    else:
        write_output(_table(resolutions, wide=output is not None), output)


def resolution_to_dict(resolution: Any) -> dict[str, Any]:
    """A :class:`~riskcheck.model.Resolution` as stable snake_case JSON."""
    ref, serving = resolution.ref, resolution.serving
    return {
        "reference": {"id": ref.id, "source": ref.source, "usage": ref.usage,
                      "provider": ref.provider, "base_url": ref.base_url},
        "status": resolution.status,
        "vendor": resolution.vendor.id if resolution.vendor else None,
        "countries": list(resolution.countries),
        "family": resolution.family,
        "canonical_id": resolution.canonical_id,
        "method": resolution.method,
        "confidence": resolution.confidence,
        "parties": [{
            "id": p.organisation.id, "name": p.organisation.name, "role": p.role,
            "relation": p.relation, "country": p.organisation.country,
            "path": list(p.path), "ownership": p.ownership, "upstream_model": p.upstream_model,
        } for p in resolution.parties],
        "serving": None if serving is None else {
            "id": serving.organisation.id, "name": serving.organisation.name,
            "host": serving.host, "data_country": serving.data_country,
            "first_party": serving.first_party,
        },
        "serving_status": serving_status(resolution),
        "serving_candidates": [{"id": o.id, "name": o.name, "country": o.country}
                               for o in resolution.serving_candidates],
        "tried": list(resolution.tried),
        "hint": resolution.hint,
    }


def serving_status(resolution: Any) -> str:
    """``ambiguous`` (several parties may serve it, or it may be self-hosted: see the
    candidates), ``first-party``,
    ``third-party``, ``unknown`` (API use, serving party not known) or ``self-hosted``."""
    serving = resolution.serving
    candidates = resolution.serving_candidates
    if len(candidates) > 1 or (candidates and serving is None):
        return "ambiguous"
    if serving is not None:
        return "first-party" if serving.first_party else "third-party"
    api = any("serving party unknown" in t or "set base_url" in t for t in resolution.tried)
    return "unknown" if api else "self-hosted"


def _table(resolutions: list[Any], *, wide: bool) -> str:
    import io
    import shutil

    from rich.console import Console
    from rich.table import Table

    from riskcheck.terminal import terminal_safe

    def add_row(*cells: str) -> None:
        table.add_row(*(terminal_safe(cell) for cell in cells))

    table = Table(show_lines=True, header_style="bold")
    for column in ("Model", "Vendor", "Upstream", "Owners", "Serving", "How"):
        table.add_column(column, overflow="fold")
    notes: list[str] = []
    for res in resolutions:
        if res.status == "unresolved":
            add_row(res.ref.id, "UNRESOLVED", "", "", _serving(res), "")
            notes.append(f"{res.ref.id}: unresolved; tried: {'; '.join(res.tried)}; "
                         f"hint: {res.hint}")
            continue
        vendor = res.vendor
        upstream = [f"{_org(p)} ({p.relation}{', ' + p.upstream_model if p.upstream_model else ''})"
                    for p in res.parties if p.role == "upstream"]
        owners = [_owner(p) for p in res.parties if p.role in ("parent", "upstream-parent")]
        how = f"{res.method}, {res.confidence}" + (f"\n{res.canonical_id}"
                                                    if res.canonical_id else "")
        add_row(res.ref.id, _org_text(vendor), "\n".join(upstream) or "-",
                      "\n".join(owners) or "-", _serving(res), how)
    width = 160 if wide else max(100, shutil.get_terminal_size((120, 24)).columns)
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, highlight=False, emoji=False,
                      markup=False)
    console.print(table)
    for note in notes:
        console.print(terminal_safe(note, one_line=True), soft_wrap=True)
    return buffer.getvalue()


def _org(party: Any) -> str:
    return _org_text(party.organisation)


def _org_text(organisation: Any) -> str:
    return f"{organisation.name} [{organisation.country or '??'}]"


def _owner(party: Any) -> str:
    share = f", {party.ownership:.0%}" if party.ownership is not None else ""
    return f"{_org(party)} ({party.relation} via {' > '.join(party.path)}{share})"


def _serving(resolution: Any) -> str:
    serving = resolution.serving
    if serving is None and resolution.serving_candidates:
        return ("AMBIGUOUS: self-hosted, or sent to "
                + " or ".join(o.name for o in resolution.serving_candidates))
    if serving is None:
        return "self-hosted / not an API call" if resolution.status == "resolved" else "-"
    where = serving.data_country or "data country unknown"
    who = "first party" if serving.first_party else "third party"
    owners = [_owner(p) for p in resolution.parties if p.role == "serving-parent"]
    head = f"{serving.organisation.name} ({serving.host or 'host unknown'}, {where}, {who})"
    if len(resolution.serving_candidates) > 1:
        head = ("AMBIGUOUS without a base URL: "
                + " or ".join(o.name for o in resolution.serving_candidates) + "\n" + head)
    return "\n".join([head, *owners])
