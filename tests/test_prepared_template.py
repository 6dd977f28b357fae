"""The prepared template writes the same document as docxtpl's render, from one load."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from conventum import available_types, build_context, load_type, validate
from conventum.errors import TemplateError
from conventum.ooxml.text import ALL_TEXT, document_text
from conventum.rendering.prepared import PreparedTemplate, well_formed_text
from tests.support import SAMPLES, docxtpl_render, sample

TYPE = "adhesion-centrale-achats"


def _context(data: dict[str, object], type_name: str = TYPE) -> dict[str, object]:
    ctype = load_type(type_name)
    result = validate(ctype, data)
    assert result.convention is not None
    return build_context(ctype, result.convention)


SAMPLED_TYPES = sorted(path.stem for path in SAMPLES.glob("*.yaml") if path.stem in available_types())


@pytest.mark.parametrize("type_name", SAMPLED_TYPES)
def test_prepared_text_equals_docxtpl_text_on_the_samples(type_name: str) -> None:
    context = _context(sample(type_name), type_name)
    template = load_type(type_name).template_path
    filled, reference = PreparedTemplate(template).render(context), docxtpl_render(template, context)
    assert document_text(filled) == document_text(reference)
    assert _grid(filled) == _grid(reference)  # table grids as docxtpl's fix_tables leaves them


@pytest.mark.parametrize("type_name", SAMPLED_TYPES)
def test_the_fast_check_reads_the_same_text_as_lxml(type_name: str) -> None:
    filled = PreparedTemplate(load_type(type_name).template_path).render(
        _context(sample(type_name), type_name)
    )
    with zipfile.ZipFile(io.BytesIO(filled)) as archive:
        xml = archive.read("word/document.xml")
    assert well_formed_text(xml, "word/document.xml", type_name) == str(ALL_TEXT(etree.fromstring(xml)))


def test_one_prepared_template_fills_many_documents_each_with_its_own_data() -> None:
    prepared = PreparedTemplate(load_type(TYPE).template_path)
    names = ["Libercourt", "Carvin", "Dourges"]
    texts = []
    for name in names:
        data = sample(TYPE)
        data["parties"][0].update(nature="commune", nom=name)
        texts.append(document_text(prepared.render(_context(data))))
    for name, text in zip(names, texts, strict=True):
        assert f"la Commune de {name}" in text
        assert all(other not in text for other in names if other != name)


def test_the_zip_is_whole_and_keeps_every_part_of_the_template() -> None:
    template = load_type(TYPE).template_path
    data = PreparedTemplate(template).render(_context(sample(TYPE)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(template) as original:
        assert archive.testzip() is None
        assert archive.namelist() == original.namelist()
        assert archive.read("word/styles.xml") == original.read("word/styles.xml")


def test_a_value_with_a_tag_is_refused_as_in_render_docx() -> None:
    data = sample(TYPE)
    data["parties"][0]["nom"] = "{{ 7 * 7 }}"
    context = _context(data)
    with pytest.raises(TemplateError):
        PreparedTemplate(load_type(TYPE).template_path).render(context)


def test_headers_and_footers_are_filled_like_docxtpl(tmp_path: Path) -> None:
    document = Document(str(load_type(TYPE).template_path))
    section = document.sections[0]
    section.header.paragraphs[0].text = "En-tête : {{ adherent.Denomination }}"
    section.footer.paragraphs[0].text = "Pied : {{ convention.titre }}"
    template = tmp_path / "avec-en-tete.docx"
    document.save(str(template))
    context = _context(sample(TYPE))
    prepared = document_text(PreparedTemplate(template).render(context))
    assert prepared == document_text(docxtpl_render(template, context))
    assert "En-tête : Le Département du Pas-de-Calais" in prepared
    assert "Pied : Convention d’adhésion" in prepared


def test_a_value_that_would_break_the_xml_is_refused() -> None:
    data = sample(TYPE)
    data["parties"][0]["nom"] = "Car\x01vin"  # a control character XML does not allow
    context = _context(data)
    with pytest.raises(TemplateError, match=r"XML invalide dans word/document\.xml"):
        PreparedTemplate(load_type(TYPE).template_path).render(context)


def _grid(data: bytes) -> tuple[list[str], int]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    return re.findall(r'<w:gridCol w:w="(\d+)"', xml), xml.count("<w:tc>")


@pytest.mark.parametrize("items", [["a"], list("abcde")])
def test_a_column_loop_gets_its_table_grid_fixed_as_docxtpl_does(tmp_path: Path, items: list[str]) -> None:
    document = Document()
    table = document.add_table(rows=1, cols=3)
    for index, text in enumerate(["{%tc for x in items %}", "{{ x }}", "{%tc endfor %}"]):
        table.cell(0, index).text = text
    template = tmp_path / "colonnes.docx"
    document.save(str(template))
    prepared = _grid(PreparedTemplate(template).render({"items": items}))
    assert prepared == _grid(docxtpl_render(template, {"items": items}))
    assert len(prepared[0]) == prepared[1] == len(items)  # the grid has as many columns as cells


def _row_loop_template(path: Path, *, narrow_header: bool) -> Path:
    """A 3-column table: a header, then a row repeated per item. With ``narrow_header`` the
    header has two cells only: when the loop yields no row, no row spans the grid any more."""
    document = Document()
    table = document.add_table(rows=4, cols=3)
    table.cell(0, 0).text, table.cell(0, 1).text = "Prestation", "Montant"
    table.cell(1, 0).text = "{%tr for x in items %}"
    table.cell(2, 0).text, table.cell(2, 1).text, table.cell(2, 2).text = "{{ x }}", "1", "2"
    table.cell(3, 0).text = "{%tr endfor %}"
    if narrow_header:
        header = table.rows[0]._tr
        header.remove(header.tc_lst[-1])
    document.save(str(path))
    return path


@pytest.mark.parametrize("narrow_header", [False, True])
@pytest.mark.parametrize("items", [[], ["a"], ["a", "b", "c"]])
def test_a_row_loop_keeps_the_grid_docxtpl_gives(
    tmp_path: Path, items: list[str], narrow_header: bool
) -> None:
    template = _row_loop_template(tmp_path / "lignes.docx", narrow_header=narrow_header)
    prepared = PreparedTemplate(template).render({"items": items})
    assert _grid(prepared) == _grid(docxtpl_render(template, {"items": items}))
    assert [line for line in document_text(prepared).split("\n") if line in items] == items
