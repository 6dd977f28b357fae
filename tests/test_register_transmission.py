"""A convention's transmission in the register: the ACTES numéro unique per collectivité (SQLite and
PostgreSQL), the préfecture's acknowledgement read from its ARActe, an older register given the table."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from conventum.actes.message import actes_schema
from conventum.cli import main
from conventum.errors import ExitCode
from conventum.register.store import Register
from conventum.register.transmissions import transmissions_of
from tests import postgres
from tests.support import SAMPLES

_names = itertools.count()
AR = """<?xml version="1.0" encoding="UTF-8"?>
<actes:ARActe xmlns:actes="http://www.interieur.gouv.fr/ACTES#v1.1-20040216"
  actes:IDActe="062-226200012-20231002-2023_338-CC" actes:DateReception="2023-10-06">
  <actes:ActeRecu actes:Date="2023-10-02" actes:NumeroInterne="2023_338" actes:CodeNatureActe="4">
    <actes:CodeMatiere1 actes:CodeMatiere="1"/>
    <actes:CodeMatiere2 actes:CodeMatiere="4"/>
    <actes:Objet>Convention d’adhésion à la centrale d’achats</actes:Objet>
    <actes:ClassificationDateVersion>2023-01-12</actes:ClassificationDateVersion>
    <actes:Document><actes:NomFichier>99_CO-062-226200012-20231002-2023_338-CC-1-1_1.pdf</actes:NomFichier></actes:Document>
    <actes:Annexes actes:Nombre="0"/>
    <actes:DocumentPapier>N</actes:DocumentPapier>
  </actes:ActeRecu>
  <actes:ClassificationDateVersionEnCours>2023-01-12</actes:ClassificationDateVersionEnCours>
</actes:ARActe>
"""


@pytest.fixture(scope="module")
def postgres_server() -> Iterator[str]:
    if not postgres.available():
        pytest.skip("PostgreSQL absent (paquet Debian postgresql, installé par setup.sh)")
    with postgres.server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def base(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "registre.sqlite")
    server: str = request.getfixturevalue("postgres_server")
    return postgres.new_database(server, f"transmission_{next(_names)}")


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _two_conventions(base: str) -> None:
    for name in ("adhesion-centrale-achats", "services-numeriques"):
        result = cli("registre", "ajouter", name, str(SAMPLES / f"{name}.yaml"), "--base", base)
        assert result.exit_code == 0, result.output


def test_a_numero_serves_once_per_collectivite(base: str) -> None:
    _two_conventions(base)
    first = cli(
        "registre",
        "transmission",
        "1",
        "--numero-actes",
        "2023_338",
        "--siren",
        "226200012",
        "--date",
        "2023-10-05",
        "--base",
        base,
    )
    assert first.exit_code == 0, first.output
    assert "transmise le 5 octobre 2023 sous le numéro 2023_338" in first.output
    again = cli(
        "registre",
        "transmission",
        "2",
        "--numero-actes",
        "2023_338",
        "--siren",
        "226200012",
        "--date",
        "2025-09-20",
        "--base",
        base,
    )
    assert again.exit_code == ExitCode.DUPLICATE
    assert "déjà celui de la convention n°1" in again.output and "rien n’est ajouté" in again.output
    other = cli(
        "registre",
        "transmission",
        "2",
        "--numero-actes",
        "2023_338",
        "--siren",
        "200041614",
        "--date",
        "2025-09-20",
        "--base",
        base,
    )  # another collectivité may use the same numéro
    assert other.exit_code == 0, other.output
    with Register(base) as register:
        assert [(item.numero, item.siren) for item in transmissions_of(register, 2)] == [
            ("2023_338", "200041614")
        ]


def test_the_acknowledgement_is_read_from_the_tdt_file(tmp_path: Path) -> None:
    base = str(tmp_path / "registre.sqlite")
    _two_conventions(base)
    ar = tmp_path / "ar.xml"
    ar.write_text(AR, encoding="utf-8")
    assert actes_schema().validate(etree.parse(str(ar)))  # a real ARActe, as the schema says
    result = cli("registre", "transmission", "1", "--ar", str(ar), "--date", "2023-10-05", "--base", base)
    assert result.exit_code == 0, result.output
    assert "accusé de réception du 6 octobre 2023" in result.output
    with Register(base) as register:
        [found] = transmissions_of(register, 1)
    assert (found.numero, found.siren, found.identifiant) == (
        "2023_338",
        "226200012",
        "062-226200012-20231002-2023_338-CC",
    )
    hostile = tmp_path / "hostile.xml"
    hostile.write_text('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', encoding="utf-8")
    refused = cli("registre", "transmission", "2", "--ar", str(hostile), "--base", base)
    assert refused.exit_code == ExitCode.DATA_FILE and "DTD" in refused.output


def test_a_bad_numero_or_an_unknown_convention_is_refused(tmp_path: Path) -> None:
    base = str(tmp_path / "registre.sqlite")
    _two_conventions(base)
    bad = cli(
        "registre",
        "transmission",
        "1",
        "--numero-actes",
        "2023-338",
        "--siren",
        "226200012",
        "--date",
        "2023-10-05",
        "--base",
        base,
    )
    assert bad.exit_code == ExitCode.USAGE and "invalide" in bad.output
    unknown = cli(
        "registre",
        "transmission",
        "9",
        "--numero-actes",
        "X1",
        "--siren",
        "226200012",
        "--date",
        "2023-10-05",
        "--base",
        base,
    )
    assert unknown.exit_code == ExitCode.UNKNOWN_RECORD


def test_a_register_made_before_the_table_gets_it_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "registre.sqlite"
    _two_conventions(str(path))
    with sqlite3.connect(path) as connection:  # as a register written by an earlier conventum
        connection.execute("DROP TABLE transmissions")
    result = cli(
        "registre",
        "transmission",
        "1",
        "--numero-actes",
        "2023_338",
        "--siren",
        "226200012",
        "--date",
        "2023-10-05",
        "--base",
        str(path),
    )
    assert result.exit_code == 0, result.output
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT numero_actes FROM transmissions").fetchall() == [("2023_338",)]
