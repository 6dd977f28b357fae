"""The register of conventions, on SQLite and on a real PostgreSQL server: records, deadlines after
a signature, the ICS calendar parsed back, duplicates, unknown numbers, concurrent writers, bad
registers — each failure a French message and its own exit code, the register never half-written."""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from icalendar import Calendar
from sqlalchemy import Connection, func, select, text

from conventum import validate
from conventum.cli import main
from conventum.errors import DuplicateRecordError, ExitCode, RegisterBusyError, RegisterError
from conventum.model.catalogue import load_type
from conventum.register import tables
from conventum.register.records import PartyRecord, record_of
from conventum.register.store import Register
from tests.support import ROOT, SAMPLES, sample

_names = itertools.count()


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write_data(folder: Path, name: str, **changes: Any) -> Path:
    data = sample(name)
    data.update(changes)
    path = folder / f"{name}-{next(_names)}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def due_json(base: str, since: str, until: str) -> dict[str, Any]:
    result = cli(
        "registre", "echeances", "--depuis", since, "--avant", until, "--format", "json", "--base", base
    )
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def services(folder: Path, **changes: Any) -> Path:
    """The services-numeriques sample, signed 15 September 2025 (two years, renewable once)."""
    parties = sample("services-numeriques")["parties"]
    parties[0] = {**parties[0], "siren": "216207274", "insee": "62727"}
    return write_data(folder, "services-numeriques", parties=parties, **changes)


# --- records and deadlines ----------------------------------------------------------------------


def test_added_conventions_fall_due_notices_first(base: str, tmp_path: Path) -> None:
    added = cli("registre", "ajouter", "services-numeriques", str(services(tmp_path)), "--base", base)
    assert added.exit_code == 0, added.output
    assert "Inscrite au registre sous le n°1" in added.stderr
    assert "dénoncer avant le 14\u00a0juin 2027 pour éviter la reconduction tacite" in added.stderr
    platform = write_data(tmp_path, "plateforme-dematerialisation")
    assert (
        cli("registre", "ajouter", "plateforme-dematerialisation", str(platform), "--base", base).exit_code
        == 0
    )
    report = due_json(base, "2026-01-01", "2029-12-31")
    assert [(d["numero"], d["nature"], d["date"]) for d in report["echeances"]] == [
        (1, "preavis", "2027-06-14"),  # the action first: 14 September 2027 minus three months
        (1, "reconduction", "2027-09-15"),
        (2, "reconduction", "2029-01-01"),  # three years from its date d'effet, 1 January 2026
        (1, "fin", "2029-09-14"),
    ]
    first = report["echeances"][0]
    assert first["action"] == (
        "dénoncer avant le 14\u00a0juin 2027 pour éviter la reconduction tacite (échéance le 14\u00a0septembre 2027)"
    )
    assert first["parties"][0] == "la Commune de Ruitz" and first["a_faire"] is True
    with Register(base) as register:
        (ruitz, *_) = register.entry(1).parties
    assert (ruitz["siren"], ruitz["insee"], ruitz["role"]) == ("216207274", "62727", "collectivite")


def test_the_list_after_a_signature_date_changes(base: str, tmp_path: Path) -> None:
    cli("registre", "ajouter", "services-numeriques", str(services(tmp_path)), "--base", base)
    signed = cli("registre", "signer", "1", "--date", "2026-01-01", "--base", base)
    assert signed.exit_code == 0, signed.output
    assert (
        "2026-09-30" not in signed.stderr
        and "2027-09-30 : dénoncer avant le 30\u00a0septembre 2027" in signed.stderr
    )
    report = due_json(base, "2026-01-01", "2030-12-31")
    assert [(d["nature"], d["date"]) for d in report["echeances"]] == [
        ("preavis", "2027-09-30"),
        ("reconduction", "2028-01-01"),
        ("fin", "2029-12-31"),  # renewed once: the final end follows the renewed period
    ]
    assert due_json(base, "2026-01-01", "2027-08-31")["echeances"] == []


def test_a_term_from_the_notification_waits_for_it(base: str, tmp_path: Path) -> None:
    data = write_data(tmp_path, "services-numeriques", duree={"debut": "notification"})
    cli("registre", "ajouter", "services-numeriques", str(data), "--base", base)
    report = due_json(base, "2025-01-01", "2035-01-01")
    assert report["echeances"] == [] and report["sans_date_de_debut"] == [1]
    cli("registre", "signer", "1", "--notification", "2025-02-28", "--base", base)
    dates = [d["date"] for d in due_json(base, "2025-01-01", "2035-01-01")["echeances"]]
    assert dates == ["2026-11-27", "2027-02-28", "2029-02-27"]  # ends 27 February 2027, then 2029


