"""``conventum --help`` starts in a blink: it lists the commands from their summaries, imports none
of their modules (issue 30), and says exactly what the commands' own help says."""

from __future__ import annotations

import subprocess
import sys
import threading

import click
import pytest
from click.testing import CliRunner

from conventum.cli import SUBCOMMANDS, SUMMARIES, main


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_each_summary_gives_the_commands_own_short_help(name: str) -> None:
    command = main.get_command(click.Context(main), name)
    assert command is not None
    for limit in (30, 45, 60, 200):
        assert click.Command(name, help=SUMMARIES[name]).get_short_help_str(limit) == (
            command.get_short_help_str(limit)
        )


def test_the_help_lists_the_commands_as_their_modules_would() -> None:
    listed = CliRunner().invoke(main, ["--help"]).output
    summaries = main.summaries
    main.summaries = {}
    try:
        imported = CliRunner().invoke(main, ["--help"]).output
    finally:
        main.summaries = summaries
    assert listed == imported
    assert "render" in listed and "Produit la convention remplie" in listed


def test_the_help_imports_no_command_module() -> None:
    code = (
        "import sys\nfrom conventum.cli import run\nsys.argv = ['conventum', '--help']\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'conventum.cli.', 'rich'))))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "Commandes:" in output
    assert output.strip().splitlines()[-1] in ("['conventum.cli.clickfr', 'conventum.cli.group']",)


def test_a_refused_pdf_stops_the_libreoffice_started_beside_its_validation() -> None:
    from conventum import render_document
    from conventum.errors import ValidationFailed
    from conventum.pdf import converter
    from tests.support import sample

    data = sample("adhesion-centrale-achats")
    data["parties"][0]["adresse"]["code_postal"] = "99999"
    with pytest.raises(ValidationFailed):
        render_document("adhesion-centrale-achats", data, fmt="pdf")
    assert not [thread for thread in threading.enumerate() if thread.name == "conventum-libreoffice-start"]
    assert not converter._OPEN  # every converter closed, its soffice stopped
