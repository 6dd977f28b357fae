"""The avenants a convention of the register lists: read from their table, by number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, inspect, select

from conventum.register import tables


@dataclass(frozen=True)
class AvenantEntry:
    """An avenant as the register lists it under its convention."""

    numero: int
    date_effet: date
    signature: date | None
    articles: tuple[str, ...]  # the names of the articles it changes ("l’article 3")
    sha256: str
    fichier: str | None
    inscrit_le: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "numero": self.numero,
            "date_effet": self.date_effet.isoformat(),
            "signature": self.signature.isoformat() if self.signature else None,
            "articles": list(self.articles),
            "sha256": self.sha256,
            "fichier": self.fichier,
            "inscrit_le": self.inscrit_le.isoformat(),
        }


def avenant_rows(connection: Connection, numero: int) -> tuple[AvenantEntry, ...]:
    """The avenants of convention n°``numero``, by their number (none in a register that has no
    avenants table yet: it is created when a conventum that knows it opens the register to write)."""
    if not inspect(connection).has_table(tables.avenants.name):
        return ()
    a = tables.avenants.c
    rows = connection.execute(select(tables.avenants).where(a.convention_id == numero).order_by(a.numero))
    return tuple(
        AvenantEntry(
            numero=row.numero,
            date_effet=row.date_effet,
            signature=row.signature,
            articles=tuple(row.articles),
            sha256=row.sha256,
            fichier=row.fichier,
            inscrit_le=row.inscrit_le if row.inscrit_le.tzinfo else row.inscrit_le.replace(tzinfo=UTC),
        )
        for row in rows
    )
