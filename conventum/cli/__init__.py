"""The ``conventum`` command: one group; each subcommand's module is imported when it runs."""

from __future__ import annotations

import logging

import click

from conventum.cli import clickfr
from conventum.cli.group import LazyGroup

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
}


@click.group(
    cls=LazyGroup,
    lazy=SUBCOMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
)
@click.version_option(package_name="conventum")
@click.option("-v", "--verbose", is_flag=True, help="Affiche le détail des opérations.")
def main(verbose: bool) -> None:
    """Remplit et vérifie les conventions entre collectivités, en DOCX ou PDF."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")


def run() -> None:
    """Entry point of the ``conventum`` script."""
    main(prog_name="conventum")
