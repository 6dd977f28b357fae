"""A batch of services-numeriques conventions from samples/batch: a CSV or an XLSX over commun.yaml.

Each member's row gives its commune, its mayor and whether it takes the hardware option; the
common file gives the CDG, the pack and the signature. Each document names its own member and
carries the annex amounts computed for it; a PDF has the pages of the same convention rendered alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from conventum import Converter, render_document
from conventum.batch import spreadsheet
from conventum.batch.run import Batch, BatchOptions, iter_render
from conventum.cli import main
from conventum.model.loading import load_data
from tests.batch_support import soffice_groups
from tests.support import SAMPLES, docx_text, needs_libreoffice, normalise

TYPE = "services-numeriques"
MEMBERS = SAMPLES / "batch" / "membres.csv"
COMMUN_FILE = SAMPLES / "batch" / "commun.yaml"
WITH_HARDWARE = ("Total 1 980,00 € 375,00 €", "(deux (2) ans) : 2 735,00 € HT pour les services")
WITHOUT_HARDWARE = ("Total 755,00 € 375,00 €", "(deux (2) ans) : 1 510,00 € HT pour les services")
EXPECTED = {  # file: the member as the convention names it, its mayor, its annex 2 amounts
    "Ruitz-convention": (
        "La Commune de Ruitz, sise Place de la Mairie, 62620 Ruitz, représentée par "
        "Monsieur Jean-Pierre SANSEN, son Maire, dûment autorisé à signer la présente convention "
        "par délibération du conseil municipal du 30 juin 2025",
        WITH_HARDWARE,
    ),
    "Houdain-convention": (
        "La Commune d’Houdain, sise Place de la Mairie, 62150 Houdain, représentée par "
        "Madame Isabelle LEFEBVRE, sa Maire, dûment autorisée",
        WITHOUT_HARDWARE,
    ),
    "Haillicourt-convention": ("La Commune d’Haillicourt, sise Rue Jean Jaurès", WITH_HARDWARE),
    "Maisnil-lès-Ruitz-convention": (
        "La Commune de Maisnil-lès-Ruitz, sise Rue de la Mairie",
        WITHOUT_HARDWARE,
    ),
}
# from commun.yaml: the date, and the CDG 62 (its designation, and its name in its signature block)
COMMON_WORDS = ("Le 15 septembre 2025", "« le CDG 62 »", "Pour le Centre de gestion de la fonction publique")


def _check_texts(texts: dict[str, str]) -> None:
    assert sorted(texts) == sorted(EXPECTED)
    for stem, text in texts.items():
        member, amounts = EXPECTED[stem]
        assert member in text
        assert all(amount in text for amount in amounts), stem
        others = [other.removesuffix("-convention") for other in EXPECTED if other != stem]
        assert not any(f"Commune de {other}," in text or f"Commune d’{other}," in text for other in others)


def _docx_texts(folder: Path) -> dict[str, str]:
    return {path.stem: docx_text(path.read_bytes()) for path in folder.glob("*.docx")}


def test_the_csv_sample_over_the_common_data_gives_each_member_its_convention(tmp_path: Path) -> None:
    out = tmp_path / "conventions"
    command = ["batch", TYPE, str(MEMBERS), "--commun", str(COMMUN_FILE), "-o", str(out), "-j", "2"]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0, result.output
    texts = _docx_texts(out)
    _check_texts(texts)
    assert all(word in text for text in texts.values() for word in COMMON_WORDS)


def _as_xlsx(path: Path) -> Path:
    """The sample's rows in a workbook as an office types them: real dates, booleans as oui/non."""
    with MEMBERS.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(rows[0])
    date_column = rows[0].index("parties[0].autorisation.date")
    for row in rows[1:]:
        cells: list[object] = list(row)
        cells[date_column] = dt.datetime.strptime(row[date_column], "%d/%m/%Y")
        sheet.append(cells)
    workbook.save(path)
    return path


def test_an_xlsx_of_the_same_rows_gives_the_same_conventions(tmp_path: Path) -> None:
    table = _as_xlsx(tmp_path / "membres.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    commun = load_data(COMMUN_FILE)
    results = list(iter_render(TYPE, table, out, commun=commun, options=BatchOptions(jobs=1)))
    assert [(result.ligne, result.statut) for result in results] == [(n, "ecrit") for n in range(2, 6)]
    _check_texts(_docx_texts(out))


def test_a_workbook_is_scanned_once_and_loaded_once_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One zip scan (the bounds), one load of the values, one of the formulas: for the whole run,
    its row count, its names check and its rows."""
    table = _as_xlsx(tmp_path / "membres.xlsx")
    loads: list[bool] = []
    scans: list[Path] = []
    load, scan = openpyxl.load_workbook, spreadsheet.open_archive

    def counted_load(path: Any, **options: Any) -> Any:
        loads.append(bool(options.get("data_only")))
        return load(path, **options)

    def counted_scan(path: Any) -> Any:
        scans.append(path)
        return scan(path)

    monkeypatch.setattr(openpyxl, "load_workbook", counted_load)
    monkeypatch.setattr(spreadsheet, "open_archive", counted_scan)
    batch = Batch(TYPE, table, tmp_path / "out", commun=load_data(COMMUN_FILE), options=BatchOptions(jobs=1))
    (tmp_path / "out").mkdir()
    summary = batch.run(zip_path=tmp_path / "lot.zip")
    assert summary.counts == {"ecrit": 4} and len(summary.written) == 4
    assert sorted(loads) == [False, True] and scans == [table]


@needs_libreoffice
def test_pdfs_through_a_shared_converter_are_those_of_a_single_render(tmp_path: Path) -> None:
    commun = load_data(COMMUN_FILE)
    options = BatchOptions(fmt="pdf")
    with Converter(workers=2) as converter:
        groups = set(converter.processes)
        results = list(
            iter_render(TYPE, MEMBERS, tmp_path, commun=commun, options=options, converter=converter)
        )
        assert soffice_groups() == groups  # the caller's LibreOffice did it all and is left open
        _number, ruitz = next(Batch(TYPE, MEMBERS, tmp_path, commun=commun).rows())
        single = PdfReader(io.BytesIO(render_document(TYPE, ruitz, fmt="pdf", converter=converter).content))
    assert [result.statut for result in results] == ["ecrit"] * 4
    texts = {}
    for path in tmp_path.glob("*.pdf"):
        reader = PdfReader(path)
        texts[path.stem] = normalise(" ".join(page.extract_text() for page in reader.pages))
        assert len(reader.pages) == len(single.pages), path.name
        assert reader.metadata is not None and single.metadata is not None
        # The type's title, then the member the convention concerns.
        assert reader.metadata.title.split(" — ")[0] == single.metadata.title.split(" — ")[0]
        assert path.stem.removesuffix("-convention") in reader.metadata.subject
        assert path.stem.removesuffix("-convention") in reader.metadata.title
    batch_ruitz = PdfReader(tmp_path / "Ruitz-convention.pdf")
    assert batch_ruitz.get_fields().keys() == single.get_fields().keys()  # type: ignore[union-attr]
    assert [item["/Title"] for item in batch_ruitz.outline if not isinstance(item, list)] == [
        item["/Title"] for item in single.outline if not isinstance(item, list)
    ]
    for stem, text in texts.items():
        member, amounts = EXPECTED[stem]
        assert member.split(",")[0] in text
        assert all(amount in text for amount in amounts), stem
