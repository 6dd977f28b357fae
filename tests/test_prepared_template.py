"""The prepared template writes the same document as docxtpl's render, from one load."""

from __future__ import annotations

import io
import zipfile

import pytest

from conventum import build_context, load_type, validate
from conventum.errors import TemplateError
from conventum.rendering import PreparedTemplate, document_text, render_docx
from tests.support import sample

TYPE = "adhesion-centrale-achats"


def _context(data: dict[str, object]) -> dict[str, object]:
    ctype = load_type(TYPE)
    result = validate(ctype, data)
    assert result.convention is not None
    return build_context(ctype, result.convention)


def test_prepared_text_equals_docxtpl_text_on_the_sample() -> None:
    context = _context(sample(TYPE))
    template = load_type(TYPE).template_path
    prepared = PreparedTemplate(template)
    assert document_text(prepared.render(context)) == document_text(render_docx(template, context))


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
