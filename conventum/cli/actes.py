"""The ``actes`` subcommand: the hand-off of a signed acte to the contrôle de légalité."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from conventum.cli.reporting import json_failures, parse_today, stderr_console
from conventum.errors import UsageError

DATE_HELP = "(AAAA-MM-JJ ou JJ/MM/AAAA)"


def _annexe(value: str) -> tuple[Path, str | None]:
    """``FICHIER`` or ``FICHIER:CODE`` (the code of the piece in the classification)."""
    path, _, code = value.partition(":") if ":" in Path(value).name else (value, "", "")
    return Path(path), code or None


@click.command("actes")
@click.argument("arguments", nargs=-1, required=True, metavar="[TYPE] DONNEES")
@click.option(
    "--classification",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Classification de la collectivité (RetourClassification XML de son TdT).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="Dossier à créer pour l’envoi (message ACTES, pièces, JSON ls-actes, ZIP du glaneur).",
)
@click.option("-f", "--force", is_flag=True, help="Remplace le dossier de sortie s’il existe.")
@click.option(
    "--format", "fmt", type=click.Choice(["texte", "json"]), default="texte", help="Format du compte rendu."
)
@click.option(
    "--numero", metavar="NUMERO", help="Numéro de l’acte (chiffres, majuscules, « _ » ; 15 au plus)."
)
@click.option(
    "--objet", metavar="OBJET", help="Objet de l’acte (par défaut : le titre du type et les parties)."
)
@click.option("--matiere", metavar="CODE", help="Code de classification (matière), par exemple 1.4 ou 1.4.2.")
@click.option("--date-decision", "decision", metavar="DATE", help=f"Date de la décision {DATE_HELP}.")
@click.option(
    "--date-transmission",
    "transmission",
    metavar="DATE",
    help=f"Date de transmission {DATE_HELP}, par défaut aujourd’hui.",
)
@click.option("--siren", metavar="SIREN", help="SIREN de la collectivité qui transmet.")
@click.option(
    "--departement", metavar="DEPT", help="Département de la collectivité, sur trois caractères (062)."
)
@click.option(
    "--pdf",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="L’acte signé (PDF) ; sans lui, conventum le produit des données.",
)
@click.option(
    "--autorisation",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="La délibération qui autorise la convention (PDF), jointe en annexe.",
)
@click.option(
    "--avenant",
    is_flag=True,
    help="L’acte est un avenant (pièce 42_AC) à la convention que décrivent les données ; --pdf obligatoire.",
)
@click.option(
    "--annexe",
    "annexes",
    multiple=True,
    metavar="FICHIER[:CODE]",
    help="Une annexe (PDF), avec le code de son type de pièce si besoin ; répétable.",
)
def actes_command(arguments: tuple[str, ...], **options: Any) -> None:
    """Prépare l’envoi d’un acte au contrôle de légalité (@CTES, Pastell, S²LOW)."""
    from conventum.actes.writing import envoi_json, warnings  # noqa: PLC0415 - lxml, the renderer on demand

    with json_failures(options["fmt"] == "json"):
        written = _write(arguments, options)
    if options["fmt"] == "json":
        click.echo(json.dumps(envoi_json(written), ensure_ascii=False, indent=2))
        return
    console = stderr_console()
    console.print(f"Acte {written.envoi.acte_id} : {written.envoi.objet}")
    for name in written.files:
        console.print(f"  {name}")
    for issue in warnings(written.envoi):
        console.print(f"[yellow]avertissement[/] {issue.message}")
    console.print(f"[green]Écrit :[/] {written.folder}")


def _write(arguments: tuple[str, ...], options: dict[str, Any]) -> Any:
    from conventum.actes.sources import Request  # noqa: PLC0415
    from conventum.actes.writing import write_envoi  # noqa: PLC0415
    from conventum.model.loading import load_data  # noqa: PLC0415

    if len(arguments) > 2:
        raise UsageError("au plus deux arguments : [TYPE] DONNEES")
    type_name, data_file = (None, arguments[0]) if len(arguments) == 1 else arguments
    request = Request(
        transmission=parse_today(options["transmission"]) or dt.date.today(),
        decision=parse_today(options["decision"]),
        annexes=[_annexe(value) for value in options["annexes"]],
        **{
            key: options[key]
            for key in (
                "numero",
                "objet",
                "matiere",
                "siren",
                "departement",
                "pdf",
                "autorisation",
                "avenant",
            )
        },
    )
    return write_envoi(
        type_name,
        load_data(data_file),
        request,
        options["output"],
        classification=options["classification"],
        force=options["force"],
    )


COMMANDS = [actes_command]
