"""The register's tables as conventum wrote them at schema version 1 (kept to test the migration).

A copy of ``conventum/register/tables.py`` at version 1 — do not change it.

Original docstring: the register's tables and its schema version; the migrations.

Migrations are SQLAlchemy's own (no Alembic): the table ``conventum_version`` holds the version of
the schema a register was written with. Opening a register of an older version runs, in one
transaction, each function of :data:`MIGRATIONS` from its version up to :data:`SCHEMA_VERSION`;
a register of a newer version is refused (a newer conventum wrote it). To change the schema: bump
``SCHEMA_VERSION``, change the tables below, and add ``MIGRATIONS[new] = function(connection)``
that brings a register of the previous version to the new one.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

SCHEMA_VERSION = 1
MIGRATIONS: dict[int, Callable[[Connection], None]] = {}  # version → upgrade from version - 1

metadata = MetaData()

version = Table(
    "conventum_version",
    metadata,
    Column("version", Integer, nullable=False),
)

conventions = Table(
    "conventions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("type", String(100), nullable=False),
    Column("titre", Text, nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("empreinte_de", String(10), nullable=False),  # "document" or "donnees"
    # SHA-256 of the type and the data (canonical JSON): a document rendered again from the same data
    # (its bytes differ: the archive's timestamps) is the same convention
    Column("empreinte_donnees", String(64), nullable=False, unique=True),
    Column("fichier", Text),
    Column("donnees", JSON, nullable=False),
    Column("duree", JSON),
    Column("debut", Date),
    Column("signature", Date),
    Column("notification", Date),
    Column("fin_definitive", Date),
    Column("tronque", Boolean, nullable=False, default=False),
    Column("periodes", JSON, nullable=False),
    Column("revision", Integer, nullable=False, default=0),  # the ICS SEQUENCE: +1 per new schedule
    Column("inscrite_le", DateTime(timezone=True), nullable=False),
    Column("modifiee_le", DateTime(timezone=True), nullable=False),
)

parties = Table(
    "parties",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("convention_id", ForeignKey("conventions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("rang", Integer, nullable=False),
    Column("role", String(100), nullable=False),
    Column("nature", String(100), nullable=False),
    Column("nom", Text, nullable=False),
    Column("denomination", Text, nullable=False),
    Column("siren", String(9), index=True),
    Column("insee", String(5), index=True),
)

echeances = Table(
    "echeances",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("convention_id", ForeignKey("conventions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("nature", String(20), nullable=False),
    Column("date", Date, nullable=False, index=True),
    Column("rang", Integer, nullable=False),
    Column("echeance", Date, nullable=False),
)
