"""``conventum batch``: reports, nothing half-written, resume, parallel workers, PDF, zip, model sheet."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from pypdf import PdfReader

from conventum.cli import main
from conventum.french.grammar import denomination
from conventum.geo import article_of, geography
from conventum.ooxml.text import document_text
from tests.batch_support import HEADERS, TYPE, invented_member, member, real_communes, write_csv
from tests.support import needs_libreoffice, normalise


def _batch(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["batch", *map(str, args)])
    return result.exit_code, result.output


def _report(folder: Path) -> list[dict[str, str]]:
    text = (folder / "rapport-lot.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_reports_have_one_line_per_row_with_each_problem(tmp_path: Path) -> None:
    bad = member("Dourges", **{"parties[0].representant.qualite": "roi", "parties[0].adresse.voie": ""})
    table = write_csv(tmp_path / "m.csv", [member("Carvin"), bad])
    code, output = _batch(TYPE, table, "-o", tmp_path / "out", "-j", "1")
    assert code == 5
    assert "ligne 2 : écrit Carvin-convention.docx" in output
    rows = _report(tmp_path / "out")
    assert [(row["ligne"], row["statut"], row["fichier"]) for row in rows] == [
        ("2", "écrit", "Carvin-convention.docx"),
        ("3", "invalide", ""),
    ]
    assert set(rows[1]["chemins"].split(" | ")) == {
        "parties[0].representant.qualite",
        "parties[0].adresse.voie",
    }
    assert "Voie" in rows[1]["messages"]
    report = json.loads((tmp_path / "out" / "rapport-lot.json").read_text(encoding="utf-8"))
    assert report["bilan"] == {"ecrit": 1, "invalide": 1}
    assert {issue["code"] for issue in report["lignes"][1]["problemes"]} == {
        "field.missing",
        "field.not_in_choices",
    }


def test_common_data_fills_what_the_sheet_leaves_empty_and_the_sheet_wins(tmp_path: Path) -> None:
    commun = tmp_path / "commun.yaml"
    commun.write_text(
        "signature: {lieu: Arras, date: 2025-04-02}\nparties:\n  - representant: {prenom: Paul}\n",
        encoding="utf-8",
    )
    headers = [
        header for header in HEADERS if header not in ("Lieu de signature", "parties[0].representant.prenom")
    ]
    rows = [
        [value for header, value in zip(HEADERS, member(name), strict=True) if header in headers]
        for name in ("Carvin", "Dourges")
    ]
    rows[1].append("Zoé")
    table = write_csv(tmp_path / "m.csv", rows, headers=[*headers, "parties[0].representant.prenom"])
    assert _batch(TYPE, table, "--commun", commun, "-o", tmp_path / "out", "-j", "1")[0] == 0
    carvin = normalise(document_text((tmp_path / "out" / "Carvin-convention.docx").read_bytes()))
    dourges = normalise(document_text((tmp_path / "out" / "Dourges-convention.docx").read_bytes()))
    assert "Le 2 avril 2025" in carvin
    assert "Madame Paul DUPRÉ" in carvin and "Paul" not in dourges
    assert "Madame Zoé DUPRÉ" in dourges


def test_stop_on_error_writes_no_document(tmp_path: Path) -> None:
    bad = member("Dourges", **{"parties[0].representant.civilite": "Maître"})
    table = write_csv(tmp_path / "m.csv", [member("Carvin"), bad])
    code, _output = _batch(TYPE, table, "-o", tmp_path / "out", "--stop-on-error", "-j", "1")
    assert code == 5
    assert not list((tmp_path / "out").glob("*.docx"))
    assert [row["statut"] for row in _report(tmp_path / "out")] == ["non traité", "invalide"]


def test_existing_documents_are_kept_without_force(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "m.csv", [member("Carvin")])
    out = tmp_path / "out"
    assert _batch(TYPE, table, "-o", out, "-j", "1")[0] == 0
    before = (out / "Carvin-convention.docx").read_bytes(), (out / "rapport-lot.csv").read_bytes()
    write_csv(table, [member("Carvin", **{"parties[0].representant.prenom": "Zoé"})])
    code, output = _batch(TYPE, table, "-o", out, "-j", "1")
    assert code == 8 and "--force" in output
    assert ((out / "Carvin-convention.docx").read_bytes(), (out / "rapport-lot.csv").read_bytes()) == before
    assert _batch(TYPE, table, "-o", out, "-j", "1", "--force")[0] == 0
    assert "Zoé DUPRÉ" in document_text((out / "Carvin-convention.docx").read_bytes())


def test_resume_redoes_only_what_is_missing_or_changed(tmp_path: Path) -> None:
    names = ["Carvin", "Dourges", "Libercourt"]
    table = write_csv(tmp_path / "m.csv", [member(name) for name in names])
    out = tmp_path / "out"
    assert _batch(TYPE, table, "-o", out, "-j", "1")[0] == 0
    (out / "Dourges-convention.docx").unlink()
    (out / ".Carvin-convention.docx.abc123.tmp").write_bytes(b"half")
    write_csv(
        table,
        [
            member("Carvin"),
            member("Dourges"),
            member("Libercourt", **{"parties[0].representant.prenom": "Zoé"}),
        ],
    )
    code, _output = _batch(TYPE, table, "-o", out, "-j", "1", "--resume")
    assert code == 0
    assert [row["statut"] for row in _report(out)] == ["déjà fait (repris)", "écrit", "écrit"]
    assert "Zoé DUPRÉ" in document_text((out / "Libercourt-convention.docx").read_bytes())
    assert not list(out.glob("*.tmp"))


def test_resume_redoes_a_document_cut_short(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "m.csv", [member("Carvin")])
    out = tmp_path / "out"
    assert _batch(TYPE, table, "-o", out, "-j", "1")[0] == 0
    whole = (out / "Carvin-convention.docx").read_bytes()
    (out / "Carvin-convention.docx").write_bytes(whole[: len(whole) // 2])
    assert _batch(TYPE, table, "-o", out, "-j", "1", "--resume")[0] == 0
    assert [row["statut"] for row in _report(out)] == ["écrit"]
    assert "la Commune de Carvin" in document_text((out / "Carvin-convention.docx").read_bytes())


def test_a_killed_run_leaves_only_whole_documents_and_resume_finishes_it(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "m.csv", [invented_member(f"Syndicat {n}") for n in range(1000)])
    out = tmp_path / "out"
    script = str(Path(sys.executable).parent / "conventum")
    command = [script, "batch", TYPE, str(table), "-o", str(out), "-j", "1", "-q"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.docx"))) < 5 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert process.poll() is None, "the batch ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    for path in out.glob("*.docx"):
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
    assert 5 <= len(list(out.glob("*.docx"))) < 1000
    finished = subprocess.run([*command, "--resume"], capture_output=True, text=True, check=False)
    assert finished.returncode == 0, finished.stderr
    assert len(list(out.glob("*.docx"))) == 1000
    assert not list(out.glob(".*.tmp"))


def test_parallel_workers_write_the_same_documents(tmp_path: Path) -> None:
    names = real_communes(12)
    table = write_csv(tmp_path / "m.csv", [member(name) for name in names])
    assert _batch(TYPE, table, "-o", tmp_path / "un", "-j", "1")[0] == 0
    assert _batch(TYPE, table, "-o", tmp_path / "deux", "-j", "2")[0] == 0
    for name in names:
        one = (tmp_path / "un" / f"{name}-convention.docx").read_bytes()
        two = (tmp_path / "deux" / f"{name}-convention.docx").read_bytes()
        assert document_text(one) == document_text(two)
        (commune,) = geography().communes_named(name)
        assert denomination("commune", name, article=article_of(commune.tncc)) in document_text(two)


def test_the_model_sheet_has_the_headers_and_explains_them_and_is_accepted_back(tmp_path: Path) -> None:
    model = tmp_path / "modele.xlsx"
    assert _batch("--modele", TYPE, "-o", model)[0] == 0
    workbook = openpyxl.load_workbook(model)
    paths = [cell.value for cell in workbook["Membres"][2]]  # row 1: French labels; row 2: the paths
    assert set(HEADERS[1:-1]) <= set(paths)
    assert "parties[0].role" not in paths  # one role without default: implied
    explained = {row[2]: row for row in workbook["Colonnes"].iter_rows(min_row=4, values_only=True)}
    assert explained["parties[0].representant.civilite"][3:] == ("choix", "oui", "Madame ; Monsieur")
    assert (
        explained["parties[0].autorisation[0].date"][1] == "L’adhérent – Autorisation : Date de la décision"
    )
    assert "Maire" in explained["parties[0].representant.qualite"][5]
    values = dict(zip(HEADERS, member("Carvin"), strict=True))
    values["signature.lieu"] = values.pop("Lieu de signature")
    workbook["Membres"].append([values.get(path) for path in paths])
    workbook.save(model)
    assert _batch(TYPE, model, "-o", tmp_path / "out", "-j", "1")[0] == 0
    assert (tmp_path / "out" / "Carvin-convention.docx").is_file()


@needs_libreoffice
def test_pdf_batch_with_a_zip(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "m.csv", [member("Carvin"), member("Dourges")])
    archive_path = tmp_path / "conventions.zip"
    code, _output = _batch(TYPE, table, "-o", tmp_path / "out", "--pdf", "--zip", archive_path, "-j", "2")
    assert code == 0
    with zipfile.ZipFile(archive_path) as archive:
        names = sorted(archive.namelist())
        assert names == [
            "Carvin-convention.pdf",
            "Dourges-convention.pdf",
            "rapport-lot.csv",
            "rapport-lot.json",
        ]
        reader = PdfReader(io.BytesIO(archive.read("Dourges-convention.pdf")))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2
    assert "Commune de Dourges" in text
