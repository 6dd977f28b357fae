"""Assemblies are data: a folder ./assemblees adds one (another département), checked on reading."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from conventum import render_document, validate
from conventum.cli import main
from conventum.errors import DataFileError, ExitCode
from conventum.seance.assemblyfile import assembly_keys
from tests.support import docx_text, sample

NORD: dict[str, Any] = {
    "collectivite": "DEPARTEMENT DU NORD",
    "departement": "Département",
    "lieu": "Lille",
    "organe": {
        "cle": "commission-permanente",
        "entete": ["DÉLIBÉRATION DE LA COMMISSION PERMANENTE", "DU CONSEIL DÉPARTEMENTAL"],
        "rapport": "COMMISSION PERMANENTE DU CONSEIL DEPARTEMENTAL",
        "sujet": "La Commission Permanente du Conseil départemental du Nord",
    },
    "president": {
        "membre": "anne-martin",
        "titre": "Présidente du Conseil départemental",
        "signature": "LA PRESIDENTE DU CONSEIL DEPARTEMENTAL",
        "signature_rapport": "La Présidente du Conseil Départemental",
    },
    "officiers": {
        "dgs": {
            "civilite": "Monsieur",
            "prenom": "Paul",
            "nom": "DURAND",
            "intitule": "Le Directeur général des services",
        }
    },
    "groupes": {"ug": "Groupe Union de la Gauche", "ni": "Non-inscrit"},
    "membres": {
        "anne-martin": {"civilite": "Madame", "prenom": "Anne", "nom": "MARTIN", "groupe": "ug"},
        "luc-bernard": {"civilite": "Monsieur", "prenom": "Luc", "nom": "BERNARD"},
        "ines-petit": {"civilite": "Madame", "prenom": "Inès", "nom": "PETIT"},
    },
}


def _deliberation() -> dict[str, Any]:
    data = sample("deliberation-2023-338")
    data.update(
        assemblee="nord",
        secretaire="luc-bernard",
        presents=["anne-martin", "luc-bernard"],
        excuses=["ines-petit"],
        assistants_sans_voix=[],
        excuses_sans_voix=[],
        interesses={"excuses_sans_delegation": ["ines-petit"]},
        vote={
            "pour": {"voix": 2, "groupes": ["ug", "ni"]},
            "contre": {"voix": 0},
            "abstention": {"voix": 0},
            "absents_sans_delegation": {"membres": ["ines-petit"], "groupes": ["ni"]},
        },
        signature={"lieu": "Lille", "date": "2023-09-18"},
    )
    return data


def _write(folder: Path, key: str, content: dict[str, Any]) -> None:
    (folder / "assemblees").mkdir(exist_ok=True)
    text = yaml.safe_dump(content, allow_unicode=True)
    (folder / "assemblees" / f"{key}.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory of its own, where ./assemblees is looked for."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_local_assembly_is_known_and_writes_its_members(here: Path) -> None:
    _write(here, "nord", NORD)
    assert assembly_keys() == ["nord", "pas-de-calais"]
    text = docx_text(render_document("deliberation", _deliberation()).content)
    assert "DÉPARTEMENT DU NORD" in text
    assert "PRÉSIDENCE DE MADAME ANNE MARTIN" in text
    assert "Mme Anne MARTIN, M. Luc BERNARD" in text
    assert "Madame Inès PETIT, intéressée à l’affaire et excusée, n’a pas donné de délégation de vote" in text


def test_an_assembly_file_with_mistakes_names_each_of_them(here: Path) -> None:
    wrong = copy.deepcopy(NORD)
    wrong["membres"]["luc-bernard"]["civilite"] = "Mr"
    del wrong["lieu"]
    _write(here, "nord", wrong)
    with pytest.raises(DataFileError) as raised:
        validate("deliberation", _deliberation())
    message = str(raised.value)
    assert "nord.yaml" in message
    assert "membres.luc-bernard.civilite : La valeur « Mr » n’est pas permise" in message
    assert "lieu : Le champ « Lieu des séances » est obligatoire" in message


def test_the_president_and_the_groups_must_be_declared(here: Path) -> None:
    wrong = copy.deepcopy(NORD)
    wrong["president"]["membre"] = "jean-inconnu"
    wrong["membres"]["ines-petit"]["groupe"] = "verts"
    _write(here, "nord", wrong)
    result = CliRunner().invoke(main, ["validate", "deliberation", "-"], input=_json(_deliberation()))
    assert result.exit_code == ExitCode.DATA_FILE, result.output
    assert "president.membre : Le président « jean-inconnu » n’est pas un des membres." in result.output
    assert "membres.ines-petit.groupe : Le groupe « verts » n’est pas déclaré" in result.output


def test_the_officer_who_signs_must_be_known() -> None:
    data = sample("deliberation-2023-338")
    data["signataire_delegue"] = "dga"
    issues = [(issue.code, issue.path) for issue in validate("deliberation", data).issues]
    assert issues == [("seance.officier_inconnu", "signataire_delegue")]


def _json(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data, default=str, ensure_ascii=False)
