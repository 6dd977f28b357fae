"""`conventum validate` and `render` on invalid data: grouped report, JSON, exit codes, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner, Result

from conventum.cli import main
from conventum.errors import ExitCode
from tests.support import SAMPLES

TYPE = "adhesion-centrale-achats"
VALID = str(SAMPLES / f"{TYPE}.yaml")
ERROR = str(SAMPLES / "invalid" / f"{TYPE}.dates.autorisation_apres_signature.yaml")
WARNING = str(SAMPLES / "invalid" / f"{TYPE}.parties.civilite_qualite.yaml")
TODAY = ("--today", "2026-01-15")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_exit_codes_say_valid_warnings_or_errors() -> None:
    assert run("validate", TYPE, VALID, *TODAY).exit_code == ExitCode.OK
    assert run("validate", TYPE, WARNING, *TODAY).exit_code == ExitCode.WARNINGS
    assert run("validate", TYPE, ERROR, *TODAY).exit_code == ExitCode.INVALID_DATA


def test_strict_turns_warnings_into_errors() -> None:
    result = run("validate", TYPE, WARNING, "--strict", *TODAY, "--format", "json")
    assert result.exit_code == ExitCode.INVALID_DATA
    report = json.loads(result.stdout)
    assert report["valide"] is False
    assert [p["severity"] for p in report["problemes"]] == ["error"]


def test_report_groups_issues_under_the_party_they_concern() -> None:
    result = run("validate", TYPE, ERROR, *TODAY)
    lines = result.output.splitlines()
    heading = lines.index("Partie n°1 (L’adhérent) : le Département du Pas-de-Calais")
    assert "parties[0].autorisation[0].date" in lines[heading + 1]
    assert (
        "La délibération de la Commission permanente du 5 octobre 2023 est postérieure" in lines[heading + 1]
    )


def test_json_report_follows_the_documented_schema() -> None:
    result = run("validate", TYPE, ERROR, *TODAY, "--format", "json")
    report = json.loads(result.stdout)
    assert set(report) == {"version", "valide", "erreurs", "avertissements", "type", "strict", "problemes"}
    (problem,) = report["problemes"]
    assert set(problem) == {"code", "severity", "path", "message", "params", "section", "rubrique"}
    assert (problem["code"], problem["path"], problem["section"]) == (
        "dates.autorisation_apres_signature",
        "parties[0].autorisation[0].date",
        "parties[0]",
    )
    assert problem["params"]["decision_date"] == "2023-10-05"


def test_render_refuses_errors_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "convention.docx"
    result = run("render", TYPE, ERROR, "-o", str(target), *TODAY)
    assert result.exit_code == ExitCode.INVALID_DATA
    assert "dates.autorisation_apres_signature" in result.output
    assert not target.exists()


def test_render_prints_warnings_and_writes(tmp_path: Path) -> None:
    target = tmp_path / "convention.docx"
    result = run("render", TYPE, WARNING, "-o", str(target), *TODAY)
    assert result.exit_code == ExitCode.OK, result.output
    assert "avertissement" in result.output and "parties.civilite_qualite" in result.output
    assert target.is_file()


def test_render_strict_refuses_warnings(tmp_path: Path) -> None:
    target = tmp_path / "convention.docx"
    result = run("render", TYPE, WARNING, "-o", str(target), "--strict", *TODAY)
    assert result.exit_code == ExitCode.INVALID_DATA
    assert not target.exists()


def test_json_report_of_data_that_cannot_be_read(tmp_path: Path) -> None:
    broken = tmp_path / "donnees.yaml"
    broken.write_text("parties: [\n", encoding="utf-8")
    result = run("validate", TYPE, str(broken), "--format", "json")
    assert result.exit_code == ExitCode.DATA_FILE
    report = json.loads(result.stdout)
    assert (report["valide"], report["problemes"]) == (False, [])
    assert report["echec"]["code"] == "fichier_donnees"
    assert (report["echec"]["fichier"], report["echec"]["ligne"]) == (str(broken), 2)
    assert report["echec"]["exit_code"] == ExitCode.DATA_FILE


def test_json_report_of_an_unknown_type() -> None:
    result = run("validate", "adhesion-centrale-achat", VALID, "--format", "json")
    assert result.exit_code == ExitCode.UNKNOWN_TYPE
    failure = json.loads(result.stdout)["echec"]
    assert failure["code"] == "type_inconnu" and "adhesion-centrale-achats" in failure["message"]


def test_render_json_reports_the_problems_and_writes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "convention.docx"
    result = run("render", TYPE, ERROR, "-o", str(output), *TODAY, "--format", "json")
    assert result.exit_code == ExitCode.INVALID_DATA
    report = json.loads(result.stdout)
    assert (report["valide"], report["fichier"]) == (False, None)
    assert [p["code"] for p in report["problemes"]] == ["dates.autorisation_apres_signature"]
    assert not output.exists()


def test_render_json_names_the_file_written_then_refuses_to_overwrite_it(tmp_path: Path) -> None:
    output = tmp_path / "convention.docx"
    report = json.loads(run("render", TYPE, WARNING, "-o", str(output), *TODAY, "--format", "json").stdout)
    assert (report["valide"], report["fichier"], report["avertissements"]) == (True, str(output), 1)
    assert output.is_file()
    again = run("render", TYPE, VALID, "-o", str(output), *TODAY, "--format", "json")
    assert again.exit_code == ExitCode.OUTPUT
    assert json.loads(again.stdout)["echec"]["code"] == "sortie"


def test_render_json_strict_counts_warnings_as_errors(tmp_path: Path) -> None:
    output = tmp_path / "convention.docx"
    result = run("render", TYPE, WARNING, "-o", str(output), *TODAY, "--strict", "--format", "json")
    assert result.exit_code == ExitCode.INVALID_DATA
    report = json.loads(result.stdout)
    assert (report["valide"], report["erreurs"], report["avertissements"]) == (False, 1, 0)
    assert not output.exists()


def test_the_text_report_names_fields_as_the_clerk_sees_them(tmp_path: Path) -> None:
    """Each problem of ``validate`` names its field by its labels, then its path in the file."""
    data = yaml.safe_load((SAMPLES / "adhesion-centrale-achats.yaml").read_text(encoding="utf-8"))
    data["parties"][0]["adresse"]["code_postal"] = "6218"
    data["parties"][0]["telephone"] = "0321000000"
    source = tmp_path / "donnees.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "adhesion-centrale-achats", str(source)])
    assert result.exit_code != 0
    text = " ".join(result.output.split())
    assert "erreur Adresse › Code postal (parties[0].adresse.code_postal) : Le code postal « 6218 »" in text
    assert "erreur parties[0].telephone : Le champ « telephone » n’est pas prévu" in text
