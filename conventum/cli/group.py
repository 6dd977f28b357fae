"""The ``conventum`` group: conventum's errors turned into a French message and their exit code."""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from conventum.cli.reporting import console_error, fail, failure_report
from conventum.errors import ConventumError, ExitCode, UsageError


class ConventumGroup(click.Group):
    """A group that turns conventum's errors into a French message and their own exit code."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["conventum.argv"] = list(args)  # to answer a usage error in JSON when asked
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            if not _wants_json(ctx.meta.get("conventum.argv", [])):
                raise
            report = failure_report(UsageError(exc.format_message()), type=None, strict=False)
            click.echo(report)
            sys.exit(ExitCode.USAGE)
        except ConventumError as exc:
            fail(exc)
        except KeyboardInterrupt:
            console_error("Interrompu.")
            sys.exit(ExitCode.INTERRUPTED)


def _wants_json(argv: list[str]) -> bool:
    """``--format json`` (or ``--format=json``) among the arguments."""
    pairs = zip(argv, [*argv[1:], ""], strict=True)
    return "--format=json" in argv or any(a == "--format" and b == "json" for a, b in pairs)


@click.group(
    cls=ConventumGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
)
@click.version_option(package_name="conventum")
@click.option("-v", "--verbose", is_flag=True, help="Affiche le détail des opérations.")
def main(verbose: bool) -> None:
    """Remplit et vérifie les conventions entre collectivités, en DOCX ou PDF."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")
