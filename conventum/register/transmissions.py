"""A convention's transmission to the contrôle de légalité in the register: its ACTES numéro (unique
per collectivité), the date it was sent, and the préfecture's acknowledgement (entered by hand, or read
from the ``ARActe`` XML the TdT returns)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from conventum.actes.classification import NS
from conventum.actes.envoi import NUMERO
from conventum.errors import DataFileError, DuplicateRecordError, RegisterError, UsageError
from conventum.ooxml.xml import XMLSyntaxError, parse_xml
from conventum.register import tables
from conventum.register.database import translated, writing
from conventum.register.store import Register

MAX_AR_BYTES = 5_000_000


@dataclass(frozen=True)
class Acknowledgement:
    """What the préfecture's ARActe says: the acte's identifier, its numéro, when it was received."""

    identifiant: str
    numero: str
    siren: str
    recu_le: dt.date


@dataclass(frozen=True)
class Transmission:
    """One transmission recorded for a convention."""

    convention: int
    siren: str
    numero: str
    transmise_le: dt.date
    identifiant: str | None = None
    accuse_le: dt.date | None = None


def read_acknowledgement(path: Path) -> Acknowledgement:
    """The ``ARActe`` of that file (strict parsing, bounded size), or DataFileError in French."""
    shown = str(path)
    try:
        if path.stat().st_size > MAX_AR_BYTES:
            raise DataFileError("accusé de réception trop grand pour un ARActe", path=shown)
        root = parse_xml(path.read_bytes())
    except OSError as exc:
        raise DataFileError(f"accusé de réception illisible ({exc.strerror})", path=shown) from exc
    except XMLSyntaxError as exc:
        raise DataFileError(f"ce n’est pas un accusé de réception XML lisible : {exc}", path=shown) from exc
    if root.tag != f"{{{NS}}}ARActe":
        raise DataFileError("ce n’est pas un accusé de réception d’acte (élément ARActe attendu)", path=shown)
    identifiant = root.get(f"{{{NS}}}IDActe") or ""
    acte = root.find(f"{{{NS}}}ActeRecu")
    numero = acte.get(f"{{{NS}}}NumeroInterne") if acte is not None else None
    parts = identifiant.split("-")
    try:
        recu = dt.date.fromisoformat(root.get(f"{{{NS}}}DateReception") or "")
    except ValueError as exc:
        raise DataFileError(
            "date de réception absente ou invalide dans l’accusé de réception", path=shown
        ) from exc
    if len(parts) < 5 or not numero:
        raise DataFileError(f"identifiant d’acte « {identifiant} » ou numéro absent de l’accusé", path=shown)
    return Acknowledgement(identifiant, numero, parts[1], recu)


def record_transmission(register: Register, transmission: Transmission) -> Transmission:
    """Record it; DuplicateRecordError when the collectivité already used that numéro."""
    if not NUMERO.match(transmission.numero):
        raise UsageError(
            f"numéro ACTES « {transmission.numero} » invalide (chiffres, majuscules, « _ », 15 au plus)"
        )
    if transmission.accuse_le and transmission.accuse_le < transmission.transmise_le:
        raise UsageError("l’accusé de réception ne peut pas précéder la transmission")
    try:
        with writing(register.engine, register.where, register.wait) as connection:
            register._row(connection, transmission.convention)  # UnknownRecordError when absent
            connection.execute(
                insert(tables.transmissions).values(
                    convention_id=transmission.convention,
                    siren=transmission.siren,
                    numero_actes=transmission.numero,
                    transmise_le=transmission.transmise_le,
                    identifiant_acte=transmission.identifiant,
                    accuse_le=transmission.accuse_le,
                    inscrite_le=dt.datetime.now(dt.UTC),
                )
            )
    except RegisterError as exc:
        if not isinstance(exc.__cause__, IntegrityError):
            raise
        found = _holder(register, transmission.siren, transmission.numero)
        raise DuplicateRecordError(
            f"le numéro ACTES {transmission.numero} est déjà celui de la convention n°{found} pour le SIREN"
            f" {transmission.siren} : un numéro ne sert qu’une fois par collectivité ; rien n’est ajouté",
            record=found,
        ) from exc
    return transmission


def _holder(register: Register, siren: str, numero: str) -> int:
    column = tables.transmissions.c
    with translated(register.where, register.wait), register.engine.connect() as connection:
        found = connection.scalar(
            select(column.convention_id).where(column.siren == siren, column.numero_actes == numero)
        )
    return int(found or 0)


def transmissions_of(register: Register, convention: int) -> list[Transmission]:
    """The transmissions recorded for a convention, oldest first."""
    column = tables.transmissions.c
    with translated(register.where, register.wait), register.engine.connect() as connection:
        rows = connection.execute(
            select(tables.transmissions).where(column.convention_id == convention).order_by(column.id)
        ).all()
    return [
        Transmission(row.convention_id, row.siren, row.numero_actes, row.transmise_le, row.identifiant_acte,
                     row.accuse_le)
        for row in rows
    ]  # fmt: skip
