"""``render --registre``: the option, and the register opened only when it is given (SQLAlchemy
and icalendar are not imported by a render that does not register)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from conventum import api


def _remember_register(context: click.Context, _parameter: click.Parameter, value: str | None) -> None:
    context.meta["conventum.registre"] = value


register_option = click.option(
    "--registre",
    is_flag=False,
    flag_value="",
    default=None,
    expose_value=False,
    callback=_remember_register,
    metavar="[BASE]",
    help="Inscrit aussi la convention au registre (BASE : comme --base de « conventum registre »).",
)


def chosen_register() -> str | None:
    """``render --registre [BASE]``: None without the option, "" for the default register."""
    value = click.get_current_context().meta.get("conventum.registre")
    return value if isinstance(value, str) else None


def open_for_render(base: str) -> None:
    """Check the register opens before anything is rendered (nothing is written if it cannot)."""
    from conventum.cli import register  # noqa: PLC0415 - SQLAlchemy, only with --registre

    register.open_for_render(base)


def register_rendered(base: str, document: api.Document, output: Path) -> dict[str, Any]:
    """Inscribe the document just written (see ``conventum registre``)."""
    from conventum.cli import register  # noqa: PLC0415 - SQLAlchemy, only with --registre

    return register.register_rendered(base, document, output)
