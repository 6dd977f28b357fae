"""``conventum registre avenant`` (an avenant to a registered convention, its consolidated version and
its tracked changes) and ``conventum compare`` (two documents as Word tracked changes)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from conventum.cli.reporting import TODAY_HELP, parse_today, print_issues, stderr_console
from conventum.errors import UsageError
from conventum.french.formatting import format_date

ENGINES = ("conventum", "redlines")


def _outputs(*paths: Path | None) -> list[Path]:
    chosen = [path for path in paths if path is not None]
    if len({path.resolve() for path in chosen}) != len(chosen):
        raise UsageError("deux sorties portent le même nom : donnez un fichier différent à chacune")
    return chosen


@click.command("avenant")
@click.argument("numero", type=int, metavar="N")
@click.argument("source", metavar="FICHIER")
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path), help="L’avenant (.pdf ou .docx)."
)
@click.option(
    "--consolidee",
    type=click.Path(path_type=Path),
    help="La version consolidée de la convention (.pdf ou .docx).",
)
@click.option(
    "--modifications",
    "tracked",
    type=click.Path(path_type=Path),
    help="La convention avec ses modifications en suivi des modifications Word (.docx).",
)
@click.option("--brouillon", is_flag=True, help="Produit les documents sans inscrire l’avenant au registre.")
@click.option("-f", "--force", is_flag=True, help="Remplace les fichiers de sortie s’ils existent.")
@click.option("--today", "today", metavar="DATE", help=TODAY_HELP)
@click.option(
    "--base", metavar="FICHIER|URL", envvar="CONVENTUM_REGISTRE", help="Registre (comme pour « registre »)."
)
def avenant_command(  # noqa: PLR0913, PLR0917 - one parameter per option, as Click passes them
    numero: int, source: str, output: Path, consolidee: Path | None, tracked: Path | None,
    brouillon: bool, force: bool, today: str | None, base: str | None,
) -> None:  # fmt: skip
    """Rédige l’avenant n°… à la convention N du registre et l’y inscrit ; ses échéances suivent la
    durée modifiée (code 5 : fichier invalide, 10 : inconnue, 13 : résiliée, 14 : terminée)."""
    from conventum.api import format_for  # noqa: PLC0415 - the heavy modules, once the command runs
    from conventum.avenants.tracked import compare_docx  # noqa: PLC0415
    from conventum.model.loading import load_data  # noqa: PLC0415
    from conventum.output import check_writable, write_atomic  # noqa: PLC0415
    from conventum.register.store import Register  # noqa: PLC0415

    now = parse_today(today) or date.today()
    if tracked is not None and tracked.suffix.lower() != ".docx":
        raise UsageError("--modifications écrit un document Word : donnez un fichier .docx")
    for path in _outputs(output, consolidee):
        format_for(path)  # .pdf or .docx, refused before anything is made
    for path in _outputs(output, consolidee, tracked):
        check_writable(path, force=force)
    raw = load_data(source)
    with Register(base, create=False) as register:
        from conventum.avenants.service import prepare, record  # noqa: PLC0415

        base_folder = Path(source).parent if source != "-" else Path.cwd()  # annex files beside it
        _current, avenant = prepare(register, numero, raw, today=now, base=base_folder)
        if avenant.issues:
            print_issues(
                list(avenant.issues), stderr_console(), data=avenant.amendment.after, ctype=avenant.ctype
            )
        written = _documents(avenant, output, consolidee, tracked, compare_docx)
        if not brouillon:
            entry = record(register, numero, avenant, raw, content=written[output], path=output, today=now)
    for path, content in written.items():
        write_atomic(path, content, force=force)
    _report(avenant, written, None if brouillon else entry)


def _documents(
    avenant: Any, output: Path, consolidee: Path | None, tracked: Path | None, compare: Any
) -> dict[Path, bytes]:
    """Every document asked, in memory: nothing is written until all of them are made."""
    from conventum.api import format_for  # noqa: PLC0415
    from conventum.pdf.convention import converter_or_new  # noqa: PLC0415

    consolidated = avenant.consolidated_draft()
    asked = [(output, avenant.draft)] + ([(consolidee, consolidated)] if consolidee is not None else [])
    written: dict[Path, bytes] = {}
    if any(format_for(path) == "pdf" for path, _draft in asked):
        with converter_or_new(None) as converter:
            for path, draft in asked:
                written[path] = draft.pdf(converter=converter) if format_for(path) == "pdf" else draft.docx
    else:
        written = {path: draft.docx for path, draft in asked}
    if tracked is not None:
        written[tracked] = compare(avenant.before.docx, avenant.after.docx)  # without the consolidated line
    return written


def _report(avenant: Any, written: dict[Path, bytes], entry: Any) -> None:
    console = stderr_console()
    names = ", ".join(change.piece.name for change in avenant.changes)
    console.print(f"[green]Avenant n°{avenant.numero} :[/] modifie {names}")
    for path in written:
        console.print(f"[green]Écrit :[/] {path}")
    if entry is None:
        console.print("[yellow]Brouillon :[/] l’avenant n’est pas inscrit au registre.")
        return
    console.print(
        f"[green]Inscrit au registre sous la convention n°{entry.numero}[/] (échéances recalculées)"
    )
    for item in sorted(entry.echeances, key=lambda item: item.date)[:3]:
        console.print(f"  {item.date.isoformat()} : {item.action}")
    if entry.fin_definitive is not None:
        console.print(f"  fin au plus tard : {format_date(entry.fin_definitive)}")


@click.command("compare")
@click.argument(
    "original", type=click.Path(path_type=Path, dir_okay=False, exists=True), metavar="AVANT.docx"
)
@click.argument("revised", type=click.Path(path_type=Path, dir_okay=False, exists=True), metavar="APRES.docx")
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path), help="Le document comparé (.docx)."
)
@click.option("-f", "--force", is_flag=True, help="Remplace le fichier de sortie s’il existe.")
@click.option(
    "--moteur",
    type=click.Choice(ENGINES),
    default="conventum",
    help="Comparaison de conventum (par défaut) ou de python-redlines, s’il est installé.",
)
def compare_command(original: Path, revised: Path, output: Path, force: bool, moteur: str) -> None:
    """Compare deux documents Word : le second, ses suppressions et insertions en suivi des modifications.

    Word et LibreOffice montrent chaque mot supprimé ou inséré et permettent de l’accepter ou de le
    refuser."""
    from conventum.avenants.comparing import compare_files  # noqa: PLC0415
    from conventum.output import check_writable, write_atomic  # noqa: PLC0415

    if output.suffix.lower() != ".docx":
        raise UsageError("compare écrit un document Word : donnez un fichier de sortie .docx")
    check_writable(output, force=force)
    content, counts = compare_files(original, revised, engine=moteur)
    write_atomic(output, content, force=force)
    stderr_console().print(
        f"[green]Écrit :[/] {output} ({counts['ins']} insertion(s), {counts['del']} suppression(s))"
    )


COMMANDS = [compare_command]
