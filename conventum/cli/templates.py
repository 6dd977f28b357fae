"""Subcommands on Word templates: import content controls, fill them in place, check a template."""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from conventum.cli.reporting import stderr_console
from conventum.errors import DataFileError, ExitCode, ImportRefused, UsageError
from conventum.issues import Issue
from conventum.model.catalogue import ConventionType, available_types, load_type, read_type, resource_dir
from conventum.model.loading import load_data
from conventum.output import check_writable, write_atomic
from conventum.settings import limits
from conventum.word.checking import check_template, context_names, sample_contexts
from conventum.word.filling import fill_word
from conventum.word.recognition.prepare import prepare_import, write_prepared

TYPE_NAME = r"[a-z0-9][a-z0-9-]*"


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > limits().max_archive_bytes:
            raise DataFileError("fichier trop volumineux pour un document Word", path=str(path))
        return path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"fichier illisible ({exc.strerror})", path=str(path)) from exc


@click.command("import")
@click.argument("legacy", metavar="MODELE_WORD", type=click.Path(path_type=Path))
@click.option("--type", "type_name", required=True, help="Nom du type à créer (ex. medecine-preventive).")
@click.option(
    "--dossier",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    help="Dossier où écrire templates/ et schemas/ (par défaut le dossier courant).",
)
@click.option("-f", "--force", is_flag=True, help="Remplace un type importé du même nom.")
@click.option(
    "--format", "fmt", type=click.Choice(["texte", "json"]), default="texte", help="Format du compte rendu."
)
def import_command(legacy: Path, type_name: str, dossier: Path, force: bool, fmt: str) -> None:
    """Importe une convention Word (contrôles de contenu, champs de fusion ou blancs) en un type :
    parties, clôture et champs reconnus, avec le compte rendu.

    Rien n’est écrit si l’import échoue ; un type importé existant n’est remplacé qu’avec --force."""
    if not re.fullmatch(TYPE_NAME, type_name):
        raise UsageError(f"nom de type invalide « {type_name} » (minuscules, chiffres et tirets)")
    if (resource_dir("schemas") / f"{type_name}.yaml").is_file():
        raise UsageError(f"« {type_name} » est un type intégré de conventum : choisissez un autre nom")
    try:
        prepared = prepare_import(_read(legacy), name=type_name, source=legacy.name)
    except ImportRefused as exc:
        if fmt != "json":
            raise
        click.echo(json.dumps(_refusal(exc, type_name, legacy.name), ensure_ascii=False, indent=2))
        sys.exit(exc.exit_code)
    template, schema = write_prepared(prepared, dossier, force=force)
    click.echo(prepared.report.json() if fmt == "json" else prepared.report.text())
    console = stderr_console()
    console.print(f"[green]Écrit :[/] {template}\n[green]Écrit :[/] {schema}")


def _refusal(exc: ImportRefused, name: str, source: str) -> dict[str, Any]:
    problems = [problem.as_dict() for problem in exc.problems]
    return {"type": name, "source": source, "erreur": exc.message, "problemes": problems}


def _print_macros(dropped: tuple[str, ...], console: Console) -> None:
    if dropped:
        console.print(
            f"[yellow]macros retirées[/] : {', '.join(dropped)} (le fichier produit est un .docx sans macro)",
            highlight=False,
        )


def zip_names(content: bytes) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return []


@click.command("fill")
@click.argument("legacy", metavar="MODELE_WORD", type=click.Path(path_type=Path))
@click.argument("data", metavar="DONNEES")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="Fichier .docx produit.")
@click.option("-f", "--force", is_flag=True, help="Remplace le fichier de sortie s’il existe.")
def fill_command(legacy: Path, data: str, output: Path, force: bool) -> None:
    """Remplit les contrôles de contenu d’un fichier Word sans les retirer (il reste un formulaire)."""
    if output.suffix.lower() != ".docx":
        raise UsageError(f"le fichier produit doit être un .docx, et non « {output.name} »")
    check_writable(output, force=force)
    content = _read(legacy)
    filled = fill_word(content, load_data(data), source=legacy.name)
    write_atomic(output, filled, force=force)
    _print_macros(
        tuple(name for name in zip_names(content) if "vbaproject" in name.lower()), stderr_console()
    )
    stderr_console().print(f"[green]Écrit :[/] {output}")


@click.command("check")
@click.argument("template", metavar="MODELE", type=click.Path(path_type=Path))
@click.option(
    "--schema", type=click.Path(path_type=Path), help="Schéma YAML du type (sinon schemas/ voisin)."
)
@click.option("--fix", is_flag=True, help="Recolle les balises coupées entre plusieurs morceaux de texte.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Avec --fix : le modèle réparé est écrit là (sinon à la place du modèle, l’original gardé en .bak).",
)
@click.option("-f", "--force", is_flag=True, help="Remplace le fichier de -o s’il existe.")
def check_command(template: Path, schema: Path | None, fix: bool, output: Path | None, force: bool) -> None:
    """Vérifie un modèle : syntaxe de chaque balise, blocs ouverts ou fermés en trop, filtres, attributs,
    variables, balises coupées, textes d’emplacement restés — tout ce que le rendu refuserait."""
    if output is not None and not fix:
        raise UsageError("-o ne sert qu’avec --fix (le modèle réparé)")
    schema = schema or _neighbour_schema(template)
    declared = _load_schema(schema) if schema else None
    known, contexts = _installed_context(schema) if schema else (set(), [])
    original = _read(template)
    result = check_template(original, schema=declared, known=known, fix=fix, contexts=contexts)
    console = stderr_console()
    if result.fixed is not None:
        target = output or template
        if output is None:
            backup = template.with_name(template.name + ".bak")
            write_atomic(backup, original, force=True)
            console.print(f"Original gardé : {backup}")
        else:
            check_writable(output, force=force)
        write_atomic(target, result.fixed, force=output is None or force)
        console.print(f"[green]Modèle réparé écrit :[/] {target}")
    _print_check(result.issues, console)
    if result.errors:
        sys.exit(ExitCode.TEMPLATE)
    if any(issue.code != "template.split_tag_fixed" for issue in result.issues):
        sys.exit(ExitCode.WARNINGS)


def _print_check(issues: list[Issue], console: Console) -> None:
    for issue in issues:
        colour, word = ("red", "erreur") if issue.severity == "error" else ("yellow", "avertissement")
        console.print(f"[{colour}]{word}[/] {issue.path} : {issue.message}", markup=True, highlight=False)
    if not issues:
        console.print("[green]Modèle sans problème.[/]")


def _installed_context(schema: Path) -> tuple[set[str], list[dict[str, Any]]]:
    """For an installed type: the names its context holds, and the contexts of its samples."""
    installed = available_types().get(schema.stem)
    if installed is None or installed.resolve() != schema.resolve():
        return set(), []
    samples = schema.resolve().parent.parent / "samples"  # in a checkout, the types' examples
    found = [*samples.glob(f"{schema.stem}.yaml"), *samples.glob(f"{schema.stem}-*.yaml")]
    ctype = load_type(schema.stem)
    return context_names(ctype, found), sample_contexts(ctype, found)


def _neighbour_schema(template: Path) -> Path | None:
    candidate = template.resolve().parent.parent / "schemas" / f"{template.stem}.yaml"
    return candidate if candidate.is_file() else None


def _load_schema(path: Path) -> ConventionType:
    return read_type(path, load_data(path))  # the data files' bounded loader: a schema is read as safely


COMMANDS = [import_command, fill_command, check_command]
