"""``riskcheck scan`` and ``riskcheck init``: find the models a repository really uses."""

from pathlib import Path
from typing import Annotated

import typer

from riskcheck.cli.options import FormatOption, OutputOption

IncludeDocs = Annotated[
    bool, typer.Option("--include-docs", help="Also read Markdown, reStructuredText and text docs.")
]


def _scan(path: Path, include_docs: bool):  # type: ignore[no-untyped-def]
    from riskcheck.cli.console import progress_bar
    from riskcheck.progress import NULL_PROGRESS, RichProgressAdapter
    from riskcheck.app.scan import scan as scan_path

    with progress_bar("items") as bar:  # counted in files
        progress = RichProgressAdapter(bar) if bar is not None else NULL_PROGRESS
        return scan_path(path, include_docs=include_docs, progress=progress)


def scan(
    path: Annotated[Path, typer.Argument(help="Repository or directory to scan.")] = Path("."),
    format: FormatOption = "table",
    output: OutputOption = None,
    include_docs: IncludeDocs = False,
) -> None:
    """List the model references found in PATH's code and configuration, with file:line.

    Reads Python (via its syntax tree, never executed), LiteLLM configs, Ollama Modelfiles and
    commands, vLLM/TGI launch arguments, Docker Compose, Kubernetes and Helm YAML, .env files,
    JS/TS configs, CycloneDX ML-BOMs and model cards. Respects .gitignore and .riskcheckignore.

    Example: riskcheck scan . --format json -o models.json
    """
    from riskcheck.cli.options import write_output
    from riskcheck.cli.options import table_width
    from riskcheck.formats.scan_view import render_scan

    result = _scan(path, include_docs)
    width = table_width(output)
    write_output(render_scan(result, format, width), output)


def init(
    path: Annotated[Path, typer.Argument(help="Repository to scan.")] = Path("."),
    format: Annotated[str, typer.Option("--format", "-f", help="yaml (default) or json.")] = "yaml",
    output: OutputOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing manifest.")] = False,
    include_docs: IncludeDocs = False,
) -> None:
    """Write a riskcheck.yaml listing the models found in PATH, for review.

    The manifest is written to PATH/riskcheck.yaml unless --output says otherwise ('-' prints
    it). An existing manifest is kept unless --force is given.

    Example: riskcheck init . && riskcheck check riskcheck.yaml
    """
    from riskcheck.app.scan import manifest_draft
    from riskcheck.cli import console
    from riskcheck.cli.options import write_output
    from riskcheck.errors import InputError

    if format not in ("yaml", "json"):
        raise InputError(f"unknown format {format!r} for init (choose one of: yaml, json)")
    root = path if path.is_dir() else path.parent
    target = output if output is not None else root / "riskcheck.yaml"
    if str(target) != "-" and target.exists() and not force:
        raise InputError("manifest already exists", path=str(target),
                         hint="review it, or pass --force to replace it")
    result = _scan(path, include_docs)
    text = manifest_draft(result, root.resolve().name, as_json=format == "json")
    write_output(text, None if str(target) == "-" else target)
    if str(target) != "-":
        console.info(f"wrote {target} with {text.count('- id:') or len(result.references)} "
                     "models; review it, then run 'riskcheck check'")
