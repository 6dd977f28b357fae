"""A 90-page groupement: its key facts are still checked and every signature anchor found, now
that the text is read by PDFium, page by page, once (issue 30)."""

from __future__ import annotations

import io

import pikepdf
import pytest

from benchmarks.groupement import TYPE, groupement_data
from conventum import Document, render_document
from conventum.errors import ConversionError
from conventum.pdf.readback import check_key_facts, key_facts
from tests.support import needs_libreoffice

MEMBERS = 500

pytestmark = needs_libreoffice


@pytest.fixture(scope="module")
def long_pdf() -> tuple[Document, bytes]:
    data = groupement_data(MEMBERS)
    return render_document(TYPE, data, fmt="pdf"), render_document(TYPE, data).content


def test_every_member_signs_in_a_field_at_its_own_block(long_pdf: tuple[Document, bytes]) -> None:
    document, _docx = long_pdf
    parties = document.context["parties"]
    with pikepdf.open(io.BytesIO(document.content)) as pdf:
        assert len(pdf.pages) >= 85
        fields = list(pdf.Root.AcroForm.Fields)
        assert [str(field.T) for field in fields] == [
            str(party["sans_article"]).replace(".", "") for party in parties
        ]
        numbers = {page.objgen: number for number, page in enumerate(pdf.pages)}
        pages = [numbers[field.P.objgen] for field in fields]
        last_page = len(pdf.pages) - 1
    assert pages == sorted(pages)  # in the order of the blocks
    assert pages[-1] >= last_page - 1  # the blocks end the convention (a last page may hold only its tail)
    assert pages[0] < pages[-1]


def test_the_key_facts_of_the_long_document_are_checked(long_pdf: tuple[Document, bytes]) -> None:
    document, docx = long_pdf
    names = [party["nom_lu"] for party in document.context["parties"]]
    check_key_facts(document.content, key_facts(docx, names))  # down to the last member, on a late page
    with pytest.raises(ConversionError, match="Commune de Nulle-Part"):
        check_key_facts(document.content, [*key_facts(docx, names), "Commune de Nulle-Part"])