def test_render_records_the_document_written(base: str, tmp_path: Path) -> None:
    output = tmp_path / "convention.docx"
    result = cli(
        "render", "services-numeriques", str(services(tmp_path)), "-o", str(output), "--registre", base
    )
    assert result.exit_code == 0, result.output
    with Register(base) as register:
        entry = register.entry(1)
    assert entry.sha256 == hashlib.sha256(output.read_bytes()).hexdigest()
    assert entry.fichier == str(output.resolve())
    again = cli(
        "render",
        "services-numeriques",
        str(services(tmp_path)),
        "-o",
        str(output),
        "--force",
        "--registre",
        base,
        "--format",
        "json",
    )
    assert again.exit_code == 0  # the document is written; the register says it has it already
    assert json.loads(again.stdout)["registre"] == {"numero": 1, "doublon": True}
    # same bytes (same second), or the archive's timestamps differ: either way one record, naming the
    # document now on disk
    assert "déjà inscrite au registre sous le n°1" in again.stderr
    with Register(base) as register:
        assert register.entry(1).sha256 == hashlib.sha256(output.read_bytes()).hexdigest()
        assert [item.numero for item in register.due()] == [1, 1, 1]


def test_the_same_data_in_new_bytes_is_the_same_convention(base: str, tmp_path: Path) -> None:
    ctype = load_type("services-numeriques")
    checked = validate(ctype, sample("services-numeriques"))
    assert checked.convention is not None
    first, second = (
        record_of(
            ctype, checked.convention, checked.data, content=content, kind="document", path=tmp_path / name
        )
        for content, name in ((b"v1", "a.docx"), (b"v2", "b.docx"))
    )
    with Register(base, create=True) as register:
        assert register.add(first) == 1
        with pytest.raises(DuplicateRecordError) as caught:
            register.add(second)
        assert caught.value.record == 1 and caught.value.exit_code == ExitCode.DUPLICATE
        assert f"(mêmes données) ; son document est désormais {tmp_path / 'b.docx'}" in caught.value.message
        entry = register.entry(1)
        assert (entry.sha256, entry.fichier) == (hashlib.sha256(b"v2").hexdigest(), str(tmp_path / "b.docx"))


def test_the_same_convention_twice_is_one_record(base: str, tmp_path: Path) -> None:
    data = str(services(tmp_path))
    assert cli("registre", "ajouter", "services-numeriques", data, "--base", base).exit_code == 0
    twice = cli("registre", "ajouter", "services-numeriques", data, "--base", base)
    assert twice.exit_code == ExitCode.DUPLICATE
    assert "déjà inscrite au registre sous le n°1 (même empreinte SHA-256" in twice.stderr
    assert len(due_json(base, "2025-01-01", "2035-01-01")["echeances"]) == 3


def test_an_unknown_number(base: str, tmp_path: Path) -> None:
    cli("registre", "ajouter", "services-numeriques", str(services(tmp_path)), "--base", base)
    result = cli("registre", "signer", "7", "--date", "2026-01-01", "--base", base)
    assert result.exit_code == ExitCode.UNKNOWN_RECORD
    assert "aucune convention n°7 dans le registre" in result.stderr


def test_invalid_data_is_not_recorded(base: str, tmp_path: Path) -> None:
    data = write_data(tmp_path, "services-numeriques", duree={"fin": "2040-01-01"})
    result = cli("registre", "ajouter", "services-numeriques", str(data), "--base", base)
    assert result.exit_code == ExitCode.INVALID_DATA
    assert "duree.fin" in result.stderr and "dates.renouvellement_excessif" in result.stderr


def test_a_failed_write_leaves_nothing(base: str, tmp_path: Path) -> None:
    ctype = load_type("services-numeriques")
    checked = validate(ctype, sample("services-numeriques"))
    assert checked.convention is not None
    record = record_of(ctype, checked.convention, checked.data, content=b"doc", kind="document", path=None)
    broken = PartyRecord(1, "collectivite", None, "Ruitz", "la Commune de Ruitz")  # type: ignore[arg-type]
    with Register(base, create=True) as register:
        with pytest.raises(RegisterError):
            register.add(record.__class__(**{**vars(record), "parties": (broken,)}))
        with register.engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(tables.conventions)) == 0
            assert connection.scalar(select(func.count()).select_from(tables.echeances)) == 0
        assert register.add(record) == register.due()[0].numero


