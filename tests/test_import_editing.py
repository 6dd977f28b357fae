"""An imported type edited before it is saved (the import page's edits, without a browser): fields
renamed in the template's tags, a blank made a choice or a number, every problem said at once."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from conventum.errors import TemplateError
from conventum.serve.uploads import word_refusal
from conventum.word.editing import FieldEdit, apply_edits, relabel_parties, rename_tags
from tests.test_hostile_word import docm

BODY = (
    "<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>"
    "<w:p><w:r><w:t>{{ nom }} et {{ nom_complet }}, {{ collectivite.nom }}</w:t></w:r></w:p>"
    '<w:p><w:r><w:t>{{ "☒" if nom else "☐" }}</w:t></w:r></w:p>'
    "<w:p><w:r><w:t>{%p for element in nom %}</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>{{ montant }} euros, le {{ jour }}</w:t></w:r></w:p>"
    "</w:body></w:document>"
)


def template(body: str = BODY) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", body)
        archive.writestr("docProps/core.xml", "<cp:coreProperties/>")
    return buffer.getvalue()


def body_of(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("word/document.xml").decode()


SCHEMA: dict[str, Any] = {
    "titre": "essai",
    "champs": {
        "nom": {"type": "texte", "libelle": "Nom"},
        "montant": {"type": "texte", "libelle": "Montant"},
        "jour": {"type": "texte", "libelle": "Jour"},
        "case": {"type": "booleen", "libelle": "Case", "defaut": False},
    },
}


def test_a_rename_reaches_every_tag_of_the_field_and_no_other_name() -> None:
    renamed = body_of(rename_tags(template(), {"nom": "raison_sociale"}))
    assert "{{ raison_sociale }} et {{ nom_complet }}, {{ collectivite.nom }}" in renamed
    assert '{{ "☒" if raison_sociale else "☐" }}' in renamed
    assert "{%p for element in raison_sociale %}" in renamed


def test_edits_make_a_choice_an_amount_and_a_date() -> None:
    edits = [
        FieldEdit("nom", "organisme", "Organisme", "choix", ("la Commune", "le CCAS")),
        FieldEdit("montant", "montant", "Montant annuel", "montant"),
        FieldEdit("jour", "jour", "Jour de prise d’effet", "date"),
    ]
    made, schema = apply_edits(template(), SCHEMA, edits)
    champs = schema["champs"]
    assert list(champs) == ["organisme", "montant", "jour", "case"]  # the author's order kept
    assert champs["organisme"] == {
        "type": "choix",
        "libelle": "Organisme",
        "choix": ["la Commune", "le CCAS"],
    }
    assert champs["montant"] == {"type": "montant", "libelle": "Montant annuel"}
    assert champs["jour"] == {"type": "date", "libelle": "Jour de prise d’effet", "format": "d MMMM yyyy"}
    text = body_of(made)
    # an amount prints in French figures, its unit the template's own text after the blank
    assert "{{ montant|montant(currency=False) }} euros, le {{ jour }}" in text
    assert "{{ organisme }} et {{ nom_complet }}" in text
    assert SCHEMA["champs"]["nom"] == {"type": "texte", "libelle": "Nom"}  # the import's schema unchanged


def test_every_problem_of_the_edits_is_said_at_once_with_the_fields_label() -> None:
    edits = [
        FieldEdit("nom", "Raison Sociale", "Nom", "texte"),
        FieldEdit("montant", "jour", "", "texte"),
        FieldEdit("jour", "jour", "Jour", "choix"),
        FieldEdit("case", "case", "Case", "texte"),
    ]
    with pytest.raises(TemplateError) as raised:
        apply_edits(template(), SCHEMA, edits, taken={"collectivite"})
    message = raised.value.message
    assert "champ « Nom » : nom « Raison Sociale » invalide" in message and "« raison_sociale »" in message
    assert "champ « montant » : le nom « jour » est donné à deux champs" in message
    assert "champ « montant » : le libellé est vide" in message
    assert "champ « Jour » : un choix demande au moins un élément (un par ligne)" in message
    assert "champ « Case » : le type « booleen » de ce champ ne peut pas changer" in message
    with pytest.raises(TemplateError, match="« collectivite » est celui d’une partie du modèle"):
        apply_edits(
            template(), SCHEMA, [FieldEdit("nom", "collectivite", "Nom", "texte")], taken={"collectivite"}
        )


def test_the_server_refuses_a_macro_file_an_empty_one_and_a_foreign_name() -> None:
    assert "contient des macros" in str(word_refusal(docm(), "modele.docm"))
    assert word_refusal(b"", "vide.docx") == "« vide.docx » est vide"
    assert "n’a pas l’extension d’un document Word" in str(word_refusal(template(), "tableau.xlsx"))
    assert word_refusal(template(), "modele.docx") is None


def test_a_party_is_relabelled_and_an_empty_label_refused() -> None:
    schema = {"parties": [{"role": "collectivite", "libelle": "La Collectivité"}], "champs": {}}
    relabelled = relabel_parties(schema, {"collectivite": " L’adhérent "})
    assert relabelled["parties"] == [{"role": "collectivite", "libelle": "L’adhérent"}]
    assert schema["parties"][0]["libelle"] == "La Collectivité"
    with pytest.raises(TemplateError, match="partie « collectivite » : le libellé est vide"):
        relabel_parties(schema, {"collectivite": " "})
