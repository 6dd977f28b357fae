"""The ``publication`` subcommand: what a séance (or one délibération) publishes since July 2022."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from conventum.cli.reporting import json_failures, parse_today, stderr_console
from conventum.errors import UsageError


@click.command("publication")
@click.argument("data", metavar="SEANCE|DELIBERATION")
@click.option(
    "--classification",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Classification de la collectivité (RetourClassification XML) : le nom des matières.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="Dossier à créer (actes publiés, liste des délibérations, feuillet de clôture, CSV SCDL).",
)
@click.option("-f", "--force", is_flag=True, help="Remplace le dossier de sortie s’il existe.")
@click.option(
    "--format", "fmt", type=click.Choice(["texte", "json"]), default="texte", help="Format du compte rendu."
)
@click.option(
    "--joindre-signe",
    "attach",
    is_flag=True,
    help="Publie un acte signé en le joignant tel quel à sa page de publication.",
)
@click.option("--matiere", metavar="CODE", help="Délibération seule : sa classification (par exemple 1.4).")
@click.option("--siret", metavar="SIRET", help="Délibération seule : SIRET de la collectivité.")
@click.option("--collectivite", metavar="NOM", help="Délibération seule : nom de la collectivité.")
@click.option("--mise-en-ligne", "online", metavar="DATE", help="Délibération seule : date de mise en ligne.")
@click.option(
    "--pdf",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Délibération seule : la délibération signée (PDF).",
)
def publication_command(data: str, **options: Any) -> None:
    """Publie une séance : actes avec la mention légale, liste, feuillet de clôture, données SCDL."""
    from conventum.publication.writing import publication_json  # noqa: PLC0415

    with json_failures(options["fmt"] == "json"):
        seance, published = _publish(data, options)
    if options["fmt"] == "json":
        click.echo(json.dumps(publication_json(seance, published), ensure_ascii=False, indent=2))
        return
    console = stderr_console()
    for name in published.files:
        console.print(f"  {name}")
    for issue in published.warnings:
        console.print(f"[yellow]avertissement[/] {issue.message}")
    for name, why in published.non_pdfa.items():
        console.print(f"[yellow]avertissement[/] {name} n’est pas au format PDF/A : {why}.")
    console.print(f"[green]Écrit :[/] {published.folder}")


def _publish(data: str, options: dict[str, Any]) -> tuple[Any, Any]:
    from conventum.actes.classification import read_classification  # noqa: PLC0415
    from conventum.model.loading import load_data  # noqa: PLC0415
    from conventum.publication.seance import load_seance, seance_of_one  # noqa: PLC0415
    from conventum.publication.writing import write_publication  # noqa: PLC0415

    raw = load_data(data)
    if "deliberations" in raw:
        seance = load_seance(Path(data))
    else:
        missing = [f"--{name}" for name in ("matiere", "siret", "collectivite") if not options[name]]
        if missing:
            raise UsageError(f"une délibération seule demande {', '.join(missing)}")
        seance = seance_of_one(raw, matiere=options["matiere"], options={
            "collectivite": {"nom": options["collectivite"], "siret": options["siret"]},
            "mise_en_ligne": parse_today(options["online"]) or dt.date.today(),
            "pdf": options["pdf"],
        })  # fmt: skip
    classification = read_classification(options["classification"])
    published = write_publication(
        seance, classification, options["output"], force=options["force"], attach=options["attach"]
    )
    return seance, published


@click.command("tables")
@click.argument("seances", nargs=-1, required=True, metavar="SEANCE...")
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False), help="Le PDF à écrire."
)
@click.option("-f", "--force", is_flag=True, help="Remplace le fichier s’il existe.")
def tables_command(seances: tuple[str, ...], output: Path, force: bool) -> None:
    """Tables du registre des délibérations : par date et par objet, sur les séances données."""
    from conventum.publication.seance import load_seance  # noqa: PLC0415
    from conventum.publication.tables import write_tables  # noqa: PLC0415

    loaded = [load_seance(Path(path)) for path in seances]
    write_tables(loaded, output, force=force)
    count = sum(len(seance.deliberations) for seance in loaded)
    stderr_console().print(f"[green]Écrit :[/] {output} ({count} délibération(s), {len(loaded)} séance(s))")


COMMANDS = [publication_command, tables_command]
