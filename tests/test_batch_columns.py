"""Columns of a type's own fields: French labels as headers, amounts, lists, booleans, choices."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from conventum import load_type
from conventum.batch.run import Batch, BatchOptions
from conventum.batch.sheetmodel import write_model
from conventum.validation.validation import validate
from tests.batch_support import HEADERS, TYPE, member, write_csv

OWN_FIELDS = """
champs:
  participation:
    type: montant
    libelle: Participation annuelle
  services:
    type: liste
    libelle: Services retenus
    element: {type: texte}
  reconduction:
    type: booleen
    libelle: Reconduction tacite
  formule:
    type: choix
    libelle: Formule
    choix: [essentielle, complete]
"""


@pytest.fixture
def own_type(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """adhesion-centrale-achats with fields of its own, installed in ./schemas of a working folder."""
    source = load_type(TYPE)
    (tmp_path / "schemas").mkdir()
    (tmp_path / "templates").mkdir()
    schema = source.schema_path.read_text(encoding="utf-8").replace("\nchamps:\n", OWN_FIELDS, 1)
    (tmp_path / "schemas" / "essai-lot.yaml").write_text(schema, encoding="utf-8")
    shutil.copy(source.template_path, tmp_path / "templates" / "essai-lot.docx")
    monkeypatch.chdir(tmp_path)
    return "essai-lot"


def test_french_labels_and_cell_values_become_typed_data(tmp_path: Path, own_type: str) -> None:
    headers = [*HEADERS, "Participation annuelle", "services retenus", "Reconduction tacite", "FORMULE"]
    row = [*member("Carvin"), "1 234,50 €", "achats ; formation\nconseil", "oui", "complete"]
    batch = Batch(
        own_type,
        write_csv(tmp_path / "m.csv", [row], headers=headers),
        tmp_path,
        options=BatchOptions(jobs=1),
    )
    [(_number, data)] = list(batch.rows())
    assert data["participation"] == Decimal("1234.50")
    assert data["services"] == ["achats", "formation", "conseil"]
    assert data["reconduction"] is True
    assert validate(load_type(own_type), data).ok


def test_a_bad_choice_is_reported_on_its_field(tmp_path: Path, own_type: str) -> None:
    headers = [*HEADERS, "Participation annuelle", "Formule"]
    rows = [[*member("Carvin"), "12", "premium"]]
    batch = Batch(
        own_type, write_csv(tmp_path / "m.csv", rows, headers=headers), tmp_path, options=BatchOptions(jobs=1)
    )
    [planned] = batch.plan()
    assert not planned.ok
    assert ("field.not_in_choices", "formule") in [(issue.code, issue.path) for issue in planned.issues]


def test_the_model_sheet_explains_the_own_fields(tmp_path: Path, own_type: str) -> None:
    write_model(load_type(own_type), tmp_path / "modele.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "modele.xlsx")["Colonnes"]
    explained = {row[2]: (row[1], *row[3:]) for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert explained["participation"][:3] == ("Participation annuelle", "nombre (virgule décimale)", "oui")
    assert explained["services"][1] == "liste de texte, séparés par « ; »"
    assert explained["formule"][3] == "essentielle ; complete"
