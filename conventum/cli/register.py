"""``conventum registre``: the register of signed conventions, its deadlines and their calendar."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from conventum import api
from conventum.cli.reporting import TODAY_HELP, parse_today, print_issues, stderr_console
from conventum.errors import DuplicateRecordError, ValidationFailed
from conventum.french.formatting import format_date
from conventum.issues import errors
from conventum.model.catalogue import load_type
from conventum.output import write_atomic
from conventum.register.database import ENVIRONMENT
from conventum.register.ics import ics_bytes
from conventum.register.records import json_safe, record_of
from conventum.register.reports import STATUS_WORDS, due_json, entry_json, list_json, status_of
from conventum.register.store import Due, Entry, Register

REPORT_VERSION = 1
BASE_HELP = (
    "Registre : un fichier SQLite, ou une URL SQLAlchemy (postgresql://…) ; par défaut"
    " $CONVENTUM_REGISTRE, sinon conventum-registre.sqlite dans le dossier courant."
)
Command = TypeVar("Command", bound=Callable[..., Any])


def register_base(base: str | None) -> str | None:
    """``--base``, else $CONVENTUM_REGISTRE: the environment is read here, at the command's edge."""
    return base or os.environ.get(ENVIRONMENT) or None


def base_option(function: Command) -> Command:
    return click.option("--base", metavar="FICHIER|URL", help=BASE_HELP)(function)


def day(value: str | None, option: str) -> date | None:
    """A date option (AAAA-MM-JJ)."""
    try:
        return parse_today(value)
    except click.BadParameter as exc:
        raise click.BadParameter(exc.message, param_hint=option) from exc


@click.group("registre")
def register_group() -> None:
    """Registre des conventions signées : inscription, liste, échéances, résiliation, avenants, calendrier."""


@register_group.command("ajouter")
@click.argument("type_name", metavar="TYPE")
@click.argument("data", metavar="DONNEES")
@click.option(
    "--document",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Le document signé (.docx, .pdf) : son SHA-256 identifie la convention (sinon celui des données).",
)
@click.option("--today", "today", metavar="DATE", help=TODAY_HELP)
@base_option
def add_command(
    type_name: str, data: str, document: Path | None, today: str | None, base: str | None
) -> None:
    """Inscrit au registre une convention, depuis son fichier de données (code 11 : déjà inscrite)."""
    ctype = load_type(type_name)
    result = api.validate(ctype, data, today=parse_today(today))
    if errors(result.issues) or result.convention is None:
        raise ValidationFailed(result.issues, data=result.data, ctype=ctype)
    if result.issues:
        print_issues(result.issues, stderr_console(), data=result.data, ctype=ctype)
    if document is not None:
        try:
            content = document.read_bytes()
        except OSError as exc:
            raise click.BadParameter(f"{document} : {exc.strerror}", param_hint="--document") from exc
        kind: Any = "document"
    else:
        content = json.dumps(json_safe(result.data), sort_keys=True, ensure_ascii=False).encode()
        kind = "donnees"
    record = record_of(ctype, result.convention, result.data, content=content, kind=kind, path=document)
    with Register(register_base(base), create=True) as register:
        numero = register.add(record)
        _print_added(register, numero)


def register_rendered(base: str, document: api.Document, output: Path) -> dict[str, Any]:
    """``render --registre``: inscribe the document just written; a duplicate is said, not an error."""
    ctype = document.ctype
    assert document.convention is not None
    record = record_of(
        ctype, document.convention, document.data, content=document.content, kind="document", path=output
    )
    with Register(register_base(base), create=True) as register:
        try:
            numero = register.add(record)
        except DuplicateRecordError as exc:
            stderr_console().print(f"[yellow]Registre :[/] {exc.message}")
            return {"numero": exc.record, "doublon": True}
        _print_added(register, numero)
        return {"numero": numero, "doublon": False}


def open_for_render(base: str) -> None:
    """Check the register opens before anything is rendered (nothing is written if it cannot)."""
    Register(register_base(base), create=True).close()


def _print_added(register: Register, numero: int) -> None:
    entry = register.entry(numero)
    console = stderr_console()
    console.print(f"[green]Inscrite au registre sous le n°{numero} :[/] {entry.titre}")
    upcoming = sorted(entry.echeances, key=lambda item: item.date)
    if upcoming:
        console.print(f"  prochaine échéance : {upcoming[0].action}")
    elif entry.debut is None and entry.fin_definitive is None:
        console.print("  échéances : à calculer lorsque la date de signature ou de notification sera connue")


