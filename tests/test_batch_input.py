"""Spreadsheets as offices send them, and the bad ones: each read right or refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from conventum.batch.run import Batch, BatchOptions, iter_render
from conventum.errors import DataFileError, UsageError
from conventum.ooxml.text import document_text
from tests.batch_support import (
    HEADERS,
    TYPE,
    invented_member,
    member,
    postal_code,
    with_cached_value,
    write_csv,
    write_xlsx,
)
from tests.support import normalise


def _texts(folder: Path) -> dict[str, str]:
    return {path.name: normalise(document_text(path.read_bytes())) for path in sorted(folder.glob("*.docx"))}


def _run(table: Path, folder: Path, **options: object) -> list[tuple[int, str, str | None]]:
    folder.mkdir(exist_ok=True)
    batch_options = BatchOptions(jobs=1, **options)  # type: ignore[arg-type]
    return [(r.ligne, r.statut, r.fichier) for r in iter_render(TYPE, table, folder, options=batch_options)]


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "vide.csv").write_bytes(b"")
    with pytest.raises(DataFileError, match="vide"):
        Batch(TYPE, tmp_path / "vide.csv", tmp_path)


def test_a_file_whose_first_row_is_data_is_told_it_lacks_headers(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "m.csv", [member("Carvin")], headers=member("Libercourt"))
    with pytest.raises(UsageError, match="aucun en-tête reconnu"):
        Batch(TYPE, table, tmp_path)


def test_an_unknown_column_names_its_close_matches(tmp_path: Path) -> None:
    headers = [*HEADERS[:-1], "parties[0].representant.prenon"]
    table = write_csv(tmp_path / "m.csv", [member("Carvin")], headers=headers)
    with pytest.raises(UsageError) as caught:
        Batch(TYPE, table, tmp_path)
    assert "parties[0].representant.prenon" in caught.value.message
    assert "Vouliez-vous dire : parties[0].representant.prenom" in caught.value.message


def test_french_labels_of_the_type_are_accepted_as_headers(tmp_path: Path) -> None:
    headers = [*HEADERS[:-1], "date de SIGNATURE"]
    table = write_csv(
        tmp_path / "m.csv", [member("Carvin", **{"Lieu de signature": "2025-04-02"})], headers=headers
    )
    (tmp_path / "out").mkdir()
    assert [r.statut for r in iter_render(TYPE, table, tmp_path / "out", options=BatchOptions(jobs=1))] == [
        "ecrit"
    ]
    assert "Le 2 avril 2025" in normalise(
        document_text((tmp_path / "out" / "Carvin-convention.docx").read_bytes())
    )


def test_a_bad_row_is_reported_and_the_others_are_rendered(tmp_path: Path) -> None:
    rows = [
        member("Carvin"),
        member("Dourges", **{"parties[0].autorisation[0].date": "31/02/2025"}),
        member("Libercourt"),
    ]
    results = list(
        iter_render(TYPE, write_csv(tmp_path / "m.csv", rows), tmp_path, options=BatchOptions(jobs=1))
    )
    assert [r.statut for r in results] == ["ecrit", "invalide", "ecrit"]
    bad = results[1]
    assert bad.ligne == 3 and bad.fichier is None
    assert [(i.code, i.path) for i in bad.issues] == [
        ("field.invalid_date", "parties[0].autorisation[0].date")
    ]
    assert sorted(_texts(tmp_path)) == ["Carvin-convention.docx", "Libercourt-convention.docx"]


def test_windows_1252_with_commas_is_read_with_its_accents(tmp_path: Path) -> None:
    rows = [member("Évin-Malmaison", **{"parties[0].representant.nom": "Lefèvre"})]
    table = write_csv(tmp_path / "m.csv", rows, delimiter=",", encoding="cp1252")
    assert _run(table, tmp_path / "out") == [(2, "ecrit", "Évin-Malmaison-convention.docx")]
    assert "la Commune d’Évin-Malmaison" in _texts(tmp_path / "out")["Évin-Malmaison-convention.docx"]


def test_formulas_give_their_computed_values(tmp_path: Path) -> None:
    cells = {
        "parties[0].adresse.commune": "Dourges",
        "parties[0].adresse.code_postal": postal_code("Dourges"),
    }
    row = member('="Dour"&"ges"', **cells, **{"Lieu de signature": "Dourges"})
    table = write_xlsx(tmp_path / "m.xlsx", [row])
    with_cached_value(table, "C2", "Dourges")
    assert _run(table, tmp_path / "out") == [(2, "ecrit", "Dourges-convention.docx")]
    assert "la Commune de Dourges" in _texts(tmp_path / "out")["Dourges-convention.docx"]


def test_formulas_never_computed_are_refused_by_name(tmp_path: Path) -> None:
    table = write_xlsx(
        tmp_path / "m.xlsx",
        [
            member(
                "Carvin",
                **{"parties[0].nom": '="Car"&"vin"', "parties[0].adresse.code_postal": postal_code("Carvin")},
            )
        ],
    )
    with pytest.raises(DataFileError, match=r"formules jamais calculées \(C2\)"):
        Batch(TYPE, table, tmp_path)


def test_cells_merged_down_a_column_fill_every_row(tmp_path: Path) -> None:
    rows = [member("Carvin"), member("Dourges", **{"parties[0].autorisation[0].organe": None})]
    organ_column = "K"
    table = write_xlsx(tmp_path / "m.xlsx", rows, merges=(f"{organ_column}2:{organ_column}3",))
    assert [status for _, status, _ in _run(table, tmp_path / "out")] == ["ecrit", "ecrit"]
    assert (
        "délibération du conseil municipal du 14 mars 2025"
        in _texts(tmp_path / "out")["Dourges-convention.docx"]
    )


def test_merged_header_cells_are_refused(tmp_path: Path) -> None:
    table = write_xlsx(tmp_path / "m.xlsx", [member("Carvin")], merges=("B1:C1",))
    with pytest.raises(DataFileError, match="en-têtes fusionnés"):
        list(iter_render(TYPE, table, tmp_path, options=BatchOptions(jobs=1)))


def test_ten_thousand_rows_are_all_validated_before_anything_is_written(tmp_path: Path) -> None:
    rows = [invented_member(f"Syndicat {n}") for n in range(9_999)]
    rows.append(invented_member("Dernière", **{"parties[0].representant.qualite": "roi"}))
    batch = Batch(TYPE, write_csv(tmp_path / "m.csv", rows), tmp_path, options=BatchOptions(jobs=1))
    plan = batch.plan()
    assert len(plan) == 10_000
    assert [(item.ligne, item.issues[0].path) for item in plan if not item.ok] == [
        (10_001, "parties[0].representant.qualite")
    ]
    assert len({item.fichier for item in plan}) == 10_000
    assert not list(tmp_path.glob("*.docx"))


@pytest.mark.parametrize(
    "name",
    ["../../evil", "..", "a/b\\c", "/etc/passwd", "C:\\Windows\\win", "CON", " . "],
)
def test_a_name_never_leaves_the_output_folder(tmp_path: Path, name: str) -> None:
    out = tmp_path / "sortie"
    results = _run(write_csv(tmp_path / "m.csv", [invented_member(name)]), out)
    assert [status for _, status, _ in results] == ["ecrit"]
    written = [path for path in tmp_path.rglob("*.docx")]
    assert [path.parent for path in written] == [out]
    stem = written[0].name
    assert "/" not in stem and "\\" not in stem and ".." not in stem
    assert all(ord(character) >= 32 for character in stem)


def test_equal_names_are_numbered(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "m.csv", [member("Carvin"), member("carvin"), member("Carvin")])
    assert [name for _, _, name in _run(table, tmp_path / "out")] == [
        "Carvin-convention.docx",
        "carvin-convention-2.docx",
        "Carvin-convention-3.docx",
    ]


def test_control_characters_of_a_pattern_are_dropped(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "m.csv", [member("Carvin")])
    assert _run(table, tmp_path / "out", pattern="x\x07y\x00/{parties[0].nom}") == [
        (2, "ecrit", "x-y-Carvin.docx")
    ]


@pytest.mark.parametrize("pattern", ["{parties[0].nom", "{0}", "{parties[x]}"])
def test_a_malformed_name_pattern_is_refused_before_anything(tmp_path: Path, pattern: str) -> None:
    table = write_csv(tmp_path / "m.csv", [member("Carvin")])
    with pytest.raises(UsageError, match="motif de nom"):
        Batch(TYPE, table, tmp_path, options=BatchOptions(pattern=pattern))
