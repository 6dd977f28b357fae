"""The ``batch`` subcommand: one convention per row of a spreadsheet, with a report."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from conventum.batch.report import REPORT_CSV, REPORT_JSON, STATUS_WORDS
from conventum.batch.run import Batch, BatchOptions, RowResult
from conventum.batch.sheetmodel import write_model
from conventum.cli.reporting import TODAY_HELP, annexes_dir_option, parse_today, stderr_console
from conventum.errors import ExitCode, UsageError
from conventum.model.catalogue import load_type
from conventum.model.loading import load_data
from conventum.output import check_writable, writable_folder


class RateColumn(ProgressColumn):
    """Documents per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:.1f} doc/s", style="cyan")


@click.command("batch")
@click.argument("type_name", metavar="TYPE", required=False)
@click.argument("table", metavar="TABLEUR", required=False, type=click.Path(path_type=Path))
@click.option("--modele", metavar="TYPE", help="Écrit le tableur vide du type (avec -o modele.xlsx).")
@click.option(
    "--commun", type=click.Path(path_type=Path), help="Données communes à toutes les lignes (YAML)."
)
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="Dossier de sortie.")
@click.option("--pdf", is_flag=True, help="Produit des PDF (sinon des DOCX).")
@click.option("--zip", "zip_path", type=click.Path(path_type=Path), help="Réunit les documents dans un zip.")
@click.option("--pattern", help="Nom des fichiers, par ex. « {parties[0].nom}-convention ».")
@click.option("--stop-on-error", is_flag=True, help="Ne produit rien si une ligne est invalide.")
@click.option("--resume", is_flag=True, help="Reprend un lot interrompu : saute les documents déjà faits.")
@click.option("-q", "--quiet", is_flag=True, help="Une ligne par document, sans barre de progression.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Processus (0 : un par cœur).")
@click.option("-f", "--force", is_flag=True, help="Remplace les fichiers existants.")
@click.option("--today", metavar="DATE", help=TODAY_HELP)
@annexes_dir_option
def batch_command(  # noqa: PLR0913 - one parameter per option, as Click passes them
    type_name: str | None,
    table: Path | None,
    *,
    modele: str | None,
    commun: Path | None,
    output: Path,
    pdf: bool,
    zip_path: Path | None,
    pattern: str | None,
    stop_on_error: bool,
    resume: bool,
    quiet: bool,
    jobs: int,
    force: bool,
    today: str | None,
) -> None:
    """Produit une convention par ligne d’un tableur (CSV ou XLSX), avec un rapport."""
    common = load_data(commun) if commun else None
    if modele:
        write_model(load_type(modele), output, commun=common, force=force)
        stderr_console().print(f"[green]Modèle écrit :[/] {output}")
        return
    if not type_name or table is None:
        raise UsageError("indiquez le TYPE et le TABLEUR (ou --modele TYPE)")
    writable_folder(output)
    if zip_path is not None:
        check_writable(zip_path, force=force)
    options = BatchOptions(
        fmt="pdf" if pdf else "docx",
        pattern=pattern,
        jobs=jobs,
        force=force,
        resume=resume,
        stop_on_error=stop_on_error,
        today=parse_today(today),
    )
    batch = Batch(type_name, table, output, commun=common, options=options)
    sys.exit(_run(batch, quiet=quiet, zip_path=zip_path, force=force))


def _run(batch: Batch, *, quiet: bool, zip_path: Path | None, force: bool) -> int:
    console = stderr_console()
    with _progress(console, batch.row_count(), quiet, batch.column_letters) as step:
        summary = batch.run(
            on_result=lambda result, _counts: step(result), zip_path=zip_path, force=force, signals=True
        )
    if summary.interrupted:
        _summary(console, summary.counts, batch.folder, None)
        console.print("[bold red]Interrompu[/] : les lignes non traitées sont marquées « non traité ».")
        return ExitCode.INTERRUPTED
    rows, invalid = sum(summary.counts.values()), summary.counts.get("invalide", 0)
    console.print(f"{rows} ligne(s) lue(s) : {rows - invalid} valide(s), {invalid} invalide(s).")
    _summary(console, summary.counts, batch.folder, zip_path)
    return ExitCode.INVALID_DATA if invalid else summary.failure


@contextmanager
def _progress(console: Console, total: int, quiet: bool, letters: dict[str, str]) -> Iterator[Any]:
    if quiet or not console.is_terminal:
        yield lambda result: click.echo(_line(result, letters))
        return
    columns = (
        TextColumn("Conventions"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("lot", total=total)

        def step(result: RowResult) -> None:
            progress.advance(task)
            if result.statut in ("invalide", "echec"):
                progress.console.print(_line(result, letters), markup=False, highlight=False)

        yield step


def _line(result: RowResult, letters: dict[str, str]) -> str:
    """A row's outcome; each problem with the column the sheet shows it in (« colonne D »)."""
    text = f"ligne {result.ligne} : {STATUS_WORDS[result.statut]}"
    if result.fichier:
        text += f" {result.fichier}"
    if result.erreur:
        text += f" — {result.erreur}"
    for issue in result.issues:
        if issue.severity == "error" or result.statut == "ecrit":
            column = f"colonne {letters[issue.path]}, " if issue.path in letters else ""
            text += f"\n    {column}{issue.path} : {issue.message} ({issue.code})"
    return text


def _summary(console: Console, counts: dict[str, int], folder: Path, zip_path: Path | None) -> None:
    parts = [f"{count} {STATUS_WORDS[status]}" for status, count in sorted(counts.items())]
    console.print("Bilan : " + ", ".join(parts) + ".", highlight=False)
    console.print(f"Rapport : {folder / REPORT_CSV} et {folder / REPORT_JSON}", highlight=False)
    if zip_path is not None:
        console.print(f"Archive : {zip_path}", highlight=False)


COMMANDS = [batch_command]