WRITER = """
import sys
from conventum import validate
from conventum.model.catalogue import load_type
from conventum.register.records import record_of
from conventum.register.store import Register
from tests.support import sample
base, writer = sys.argv[1], int(sys.argv[2])
ctype = load_type("services-numeriques")
with Register(base, create=True) as register:
    for rank in range(5):
        data = sample("services-numeriques")
        data["parties"][0]["nom"] = f"Ruitz {writer}-{rank}"
        checked = validate(ctype, data)
        content = f"{writer}-{rank}".encode()
        register.add(record_of(ctype, checked.convention, checked.data, content=content, kind="document", path=None))
"""


def test_concurrent_writers_lose_no_record(base: str) -> None:
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, base, str(n)], cwd=ROOT, stderr=subprocess.PIPE)
        for n in range(4)
    ]
    outcomes = [(writer.communicate(timeout=120)[1], writer.returncode) for writer in writers]
    assert [code for _, code in outcomes] == [0] * 4, [err.decode() for err, _ in outcomes]
    with Register(base) as register, register.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(tables.conventions)) == 20
        assert connection.scalar(select(func.count()).select_from(tables.echeances)) == 60


# --- the calendar -------------------------------------------------------------------------------


def export(base: str, path: Path) -> Calendar:
    result = cli("registre", "ics", "-o", str(path), "--force", "--base", base)
    assert result.exit_code == 0, result.output
    return Calendar.from_ical(path.read_bytes())


def test_ics_events_uids_and_alarms(base: str, tmp_path: Path) -> None:
    cli("registre", "ajouter", "services-numeriques", str(services(tmp_path)), "--base", base)
    cli(
        "registre",
        "ajouter",
        "plateforme-dematerialisation",
        str(write_data(tmp_path, "plateforme-dematerialisation")),
        "--base",
        base,
    )
    calendar = export(base, tmp_path / "echeances.ics")
    events = list(calendar.walk("VEVENT"))
    # services: notice, renewal, end; the platform (1 January 2026, three years, without limit): its
    # tacit renewals up to the period covering 2056, thirty years on (1 January 2029 … 1 January 2059)
    assert len(events) == 3 + 11
    assert len({str(event["UID"]) for event in events}) == len(events)
    notice = next(event for event in events if str(event["UID"]).endswith("-preavis-0@conventum"))
    assert notice.decoded("DTSTART") == date(2027, 6, 14)
    assert str(notice["SUMMARY"]).startswith(
        "Dénoncer avant le 14\u00a0juin 2027 — Commune de Ruitz : services numériques"
    )
    description = str(notice["DESCRIPTION"])
    assert "la Commune de Ruitz" in description
    assert "dénoncer avant le 14\u00a0juin 2027 pour éviter la reconduction tacite" in description
    alarms = [alarm.decoded("TRIGGER") for alarm in notice.walk("VALARM")]
    assert alarms == [timedelta(days=-90), timedelta(days=-30), timedelta(days=-7)]
    assert all(len(list(event.walk("VALARM"))) == 3 for event in events)


def test_a_reexport_updates_never_duplicates(base: str, tmp_path: Path) -> None:
    cli("registre", "ajouter", "services-numeriques", str(services(tmp_path)), "--base", base)
    first = list(export(base, tmp_path / "a.ics").walk("VEVENT"))
    same = list(export(base, tmp_path / "b.ics").walk("VEVENT"))
    assert (tmp_path / "a.ics").read_bytes() == (tmp_path / "b.ics").read_bytes()
    cli("registre", "signer", "1", "--date", "2026-01-01", "--base", base)
    moved = list(export(base, tmp_path / "c.ics").walk("VEVENT"))
    # a calendar keeps one event per UID, the one of highest SEQUENCE: imported twice, still three events
    imported: dict[str, Any] = {}
    for event in [*first, *same, *moved]:
        uid = str(event["UID"])
        if uid not in imported or int(event["SEQUENCE"]) >= int(imported[uid]["SEQUENCE"]):
            imported[uid] = event
    assert {str(e["UID"]) for e in first} == {str(e["UID"]) for e in moved} == set(imported)
    assert sorted(event.decoded("DTSTART") for event in imported.values()) == [
        date(2027, 9, 30),
        date(2028, 1, 1),
        date(2029, 12, 31),
    ]
    assert {int(event["SEQUENCE"]) for event in moved} == {1}


def test_an_existing_ics_is_kept_without_force(tmp_path: Path) -> None:
    base = str(tmp_path / "r.sqlite")
    cli("registre", "ajouter", "services-numeriques", str(services(tmp_path)), "--base", base)
    (tmp_path / "e.ics").write_text("old")
    result = cli("registre", "ics", "-o", str(tmp_path / "e.ics"), "--base", base)
    assert result.exit_code == ExitCode.OUTPUT and (tmp_path / "e.ics").read_text() == "old"


