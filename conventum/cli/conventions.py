"""Subcommands on one convention: types, schema, validate, render."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.table import Table

from conventum import api
from conventum.cli.registering import chosen_register, open_for_render, register_option, register_rendered
from conventum.cli.reporting import (
    TODAY_HELP,
    annexes_dir_option,
    failure_report,
    issues_report,
    parse_today,
    print_issues,
    stderr_console,
)
from conventum.errors import ConventumError, ExitCode, UsageError, ValidationFailed
from conventum.issues import Issue, errors
from conventum.model.catalogue import available_types, load_type
from conventum.model.json_schema import json_schema
from conventum.pdf.levels import PdfA


@click.command("types")
@click.option(
    "--format", "fmt", type=click.Choice(["texte", "json"]), default="texte", help="Format de la liste."
)
def types_command(fmt: str) -> None:
    """Liste les types de convention installés."""
    if fmt == "json":
        listed = []
        for name in sorted(available_types()):
            ctype = load_type(name)
            roles = [{"role": role.role, "libelle": role.libelle} for role in ctype.roles]
            described: dict[str, Any] = {"type": name, "titre": ctype.titre, "description": ctype.description}
            listed.append(described | {"version": ctype.version, "roles": roles})
        click.echo(json.dumps({"version": 1, "types": listed}, ensure_ascii=False, indent=2))
        return
    table = Table(show_header=True, header_style="bold", box=None)
    table.add_column("type")
    table.add_column("description")
    for name in sorted(available_types()):
        ctype = load_type(name)
        table.add_row(name, ctype.description or ctype.titre)
    Console(soft_wrap=True).print(table)


@click.command("schema")
@click.argument("type_name", metavar="TYPE")
def schema_command(type_name: str) -> None:
    """Écrit le schéma JSON d’un type de convention sur la sortie standard."""
    click.echo(json.dumps(json_schema(load_type(type_name)), ensure_ascii=False, indent=2, default=str))


@click.command("validate")
@click.argument("type_name", metavar="TYPE")
@click.argument("data", metavar="DONNEES")
@click.option(
    "--format", "fmt", type=click.Choice(["texte", "json"]), default="texte", help="Format du rapport."
)
@click.option("--strict", is_flag=True, help="Traite les avertissements comme des erreurs.")
@click.option("--today", "today", metavar="DATE", help=TODAY_HELP)
def validate_command(type_name: str, data: str, fmt: str, strict: bool, today: str | None) -> None:
    """Vérifie des données sans rien produire (code 0 : valide, 1 : avertissements, 5 : erreurs)."""
    try:
        ctype = load_type(type_name)
        result = api.validate(ctype, data, today=parse_today(today))
    except ConventumError as exc:
        if fmt != "json":
            raise
        _json_failure(exc, type=type_name, strict=strict)
    issues = _strictly(result.issues, strict)
    if fmt == "json":
        click.echo(issues_report(issues, data=result.data, ctype=ctype, type=type_name, strict=strict))
    elif issues:
        print_issues(issues, stderr_console(), data=result.data, ctype=ctype)
    else:
        stderr_console().print("[green]Données valides.[/]")
    if errors(issues):
        sys.exit(ExitCode.INVALID_DATA)
    if issues:
        sys.exit(ExitCode.WARNINGS)


@click.command("render")
@click.argument("type_name", metavar="TYPE")
@click.argument("data", metavar="DONNEES")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, allow_dash=True),
    help="Fichier .docx ou .pdf ; « - » écrit le document sur la sortie standard (voir --en).",
)
@click.option(
    "--en",
    "stdout_format",
    type=click.Choice(["docx", "pdf"]),
    default="docx",
    help="Avec -o - : le format du document écrit sur la sortie standard.",
)
@click.option("-f", "--force", is_flag=True, help="Remplace le fichier de sortie s’il existe.")
@click.option("--strict", is_flag=True, help="Refuse aussi les données qui n’ont que des avertissements.")
@click.option("--today", "today", metavar="DATE", help=TODAY_HELP)
@click.option(
    "--pdfa",
    type=click.Choice(["1b", "2b"]),
    is_flag=False,
    flag_value="2b",
    default=None,
    help="PDF/A pour l’archivage (sortie .pdf) : 2b (par défaut, --pdfa seul) ou 1b.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["texte", "json"]), default="texte", help="Format du compte rendu."
)
@annexes_dir_option
@register_option
def render_command(  # noqa: PLR0913 - one parameter per option, as Click passes them
    type_name: str,
    data: str,
    output: Path,
    *,
    stdout_format: str,
    force: bool,
    strict: bool,
    today: str | None,
    pdfa: str | None,
    fmt: str,
) -> None:
    """Produit la convention remplie, en DOCX ou en PDF selon l’extension de sortie."""
    day = parse_today(today)
    report: dict[str, Any] = {"type": type_name, "strict": strict}
    base = chosen_register()
    to_stdout = str(output) == "-"
    _check_destination(to_stdout=to_stdout, fmt=fmt, registering=base is not None)
    try:
        if base is not None:
            open_for_render(base)  # a register that cannot be opened: nothing is rendered
        if to_stdout:
            kind: api.OutputFormat = "pdf" if stdout_format == "pdf" else "docx"
            document = _to_stdout(type_name, data, kind, today=day, strict=strict, pdfa=pdfa)
        else:
            document = api.render(type_name, data, output, force=force, today=day, strict=strict, pdfa=pdfa)
    except ConventumError as exc:
        if fmt != "json":
            raise
        _json_failure(exc, **report, fichier=None)
    if base is not None:
        report["registre"] = register_rendered(base, document, output)
    _tell(document, output, fmt=fmt, report=report, to_stdout=to_stdout)


def _check_destination(*, to_stdout: bool, fmt: str, registering: bool) -> None:
    if to_stdout and fmt == "json":
        raise UsageError("-o - écrit le document sur la sortie standard : --format json n’y a pas de place")
    if to_stdout and registering:
        raise UsageError("-o - et --registre : le registre retient le fichier écrit, indiquez-en un")


def _tell(document: api.Document, output: Path, *, fmt: str, report: dict[str, Any], to_stdout: bool) -> None:
    """What was written, and the warnings: as JSON on stdout, or for the clerk on stderr."""
    ctype = document.ctype
    if fmt == "json":
        click.echo(
            issues_report(document.issues, data=document.data, ctype=ctype, **report, fichier=str(output))
        )
        return
    if document.issues:
        print_issues(document.issues, stderr_console(), data=document.data, ctype=ctype)
    if not to_stdout:
        stderr_console().print(f"[green]Écrit :[/] {output}")


def _to_stdout(
    type_name: str, data: str, kind: api.OutputFormat, *, today: date | None, strict: bool, pdfa: PdfA
) -> api.Document:
    """``-o -``: the document written on standard output, for a pipe."""
    document = api.render_document(type_name, data, fmt=kind, today=today, strict=strict, pdfa=pdfa)
    sys.stdout.buffer.write(document.content)
    sys.stdout.buffer.flush()
    return document


def _strictly(issues: Sequence[Issue], strict: bool) -> list[Issue]:
    """The issues as ``--strict`` counts them: every warning an error."""
    return [replace(issue, severity="error") for issue in issues] if strict else list(issues)


def _json_failure(exc: ConventumError, **report: Any) -> NoReturn:
    """The JSON report of a run that failed: its problems, or why nothing could be checked."""
    if isinstance(exc, ValidationFailed):
        issues = _strictly(exc.issues, bool(report.get("strict")))
        click.echo(issues_report(issues, data=exc.data, ctype=exc.ctype, **report))
    else:
        click.echo(failure_report(exc, **report))
    sys.exit(exc.exit_code)


COMMANDS = [types_command, schema_command, validate_command, render_command]
