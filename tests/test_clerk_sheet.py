"""The spreadsheet ``batch --modele`` writes is one a clerk fills: French headers over the field paths,
drop-downs of labels, date cells, an example row, and the party indexes of ``--commun``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from conventum.batch.columns import Column, french_number, label_index, parse_path
from conventum.batch.sheetmodel import model_columns, write_model
from conventum.cli import main
from conventum.model.catalogue import load_type
from conventum.model.loading import load_data
from tests.support import SAMPLES

TYPE = "services-numeriques"
COMMUN = SAMPLES / "batch" / "commun.yaml"
CSV = SAMPLES / "batch" / "membres.csv"


def _cli(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*map(str, args)])
    return result.exit_code, result.output


@pytest.fixture
def model(tmp_path: Path) -> Path:
    target = tmp_path / "modele.xlsx"
    code, output = _cli("batch", "--modele", TYPE, "--commun", COMMUN, "-o", target)
    assert code == 0, output
    return target


def _sample_rows() -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(CSV.read_text(encoding="utf-8-sig")), delimiter=";"))
    return rows[0], rows[1:]


def _sheet_path(header: str) -> str:
    """The field path a header of the sample CSV names (a path, or a label of the type)."""
    labels = label_index(load_type(TYPE))
    from conventum.batch.columns import normalise_label

    path = labels.get(normalise_label(header), header)
    return path.replace(".autorisation.", ".autorisation[0].")


def test_headers_are_french_labels_over_the_field_paths(model: Path) -> None:
    sheet = openpyxl.load_workbook(model)["Membres"]
    labels = [cell.value for cell in sheet[1]]
    paths = [cell.value for cell in sheet[2]]
    assert "La collectivité ou l’établissement public – Nom" in labels
    assert paths[labels.index("La collectivité ou l’établissement public – Nom")] == "parties[0].nom"
    # the common file's collectivité is parties[0]: the sheet fills the same party, its role implied
    assert not any(path.startswith("parties[1]") for path in paths)
    assert "parties[0].role" not in paths
    # what the common file gives is out of the rows: one sheet of common data, a value per datum
    assert "Centre de gestion partenaire" not in labels and "cdg" not in paths
    assert not any(path.startswith("signature.") for path in paths)
    common = {
        row[2]: row[:2]
        for row in openpyxl.load_workbook(model)["Données communes"].iter_rows(values_only=True)
    }
    assert common["cdg"] == ("Centre de gestion partenaire", "CDG 62 (Pas-de-Calais)")
    assert common["signature.lieu"][1] == "Bruay-la-Buissière"
    assert common["parties[0].representant.qualite"][1] is not None
    assert "Option matériel du pack" in labels  # what varies stays in the rows
    assert openpyxl.load_workbook(model).sheetnames[:3] == ["Membres", "Données communes", "conventum"]


def test_choices_are_drop_downs_of_french_labels(model: Path) -> None:
    workbook = openpyxl.load_workbook(model)
    sheet = workbook["Membres"]
    paths = [cell.value for cell in sheet[2]]
    letter = openpyxl.utils.get_column_letter(paths.index("parties[0].representant.civilite") + 1)
    [validation] = [
        v for v in sheet.data_validations.dataValidation if f"{letter}3" in str(v.sqref).split(":")[0]
    ]
    assert validation.type == "list"
    lists_sheet, cells = validation.formula1.split("!")
    first, last = cells.replace("$", "").split(":")
    values = [cell.value for row in workbook[lists_sheet][f"{first}:{last}"] for cell in row]
    assert values == ["Madame", "Monsieur"]
    assert workbook[lists_sheet].sheet_state == "hidden"
    date_column = paths.index("parties[0].autorisation[0].date") + 1
    assert sheet.cell(7, date_column).number_format == "DD/MM/YYYY"


def test_example_row_comes_from_the_sample_and_is_not_read(model: Path, tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(model)["Membres"]
    paths = [cell.value for cell in sheet[2]]
    assert sheet.cell(3, paths.index("parties[0].nom") + 1).value == "Ruitz"
    assert "exemple" in sheet.cell(3, 1).comment.text.lower()
    # the model as written: the example row only, so nothing to do
    code, output = _cli("batch", TYPE, model, "--commun", COMMUN, "-o", tmp_path / "out")
    assert code == 0, output
    assert "0 ligne(s) lue(s)" in output
    assert not list((tmp_path / "out").glob("*.docx"))


def _fill(model: Path, rows: list[dict[str, Any]]) -> Path:
    workbook = openpyxl.load_workbook(model)
    sheet = workbook["Membres"]
    paths = [cell.value for cell in sheet[2]]
    for number, row in enumerate(rows, start=4):
        for path, value in row.items():
            sheet.cell(number, paths.index(path) + 1, value)
    workbook.save(model)
    return model


def test_the_sample_rows_filled_in_the_generated_sheet_give_zero_errors(model: Path, tmp_path: Path) -> None:
    headers, rows = _sample_rows()
    filled = [
        {_sheet_path(header): value for header, value in zip(headers, row, strict=True)} for row in rows
    ]
    filled[1]["parties[0].autorisation[0].date"] = dt.datetime(2025, 7, 2)  # a real date cell
    filled[2]["parties[0].representant.civilite"] = "Monsieur"  # as the drop-down gives it
    _fill(model, filled)
    out = tmp_path / "out"
    code, output = _cli("batch", TYPE, model, "--commun", COMMUN, "-o", out, "-j", "1")
    assert code == 0, output
    report = json.loads((out / "rapport-lot.json").read_text(encoding="utf-8"))
    assert report["bilan"] == {"ecrit": len(rows)}, report
    assert sorted(path.name for path in out.glob("*.docx")) == sorted(
        f"{row[0]}-convention.docx" for row in rows
    )


def test_a_bad_value_is_located_by_row_and_column_as_the_sheet_shows_them(
    model: Path, tmp_path: Path
) -> None:
    headers, rows = _sample_rows()
    filled = [
        {_sheet_path(header): value for header, value in zip(headers, row, strict=True)} for row in rows[:2]
    ]
    filled[1]["parties[0].autorisation[0].date"] = "31/02/2025"
    _fill(model, filled)
    out = tmp_path / "out"
    code, output = _cli("batch", TYPE, model, "--commun", COMMUN, "-o", out, "-j", "1")
    assert code == 5
    paths = [cell.value for cell in openpyxl.load_workbook(model)["Membres"][2]]
    letter = openpyxl.utils.get_column_letter(paths.index("parties[0].autorisation[0].date") + 1)
    assert f"ligne 5 : invalide\n    colonne {letter}, parties[0].autorisation[0].date" in output
    assert "31 février 2025 n’existe pas" in output
    assert len(list(out.glob("*.docx"))) == 1


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("12,5", "12.5"),
        ("7", "7"),
    ],
)
def test_numbers_typed_the_french_way(typed: str, value: str) -> None:
    assert str(french_number(typed)) == value


def test_columns_give_french_labels_of_their_choices() -> None:
    columns = {column.path: column for column in model_columns(load_type(TYPE))}
    organ: Column = columns["parties[0].autorisation[0].organe"]
    assert ("conseil-municipal", "Conseil municipal") in organ.labels
    assert parse_path("parties[0].autorisation[0].organe") == organ.segments


def test_a_docx_render_does_not_import_openpyxl(tmp_path: Path) -> None:
    script = (
        "import sys, conventum, conventum.cli\n"
        f"conventum.render_document('adhesion-centrale-achats', {str(SAMPLES / 'adhesion-centrale-achats.yaml')!r})\n"
        "print('openpyxl' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def _calc() -> str | None:
    """soffice, if LibreOffice Calc is installed beside it (setup.sh installs it)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    program = Path(soffice).resolve().parent
    return soffice if (program / "libsclo.so").exists() or (program / "sclo.dll").exists() else None


