"""The avenants of a registered convention: recorded under it in one transaction that also replaces
its parties and recomputes its schedule from the consolidated term.

The deadlines that move keep their calendar UID (same convention, same kind, same period) and take
a higher SEQUENCE; those the new term no longer has are kept, cancelled, so that a subscribed
calendar removes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from conventum.errors import ExpiredRecordError, TerminatedRecordError
from conventum.french.formatting import format_date
from conventum.model.blocks import Duree
from conventum.register import tables
from conventum.register.avenant_rows import AvenantEntry, avenant_rows
from conventum.register.database import translated, writing
from conventum.register.records import PartyRecord
from conventum.register.store import Entry, Register, _schedule_columns, _store_deadlines, plan_of


@dataclass(frozen=True)
class AvenantRecord:
    """An avenant ready to be recorded: its fields, its document, the consolidated convention."""

    numero: int
    date_effet: date
    signature: date | None
    modifications: dict[str, Any]
    donnees: dict[str, Any]  # the consolidated data
    articles: tuple[str, ...]
    sha256: str
    fichier: str | None
    duree: Duree | None
    parties: tuple[PartyRecord, ...] = field(default_factory=tuple)
    partenaire: str | None = None


@dataclass(frozen=True)
class InForce:
    """A registered convention as it stands: its entry, its data in force, its avenants."""

    entry: Entry
    donnees: dict[str, Any]
    avenants: tuple[AvenantEntry, ...]
    originales: dict[str, Any] = field(default_factory=dict)  # the data it was registered with

    @property
    def next_number(self) -> int:
        return max((avenant.numero for avenant in self.avenants), default=0) + 1


def in_force(register: Register, numero: int) -> InForce:
    """The convention n°``numero`` with the data its last avenant left (UnknownRecordError if none)."""
    entry = register.entry(numero)
    with translated(register.where, register.wait), register.engine.connect() as connection:
        original = connection.scalar(
            select(tables.conventions.c.donnees).where(tables.conventions.c.id == numero)
        )
        data = original
        found = entry.avenants
        if found:
            a = tables.avenants.c
            last = select(a.donnees).where(a.convention_id == numero).order_by(a.numero.desc()).limit(1)
            data = connection.scalar(last)
    return InForce(entry, dict(data or {}), found, dict(original or {}))


def avenants_of(register: Register, numero: int) -> tuple[AvenantEntry, ...]:
    with translated(register.where, register.wait), register.engine.connect() as connection:
        return avenant_rows(connection, numero)


def check_amendable(entry: Entry | Any, effective: date, today: date) -> None:
    """A résiliée convention, or one past its final end, takes no avenant (``entry``: an Entry or a
    row of the conventions table)."""
    numero = entry.numero if isinstance(entry, Entry) else entry.id
    if entry.resiliation is not None:
        raise TerminatedRecordError(
            f"la convention n°{numero} est résiliée depuis le {format_date(entry.resiliation)} :"
            " elle ne peut plus être modifiée par avenant (rien n’est modifié)"
        )
    end = entry.fin_definitive
    if end is not None and (end < effective or end < today):
        raise ExpiredRecordError(
            f"la convention n°{numero} a pris fin le {format_date(end)} : elle ne peut plus être"
            f" modifiée par avenant (date d’effet demandée : {format_date(effective)} ; rien n’est modifié)"
        )


def record_avenant(register: Register, numero: int, avenant: AvenantRecord, *, today: date) -> Entry:
    """Record the avenant under its convention, replace its parties and its schedule: all or nothing."""
    now = datetime.now(UTC)
    with writing(register.engine, register.where, register.wait) as connection:
        row = register._row(connection, numero)  # the register's own lookup, in this transaction
        check_amendable(row, avenant.date_effet, today)
        connection.execute(insert(tables.avenants).values(_avenant_row(numero, avenant, now)))
        plan = plan_of(avenant.duree, row.signature, row.notification)
        values = {"revision": row.revision + 1, "modifiee_le": now, **_schedule_columns(plan)}
        if avenant.duree is not None:
            values["duree"] = avenant.duree.model_dump(mode="json")
        if avenant.partenaire is not None:
            values["partenaire"] = avenant.partenaire
        connection.execute(
            update(tables.conventions).where(tables.conventions.c.id == numero).values(**values)
        )
        _replace_parties(connection, numero, avenant.parties)
        _replace_deadlines(connection, numero, plan)
    return register.entry(numero)


def _avenant_row(numero: int, avenant: AvenantRecord, now: datetime) -> dict[str, Any]:
    return {
        "convention_id": numero,
        "numero": avenant.numero,
        "date_effet": avenant.date_effet,
        "signature": avenant.signature,
        "modifications": avenant.modifications,
        "donnees": avenant.donnees,
        "articles": list(avenant.articles),
        "sha256": avenant.sha256,
        "fichier": avenant.fichier,
        "inscrit_le": now,
    }


def _replace_parties(connection: Connection, numero: int, parties: tuple[PartyRecord, ...]) -> None:
    if not parties:
        return
    connection.execute(delete(tables.parties).where(tables.parties.c.convention_id == numero))
    connection.execute(
        insert(tables.parties), [{"convention_id": numero, **vars(party)} for party in parties]
    )


def _replace_deadlines(connection: Connection, numero: int, plan: Any) -> None:
    """The new schedule's deadlines; those of the old one it no longer has, kept and cancelled."""
    e = tables.echeances.c
    current = connection.execute(
        select(e.nature, e.date, e.rang, e.echeance).where(e.convention_id == numero, e.annulee.is_(False))
    ).all()
    connection.execute(delete(tables.echeances).where(e.convention_id == numero, e.annulee.is_(False)))
    _store_deadlines(connection, numero, plan)
    kept = {(item.nature, item.rang) for item in plan.echeances}
    gone = [
        {
            "convention_id": numero,
            "nature": old.nature,
            "date": old.date,
            "rang": old.rang,
            "echeance": old.echeance,
        }
        for old in current
        if (old.nature, old.rang) not in kept
    ]
    if gone:
        connection.execute(insert(tables.echeances), [{**item, "annulee": True} for item in gone])
