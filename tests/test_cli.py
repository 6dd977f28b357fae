"""The command line: the four commands, bad input with its own exit code, nothing written on failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conventum.cli import main
from conventum.errors import ExitCode
from tests.support import SAMPLES, docx_text

TYPE = "adhesion-centrale-achats"
SAMPLE = str(SAMPLES / f"{TYPE}.yaml")


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input)


def test_types_lists_each_type_with_its_description() -> None:
    result = run("types")
    assert result.exit_code == 0
    assert "adhesion-centrale-achats" in result.output
    assert "centrale d’achats" in result.output


def test_schema_is_json_schema_of_the_type() -> None:
    result = run("schema", TYPE)
    schema = json.loads(result.output)
    assert schema["type"] == "object"
    assert "parties" in schema["properties"]
    assert schema["title"].startswith("Convention d’adhésion")


def test_validate_sample_is_clean() -> None:
    result = run("validate", TYPE, SAMPLE)
    assert result.exit_code == 0, result.output


def test_render_docx(tmp_path: Path) -> None:
    target = tmp_path / "convention.docx"
    result = run("render", TYPE, SAMPLE, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "Le Département du Pas-de-Calais" in docx_text(target.read_bytes())


def test_json_on_stdin(tmp_path: Path) -> None:
    data = Path(SAMPLE).read_text(encoding="utf-8")
    import yaml

    payload = json.dumps(yaml.safe_load(data), default=str)
    target = tmp_path / "c.docx"
    result = run("render", TYPE, "-", "-o", str(target), input=payload)
    assert result.exit_code == 0, result.output
    assert target.is_file()


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_json_and_toml_files(tmp_path: Path, suffix: str) -> None:
    source = tmp_path / f"data{suffix}"
    if suffix == ".json":
        source.write_text(
            json.dumps(
                {
                    "parties": [
                        {
                            "role": "adherent",
                            "nature": "commune",
                            "nom": "Libercourt",
                            "adresse": {"voie": "Place", "code_postal": "62820", "commune": "Libercourt"},
                            "representant": {
                                "civilite": "Madame",
                                "prenom": "A",
                                "nom": "B",
                                "qualite": "maire",
                            },
                            "autorisation": {"organe": "conseil municipal", "date": "2025-03-14"},
                        }
                    ]
                }
            ),
            encoding="utf-8",
        )
    else:
        source.write_text(
            '[[parties]]\nrole = "adherent"\nnature = "commune"\nnom = "Libercourt"\n'
            '[parties.adresse]\nvoie = "Place"\ncode_postal = "62820"\ncommune = "Libercourt"\n'
            '[parties.representant]\ncivilite = "Madame"\nprenom = "A"\nnom = "B"\nqualite = "maire"\n'
            '[parties.autorisation]\norgane = "conseil municipal"\ndate = 2025-03-14\n',
            encoding="utf-8",
        )
    target = tmp_path / "c.docx"
    result = run("render", TYPE, str(source), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "La Commune de Libercourt" in docx_text(target.read_bytes())


def test_unreadable_file(tmp_path: Path) -> None:
    target = tmp_path / "out.docx"
    result = run("render", TYPE, str(tmp_path / "absent.yaml"), "-o", str(target))
    assert result.exit_code == ExitCode.DATA_FILE
    assert "introuvable" in result.output
    assert not target.exists()


def test_malformed_yaml_gives_line_and_column(tmp_path: Path) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text("parties:\n  - role: adherent\n    nom: [Libercourt\n", encoding="utf-8")
    result = run("validate", TYPE, str(source))
    assert result.exit_code == ExitCode.DATA_FILE
    assert "ligne 4" in result.output
    assert "colonne" in result.output


def test_malformed_json_gives_line_and_column(tmp_path: Path) -> None:
    source = tmp_path / "bad.json"
    source.write_text('{"parties": [\n  {"role": }\n]}', encoding="utf-8")
    result = run("validate", TYPE, str(source))
    assert result.exit_code == ExitCode.DATA_FILE
    assert "ligne 2, colonne 12" in result.output


def test_unknown_type_suggests_close_matches() -> None:
    result = run("render", "adhesion-centrale", SAMPLE, "-o", "x.docx")
    assert result.exit_code == ExitCode.UNKNOWN_TYPE
    assert "adhesion-centrale-achats" in result.output


def test_missing_and_mistyped_fields_are_all_reported(tmp_path: Path) -> None:
    source = tmp_path / "data.yaml"
    source.write_text(
        Path(SAMPLE)
        .read_text(encoding="utf-8")
        .replace("      prenom: Jean-Claude\n", "")
        .replace("2023-09-18", "18 sept"),
        encoding="utf-8",
    )
    result = run("validate", TYPE, str(source), "--format", "json")
    assert result.exit_code == ExitCode.INVALID_DATA
    report = json.loads(result.output)
    found = {(p["code"], p["path"]) for p in report["problemes"]}
    assert ("field.missing", "parties[0].representant.prenom") in found
    assert ("field.invalid_date", "parties[0].autorisation[0].date") in found
    messages = " ".join(p["message"] for p in report["problemes"])
    assert "Prénom" in messages


def test_value_outside_choices_lists_the_choices(tmp_path: Path) -> None:
    source = tmp_path / "data.yaml"
    source.write_text(
        Path(SAMPLE).read_text(encoding="utf-8").replace("nature: departement", "nature: canton"),
        encoding="utf-8",
    )
    target = tmp_path / "out.docx"
    result = run("render", TYPE, str(source), "-o", str(target))
    assert result.exit_code == ExitCode.INVALID_DATA
    assert "parties[0].nature" in result.output
    assert "commune" in result.output and "departement" in result.output
    assert not target.exists()


def test_existing_output_is_not_overwritten_without_force(tmp_path: Path) -> None:
    target = tmp_path / "convention.docx"
    target.write_bytes(b"precious")
    result = run("render", TYPE, SAMPLE, "-o", str(target))
    assert result.exit_code == ExitCode.OUTPUT
    assert target.read_bytes() == b"precious"
    assert run("render", TYPE, SAMPLE, "-o", str(target), "--force").exit_code == 0
    assert target.read_bytes() != b"precious"


def test_invalid_data_leaves_existing_output_untouched_even_with_force(tmp_path: Path) -> None:
    target = tmp_path / "convention.docx"
    target.write_bytes(b"precious")
    source = tmp_path / "data.yaml"
    source.write_text("parties: []\n", encoding="utf-8")
    result = run("render", TYPE, str(source), "-o", str(target), "--force")
    assert result.exit_code == ExitCode.INVALID_DATA
    assert target.read_bytes() == b"precious"
    assert list(tmp_path.iterdir()) == sorted([source, target]) or set(tmp_path.iterdir()) == {source, target}


def test_unsupported_output_extension_is_a_usage_error(tmp_path: Path) -> None:
    result = run("render", TYPE, SAMPLE, "-o", str(tmp_path / "c.odt"))
    assert result.exit_code == ExitCode.USAGE


def test_output_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    import os
    import stat

    target = tmp_path / "convention.docx"
    assert run("render", TYPE, SAMPLE, "-o", str(target)).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
