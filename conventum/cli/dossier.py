"""The ``dossier`` subcommand: délibération, convention and rapport in one PDF."""

from __future__ import annotations

from pathlib import Path

import click

from conventum.cli.reporting import TODAY_HELP, annexes_dir_option, parse_today, print_issues, stderr_console
from conventum.dossier import PART_FILES, render_dossier


@click.command("dossier")
@click.argument("data", metavar="DOSSIER")
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path), help="Fichier .pdf du dossier."
)
@click.option("-f", "--force", is_flag=True, help="Remplace les fichiers de sortie s’ils existent.")
@click.option(
    "--parties-dir",
    "parts_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help=f"Écrit aussi chaque partie à part dans ce dossier ({', '.join(PART_FILES)}).",
)
@click.option("--strict", is_flag=True, help="Refuse aussi les données qui n’ont que des avertissements.")
@click.option("--today", "today", metavar="DATE", help=TODAY_HELP)
@annexes_dir_option
def dossier_command(
    data: str, output: Path, force: bool, parts_dir: Path | None, strict: bool, today: str | None
) -> None:
    """Produit la délibération, la convention qu’elle autorise et le rapport, en un seul PDF."""
    dossier = render_dossier(
        data, output, force=force, parts_dir=parts_dir, today=parse_today(today), strict=strict
    )
    if dossier.issues:
        print_issues(dossier.issues, stderr_console())
    for part in dossier.parts:
        stderr_console().print(f"  {part.titre}")
    stderr_console().print(f"[green]Écrit :[/] {output}")


COMMANDS = [dossier_command]
