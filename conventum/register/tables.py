"""The register's tables and its schema version; the migrations from one version to the next.

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
    UniqueConstraint,
    text,
)

SCHEMA_VERSION = 2

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
    # version 2: what made the document (the type's declared version, its schema's and template's
    # SHA-256), and the résiliation (its effective date, its reason, when it was recorded)
    Column("intitule", Text),  # the type's short title (titre_court), for calendar summaries
    Column("partenaire", Text),  # the parties the data names (not the issuer's defaults), in short
    Column("type_version", String(50)),
    Column("schema_sha256", String(64)),
    Column("modele_sha256", String(64)),
    Column("resiliation", Date),
    Column("resiliation_motif", Text),
    Column("resiliee_le", DateTime(timezone=True)),
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
    # version 2: a deadline after a résiliation is kept, cancelled (its calendar event says so)
    Column("annulee", Boolean, nullable=False, default=False, server_default="0"),
)


def _to_version_2(connection: Connection) -> None:
    """Version 1 → 2: the type's version and fingerprints, the résiliation, cancelled deadlines."""
    added = ("intitule", "partenaire", "type_version", "schema_sha256", "modele_sha256")
    for name in (*added, "resiliation", "resiliation_motif", "resiliee_le"):
        column = conventions.c[name]
        kind = column.type.compile(dialect=connection.dialect)
        connection.execute(text(f"ALTER TABLE conventions ADD COLUMN {name} {kind}"))
    false = "false" if connection.dialect.name == "postgresql" else "0"
    connection.execute(text(f"ALTER TABLE echeances ADD COLUMN annulee BOOLEAN NOT NULL DEFAULT {false}"))


MIGRATIONS: dict[int, Callable[[Connection], None]] = {2: _to_version_2}  # version → upgrade from version - 1

# Issue 27: the hand-off to the contrôle de légalité. A table added without a version step: it is
# created when absent (a new register, or an older one opened by this version), so it needs no
# migration of its own and an older conventum ignores it. The numéro is unique per collectivité.
transmissions = Table(
    "transmissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("convention_id", ForeignKey("conventions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("siren", String(9), nullable=False),  # the collectivité that transmits
    Column("numero_actes", String(15), nullable=False),
    Column("transmise_le", Date, nullable=False),
    Column("identifiant_acte", String(60)),  # IDActe of the préfecture's acknowledgement
    Column("accuse_le", Date),  # DateReception of the acknowledgement (ARActe)
    Column("inscrite_le", DateTime(timezone=True), nullable=False),
    UniqueConstraint("siren", "numero_actes", name="transmissions_numero_unique"),
)

# Issue 28: the avenants to a convention, added the same way (created when absent). ``donnees`` is
# the consolidated data after the avenant: the last avenant's is the convention's data in force.
avenants = Table(
    "avenants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("convention_id", ForeignKey("conventions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("numero", Integer, nullable=False),
    Column("date_effet", Date, nullable=False),
    Column("signature", Date),
    Column("modifications", JSON, nullable=False),  # the avenant file, as given
    Column("donnees", JSON, nullable=False),
    Column("articles", JSON, nullable=False),  # the names of the articles it changes
    Column("sha256", String(64), nullable=False),
    Column("fichier", Text),
    Column("inscrit_le", DateTime(timezone=True), nullable=False),
    UniqueConstraint("convention_id", "numero", name="avenants_numero_unique"),
)
ADDED_TABLES = (transmissions, avenants)  # created when absent, whatever the version
