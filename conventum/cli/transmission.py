"""``conventum registre transmission``: a convention's hand-off to the préfecture, in the register."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from conventum.cli.reporting import parse_today, stderr_console
from conventum.errors import UsageError
from conventum.french.formatting import format_date


def day(value: str | None, option: str) -> date | None:
    """A date option (AAAA-MM-JJ or JJ/MM/AAAA), its error naming the option."""
    try:
        return parse_today(value)
    except click.BadParameter as exc:
        raise click.BadParameter(exc.message, param_hint=option) from exc


def _day(value: date) -> str:
    return format_date(value).replace("\u00a0", " ")


@click.command("transmission")
@click.argument("numero", type=int, metavar="N")
@click.option(
    "--numero-actes", "numero_actes", help="Numéro de l’acte transmis (chiffres, majuscules, « _ »)."
)
@click.option("--siren", metavar="SIREN", help="SIREN de la collectivité qui transmet.")
@click.option("--date", "sent", metavar="DATE", help="Date de transmission (AAAA-MM-JJ).")
@click.option(
    "--ar",
    "ar_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="L’accusé de réception (ARActe XML) rendu par le tiers de télétransmission.",
)
@click.option(
    "--accuse-le", "received", metavar="DATE", help="Date de l’accusé de réception, saisie à la main."
)
@click.option(
    "--base",
    metavar="FICHIER|URL",
    envvar="CONVENTUM_REGISTRE",  # the environment read at the command's edge, as the other commands do
    help="Registre (comme pour les autres commandes « registre »).",
)
def transmission_command(
    numero: int, numero_actes: str | None, siren: str | None, sent: str | None,
    ar_file: Path | None, received: str | None, base: str | None,
) -> None:  # fmt: skip
    """Inscrit la transmission d’une convention au contrôle de légalité (numéro ACTES, date, accusé)."""
    from conventum.register.store import Register  # noqa: PLC0415
    from conventum.register.transmissions import (  # noqa: PLC0415
        Transmission,
        read_acknowledgement,
        record_transmission,
    )

    ack = read_acknowledgement(ar_file) if ar_file else None
    chosen_numero = numero_actes or (ack.numero if ack else None)
    chosen_siren = siren or (ack.siren if ack else None)
    sent_on = day(sent, "--date") or (ack.recu_le if ack else None)
    missing = [name for name, value in (("--numero-actes", chosen_numero), ("--siren", chosen_siren),
                                        ("--date", sent_on)) if not value]  # fmt: skip
    if missing:
        raise UsageError(f"indiquez {', '.join(missing)} (ou l’accusé de réception avec --ar)")
    if ack and numero_actes and ack.numero != numero_actes:
        raise UsageError(f"l’accusé de réception porte le numéro {ack.numero}, et non {numero_actes}")
    assert chosen_numero and chosen_siren and sent_on  # for mypy: checked above
    transmission = Transmission(
        numero, chosen_siren, chosen_numero, sent_on,
        ack.identifiant if ack else None, day(received, "--accuse-le") or (ack.recu_le if ack else None),
    )  # fmt: skip
    with Register(base) as register:
        record_transmission(register, transmission)
    accuse = f", accusé de réception du {_day(transmission.accuse_le)}" if transmission.accuse_le else ""
    stderr_console().print(
        f"Convention n°{numero} : transmise le {_day(sent_on)} sous le numéro {chosen_numero}{accuse}."
    )
