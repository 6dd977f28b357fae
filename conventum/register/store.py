"""The register's operations: add a convention, record its signature, list what falls due.

Each operation is one transaction: a convention is stored with its parties and its deadlines, or
not at all; a new signature date replaces the whole schedule at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from conventum.errors import (
    DuplicateRecordError,
    RegisterError,
    TerminatedRecordError,
    UnknownRecordError,
    UsageError,
)
from conventum.french.formatting import format_date
from conventum.geo.names import fold
from conventum.model.blocks import Duree
from conventum.register import tables
from conventum.register.avenant_rows import AvenantEntry, avenant_rows
from conventum.register.database import BUSY_SECONDS, connect, register_url, shown, translated, writing
from conventum.register.records import Record, capitalised
from conventum.terms.schedule import Schedule, schedule

ACTION_ORDER = {"preavis": 0, "decision": 1, "fin": 2, "reconduction": 3}
ACTIONS = ("preavis", "decision")  # the deadlines a clerk must act before
MAX_NUMBER = 2**31 - 1  # a register number beyond what any database column holds is simply unknown


@dataclass(frozen=True)
class Due:
    """One deadline of a registered convention."""

    numero: int
    type: str
    titre: str
    parties: tuple[str, ...]
    nature: str
    date: dt.date
    echeance: dt.date
    rang: int
    sha256: str
    revision: int
    modifiee_le: datetime
    annulee: bool = False  # after a résiliation: the calendar cancels its event
    intitule: str = ""  # the type's short title
    partenaire: str = ""  # the parties the data names, in short

    @property
    def summary_name(self) -> str:
        """ "Commune de Ruitz : services numériques", as a calendar entry names the convention."""
        short = self.intitule or self.titre
        return f"{self.partenaire} : {short}" if self.partenaire else short

    @property
    def action(self) -> str:
        """What the clerk does, in French: "dénoncer avant le 30 septembre 2026 pour éviter …"."""
        day, end = format_date(self.date), format_date(self.echeance)
        if self.nature == "preavis":
            return f"dénoncer avant le {day} pour éviter la reconduction tacite (échéance le {end})"
        if self.nature == "decision":
            return (
                f"signifier aux autres parties, avant le {day}, le choix de renouveler ou non la convention"
                f" (reconduction expresse, échéance le {end})"
            )
        if self.nature == "reconduction":
            return f"reconduction tacite le {day}, faute de dénonciation"
        return f"fin de la convention le {day}, sans renouvellement possible : préparer la suivante"

    @property
    def is_action(self) -> bool:
        return self.nature in ACTIONS


@dataclass(frozen=True)
class Entry:
    """A registered convention and its current schedule."""

    numero: int
    type: str
    titre: str
    sha256: str
    fichier: str | None
    debut: date | None
    signature: date | None
    notification: date | None
    fin_definitive: date | None
    parties: tuple[dict[str, Any], ...]
    echeances: tuple[Due, ...]
    empreinte_de: str = "document"
    type_version: str | None = None
    schema_sha256: str | None = None
    modele_sha256: str | None = None
    resiliation: date | None = None
    resiliation_motif: str | None = None
    inscrite_le: datetime | None = None
    intitule: str | None = None
    partenaire: str | None = None
    annulees: tuple[Due, ...] = ()  # the deadlines a résiliation (or an avenant) cancelled
    avenants: tuple[AvenantEntry, ...] = ()  # its avenants, by number (``entry`` reads them)

    def next_due(self, today: date) -> Due | None:
        """The first deadline from ``today`` on (the actions before what merely happens that day)."""
        upcoming = [item for item in self.echeances if item.date >= today]
        return min(upcoming, key=lambda item: (item.date, ACTION_ORDER[item.nature]), default=None)


class Register:
    """A register of conventions at ``base`` (file or SQLAlchemy URL); ``create`` makes an empty one."""

    def __init__(self, base: str | None = None, *, create: bool = False, busy_seconds: float = BUSY_SECONDS):
        self.url = register_url(base)
        self.where = shown(self.url)
        self.wait = busy_seconds
        self.engine = connect(self.url, create=create, busy_seconds=busy_seconds)

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # --- writing ---------------------------------------------------------------------------

    def add(self, record: Record) -> int:
        """Store a convention and its schedule; DuplicateRecordError if it is already there."""
        try:
            with writing(self.engine, self.where, self.wait) as connection:
                duplicate = self._duplicate(connection, record)
                if duplicate is None:
                    numero = self._insert(connection, record)
        except RegisterError as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise
            with writing(self.engine, self.where, self.wait) as connection:  # added at the same moment
                duplicate = self._duplicate(connection, record)
            if duplicate is None:
                raise
        if duplicate is not None:
            raise duplicate
        return numero

    def _insert(self, connection: Connection, record: Record) -> int:
        now = datetime.now(UTC)
        plan = record.schedule()
        inserted = connection.execute(
            insert(tables.conventions).values(
                type=record.type,
                titre=record.titre,
                sha256=record.sha256,
                empreinte_de=record.empreinte_de,
                empreinte_donnees=record.data_sha256,
                fichier=record.fichier,
                donnees=record.donnees,
                duree=record.duree.model_dump(mode="json") if record.duree else None,
                signature=record.signature,
                notification=record.notification,
                intitule=record.intitule,
                partenaire=record.partenaire,
                type_version=record.type_version,
                schema_sha256=record.schema_sha256,
                modele_sha256=record.modele_sha256,
                revision=0,
                inscrite_le=now,
                modifiee_le=now,
                **_schedule_columns(plan),
            )
        ).inserted_primary_key
        assert inserted is not None
        numero = inserted[0]
        assert isinstance(numero, int)
        rows = [{"convention_id": numero, **vars(party)} for party in record.parties]
        if rows:
            connection.execute(insert(tables.parties), rows)
        _store_deadlines(connection, numero, plan)
        return numero

    def _duplicate(self, connection: Connection, record: Record) -> DuplicateRecordError | None:
        """The error for the same document; for the same data in another document (rendered again), the
        record is made to name the new document, and the error says so."""
        c = tables.conventions.c
        found = connection.scalar(select(c.id).where(c.sha256 == record.sha256))
        if found is not None:
            return DuplicateRecordError(
                f"cette convention est déjà inscrite au registre sous le n°{found} (même empreinte SHA-256"
                f" {record.sha256[:12]}…) : rien n’est ajouté",
                record=found,
            )
        found = connection.scalar(select(c.id).where(c.empreinte_donnees == record.data_sha256))
        if found is None:
            return None
        document = ""
        if record.empreinte_de == "document":
            connection.execute(
                update(tables.conventions)
                .where(c.id == found)
                .values(sha256=record.sha256, empreinte_de="document", fichier=record.fichier)
            )
            document = f" ; son document est désormais {record.fichier or 'celui-ci'} ({record.sha256[:12]}…)"
        return DuplicateRecordError(
            f"cette convention est déjà inscrite au registre sous le n°{found} (mêmes données){document} :"
            " rien n’est ajouté",
            record=found,
        )

    def sign(self, numero: int, *, signature: date | None = None, notification: date | None = None) -> Entry:
        """Record the signature (or notification) date and recompute the schedule from it."""
        with writing(self.engine, self.where, self.wait) as connection:
            row = self._row(connection, numero)
            if row.resiliation is not None:
                raise TerminatedRecordError(
                    f"la convention n°{numero} est résiliée depuis le {format_date(row.resiliation)} :"
                    " ses échéances ne sont plus recalculées"
                )
            signed = signature or row.signature
            notified = notification or row.notification
            term = Duree.model_validate(row.duree) if row.duree is not None else None
            plan = plan_of(term, signed, notified)
            connection.execute(
                update(tables.conventions)
                .where(tables.conventions.c.id == numero)
                .values(
                    signature=signed,
                    notification=notified,
                    revision=row.revision + 1,
                    modifiee_le=datetime.now(UTC),
                    **_schedule_columns(plan),
                )
            )
            connection.execute(delete(tables.echeances).where(tables.echeances.c.convention_id == numero))
            _store_deadlines(connection, numero, plan)
        return self.entry(numero)

    def terminate(self, numero: int, *, effective: date, reason: str) -> Entry:
        """Record the résiliation of a convention, effective on ``effective``: the deadlines after that
        day are cancelled (kept, marked, their calendar events cancelled by a higher SEQUENCE)."""
        reason = reason.strip()
        if not reason:
            raise UsageError(
                "le motif de la résiliation est vide : indiquez pourquoi la convention prend fin"
            )
        with writing(self.engine, self.where, self.wait) as connection:
            row = self._row(connection, numero)
            if row.resiliation is not None:
                raise TerminatedRecordError(
                    f"la convention n°{numero} est déjà résiliée (le {format_date(row.resiliation)},"
                    f" motif : {row.resiliation_motif}) : rien n’est modifié"
                )
            started = row.signature or row.notification or row.debut
            if started is not None and effective < started:
                raise UsageError(
                    f"la résiliation du {format_date(effective)} précède la signature de la convention"
                    f" n°{numero} ({format_date(started)}) : rien n’est modifié"
                )
            now = datetime.now(UTC)
            connection.execute(
                update(tables.conventions)
                .where(tables.conventions.c.id == numero)
                .values(
                    resiliation=effective,
                    resiliation_motif=reason,
                    resiliee_le=now,
                    revision=row.revision + 1,
                    modifiee_le=now,
                )
            )
            e = tables.echeances.c
            connection.execute(
                update(tables.echeances)
                .where(e.convention_id == numero, e.date > effective)
                .values(annulee=True)
            )
        return self.entry(numero)

    # --- reading ---------------------------------------------------------------------------

    def entry(self, numero: int) -> Entry:
        """A registered convention; UnknownRecordError when there is none of that number."""
        with translated(self.where, self.wait), self.engine.connect() as connection:
            row = self._row(connection, numero)
            parties = _parties(connection, [numero]).get(numero, ())
            due = tuple(self._due(connection, tables.echeances.c.convention_id == numero, cancelled=True))
            avenants = avenant_rows(connection, numero)
        return dataclasses.replace(_entry(row, parties, due), avenants=avenants)

    def entries(
        self,
        *,
        type_name: str | None = None,
        partner: str | None = None,
        due_before: date | None = None,
        today: date | None = None,
    ) -> list[Entry]:
        """The registered conventions, by number: of one type, with a party whose name holds
        ``partner`` (case, accents and punctuation aside) or whose SIREN or INSEE code it is, with a
        deadline from ``today`` to ``due_before``. The search never enters the SQL text: it is
        compared in Python, wildcards and quotes are plain characters."""
        c = tables.conventions.c
        query = select(tables.conventions).order_by(c.id)
        if type_name is not None:
            query = query.where(c.type == type_name)
        if due_before is not None:
            e = tables.echeances.c
            window = [e.date <= due_before, e.annulee.is_(False)]
            if today is not None:
                window.append(e.date >= today)
            query = query.where(c.id.in_(select(e.convention_id).where(*window)))
        with translated(self.where, self.wait), self.engine.connect() as connection:
            rows = connection.execute(query).all()
            parties = _parties(connection, [row.id for row in rows])
            if partner is not None:
                rows = [row for row in rows if _matches(partner, parties.get(row.id, ()))]
            numbers = [row.id for row in rows]
            due: dict[int, list[Due]] = {}
            if numbers:
                for item in self._due(
                    connection, tables.echeances.c.convention_id.in_(numbers), cancelled=True
                ):
                    due.setdefault(item.numero, []).append(item)
        return [_entry(row, parties.get(row.id, ()), tuple(due.get(row.id, ()))) for row in rows]

    def calendar(self, since: date | None = None) -> list[Due]:
        """The deadlines a calendar holds: those in force, and those a résiliation cancelled."""
        clauses = [tables.echeances.c.date >= since] if since is not None else []
        with translated(self.where, self.wait), self.engine.connect() as connection:
            return list(self._due(connection, *clauses, cancelled=True))

    def _row(self, connection: Connection, numero: int) -> Row[Any]:
        if not 0 < numero <= MAX_NUMBER:
            raise UnknownRecordError(f"aucune convention n°{numero} dans le registre {self.where}")
        row = connection.execute(select(tables.conventions).where(tables.conventions.c.id == numero)).first()
        if row is None:
            raise UnknownRecordError(f"aucune convention n°{numero} dans le registre {self.where}")
        return row

    def due(self, since: date | None = None, until: date | None = None) -> list[Due]:
        """The deadlines from ``since`` to ``until`` (inclusive), the actions to take first, each in date
        order."""
        clauses = []
        if since is not None:
            clauses.append(tables.echeances.c.date >= since)
        if until is not None:
            clauses.append(tables.echeances.c.date <= until)
        with translated(self.where, self.wait), self.engine.connect() as connection:
            found = list(self._due(connection, *clauses))
        return sorted(found, key=lambda item: (not item.is_action, item.date, ACTION_ORDER[item.nature]))

    def unstarted(self) -> list[int]:
        """The numbers of the conventions whose term has not started (signature or notification unknown)."""
        with translated(self.where, self.wait), self.engine.connect() as connection:
            query = select(tables.conventions.c.id).where(
                tables.conventions.c.debut.is_(None), tables.conventions.c.duree.is_not(None)
            )
            return list(connection.scalars(query.order_by(tables.conventions.c.id)))

    def _due(self, connection: Connection, *clauses: Any, cancelled: bool = False) -> Iterator[Due]:
        """The deadlines matching ``clauses``; those a résiliation cancelled only if ``cancelled``."""
        c, e = tables.conventions.c, tables.echeances.c
        if not cancelled:
            clauses = (*clauses, e.annulee.is_(False))
        query = (
            select(
                e.convention_id, e.nature, e.date, e.echeance, e.rang, c.type, c.titre, c.sha256, c.revision
            )
            .add_columns(c.modifiee_le, e.annulee, c.intitule, c.partenaire)
            .join_from(tables.echeances, tables.conventions, e.convention_id == c.id)
            .where(*clauses)
            .order_by(e.date, e.convention_id, e.rang)
        )
        rows = connection.execute(query).all()
        names = _parties(connection, sorted({row.convention_id for row in rows}))
        for row in rows:
            yield Due(
                numero=row.convention_id,
                type=row.type,
                titre=row.titre,
                parties=tuple(party["denomination"] for party in names.get(row.convention_id, ())),
                nature=row.nature,
                date=row.date,
                echeance=row.echeance,
                rang=row.rang,
                sha256=row.sha256,
                revision=row.revision,
                modifiee_le=_aware(row.modifiee_le),
                annulee=bool(row.annulee),
                intitule=row.intitule or row.titre,
                partenaire=row.partenaire or _first_named(names.get(row.convention_id, ())),
            )


def _entry(row: Row[Any], parties: tuple[dict[str, Any], ...], due: tuple[Due, ...]) -> Entry:
    return Entry(
        numero=row.id,
        type=row.type,
        titre=row.titre,
        sha256=row.sha256,
        fichier=row.fichier,
        debut=row.debut,
        signature=row.signature,
        notification=row.notification,
        fin_definitive=row.fin_definitive,
        parties=parties,
        echeances=tuple(item for item in due if not item.annulee),
        empreinte_de=row.empreinte_de,
        type_version=row.type_version,
        schema_sha256=row.schema_sha256,
        modele_sha256=row.modele_sha256,
        resiliation=row.resiliation,
        resiliation_motif=row.resiliation_motif,
        inscrite_le=_aware(row.inscrite_le),
        intitule=row.intitule or row.titre,
        partenaire=row.partenaire or _first_named(parties),
        annulees=tuple(item for item in due if item.annulee),
    )


def _first_named(parties: Sequence[dict[str, Any]]) -> str:
    """A register of version 1 knows no partner: its first party."""
    return capitalised(parties[0]["denomination"]) if parties else ""


def _matches(query: str, parties: Sequence[dict[str, Any]]) -> bool:
    """A party named by ``query``: part of its folded name, or its SIREN or INSEE code exactly."""
    code = "".join(query.split()).upper()
    folded = fold(query)
    for party in parties:
        if code and code in (party.get("siren"), (party.get("insee") or "").upper()):
            return True
        if folded and (folded in fold(party["nom"]) or folded in fold(party["denomination"])):
            return True
    return False


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive timestamps: they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def plan_of(term: Duree | None, signed: date | None, notified: date | None) -> Schedule:
    """The schedule of a term that starts on its date, or on the signature's or notification's."""
    if term is None:
        return Schedule(None, (), (), None)
    start = term.debut if isinstance(term.debut, date) else None
    if start is None:
        start = signed if term.debut == "signature" else notified
    return schedule(term, start)


def _schedule_columns(plan: Schedule) -> dict[str, Any]:
    return {
        "debut": plan.debut,
        "fin_definitive": plan.fin_definitive,
        "tronque": plan.tronque,
        "periodes": [
            [period.debut.isoformat(), period.fin.isoformat() if period.fin else None]
            for period in plan.periodes
        ],
    }


def _store_deadlines(connection: Connection, numero: int, plan: Schedule) -> None:
    rows = [
        {"convention_id": numero, "nature": d.nature, "date": d.date, "rang": d.rang, "echeance": d.echeance}
        for d in plan.echeances
    ]
    if rows:
        connection.execute(insert(tables.echeances), rows)


def _parties(connection: Connection, numbers: Sequence[int]) -> dict[int, tuple[dict[str, Any], ...]]:
    if not numbers:
        return {}
    p = tables.parties.c
    query = select(tables.parties).where(p.convention_id.in_(numbers)).order_by(p.convention_id, p.rang)
    found: dict[int, list[dict[str, Any]]] = {}
    for row in connection.execute(query):
        entry = {
            key: row._mapping[key]
            for key in ("rang", "role", "nature", "nom", "denomination", "siren", "insee")
        }
        found.setdefault(row.convention_id, []).append(entry)
    return {key: tuple(value) for key, value in found.items()}
