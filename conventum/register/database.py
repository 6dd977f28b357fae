"""Opening a register: a SQLite file (busy timeout, one writer at a time) or any SQLAlchemy URL.

Every failure of the database becomes a French :class:`~conventum.errors.RegisterError` with its
own exit code; every change runs in one transaction, so a failure leaves the register unchanged.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, inspect, select, text, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError, SQLAlchemyError

from conventum.errors import RegisterBusyError, RegisterError
from conventum.register import tables
from conventum.settings import current

DEFAULT_FILE = "conventum-registre.sqlite"
ENVIRONMENT = "CONVENTUM_REGISTRE"
BUSY_SECONDS = 30.0  # how long a writer waits for another one before giving up (SQLite)
CONNECT_ENVIRONMENT, CONNECT_SECONDS = "CONVENTUM_REGISTRE_DELAI_CONNEXION", 10
STATEMENT_ENVIRONMENT, STATEMENT_SECONDS = "CONVENTUM_REGISTRE_DELAI_REQUETE", 30
LOCK_KEY = 0x636F6E76  # PostgreSQL advisory lock taken while a register is created or migrated


def register_url(base: str | None) -> URL:
    """The URL of a register: ``base`` (a file or an SQLAlchemy URL), else ``conventum-registre.sqlite``
    in the working directory. ``postgresql://`` uses psycopg (v3). (The command reads
    $CONVENTUM_REGISTRE at its edge and passes it as ``base``.)

    >>> register_url("postgresql://clerk@localhost/registre").drivername
    'postgresql+psycopg'
    >>> register_url("registre.db").database
    'registre.db'
    """
    chosen = base or DEFAULT_FILE
    if "://" not in chosen:
        return URL.create("sqlite+pysqlite", database=chosen)
    try:
        url = make_url(chosen)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is no number
        raise RegisterError(f"adresse de registre invalide « {_hidden(chosen)} » : {exc}") from exc
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def _hidden(chosen: str) -> str:
    """An address as typed, its password (``user:password@``) masked."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", chosen)


def shown(url: URL) -> str:
    """The register as a message names it: its file, or its URL without the password."""
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


def connect(url: URL, *, create: bool, busy_seconds: float = BUSY_SECONDS) -> Engine:
    """An engine on a register checked (created if ``create``, migrated if older)."""
    where = shown(url)
    if url.get_backend_name() == "sqlite":
        _check_sqlite_file(url, create=create)
        try:
            engine = create_engine(url, connect_args={"timeout": busy_seconds})
        except (NoSuchModuleError, ArgumentError) as exc:  # pragma: no cover - sqlite is built in
            raise RegisterError(f"pilote de base de données absent pour {where} : {exc}") from exc
        _immediate_transactions(engine)
    else:
        try:
            engine = create_engine(url, pool_pre_ping=True, connect_args=_timeouts(url))
        except (NoSuchModuleError, ArgumentError, ImportError, ValueError) as exc:
            raise RegisterError(f"pilote de base de données absent pour {where} : {exc}") from exc
    with writing(engine, where, busy_seconds) as connection:
        _prepare(connection, where, create=create)
    return engine


def _timeouts(url: URL) -> dict[str, Any]:
    """PostgreSQL: a server that accepts the connection and never answers, or a statement that never
    ends, fails after the settings' timeouts (``$CONVENTUM_REGISTRE_DELAI_CONNEXION``, 10 s, and
    ``$CONVENTUM_REGISTRE_DELAI_REQUETE``, 30 s, read by the command) instead of hanging; the URL's
    own ``connect_timeout`` or ``options`` win."""
    if url.get_backend_name() != "postgresql":
        return {}
    timeouts: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        timeouts["connect_timeout"] = _seconds(
            CONNECT_ENVIRONMENT, current().register_connect, CONNECT_SECONDS
        )
    if "options" not in url.query:
        statement = _seconds(STATEMENT_ENVIRONMENT, current().register_statement, STATEMENT_SECONDS)
        timeouts["options"] = f"-c statement_timeout={statement * 1000}"
    return timeouts


def _seconds(name: str, raw: str, default: int) -> int:
    if not raw:
        return default
    if not raw.isdigit() or int(raw) == 0:
        raise RegisterError(f"${name} vaut « {raw} » : un nombre entier de secondes (1 ou plus) est attendu")
    return int(raw)