@register_group.command("echeances")
@click.option("--avant", required=True, metavar="DATE", help="Dernier jour retenu (AAAA-MM-JJ).")
@click.option("--depuis", metavar="DATE", help="Premier jour retenu (AAAA-MM-JJ), par défaut aujourd’hui.")
@click.option(
    "--format", "fmt", type=click.Choice(["texte", "json"]), default="texte", help="Format de la liste."
)
@click.option("--today", "today", metavar="DATE", help=TODAY_HELP + " Premier jour retenu sans --depuis.")
@base_option
def due_command(avant: str, depuis: str | None, fmt: str, today: str | None, base: str | None) -> None:
    """Liste ce qui arrive à échéance : les préavis et décisions d’abord, puis fins et reconductions."""
    until = day(avant, "--avant")
    since = day(depuis, "--depuis") or day(today, "--today") or date.today()
    assert until is not None
    if until < since:
        raise click.BadParameter(f"le {until} précède le {since}", param_hint="--avant")
    with Register(register_base(base)) as register:
        found = register.due(since, until)
        unstarted = register.unstarted()
    if fmt == "json":
        report = {
            "version": REPORT_VERSION,
            "depuis": since.isoformat(),
            "avant": until.isoformat(),
            "echeances": [_due_json(item) for item in found],
            "sans_date_de_debut": unstarted,
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    _print_due(found, since, until, unstarted)


def _due_json(item: Due) -> dict[str, Any]:
    return due_json(item)


def _print_due(found: list[Due], since: date, until: date, unstarted: list[int]) -> None:
    """The deadlines as a clerk reads them: what to do first, then what will happen."""
    if not found:
        click.echo(f"Aucune échéance du {format_date(since)} au {format_date(until)}.")
    for heading, items in (
        ("À faire", [item for item in found if item.is_action]),
        ("Pour information", [item for item in found if not item.is_action]),
    ):
        if not items:
            continue
        click.echo(f"{heading} :")
        for item in items:
            click.echo(f"  {item.date.isoformat()}  n°{item.numero}  {item.action}")
            click.echo(f"  {'':10}  {item.titre} — {' ; '.join(item.parties)}")
    if unstarted:
        listed = ", ".join(f"n°{n}" for n in unstarted)
        click.echo(f"Sans date de début (signature ou notification à enregistrer) : {listed}.")


@register_group.command("ics")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="Fichier .ics.")
@click.option("-f", "--force", is_flag=True, help="Remplace le fichier s’il existe (même UID : mise à jour).")
@click.option(
    "--depuis", metavar="DATE", help="N’exporte que les échéances à partir de ce jour (AAAA-MM-JJ)."
)
@base_option
def ics_command(output: Path, force: bool, depuis: str | None, base: str | None) -> None:
    """Exporte les échéances en iCalendar : un événement par échéance, rappels à 90, 30 et 7 jours."""
    with Register(register_base(base)) as register:
        found = register.calendar(day(depuis, "--depuis"))
    write_atomic(output, ics_bytes(found), force=force)
    stderr_console().print(f"[green]Écrit :[/] {output} ({len(found)} échéance(s))")


@register_group.command("signer")
@click.argument("numero", type=int, metavar="ID")
@click.option("--date", "signed", metavar="DATE", help="Date de signature (AAAA-MM-JJ).")
@click.option(
    "--notification", metavar="DATE", help="Date de notification (AAAA-MM-JJ), si la durée en part."
)
@base_option
def sign_command(numero: int, signed: str | None, notification: str | None, base: str | None) -> None:
    """Enregistre la date de signature (ou de notification) et recalcule les échéances."""
    signature, notified = day(signed, "--date"), day(notification, "--notification")
    if signature is None and notified is None:
        raise click.UsageError("indiquez --date (signature) ou --notification")
    with Register(register_base(base)) as register:
        entry = register.sign(numero, signature=signature, notification=notified)
    console = stderr_console()
    console.print(f"[green]Convention n°{numero} :[/] échéances recalculées.")
    for item in sorted(entry.echeances, key=lambda item: item.date)[:3]:
        console.print(f"  {item.date.isoformat()} : {item.action}")
    if entry.debut is None:
        console.print(
            "[yellow]La durée ne part pas de cette date :[/] aucune échéance n’est encore calculée."
        )


FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(["texte", "json"]), default="texte", help="Format de la sortie."
)


