"""A French Word form shaped like seed 000: import + render gives the convention's text; fill keeps a form."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conventum import render_document
from conventum.errors import ValidationFailed
from conventum.ooxml.namespaces import W14, w
from conventum.pdf.converter import docx_to_pdf
from conventum.word.fields import analyse
from conventum.word.filling import fill_word
from conventum.word.importing import import_word, write_import
from tests.support import between, docx_text, needs_libreoffice, normalise, sample, seed
from tests.wordsupport import FIXTURES

FIXTURE = FIXTURES / "adhesion-controles.docx"
COMMUNE: dict[str, Any] = {
    "nature": "commune",
    "nom_de_l_adherent": "Libercourt",
    "adresse": "Place de la Mairie à Libercourt (62820)",
    "nom_du_representant_legal": "Monsieur Jean DUPONT",
    "qualite": "maire",
    "nom_de_l_assemblee_deliberante": "du conseil municipal",
    "date_de_la_decision": date(2023, 9, 12),
    "date_signature": date(2023, 10, 2),
    "numero_de_la_convention": "2023-338",
    "facturation_electronique": True,
}
ADHERENT = (
    "La Commune de Libercourt, sise Place de la Mairie à Libercourt (62820), représentée par "
    "Monsieur Jean DUPONT, Maire, dûment autorisé à signer la présente convention par décision "
    "du conseil municipal du 12 septembre 2023, Ci-après désignée « l’adhérent »"
)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("import")
    write_import(import_word(FIXTURE.read_bytes(), name="adhesion-word", source=FIXTURE.name), folder)
    return folder


# The imported form's fixed text is the legacy Word file's own (plain spaces in « … », a day
# and its month): conventum fills it, it does not retype it, so its typography is not checked.
LEGACY_TEXT = pytest.mark.typographie_libre


@pytest.fixture
def rendered(imported: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.chdir(imported)
    return render_document("adhesion-word", COMMUNE).content


def test_fields_are_typed_from_the_controls() -> None:
    fields = analyse(FIXTURE.read_bytes()).schema_fields
    order = ["nature", "nom_de_l_adherent", "adresse", "nom_du_representant_legal", "qualite"]
    order += ["nom_de_l_assemblee_deliberante", "date_de_la_decision", "facturation_electronique"]
    assert list(fields) == [*order, "date_signature", "numero_de_la_convention"]
    assert fields["nature"]["type"] == "choix"
    assert fields["nature"]["choix"]["commune"] == "La Commune"
    assert fields["qualite"]["libelle"] == "Qualité"
    assert fields["nom_de_l_adherent"]["libelle"] == "Nom de l’adhérent"
    assert fields["date_de_la_decision"] == {
        "type": "date",
        "libelle": "Date de la décision",
        "format": "d MMMM yyyy",
    }
    assert fields["date_signature"]["format"] == "dd/MM/yyyy"
    assert fields["facturation_electronique"]["type"] == "booleen"


@LEGACY_TEXT
def test_render_of_the_imported_type_reads_like_the_built_in_convention(rendered: bytes) -> None:
    text = docx_text(rendered)
    assert ADHERENT in text
    assert "Le 02/10/2023" in text
    assert "Convention n° 2023-338" in text
    assert "☒ L’adhérent accepte la facturation électronique." in text
    assert "Cliquez" not in text and "Choisissez" not in text


@LEGACY_TEXT
def test_the_adherent_paragraph_is_the_built_in_one_for_the_same_commune(rendered: bytes) -> None:
    data = sample("adhesion-centrale-achats")
    adherent = data["parties"][0]
    adherent.update(nature="commune", nom="Libercourt")
    adherent["adresse"] = {"voie": "Place de la Mairie", "code_postal": "62820", "commune": "Libercourt"}
    adherent["representant"] = {"civilite": "Monsieur", "prenom": "Jean", "nom": "Dupont", "qualite": "maire"}
    adherent["autorisation"] = {"organe": "conseil municipal", "date": "2023-09-12"}
    built_in = docx_text(render_document("adhesion-centrale-achats", data).content)
    start, end = "La Commune de Libercourt", "D’autre part"
    # The built-in writes the comparution clause (conventum.clauses); the imported Word form keeps its
    # own sentence around its blanks (mapping a form's paragraph onto the clause is the Word import's
    # work). Both say the same facts.
    imported, ours = between(docx_text(rendered), start, end), between(built_in, start, end)
    for fact in (
        "Place de la Mairie",
        "Libercourt",
        "Monsieur Jean DUPONT",
        "12 septembre 2023",
        "« l’adhérent »",
    ):
        assert fact in imported and fact in ours


@LEGACY_TEXT
def test_the_adherent_paragraph_is_seed_000_filled_for_a_commune(rendered: bytes) -> None:
    blank = between(seed("000"), "Choisissez une nature", "D’autre part")
    for placeholder, value in [
        ("Choisissez une nature", "La Commune"),
        ("Nom de la collectivité ou de l’établissement public", "Libercourt"),
        ("sise Adresse,", "sise Place de la Mairie à Libercourt (62820),"),
        ("Nom du représentant légal.", "Monsieur Jean DUPONT"),
        ("Choisissez une qualité", "Maire"),
        ("Nom de l’assemblée délibérante", "du conseil municipal"),
        ("Cliquez ou appuyez ici pour entrer une date.", "12 septembre 2023"),
    ]:
        blank = blank.replace(placeholder, value)
    assert between(docx_text(rendered), "La Commune de Libercourt", "D’autre part") == blank


def test_fill_keeps_a_word_form_with_its_state_in_step() -> None:
    filled = fill_word(FIXTURE.read_bytes(), COMMUNE)
    analysis = analyse(filled)
    assert analysis.schema_fields == analyse(FIXTURE.read_bytes()).schema_fields
    tree = analysis.package.trees["word/document.xml"]
    assert not list(tree.iter(w("showingPlcHdr")))
    decision = analysis.fields["date_de_la_decision"].controls[0]
    assert decision.type_element().get(w("fullDate")) == "2023-09-12T00:00:00Z"  # type: ignore[union-attr]
    assert decision.text == "12\u00a0septembre 2023"  # the day held to its month (no-break space)
    nature = analysis.fields["nature"].controls[0]
    assert nature.text == "La Commune"
    assert nature.type_element().get(w("lastValue")) == "commune"  # type: ignore[union-attr]
    box = analysis.fields["facturation_electronique"].controls[0]
    assert box.text == "☒"
    assert box.type_element().find(f"{{{W14}}}checked").get(f"{{{W14}}}val") == "1"  # type: ignore[union-attr]
    text = docx_text(filled)
    assert ADHERENT in text
    assert "Convention n° 2023-338" in text


def test_filled_value_takes_the_placeholder_run_formatting_without_its_grey_style() -> None:
    filled = fill_word(FIXTURE.read_bytes(), COMMUNE)
    tree = analyse(filled).package.trees["word/document.xml"]
    styles = [node.get(w("val")) for node in tree.iter(w("rStyle"))]
    assert "Textedelespacerserv" not in styles


def test_fill_refuses_bad_values_with_their_field_paths() -> None:
    bad = {**COMMUNE, "nature": "village", "date_de_la_decision": "31/09/2023"}  # no 31 September
    del bad["adresse"]
    with pytest.raises(ValidationFailed) as caught:
        fill_word(FIXTURE.read_bytes(), bad)
    found = {(issue.path, issue.code) for issue in caught.value.issues}
    assert ("nature", "field.not_in_choices") in found
    assert ("date_de_la_decision", "field.invalid_date") in found
    assert ("adresse", "field.missing") in found


@needs_libreoffice
@pytest.mark.libreoffice
@LEGACY_TEXT
def test_libreoffice_converts_the_filled_form_and_the_rendered_import(rendered: bytes) -> None:
    assert docx_to_pdf(fill_word(FIXTURE.read_bytes(), COMMUNE)).startswith(b"%PDF")
    assert docx_to_pdf(rendered).startswith(b"%PDF")


@pytest.mark.parametrize("name", ["adhesion-controles", "services-controles"])
def test_fixture_is_the_one_the_builder_makes(name: str, tmp_path: Path) -> None:
    from tools.content_controls_fixture import body, build, services_body

    content, footer = (body, True) if name.startswith("adhesion") else (services_body, False)
    rebuilt = build(tmp_path / "rebuilt.docx", content, footer=footer).read_bytes()
    committed = (FIXTURES / f"{name}.docx").read_bytes()
    assert normalise(docx_text(rebuilt)) == normalise(docx_text(committed))
    assert analyse(rebuilt).schema_fields == analyse(committed).schema_fields


def test_untitled_controls_with_word_s_own_text_are_named_by_the_label_before_them(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    from tools.content_controls_fixture import date_picker, paragraph, text_control

    document = docx.Document()
    body = document.element.body
    body[-1].addprevious(
        parse_xml(
            paragraph("Nom du participant : ", text_control("Cliquez ou appuyez ici pour entrer du texte."))
        )
    )
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Date de naissance"
    control = parse_xml(date_picker("dd/MM/yyyy"))  # block level: the control wraps a paragraph
    content = control.find(w("sdtContent"))
    block = parse_xml(paragraph())
    block.extend(list(content))
    content.append(block)
    table.cell(0, 1)._tc.append(control)
    document.save(str(tmp_path / "form.docx"))
    fields = analyse((tmp_path / "form.docx").read_bytes()).fields
    assert [(name, info.label) for name, info in fields.items()] == [
        ("nom_du_participant", "Nom du participant"),
        ("date_de_naissance", "Date de naissance"),
    ]
