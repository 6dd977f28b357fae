"""The ``conventum`` command: one group, its subcommands registered from their modules."""

from __future__ import annotations

from conventum.cli import batch, conventions, dossier, serve
from conventum.cli import templates as word_templates
from conventum.cli.group import main

for _module in (conventions, dossier, batch, word_templates, serve):
    for _command in _module.COMMANDS:
        main.add_command(_command)


def run() -> None:
    """Entry point of the ``conventum`` script."""
    main(prog_name="conventum")
