"""Every problem that can be known, in one run: when the schema refuses the data, the rules that
look at one party still run on what parsed; a misspelt key gets its suggestion; YAML errors are in
French. Through the library and through ``conventum validate``'s process, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conventum.model.catalogue import load_type
from conventum.validation.validation import validate
from tests.support import SAMPLES

TODAY = date(2026, 3, 15)
TYPE = "adhesion-centrale-achats"


def codes(data: Mapping[str, Any], type_name: str = TYPE) -> dict[str, str]:
    return {issue.path: issue.code for issue in validate(load_type(type_name), data, today=TODAY).issues}


def test_a_postal_code_is_checked_while_everything_else_is_missing() -> None:
    found = codes({"parties": [{"role": "adherent", "adresse": {"code_postal": "6282"}}]})
    assert found["parties[0].adresse.code_postal"] == "parties.code_postal_invalide"
    message = next(
        i.message
        for i in validate(
            load_type(TYPE), {"parties": [{"role": "adherent", "adresse": {"code_postal": "6282"}}]}
        ).issues
        if i.code == "parties.code_postal_invalide"
    )
    assert message == "Le code postal « 6282 » de l’adhérent doit compter cinq chiffres."


@pytest.mark.parametrize(
    ("party", "path", "code"),
    [
        (
            {"adresse": {"code_postal": "62480", "commune": "Arras"}},
            "adresse.code_postal",
            "geo.ville_code_postal",
        ),
        ({"nature": "commune", "nom": "Libercourtt"}, "nom", "geo.commune_inconnue"),
        (
            {
                "nature": "commune",
                "nom": "Le Portel",
                "representant": {"qualite": "president-conseil-regional"},
            },
            "representant.qualite",
            "parties.qualite_nature",
        ),
        (
            {
                "nature": "commune",
                "nom": "Le Portel",
                "autorisation": [{"organe": "conseil-municipal", "date": "2026-05-01"}],
            },
            "autorisation[0].date",
            "dates.autorisation_apres_signature",
        ),
    ],
)
def test_rules_on_whatever_parsed(party: dict[str, object], path: str, code: str) -> None:
    data = {"parties": [{"role": "adherent", **party}], "signature": {"date": "2026-03-02"}}
    found = codes(data)
    assert found.get(f"parties[0].{path}") == code, found
    assert "field.missing" in found.values()  # the schema's problems are still all there


def test_a_complete_party_is_not_blamed_for_what_others_miss() -> None:
    data = {
        "parties": [
            {
                "role": "adherent",
                "nature": "commune",
                "nom": "Le Portel",
                "adresse": {"code_postal": "62480", "commune": "Le Portel"},
            }
        ]
    }
    assert not [code for code in codes(data).values() if not code.startswith("field.")]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from conventum.cli import run; run()", *args]
    return subprocess.run(command, check=False, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_validate_reports_schema_and_rules_in_one_run(tmp_path: Path) -> None:
    text = (SAMPLES / f"{TYPE}.yaml").read_text("utf-8")
    text = text.replace("signature:", "signatur:").replace('code_postal: "62018"', 'code_postal: "6201"')
    (tmp_path / "donnees.yaml").write_text(text, "utf-8")
    done = run_cli(
        "validate", TYPE, "donnees.yaml", "--today", "2026-03-15", "--format", "json", cwd=tmp_path
    )
    assert done.returncode == 5, done.stderr
    problems = {(p["code"], p["path"]): p["message"] for p in json.loads(done.stdout)["problemes"]}
    assert ("parties.code_postal_invalide", "parties[0].adresse.code_postal") in problems
    assert problems[("field.unknown", "signatur")].endswith("vouliez-vous dire « signature » ?")
    human = run_cli("validate", TYPE, "donnees.yaml", "--today", "2026-03-15", cwd=tmp_path)
    assert "vouliez-vous dire « signature » ?" in human.stdout + human.stderr
    assert "cinq chiffres" in human.stdout + human.stderr


@pytest.mark.parametrize(
    ("text", "french"),
    [
        ("a: b\n c: d\n", "« : » inattendu"),
        ("a: [b\n", "« , » ou « ] » attendu, trouvé la fin du fichier"),
        ("a:\n\t- b\n", "tabulation interdite"),
        ('a: "b\nc: d\n', "guillemet non fermé"),
    ],
)
def test_yaml_errors_in_french(tmp_path: Path, text: str, french: str) -> None:
    (tmp_path / "donnees.yaml").write_text(text, "utf-8")
    done = run_cli("validate", TYPE, "donnees.yaml", cwd=tmp_path)
    assert done.returncode != 0
    said = done.stdout + done.stderr
    assert "YAML mal formé" in said and french in said, said
    assert not any(word in said for word in ("expected", "found", "mapping values", "stream"))
