"""The seams of the command and the library: Click in French, usage errors in JSON, ``types`` in
JSON, ``-o -`` for pipes, neutral library wording, and a batch folder made when missing."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import conventum
from conventum.batch.run import BatchOptions
from conventum.cli import main
from conventum.errors import OutputError
from conventum.model.loading import load_data
from conventum.ooxml.text import document_text
from tests.support import SAMPLES

TYPE = "adhesion-centrale-achats"
SAMPLE = SAMPLES / f"{TYPE}.yaml"


def _run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    return result.exit_code, result.output


def test_click_help_is_french() -> None:
    code, output = _run("--help")
    assert code == 0
    assert "[OPTIONS] COMMANDE [ARGUMENTS]..." in output
    assert output.startswith("Utilisation : ")
    assert "Affiche cette aide et s’arrête." in output
    assert "Commandes" in output
    assert "Show this message" not in output


@pytest.mark.parametrize(
    ("args", "french"),
    [
        (("validate", "--bogus", TYPE, SAMPLE), "Option inconnue : « --bogus »"),
        (("validate", TYPE), "Argument manquant"),
        (("valdate",), "Commande inconnue : « valdate »"),
        (("validate", TYPE, SAMPLE, "--format", "xml"), "n’est pas parmi"),
    ],
)
def test_usage_errors_are_french(args: tuple[str, ...], french: str) -> None:
    code, output = _run(*args)
    assert code == 2
    assert french in output
    assert "No such" not in output and "Missing" not in output


def test_a_usage_error_with_format_json_is_a_json_report() -> None:
    code, output = _run("validate", TYPE, "--format", "json")
    assert code == 2
    report = json.loads(output)
    assert report["valide"] is False
    assert report["echec"]["code"] == "usage"
    assert report["echec"]["exit_code"] == 2
    assert "DONNEES" in report["echec"]["message"]


def test_types_in_json() -> None:
    code, output = _run("types", "--format", "json")
    assert code == 0
    listed = {item["type"]: item for item in json.loads(output)["types"]}
    assert set(listed) == set(conventum.available_types())
    assert {"role": "adherent", "libelle": "L’adhérent"} in listed[TYPE]["roles"]


def test_render_to_stdout() -> None:
    result = CliRunner().invoke(main, ["render", TYPE, str(SAMPLE), "-o", "-"])
    assert result.exit_code == 0, result.stderr
    assert zipfile.is_zipfile(io.BytesIO(result.stdout_bytes))
    assert "Pas-de-Calais" in document_text(result.stdout_bytes)


def test_library_errors_name_the_argument_and_the_command_its_flag(tmp_path: Path) -> None:
    target = tmp_path / "c.docx"
    target.write_bytes(b"")
    with pytest.raises(OutputError) as caught:
        conventum.render(TYPE, SAMPLE, target)
    assert "force=True" in caught.value.message
    assert "--force" not in caught.value.message
    code, output = _run("render", TYPE, SAMPLE, "-o", target)
    assert code == 8
    assert "ajoutez --force pour le remplacer" in output


def test_iter_render_makes_a_missing_folder(tmp_path: Path) -> None:
    folder = tmp_path / "pas" / "encore"
    rows = [load_data(SAMPLE)]
    results = list(conventum.iter_render(TYPE, rows, folder, options=BatchOptions(jobs=1)))
    assert [result.statut for result in results] == ["ecrit"]
    assert (folder / str(results[0].fichier)).is_file()


def test_today_option_takes_both_date_forms_and_says_what_is_wrong() -> None:
    assert _run("validate", TYPE, SAMPLE, "--today", "15/01/2026")[0] == 0
    assert _run("validate", TYPE, SAMPLE, "--today", "2026-01-15")[0] == 0
    code, output = _run("validate", TYPE, SAMPLE, "--today", "31/02/2026")
    assert code == 2
    assert "le 31 février 2026 n’existe pas" in output