@register_group.command("liste")
@click.option("--type", "type_name", metavar="TYPE", help="Seulement les conventions de ce type.")
@click.option(
    "--partenaire",
    metavar="TEXTE",
    help="Une partie dont le nom contient ce texte (sans casse ni accents), ou son SIREN ou code INSEE.",
)
@click.option(
    "--echeance-avant",
    metavar="DATE",
    help="Seulement les conventions ayant une échéance d’ici cette date (AAAA-MM-JJ ou JJ/MM/AAAA).",
)
@FORMAT_OPTION
@click.option("--today", "today", metavar="DATE", help=TODAY_HELP)
@base_option
def list_command(
    type_name: str | None,
    partenaire: str | None,
    echeance_avant: str | None,
    fmt: str,
    today: str | None,
    base: str | None,
) -> None:
    """Liste les conventions du registre, leur partenaire et leur prochaine échéance."""
    now = day(today, "--today") or date.today()
    until = day(echeance_avant, "--echeance-avant")
    if until is not None and until < now:
        raise click.BadParameter(
            f"le {format_date(until)} précède aujourd’hui ({format_date(now)})", param_hint="--echeance-avant"
        )
    with Register(register_base(base)) as register:
        found = register.entries(type_name=type_name, partner=partenaire, due_before=until, today=now)
    if fmt == "json":
        filters = {"type": type_name, "partenaire": partenaire, "echeance_avant": _iso(until)}
        click.echo(json.dumps(list_json(found, now, filters), ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("Aucune convention ne répond à ces critères.")
    for entry in found:
        click.echo(
            f"n°{entry.numero}  {entry.partenaire} : {entry.intitule} ({STATUS_WORDS[status_of(entry, now)]})"
        )
        upcoming = entry.next_due(now)
        if upcoming is not None:
            click.echo(f"      prochaine échéance : {upcoming.date.isoformat()}, {upcoming.action}")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


@register_group.command("montre")
@click.argument("numero", type=int, metavar="N")
@FORMAT_OPTION
@click.option("--today", "today", metavar="DATE", help=TODAY_HELP)
@base_option
def show_command(numero: int, fmt: str, today: str | None, base: str | None) -> None:
    """Montre une convention du registre : parties, dates, échéances, empreintes (code 10 : inconnue)."""
    now = day(today, "--today") or date.today()
    with Register(register_base(base)) as register:
        entry = register.entry(numero)
    if fmt == "json":
        click.echo(json.dumps(entry_json(entry, now), ensure_ascii=False, indent=2))
        return
    _print_entry(entry, now)


def _print_entry(entry: Entry, now: date) -> None:
    def when(value: date | None) -> str:
        return format_date(value) if value is not None else "inconnue"

    click.echo(f"Convention n°{entry.numero} ({entry.type}) : {entry.titre}")
    click.echo(f"  statut : {STATUS_WORDS[status_of(entry, now)]}")
    click.echo("  parties :")
    for party in entry.parties:
        codes = ", ".join(
            f"{label} {party[key]}" for key, label in (("siren", "SIREN"), ("insee", "INSEE")) if party[key]
        )
        click.echo(f"    - {party['denomination']} ({party['role']}{', ' + codes if codes else ''})")
    click.echo(f"  signature : {when(entry.signature)} ; début : {when(entry.debut)}")
    if entry.fin_definitive is not None:
        click.echo(f"  fin au plus tard : {format_date(entry.fin_definitive)}")
    if entry.resiliation is not None:
        click.echo(f"  résiliée le {format_date(entry.resiliation)} : {entry.resiliation_motif}")
    click.echo(f"  empreinte SHA-256 ({entry.empreinte_de}) : {entry.sha256}")
    if entry.fichier:
        click.echo(f"  fichier : {entry.fichier}")
    version = entry.type_version or "non déclarée"
    click.echo(f"  type : version {version} ; modèle SHA-256 {entry.modele_sha256 or 'inconnu'}")
    if entry.echeances:
        click.echo("  échéances :")
        for item in sorted(entry.echeances, key=lambda item: item.date):
            mark = "" if item.date >= now else " (passée)"
            click.echo(f"    {item.date.isoformat()}  {item.action}{mark}")
    _print_avenants(entry)
    if entry.annulees:
        click.echo("  échéances annulées (résiliation ou avenant) :")
        for item in sorted(entry.annulees, key=lambda item: item.date):
            click.echo(f"    {item.date.isoformat()}  {item.action}")


def _print_avenants(entry: Entry) -> None:
    for avenant in entry.avenants:
        articles = ", ".join(avenant.articles)
        click.echo(
            f"  avenant n°{avenant.numero} : effet le {format_date(avenant.date_effet)} ; modifie {articles}"
        )


@register_group.command("resilier")
@click.argument("numero", type=int, metavar="N")
@click.option("--date", "effective", required=True, metavar="DATE", help="Date d’effet de la résiliation.")
@click.option("--motif", required=True, help="Motif de la résiliation (délibération, courrier…).")
@base_option
def terminate_command(numero: int, effective: str, motif: str, base: str | None) -> None:
    """Résilie une convention : ses échéances après cette date sont annulées, le calendrier aussi
    (code 10 : inconnue, 13 : déjà résiliée, 2 : date avant la signature)."""
    when = day(effective, "--date")
    assert when is not None
    with Register(register_base(base)) as register:
        entry = register.terminate(numero, effective=when, reason=motif)
    console = stderr_console()
    console.print(f"[green]Convention n°{numero} résiliée le {format_date(when)} :[/] {motif.strip()}")
    console.print(f"  {len(entry.annulees)} échéance(s) annulée(s) ; l’export iCalendar les annule aussi.")


COMMANDS = [register_group]


# Issue 27: the transmission to the contrôle de légalité, in its own module.
from conventum.cli.transmission import transmission_command  # noqa: E402

register_group.add_command(transmission_command)

# Issue 28: the avenants to a registered convention, in their own module.
from conventum.cli.avenants import avenant_command  # noqa: E402

register_group.add_command(avenant_command)
