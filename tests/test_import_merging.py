"""``import`` reads a form as its author meant it: untagged controls sharing a title, a kind and
choices are one field; a tagged control's label comes from its tag."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner
from docx import Document
from docx.oxml import parse_xml

from conventum.cli import main
from conventum.ooxml.text import document_text
from conventum.word.fields import analyse, merged_fields
from conventum.word.filling import fill_word
from tools.content_controls_fixture import NATURES, date_picker, drop_down, paragraph, text_control


def _form(*paragraphs: str) -> bytes:
    document = Document()
    body = document.element.body
    for xml in paragraphs:
        body.insert(len(body) - 1, parse_xml(xml))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _nature(**names: str) -> str:
    return drop_down("Choisissez une nature", NATURES, **names)


def test_untagged_controls_with_one_title_kind_and_choices_are_one_field() -> None:
    form = _form(
        paragraph(_nature(alias="Nature"), " de ", text_control("Nom", alias="Nom")),
        paragraph("Pour ", _nature(alias="Nature"), " : signature"),
    )
    fields = analyse(form).fields
    assert [name for name in fields if name.startswith("nature")] == ["nature"]
    assert [info.name for info in merged_fields(fields)] == ["nature"]
    filled = fill_word(form, {"nature": "commune", "nom": "Lens"})
    assert document_text(filled).count("La Commune") == 2  # filled once, shown in both places


def test_distinct_tags_keep_controls_apart() -> None:
    form = _form(
        paragraph(_nature(alias="Nature", tag="nature_adherent")),
        paragraph(_nature(alias="Nature", tag="nature_centrale")),
    )
    assert sorted(analyse(form).fields) == ["nature_adherent", "nature_centrale"]
    assert merged_fields(analyse(form).fields) == []


def test_a_tagged_control_is_labelled_from_its_tag() -> None:
    form = _form(paragraph("Décision du ", date_picker("dd/MM/yyyy", tag="date_decision")))
    info = analyse(form).fields["date_decision"]
    assert info.label == "Date de la décision"


def test_the_import_report_says_which_controls_were_merged(tmp_path: Path) -> None:
    legacy = tmp_path / "formulaire.docx"
    legacy.write_bytes(
        _form(paragraph(_nature(alias="Nature")), paragraph("Signé pour ", _nature(alias="Nature")))
    )
    result = CliRunner().invoke(
        main, ["import", str(legacy), "--type", "essai-fusion", "--dossier", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "« Nature » : 2 contrôles sans balise, de même titre, réunis en un champ" in result.output