@pytest.mark.libreoffice
@pytest.mark.skipif(
    _calc() is None and not os.environ.get("CI"), reason="LibreOffice Calc absent (./setup.sh)"
)
def test_a_sheet_filled_then_saved_by_libreoffice_calc_is_read_the_same(model: Path, tmp_path: Path) -> None:
    """A clerk opens the sheet in LibreOffice and saves it: drop-downs, hidden lists, the
    example row and the date cells survive, and the batch reads it without an error."""
    headers, rows = _sample_rows()
    filled = [
        {_sheet_path(header): value for header, value in zip(headers, row, strict=True)} for row in rows[:2]
    ]
    # a date cell (the example row holds Ruitz's 30 June: a row the same as the example is the example)
    filled[0]["parties[0].autorisation[0].date"] = dt.datetime(2025, 7, 1)
    filled[1]["parties[0].representant.civilite"] = "Monsieur"
    _fill(model, filled)
    saved = tmp_path / "calc"
    profile = (tmp_path / "profil").as_uri()
    subprocess.run(
        [
            str(_calc()),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(saved),
            str(model),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    workbook = openpyxl.load_workbook(saved / model.name)
    assert workbook["conventum"].sheet_state == "hidden"
    assert "Données communes" in workbook.sheetnames
    assert len(workbook["Membres"].data_validations.dataValidation) >= 5
    out = tmp_path / "out"
    code, output = _cli("batch", TYPE, saved / model.name, "--commun", COMMUN, "-o", out, "-j", "1")
    assert code == 0, output
    assert "2 ligne(s) lue(s) : 2 valide(s)" in output


def test_the_common_sheet_alone_gives_what_every_row_shares(model: Path, tmp_path: Path) -> None:
    """The model written with the common file carries its values in « Données communes »: the batch
    runs without the file, and a value changed there (the place of signature) is every row's."""
    headers, rows = _sample_rows()
    _fill(model, [{_sheet_path(h): value for h, value in zip(headers, row, strict=True)} for row in rows[:2]])
    workbook = openpyxl.load_workbook(model)
    common = workbook["Données communes"]
    [place] = [row for row in common.iter_rows(min_row=2) if row[2].value == "signature.lieu"]
    place[1].value = "Béthune"
    workbook.save(model)
    out = tmp_path / "out"
    code, output = _cli("batch", TYPE, model, "-o", out, "-j", "1")  # no --commun
    assert code == 0, output
    assert "2 ligne(s) lue(s) : 2 valide(s)" in output
    for document in out.glob("*.docx"):
        assert "Fait à Béthune" in _docx_text(document)


def _docx_text(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", xml))


def test_a_wrong_datum_of_the_common_sheet_is_located(model: Path, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(model)
    workbook["Données communes"].append(["Champ inventé", "x", "champ_invente"])
    workbook.save(model)
    code, output = _cli("batch", TYPE, model, "-o", tmp_path / "out")
    assert code != 0
    assert "feuille « Données communes », ligne" in output and "champ_invente" in output


def test_a_hidden_first_sheet_is_not_the_one_read(tmp_path: Path) -> None:
    """The members are on the sheet a clerk sees; a hidden draft sheet before it is ignored."""
    model = tmp_path / "modele.xlsx"
    write_model(TYPE, model, commun=load_data(COMMUN))  # a type given by its name
    workbook = openpyxl.load_workbook(model)
    draft = workbook.create_sheet("Brouillon", 0)
    draft.append(["n’importe quoi"])
    draft.sheet_state = "hidden"
    headers, rows = _sample_rows()
    sheet = workbook["Membres"]
    paths = [cell.value for cell in sheet[2]]
    for header, value in zip(headers, rows[0], strict=True):
        sheet.cell(4, paths.index(_sheet_path(header)) + 1, value)
    workbook.save(model)
    code, output = _cli("batch", TYPE, model, "--commun", COMMUN, "-o", tmp_path / "out", "-j", "1")
    assert code == 0, output
    assert "ligne 4 : écrit Ruitz-convention.docx" in output
