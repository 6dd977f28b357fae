"""The ``conventum`` group: conventum's errors turned into a French message and their exit code."""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from conventum.cli.reporting import console_error, fail
from conventum.errors import ConventumError, ExitCode


class ConventumGroup(click.Group):
    """A group that turns conventum's errors into a French message and their own exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConventumError as exc:
            fail(exc)
        except KeyboardInterrupt:
            console_error("Interrompu.")
            sys.exit(ExitCode.INTERRUPTED)


@click.group(cls=ConventumGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="conventum")
@click.option("-v", "--verbose", is_flag=True, help="Affiche le détail des opérations.")
def main(verbose: bool) -> None:
    """Remplit et vérifie les conventions entre collectivités, en DOCX ou PDF."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")
