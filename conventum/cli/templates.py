"""Subcommands on Word templates: import content controls, fill them in place, check a template."""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from conventum.cli.reporting import stderr_console
from conventum.errors import DataFileError, ExitCode, UsageError
from conventum.issues import Issue
from conventum.model.catalogue import ConventionType, available_types, load_type, read_type, resource_dir
from conventum.model.loading import load_data
from conventum.output import check_writable, write_atomic
from conventum.settings import limits
from conventum.word.checking import check_template, context_names, sample_contexts
from conventum.word.fields import FieldInfo, merged_fields, short_label
from conventum.word.filling import fill_word
from conventum.word.importing import ImportResult, import_word, write_import

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
@click.option("--type", "type_name", required=True, help="Nom du type à créer (ex. adhesion-commune).")
@click.option(
    "--dossier",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    help="Dossier où écrire templates/ et schemas/ (par défaut le dossier courant).",
)
@click.option("-f", "--force", is_flag=True, help="Remplace un type importé du même nom.")
def import_command(legacy: Path, type_name: str, dossier: Path, force: bool) -> None:
    """Importe un modèle Word à contrôles de contenu : un modèle conventum et son schéma."""
    if not re.fullmatch(TYPE_NAME, type_name):
        raise UsageError(f"nom de type invalide « {type_name} » (minuscules, chiffres et tirets)")
    if (resource_dir("schemas") / f"{type_name}.yaml").is_file():
        raise UsageError(f"« {type_name} » est un type intégré de conventum : choisissez un autre nom")
    result = import_word(_read(legacy), name=type_name, source=legacy.name)
    template, schema = write_import(result, dossier, force=force)
    print_summary(result)
    console = stderr_console()
    _print_macros(result.analysis.package.macros, console)
    console.print(f"[green]Écrit :[/] {template}\n[green]Écrit :[/] {schema}")
    checked = check_template(result.template, schema=result.schema)
    if checked.issues:
        console.print("À revoir dans le modèle produit (conventum check) :")
        _print_check(checked.issues, console)


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


def print_summary(result: ImportResult) -> None:
    """The fields found, as a table; then what could not be mapped."""
    table = Table(title=f"Champs de « {result.name} »", header_style="bold")
    table.add_column("champ", no_wrap=True)
    table.add_column("type", no_wrap=True)
    for column in ("libellé", "contrôle Word", "valeurs"):
        table.add_column(column, overflow="fold")
    for info in result.analysis.fields.values():
        _add_rows(table, info, "")
    console = Console(soft_wrap=True)
    console.print(table)
    errors = stderr_console()
    for info in merged_fields(result.analysis.fields):
        count = len([control for control in info.controls if not control.duplicate])
        errors.print(
            f"« {info.label} » : {count} contrôles sans balise, de même titre, réunis en un champ "
            f"« {info.name} » (des balises distinctes les garderaient séparés)"
        )
    if not result.analysis.fields:
        errors.print("[yellow]Aucun contrôle de contenu à importer dans ce fichier.[/]")
    for control in result.analysis.unmapped:
        where = control.part.removeprefix("word/")
        name = short_label(control.alias or control.tag or control.placeholder or "sans titre")
        errors.print(
            f"[yellow]non importé[/] contrôle « {control.kind} » ({name}) dans {where} : laissé tel quel"
        )
    if result.analysis.legacy_fields:
        count = result.analysis.legacy_fields
        errors.print(f"[yellow]non importé[/] {count} ancien(s) champ(s) de formulaire Word (FORMTEXT…)")


def _add_rows(table: Table, info: FieldInfo, prefix: str) -> None:
    spec = info.typed
    values = ", ".join(str(label) for label in spec.choices.values())
    kind = spec.kind + (f" ({spec.date_format})" if spec.date_format else "")
    table.add_row(prefix + info.name, kind, info.label, info.kind, values)
    for child in info.children.values():
        _add_rows(table, child, f"{prefix}{info.name}[].")


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
