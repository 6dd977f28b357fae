"""Browsing the register (``registre liste/montre/resilier``) on SQLite and PostgreSQL: filters,
searches that SQL characters cannot bend, a résiliation that stops the schedule and cancels its
calendar events, the type's version and template recorded, a version-1 register migrated."""

from __future__ import annotations

import hashlib
import json
import re
import shlex
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result
from icalendar import Calendar
from sqlalchemy import create_engine, insert

from conventum.cli import main
from conventum.errors import ExitCode
from conventum.model.catalogue import load_type
from conventum.register.database import register_url
from conventum.register.store import Register
from tests import register_v1
from tests.support import SAMPLES, sample

TODAY = "2026-01-01"


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def listed(base: str, *args: str) -> dict[str, Any]:
    result = cli("registre", "liste", "--format", "json", "--today", TODAY, "--base", base, *args)
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def shown(base: str, numero: str) -> dict[str, Any]:
    result = cli("registre", "montre", numero, "--format", "json", "--today", TODAY, "--base", base)
    assert result.exit_code == 0, result.output
    entry: dict[str, Any] = json.loads(result.stdout)
    return entry


def write(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def fill(base: str, folder: Path) -> None:
    """Three conventions: Ruitz (services, SIREN and INSEE given), Évin-Malmaison (services), and the
    Département's platform."""
    ruitz = sample("services-numeriques")
    ruitz["parties"][0] = {**ruitz["parties"][0], "siren": "216207274", "insee": "62727"}
    evin = sample("services-numeriques")
    evin["parties"][0] = {
        **evin["parties"][0],
        "nom": "Évin-Malmaison",
        "adresse": {"voie": "Place de la Mairie", "code_postal": "62141", "commune": "Évin-Malmaison"},
    }
    evin["signature"] = {**evin.get("signature", {}), "date": "2025-10-01"}
    for name, data in (("services-numeriques", ruitz), ("services-numeriques", evin)):
        added = cli(
            "registre", "ajouter", name, str(write(folder, f"{name}-{id(data)}", data)), "--base", base
        )
        assert added.exit_code == 0, added.output
    platform = write(folder, "plateforme", sample("plateforme-dematerialisation"))
    assert (
        cli("registre", "ajouter", "plateforme-dematerialisation", str(platform), "--base", base).exit_code
        == 0
    )


def test_list_filters_and_searches(base: str, tmp_path: Path) -> None:
    fill(base, tmp_path)
    everything = listed(base)
    assert [c["numero"] for c in everything["conventions"]] == [1, 2, 3]
    first = everything["conventions"][0]
    assert first["partenaire"] == "Commune de Ruitz" and first["intitule"] == "services numériques"
    assert first["prochaine_echeance"]["date"] == "2027-06-14" and first["statut"] == "en_cours"
    assert [c["numero"] for c in listed(base, "--type", "plateforme-dematerialisation")["conventions"]] == [3]
    # the name without case, accents or hyphens; the SIREN; the INSEE code
    for query in ("evin malmaison", "ÉVIN", "Malmaison"):
        assert [c["numero"] for c in listed(base, "--partenaire", query)["conventions"]] == [2], query
    assert [c["numero"] for c in listed(base, "--partenaire", "216 207 274")["conventions"]] == [1]
    assert [c["numero"] for c in listed(base, "--partenaire", "62727")["conventions"]] == [1]
    # SQL wildcards and injection are plain text: they match nothing, the register is unchanged
    for query in ("%", "_", "' OR 1=1 --", "Ruitz'; DROP TABLE conventions; --", "\\"):
        assert listed(base, "--partenaire", query)["conventions"] == [], query
    assert listed(base)["nombre"] == 3
    # a deadline window: Ruitz's notice falls on 14 June 2027, Évin's on 30 June 2027
    soon = listed(base, "--echeance-avant", "20/06/2027")
    assert [c["numero"] for c in soon["conventions"]] == [1]
    assert soon["filtres"] == {"echeance_avant": "2027-06-20"}
    text = cli("registre", "liste", "--today", TODAY, "--base", base).stdout
    assert "n°1  Commune de Ruitz : services numériques (en cours)" in text
    assert "prochaine échéance : 2027-06-14, dénoncer avant le 14\u00a0juin 2027" in text


def test_show_gives_parties_deadlines_and_provenance(base: str, tmp_path: Path) -> None:
    fill(base, tmp_path)
    entry = shown(base, "1")
    ctype = load_type("services-numeriques")
    assert entry["modele_sha256"] == hashlib.sha256(ctype.template_path.read_bytes()).hexdigest()
    assert entry["schema_sha256"] == hashlib.sha256(ctype.schema_path.read_bytes()).hexdigest()
    assert entry["parties"][0]["siren"] == "216207274" and entry["parties"][0]["insee"] == "62727"
    assert [d["date"] for d in entry["echeances"]] == ["2027-06-14", "2027-09-15", "2029-09-14"]
    text = cli("registre", "montre", "1", "--today", TODAY, "--base", base).stdout
    assert "la Commune de Ruitz (collectivite, SIREN 216207274, INSEE 62727)" in text
    assert f"modèle SHA-256 {entry['modele_sha256']}" in text


def test_termination_stops_the_schedule_and_cancels_the_events(base: str, tmp_path: Path) -> None:
    fill(base, tmp_path)
    before = Calendar.from_ical(_export(base, tmp_path / "avant.ics"))
    ended = cli(
        "registre", "resilier", "1", "--date", "31/12/2026", "--motif", "Délibération du 3 décembre 2026",
        "--base", base,
    )  # fmt: skip
    assert ended.exit_code == 0, ended.output
    assert "Convention n°1 résiliée le 31\u00a0décembre 2026" in ended.stderr
    entry = shown(base, "1")
    assert entry["statut"] == "resiliee" and entry["resiliation"] == "2026-12-31"
    assert entry["echeances"] == [] and len(entry["echeances_annulees"]) == 3
    assert entry["prochaine_echeance"] is None
    # the deadlines of the list and of « echeances » no longer hold it
    due = cli("registre", "echeances", "--depuis", TODAY, "--avant", "2030-12-31", "--format", "json",
              "--base", base)  # fmt: skip
    assert 1 not in {d["numero"] for d in json.loads(due.stdout)["echeances"]}
    assert [c["numero"] for c in listed(base, "--echeance-avant", "2027-06-30")["conventions"]] == [2]
    # the calendar: same UIDs, higher SEQUENCE, STATUS:CANCELLED, no reminder left
    after = Calendar.from_ical(_export(base, tmp_path / "apres.ics"))
    old = {str(e["UID"]): e for e in before.walk("VEVENT")}
    new = {str(e["UID"]): e for e in after.walk("VEVENT")}
    assert set(old) == set(new)
    cancelled = [e for e in new.values() if str(e["STATUS"]) == "CANCELLED"]
    assert len(cancelled) == 3
    for event in cancelled:
        uid = str(event["UID"])
        assert int(str(event["SEQUENCE"])) > int(str(old[uid]["SEQUENCE"]))
        assert list(event.walk("VALARM")) == []
        assert "Commune de Ruitz" in str(event["SUMMARY"])
    assert all(str(e["STATUS"]) == "CONFIRMED" for e in new.values() if e not in cancelled)


def _export(base: str, path: Path) -> bytes:
    result = cli("registre", "ics", "-o", str(path), "--base", base)
    assert result.exit_code == 0, result.output
    return path.read_bytes()


def test_bad_terminations_change_nothing(base: str, tmp_path: Path) -> None:
    fill(base, tmp_path)
    early = cli("registre", "resilier", "1", "--date", "2025-09-01", "--motif", "x", "--base", base)
    assert early.exit_code == ExitCode.USAGE
    assert "précède la signature de la convention n°1 (15\u00a0septembre 2025)" in early.stderr
    blank = cli("registre", "resilier", "1", "--date", "2026-12-31", "--motif", "  ", "--base", base)
    assert blank.exit_code == ExitCode.USAGE and "motif" in blank.stderr
    for numero in ("99", "99999999999999999999"):
        unknown = cli("registre", "resilier", numero, "--date", "2026-12-31", "--motif", "x", "--base", base)
        assert unknown.exit_code == ExitCode.UNKNOWN_RECORD
        assert f"aucune convention n°{numero} dans le registre" in unknown.stderr
        assert cli("registre", "montre", numero, "--base", base).exit_code == ExitCode.UNKNOWN_RECORD
    assert cli(
        "registre", "resilier", "1", "--date", "31/02/2026", "--motif", "x", "--base", base
    ).exit_code == (ExitCode.USAGE)
    assert shown(base, "1")["statut"] == "en_cours" and len(shown(base, "1")["echeances"]) == 3
    assert (
        cli("registre", "resilier", "1", "--date", "2026-12-31", "--motif", "fin", "--base", base).exit_code
        == 0
    )
    again = cli("registre", "resilier", "1", "--date", "2027-01-31", "--motif", "x", "--base", base)
    assert again.exit_code == ExitCode.TERMINATED and "déjà résiliée" in again.stderr
    resign = cli("registre", "signer", "1", "--date", "2026-01-01", "--base", base)
    assert resign.exit_code == ExitCode.TERMINATED
    assert shown(base, "1")["resiliation"] == "2026-12-31"


def test_a_version_1_register_is_migrated(base: str) -> None:
    """A register written by conventum before version 2: its conventions are listed, shown and
    terminated once opened (the new columns empty, the partner taken from its first party)."""
    engine = create_engine(register_url(base))
    now = datetime(2025, 9, 20, tzinfo=UTC)
    with engine.begin() as connection:
        register_v1.metadata.create_all(connection)
        connection.execute(insert(register_v1.version).values(version=1))
        connection.execute(
            insert(register_v1.conventions).values(
                id=1, type="services-numeriques", titre="Convention de services", sha256="a" * 64,
                empreinte_de="donnees", empreinte_donnees="b" * 64, donnees={}, duree=None,
                debut=date(2025, 9, 15), signature=date(2025, 9, 15), fin_definitive=date(2029, 9, 14),
                tronque=False, periodes=[], revision=0, inscrite_le=now, modifiee_le=now,
            )
        )  # fmt: skip
        connection.execute(
            insert(register_v1.parties).values(
                convention_id=1, rang=1, role="collectivite", nature="commune", nom="Ruitz",
                denomination="la Commune de Ruitz", insee="62727",
            )
        )  # fmt: skip
        connection.execute(
            insert(register_v1.echeances).values(
                convention_id=1, nature="preavis", date=date(2027, 6, 14), rang=0, echeance=date(2027, 9, 14)
            )
        )
    engine.dispose()
    entry = shown(base, "1")
    assert entry["partenaire"] == "Commune de Ruitz" and entry["modele_sha256"] is None
    assert [d["date"] for d in entry["echeances"]] == ["2027-06-14"]
    assert [c["numero"] for c in listed(base, "--partenaire", "62727")["conventions"]] == [1]
    assert (
        cli("registre", "resilier", "1", "--date", "2026-12-31", "--motif", "x", "--base", base).exit_code
        == 0
    )
    with Register(base) as register:
        assert [item.annulee for item in register.calendar()] == [True]


# --- the README's register examples, against a fixed date ----------------------------------------

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_register_lines() -> list[list[str]]:
    """The ``conventum registre …`` lines of the README's command list, their optional parts (``[…]``)
    and comments dropped, their placeholders filled (TYPE data.yaml: the services sample; ID: 1)."""
    lines = []
    for line in README.read_text("utf-8").splitlines():
        if not line.startswith("conventum registre "):
            continue
        command = re.sub(r"\[[^\]]*\]", "", line.split("  #", 1)[0])
        words = shlex.split(command)[1:]
        words = ["services-numeriques" if word == "TYPE" else word for word in words]
        words = [str(SAMPLES / "services-numeriques.yaml") if word == "data.yaml" else word for word in words]
        words = ["1" if word == "ID" else word for word in words]
        lines.append(words)
    return lines


def test_the_readme_register_examples_run_on_a_fixed_date(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    avenant = {  # the avenant the README's line names (issue 28), before the résiliation
        "avenant": {"date_effet": "2026-02-01", "signature": {"lieu": "Ruitz", "date": "2026-01-20"}},
        "modifications": {"reconduction": "expresse"},
    }
    (tmp_path / "avenant.yaml").write_text(json.dumps(avenant), encoding="utf-8")
    lines = readme_register_lines()
    assert {words[1] for words in lines} >= {
        "ajouter",
        "echeances",
        "ics",
        "signer",
        "liste",
        "montre",
        "resilier",
    }
    base = str(tmp_path / "registre.sqlite")
    for words in lines:
        extra = (
            ["--today", TODAY] if words[1] in ("ajouter", "echeances", "liste", "montre", "avenant") else []
        )
        result = cli(*words, *extra, "--base", base)
        assert result.exit_code == 0, (words, result.output)
    assert shown(base, "1")["statut"] == "resiliee"
