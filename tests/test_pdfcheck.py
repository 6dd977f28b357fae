"""The PDF LibreOffice writes is read back: a document's opening words and parties must be in it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conventum import ConversionError, Converter, render_document
from conventum.pdf.readback import check_key_facts, key_facts
from tests.support import needs_libreoffice, sample

TYPE = "adhesion-centrale-achats"


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    with Converter(workers=1) as shared:
        yield shared


def test_the_facts_are_the_opening_words_then_the_names() -> None:
    docx = render_document(TYPE, sample(TYPE)).content
    assert key_facts(docx, ["Pas-de-Calais"]) == ["CONVENTION D’ADHÉSION", "Pas-de-Calais"]
    deliberation = render_document("deliberation", sample("deliberation-2023-338")).content
    assert key_facts(deliberation) == ["DÉPARTEMENT DU PAS-DE-CALAIS"]


@needs_libreoffice
def test_another_documents_pdf_is_refused(converter: Converter) -> None:
    # The PDF of the délibération does not say what the convention says.
    convention = render_document(TYPE, sample(TYPE)).content
    deliberation = render_document(
        "deliberation", sample("deliberation-2023-338"), fmt="pdf", converter=converter
    )
    with pytest.raises(ConversionError, match="ne contient pas"):
        check_key_facts(deliberation.content, key_facts(convention, ["Libercourt"]))
    check_key_facts(
        deliberation.content,
        key_facts(render_document("deliberation", sample("deliberation-2023-338")).content),
    )


@needs_libreoffice
def test_a_name_missing_from_the_pdf_is_named(converter: Converter) -> None:
    document = render_document(TYPE, sample(TYPE), fmt="pdf", converter=converter)
    with pytest.raises(ConversionError, match="« Commune de Nulle-Part »"):
        check_key_facts(document.content, ["Pas-de-Calais", "Commune de Nulle-Part"])


@needs_libreoffice
def test_hostile_names_are_found_in_their_pdf(converter: Converter) -> None:
    # Emoji, XML specials, quotes and 2,000 characters: the check compares letters and digits.
    data = sample(TYPE)
    party = data["parties"][0]
    party.update(nature="etablissement-public", nom='Régie "Eau & <Assainissement>" 🌊 ' + "très long " * 198)
    party["representant"]["qualite"] = "president"
    document = render_document(TYPE, data, fmt="pdf", converter=converter)
    assert document.content.startswith(b"%PDF")
