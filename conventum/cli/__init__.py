"""The ``conventum`` command: one group; each subcommand's module is imported when it runs."""

from __future__ import annotations

import logging
import os

import click

from conventum.cli import clickfr
from conventum.cli.group import LazyGroup
from conventum.settings import Settings, applied

clickfr.install()  # Click's own help and usage errors in French

# Subcommand → the module that defines it (in its COMMANDS), in the order help lists them.
SUBCOMMANDS = {
    "types": "conventum.cli.conventions",
    "schema": "conventum.cli.conventions",
    "validate": "conventum.cli.conventions",
    "render": "conventum.cli.conventions",
    "dossier": "conventum.cli.dossier",
    "batch": "conventum.cli.batch",
    "import": "conventum.cli.templates",
    "fill": "conventum.cli.templates",
    "check": "conventum.cli.templates",
    "registre": "conventum.cli.register",
    "serve": "conventum.cli.serve",
    "signer": "conventum.cli.signing",
    "verifier": "conventum.cli.signing",
    "actes": "conventum.cli.actes",
    "publication": "conventum.cli.publication",
    "tables": "conventum.cli.publication",
    "worker": "conventum.cli.worker",
    "compare": "conventum.cli.avenants",
}

# Subcommand → the first paragraph of its help, for ``conventum --help`` (which then imports none).
SUMMARIES = {
    "types": "Liste les types de convention installés.",
    "schema": "Écrit le schéma JSON d’un type de convention sur la sortie standard.",
    "validate": "Vérifie des données sans rien produire (code 0 : valide, 1 : avertissements, 5 : erreurs).",
    "render": "Produit la convention remplie, en DOCX ou en PDF selon l’extension de sortie.",
    "dossier": "Produit la délibération, la convention qu’elle autorise et le rapport, en un seul PDF.",
    "batch": "Produit une convention par ligne d’un tableur (CSV ou XLSX), avec un rapport.",
    "import": (
        "Importe une convention Word (contrôles de contenu, champs de fusion ou blancs) en un type : "
        "parties, clôture et champs reconnus, avec le compte rendu."
    ),
    "fill": "Remplit les contrôles de contenu d’un fichier Word sans les retirer (il reste un formulaire).",
    "check": (
        "Vérifie un modèle : syntaxe de chaque balise, blocs ouverts ou fermés en trop, filtres, "
        "attributs, variables, balises coupées, textes d’emplacement restés — tout ce que le rendu "
        "refuserait."
    ),
    "registre": (
        "Registre des conventions signées : inscription, liste, échéances, résiliation, avenants, calendrier."
    ),
    "serve": "Sert le formulaire web (/) et l’API HTTP (/v1, documentée sur /docs).",
    "signer": "Signe le champ d’une partie (PAdES) ; le PDF d’origine n’est jamais modifié.",
    "verifier": "Vérifie hors ligne chaque signature : signataire, date, intégrité, portée, confiance.",
    "actes": "Prépare l’envoi d’un acte au contrôle de légalité (@CTES, Pastell, S²LOW).",
    "publication": (
        "Publie une séance : actes avec la mention légale, liste, feuillet de clôture, données SCDL."
    ),
    "tables": "Tables du registre des délibérations : par date et par objet, sur les séances données.",
    "worker": "Produit les documents que les instances de conventum serve mettent en file.",
    "compare": (
        "Compare deux documents Word : le second, ses suppressions et insertions en suivi des modifications."
    ),
}


@click.group(
    cls=LazyGroup,
    lazy=SUBCOMMANDS,
    summaries=SUMMARIES,
    context_settings={"help_option_names": ["-h", "--help"]},
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
)
@click.version_option(package_name="conventum")
@click.option("-v", "--verbose", is_flag=True, help="Affiche le détail des opérations.")
@click.pass_context
def main(context: click.Context, verbose: bool) -> None:
    """Remplit et vérifie les conventions entre collectivités, en DOCX ou PDF."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")
    # The edge: the environment read once, the settings in effect for the command's time.
    context.with_resource(applied(Settings.from_environment(os.environ)))


def run() -> None:
    """Entry point of the ``conventum`` script."""
    main(prog_name="conventum")