# --- bad registers (SQLite) ---------------------------------------------------------------------


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "notes.sqlite"
    bad.write_text("des notes, pas une base\n" * 100)
    for args in (
        ["echeances", "--avant", "2030-01-01"],
        ["ajouter", "services-numeriques", str(services(tmp_path))],
    ):
        result = cli("registre", *args, "--base", str(bad))
        assert result.exit_code == ExitCode.REGISTER
        assert "n’est pas une base de données de registre" in result.stderr
    assert bad.read_text().startswith("des notes")


def test_a_database_of_another_program(tmp_path: Path) -> None:
    other = tmp_path / "autre.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE clients (nom TEXT)")
    result = cli("registre", "ajouter", "services-numeriques", str(services(tmp_path)), "--base", str(other))
    assert result.exit_code == ExitCode.REGISTER
    assert "n’est pas un registre conventum (il contient d’autres tables : clients)" in result.stderr


def test_a_register_of_a_newer_version(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    Register(str(path), create=True).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE conventum_version SET version = 99")
    result = cli("registre", "echeances", "--avant", "2030-01-01", "--base", str(path))
    assert result.exit_code == ExitCode.REGISTER
    assert "version 99, plus récente que celle que cette version de conventum connaît (2)" in result.stderr


def test_a_missing_register_is_not_created_by_reading(tmp_path: Path) -> None:
    result = cli("registre", "echeances", "--avant", "2030-01-01", "--base", str(tmp_path / "absent.sqlite"))
    assert result.exit_code == ExitCode.REGISTER and "n’existe pas" in result.stderr
    assert not (tmp_path / "absent.sqlite").exists()


def test_a_bad_register_renders_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"\x00" * 4096)
    output = tmp_path / "c.docx"
    result = cli(
        "render",
        "services-numeriques",
        str(SAMPLES / "services-numeriques.yaml"),
        "-o",
        str(output),
        "--registre",
        str(bad),
    )
    assert result.exit_code == ExitCode.REGISTER and not output.exists()


def test_a_busy_register_waits_then_gives_up_whole(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    ctype = load_type("services-numeriques")
    checked = validate(ctype, sample("services-numeriques"))
    assert checked.convention is not None
    record = record_of(ctype, checked.convention, checked.data, content=b"x", kind="document", path=None)
    register = Register(str(path), create=True, busy_seconds=0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        with pytest.raises(RegisterBusyError) as caught:
            register.add(record)
        assert caught.value.exit_code == ExitCode.REGISTER_BUSY
        assert "est occupé par un autre programme depuis plus de 0.2 secondes" in caught.value.message
    finally:
        register.close()
        holder.execute("ROLLBACK")
        holder.close()
    with Register(str(path)) as register:
        assert register.due() == []
        register.add(record)


def test_an_older_register_is_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.sqlite"
    Register(str(path), create=True).close()

    def add_column(connection: Connection) -> None:
        connection.execute(text("ALTER TABLE conventions ADD COLUMN remarque TEXT"))

    monkeypatch.setattr(tables, "SCHEMA_VERSION", 3)
    monkeypatch.setitem(tables.MIGRATIONS, 3, add_column)
    Register(str(path)).close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version FROM conventum_version").fetchall() == [(3,)]
        assert "remarque" in [row[1] for row in connection.execute("PRAGMA table_info(conventions)")]


def test_a_bad_date_and_a_bad_number_are_usage_errors(tmp_path: Path) -> None:
    base = str(tmp_path / "r.sqlite")
    cli("registre", "ajouter", "services-numeriques", str(services(tmp_path)), "--base", base)
    assert cli("registre", "echeances", "--avant", "31/02/2026", "--base", base).exit_code == ExitCode.USAGE
    assert cli("registre", "echeances", "--avant", "fin 2026", "--base", base).exit_code == ExitCode.USAGE
    assert cli("registre", "echeances", "--avant", "31/12/2026", "--base", base).exit_code == 0  # JJ/MM/AAAA
    assert cli("registre", "signer", "un", "--date", "2026-01-01", "--base", base).exit_code == ExitCode.USAGE
    assert cli("registre", "signer", "1", "--base", base).exit_code == ExitCode.USAGE


def test_a_type_without_term_is_not_a_convention_of_the_register(tmp_path: Path) -> None:
    result = cli(
        "registre",
        "ajouter",
        "deliberation",
        str(SAMPLES / "deliberation-2023-338.yaml"),
        "--base",
        str(tmp_path / "r.sqlite"),
    )
    assert result.exit_code == ExitCode.USAGE and "il ne s’inscrit pas au registre" in result.stderr
