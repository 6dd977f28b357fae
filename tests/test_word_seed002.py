"""A French Word form shaped like seed 002 (Word's generic texts, repeated blanks): import, render, fill."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conventum import render_document
from conventum.word.fields import analyse
from conventum.word.filling import fill_word
from conventum.word.importing import import_word, write_import
from tests.support import between, docx_text, seed
from tests.wordsupport import FIXTURES

FIXTURE = FIXTURES / "services-controles.docx"
DATA: dict[str, Any] = {
    "choix_1": "commune",
    "nom_de_l_adherent": "Libercourt",
    "adresse": "Place de la Mairie",
    "commune": "Libercourt",
    "code_postal": "62820",
    "representant": "Madame Ana DUPRÉ",
    "qualite": "maire",
    "organe_deliberant": "conseil municipal",
    "date_1": date(2025, 9, 12),
    "date_2": date(2025, 10, 1),
    "date_3": date(2025, 10, 2),
    "date_4": date(2025, 10, 3),
}
FILLS = [
    ("Choisissez un élément. de", "La Commune de"),
    ("Nom de l’adhérent.", "Libercourt"),
    ("Adresse.", "Place de la Mairie"),
    ("Commune.", "Libercourt"),
    ("Code postal.", "62820"),
    ("Nom du représentant.", "Madame Ana DUPRÉ"),
    ("Choisissez un élément.", "Maire"),
    ("Organe délibérant.", "conseil municipal"),
]
SIGNATURE_DATES = ["1er octobre 2025", "2 octobre 2025", "3 octobre 2025"]


@pytest.fixture(scope="module")
def seed_002() -> str:
    return seed("002")


def _filled(blank: str, dates: list[str]) -> str:
    for placeholder, value in FILLS:
        blank = blank.replace(placeholder, value)
    for when in dates:
        blank = blank.replace("Cliquez ou appuyez ici pour entrer une date.", when, 1)
    return blank


def test_generic_texts_give_kind_names_and_one_tag_gives_one_field() -> None:
    fields = analyse(FIXTURE.read_bytes()).fields
    assert list(fields) == list(DATA)
    assert len(fields["qualite"].controls) == 2 and len(fields["representant"].controls) == 2
    assert fields["choix_1"].spec["choix"]["commune"] == "La Commune"


# The imported seed's fixed text is the Word file's own (its plain spaces in « … » included).
@pytest.mark.typographie_libre
@pytest.mark.parametrize("way", ["render", "fill"])
def test_parties_and_signatures_read_like_seed_002_filled(
    way: str, seed_002: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if way == "render":
        write_import(import_word(FIXTURE.read_bytes(), name="services-word"), tmp_path)
        monkeypatch.chdir(tmp_path)
        text = docx_text(render_document("services-word", DATA).content)
    else:
        text = docx_text(fill_word(FIXTURE.read_bytes(), DATA))
    parties = between(seed_002, "Choisissez un élément. de", "D’une troisième part")
    # Word's date picker writes "1 octobre 2025" for d MMMM yyyy; French typography would say "1er".
    assert between(text, "La Commune de", "D’une troisième part") == _filled(parties, ["12 septembre 2025"])
    signatures = between(seed_002, "Fait en trois", None)
    expected = _filled(signatures, [d.replace("1er", "1") for d in SIGNATURE_DATES])
    assert between(text, "Fait en trois", None) == expected
