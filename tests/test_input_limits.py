"""What the hostile corpus does not show one by one: the bounds let ordinary input through, the
files and reports say the truth, annexes stay in their folder, encodings are read, not guessed."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conventum import DataFileError, validate
from conventum.batch.files import NameBook, read_manifest
from conventum.batch.report import neutralised
from conventum.batch.spreadsheet import detect_encoding, open_sheet
from conventum.cli import main
from conventum.errors import ExitCode
from conventum.model.loading import parse_text
from conventum.output import cap_bytes
from conventum.pdf.inspection import confined_annexes
from conventum.rendering.prepared import make_environment
from conventum.settings import current
from tests.batch_support import HEADERS, TYPE, invented_member, member, write_csv
from tests.support import ROOT, SAMPLES


def test_ordinary_yaml_keeps_its_anchors_merges_and_decimals() -> None:
    text = "base: &b {ville: Arras}\nautre:\n  <<: *b\n  code: 62000\nmontant: 12.50\n"
    data = parse_text(text, fmt="yaml", source="x.yaml")
    assert data["autre"] == {"ville": "Arras", "code": 62000}
    assert str(data["montant"]) == "12.50"


def test_a_key_given_twice_names_its_line_in_every_format() -> None:
    for text, fmt, line in (('{"a": 1,\n\n "a": 2}', "json", 3), ("a: 1\n\na: 2\n", "yaml", 3)):
        with pytest.raises(DataFileError) as caught:
            parse_text(text, fmt=fmt, source=f"d.{fmt}")
        assert caught.value.line == line and "« a » donnée deux fois" in caught.value.message
    with pytest.raises(DataFileError):
        parse_text("a = 1\na = 2\n", fmt="toml", source="d.toml")


def test_a_limit_is_raised_from_the_environment(tmp_path: Path) -> None:
    data = yaml.safe_load((SAMPLES / "services-numeriques.yaml").read_text(encoding="utf-8"))
    data["signature"]["lieu"] = "Arras " * 20_000
    source = tmp_path / "d.json"
    source.write_text(json.dumps(data, default=str), encoding="utf-8")
    conventum = str(Path(sys.executable).parent / "conventum")
    command = [conventum, "validate", "services-numeriques", str(source)]
    refused = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    assert refused.returncode == ExitCode.INVALID_DATA and "field.texte_trop_long" in refused.stderr
    raised = dict(os.environ, CONVENTUM_MAX_TEXT_LENGTH="200000")
    allowed = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT, env=raised)
    assert "field.texte_trop_long" not in allowed.stderr


def test_a_too_long_text_is_a_field_error_with_its_path() -> None:
    data = yaml.safe_load((SAMPLES / "adhesion-centrale-achats.yaml").read_text(encoding="utf-8"))
    data["parties"][0]["nom"] = "x" * 100_001
    found = [
        i for i in validate("adhesion-centrale-achats", data).issues if i.code == "field.texte_trop_long"
    ]
    assert [issue.path for issue in found] == ["parties[0].nom"]
    assert "compte 100001 caractères, plus que les 100000" in found[0].message


def test_templates_keep_loops_lengths_and_big_amounts() -> None:
    source = "{% for i in items %}{{ loop.index }}/{{ loop.length }} {% else %}rien{% endfor %}{{ 10**12 }}"
    assert make_environment().from_string(source).render(items=["a", "b"]) == "1/2 2/2 1000000000000"


@pytest.mark.parametrize(
    ("raw", "encoding", "expected"),
    [
        ("Œuvre sociale 10 €".encode("iso-8859-15"), "iso-8859-15", "Œuvre sociale 10 €"),
        ("Œuvre sociale 10 € – fin".encode("cp1252"), "cp1252", "Œuvre sociale 10 € – fin"),
        ("Béthune".encode("cp1252"), "cp1252", "Béthune"),
        ("Œuvre 10 €".encode(), "utf-8-sig", "Œuvre 10 €"),
    ],
)
def test_a_csv_encoding_is_detected_never_garbled(
    raw: bytes, encoding: str, expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(b"parties[0].nom\n" + raw + b"\n")
    assert detect_encoding(path) == encoding
    assert next(open_sheet(path).rows())[1] == [expected]


def test_names_are_capped_in_bytes_and_stay_distinct(tmp_path: Path) -> None:
    book = NameBook(tmp_path, ".docx")
    long = "Communauté d’agglomération " + "é" * 300
    first, second = book.claim("{n}", {"n": long + "A"}, 2), book.claim("{n}", {"n": long + "B"}, 3)
    assert first != second
    for name in (first, second):
        assert len(name.encode("utf-8")) <= 200 and "…-" in name
    assert [book.claim("{n}", {"n": "Arras"}, i) for i in range(3)] == [
        "Arras.docx",
        "Arras-2.docx",
        "Arras-3.docx",
    ]
    assert cap_bytes("court", 10) == "court"


def test_render_to_a_240_character_name_works_and_a_300_byte_one_is_an_output_error(tmp_path: Path) -> None:
    sample = str(SAMPLES / "adhesion-centrale-achats.yaml")
    fine = tmp_path / ("c" * 235 + ".docx")
    assert CliRunner().invoke(main, ["render", TYPE, sample, "-o", str(fine)]).exit_code == 0
    assert fine.is_file()
    too_long = tmp_path / ("é" * 150 + ".docx")
    result = CliRunner().invoke(main, ["render", TYPE, sample, "-o", str(too_long)])
    assert result.exit_code == ExitCode.OUTPUT and "trop long" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [fine.name]


def test_report_cells_that_spreadsheets_would_run_are_neutralised() -> None:
    for cell in ("=HYPERLINK(1)", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralised(cell) == "'" + cell
    assert neutralised("Arras") == "Arras" and neutralised(3) == 3


def test_a_batch_report_is_shared_and_its_formulas_inert(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "m.csv", [invented_member("=1+1"), member("Carvin")])
    out = tmp_path / "out"
    previous = os.umask(0o022)
    try:
        result = CliRunner().invoke(main, ["batch", TYPE, str(table), "-o", str(out), "-j", "1"])
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert (out / "rapport-lot.csv").stat().st_mode & 0o777 == 0o644
    rows = list(csv.DictReader(io.StringIO((out / "rapport-lot.csv").read_text("utf-8-sig")), delimiter=";"))
    assert rows[0]["fichier"] == "'=1+1-convention.docx"
    assert (
        json.loads((out / "rapport-lot.json").read_text("utf-8"))["lignes"][0]["fichier"]
        == "=1+1-convention.docx"
    )


def test_resume_redoes_a_document_swapped_in_from_another_row(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "m.csv", [member("Carvin"), member("Dourges")])
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["batch", TYPE, str(table), "-o", str(out), "-j", "1"]).exit_code == 0
    (out / "Carvin-convention.docx").write_bytes((out / "Dourges-convention.docx").read_bytes())
    assert set(read_manifest(out)) == {"Dourges-convention.docx"}
    result = CliRunner().invoke(main, ["batch", TYPE, str(table), "-o", str(out), "-j", "1", "--resume"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((out / "rapport-lot.csv").read_text("utf-8-sig")), delimiter=";"))
    assert [row["statut"] for row in rows] == ["écrit", "déjà fait (repris)"]


def test_annex_paths_are_confined_to_the_annexes_folder(tmp_path: Path) -> None:
    folder = tmp_path / "annexes"
    folder.mkdir()
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-1.4")
    data = yaml.safe_load((SAMPLES / "adhesion-centrale-achats.yaml").read_text(encoding="utf-8"))
    for given in ("../secret.pdf", str(tmp_path / "secret.pdf")):
        data["annexes"] = [{"numero": 1, "titre": "Plan", "fichier": given}]
        with confined_annexes(folder):
            found = [i for i in validate(TYPE, data).issues if i.path == "annexes[0].fichier"]
        assert [issue.code for issue in found] == ["annexes.hors_dossier"]
    data["annexes"] = [{"numero": 1, "titre": "Plan", "fichier": "absent.pdf"}]
    with confined_annexes(folder):
        found = [i.code for i in validate(TYPE, data).issues if i.path == "annexes[0].fichier"]
    assert found == ["annexes.fichier_introuvable"]


def test_the_cli_option_confines_annexes(tmp_path: Path) -> None:
    (tmp_path / "annexes").mkdir()
    data = yaml.safe_load((SAMPLES / "adhesion-centrale-achats.yaml").read_text(encoding="utf-8"))
    data["annexes"] = [{"numero": 1, "titre": "Plan", "fichier": "/etc/passwd"}]
    source = tmp_path / "d.json"
    source.write_text(json.dumps(data, default=str), encoding="utf-8")
    args = [
        "render",
        TYPE,
        str(source),
        "-o",
        str(tmp_path / "x.docx"),
        "--annexes-dir",
        str(tmp_path / "annexes"),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == ExitCode.INVALID_DATA and "annexes.hors_dossier" in result.output
    assert current().annexes_dir is None  # confined for the command's time only


def test_headers_of_the_batch_support_still_match() -> None:
    assert HEADERS[2] == "parties[0].nom"