def _check_sqlite_file(url: URL, *, create: bool) -> None:
    path = Path(str(url.database))
    if path.is_dir():
        raise RegisterError(f"{path} est un dossier, et non un fichier de registre")
    if not path.exists() and not create:
        raise RegisterError(f"le registre {path} n’existe pas (il est créé par « registre ajouter »)")
    if not path.parent.is_dir():
        raise RegisterError(f"le dossier {path.parent} du registre n’existe pas")


def _immediate_transactions(engine: Engine) -> None:
    """SQLite: every transaction takes the write lock at its start (BEGIN IMMEDIATE), so two writers
    wait for each other (busy timeout) instead of failing half-way."""

    @event.listens_for(engine, "connect")
    def _connect(connection: Any, _record: Any) -> None:
        connection.isolation_level = None  # let SQLAlchemy's BEGIN below be the only one
        connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def writing(engine: Engine, where: str, wait: float = BUSY_SECONDS) -> Iterator[Connection]:
    """A transaction, committed at the end or rolled back whole; database errors in French."""
    with translated(where, wait), engine.begin() as connection:
        yield connection


@contextmanager
def translated(where: str, wait: float = BUSY_SECONDS) -> Iterator[None]:
    """The database's failures as RegisterError (or RegisterBusyError when locked too long)."""
    try:
        yield
    except OperationalError as exc:
        detail = str(exc.orig) if exc.orig is not None else str(exc)
        if isinstance(exc.orig, sqlite3.OperationalError) and "locked" in detail:
            raise RegisterBusyError(
                f"le registre {where} est occupé par un autre programme depuis plus de"
                f" {wait:g} secondes : réessayez (rien n’a été modifié)"
            ) from exc
        raise RegisterError(f"impossible d’utiliser le registre {where} : {_first_line(detail)}") from exc
    except DatabaseError as exc:
        detail = str(exc.orig) if exc.orig is not None else str(exc)
        if "not a database" in detail:
            raise RegisterError(
                f"{where} n’est pas une base de données de registre (fichier d’un autre format ou abîmé)"
            ) from exc
        raise RegisterError(f"erreur du registre {where} : {_first_line(detail)}") from exc
    except SQLAlchemyError as exc:
        raise RegisterError(f"erreur du registre {where} : {_first_line(str(exc))}") from exc
    except (ValueError, TypeError, OverflowError, KeyError) as exc:
        # a value the database holds but cannot be read back (a date that is none, broken JSON…)
        raise RegisterError(
            f"le registre {where} est abîmé : une valeur enregistrée est illisible"
            f" ({type(exc).__name__} : {_first_line(str(exc))[:200]}) ; rien n’a été modifié"
        ) from exc


def _first_line(text_: str) -> str:
    return text_.strip().splitlines()[0] if text_.strip() else "erreur inconnue"


def _prepare(connection: Connection, where: str, *, create: bool) -> None:
    """Create an empty register, check the version of an existing one, migrate an older one."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    names = set(inspect(connection).get_table_names())
    if tables.version.name not in names:
        if names:
            listed = ", ".join(sorted(names)[:5])
            raise RegisterError(
                f"{where} n’est pas un registre conventum (il contient d’autres tables : {listed})"
            )
        if not create:
            raise RegisterError(f"le registre {where} est vide (il est créé par « registre ajouter »)")
        tables.metadata.create_all(connection)
        connection.execute(insert(tables.version).values(version=tables.SCHEMA_VERSION))
        return
    found = connection.scalar(select(tables.version.c.version))
    if found is None:
        raise RegisterError(f"{where} : la version du registre est absente (registre abîmé)")
    if not isinstance(found, int) or found < 1:
        shown_version = str(found)[:40]
        raise RegisterError(
            f"{where} : la version du registre « {shown_version} » est invalide (registre abîmé)"
        )
    if found > tables.SCHEMA_VERSION:
        raise RegisterError(
            f"le registre {where} est de la version {found}, plus récente que celle que cette version de"
            f" conventum connaît ({tables.SCHEMA_VERSION}) : mettez conventum à jour"
        )
    for step in range(found + 1, tables.SCHEMA_VERSION + 1):
        tables.MIGRATIONS[step](connection)
    if found < tables.SCHEMA_VERSION:
        connection.execute(update(tables.version).values(version=tables.SCHEMA_VERSION))
    tables.metadata.create_all(connection, tables=list(tables.ADDED_TABLES))  # issue 27, when absent
