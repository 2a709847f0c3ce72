"""``riskcheck resolve``: show what model references lead to (vendor, lineage, owners, serving)."""

from typing import Annotated

import typer

from riskcheck.cli.options import DataDirOption, FormatOption, OfflineOption, OutputOption

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
    from riskcheck.app.resolve import resolve as resolve_models
    from riskcheck.cli.options import table_width, write_output
    from riskcheck.formats.resolve_view import render_resolutions

    resolutions = resolve_models(models, offline=offline, data_dir=data_dir, usage=usage,
                                 base_url=base_url, provider=provider)
    write_output(render_resolutions(resolutions, format, table_width(output)), output)
