"""After LibreOffice: the PDF says what the document says, its opening words and its parties.

LibreOffice can write a PDF that opens and has pages yet lost the text (a font without its
character map, another document's pages). Each of our own documents is read back until its key
facts are found: the text of its first paragraph, and each party's name. Only letters and digits
are compared (accents and case aside), over the first ``FACT_LENGTH`` of them: line breaks,
hyphens, apostrophes and pictographs do not matter, and a 2,000-character name costs no more.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from conventum.errors import ConversionError
from conventum.ooxml.text import document_text
from conventum.pdf.pdftext import PdfText

FACT_LENGTH = 60


def key_facts(docx: bytes, names: Sequence[str] = ()) -> list[str]:
    """The first paragraph with letters of a filled document, then the given names."""
    opening = next((line for line in document_text(docx).splitlines() if letters(line)), "")
    return [opening, *names]


def check_key_facts(pdf: bytes, facts: Sequence[str]) -> None:
    """Read the PDF's pages until every fact is found; ConversionError names the first missing."""
    missing = {fact: key[:FACT_LENGTH] for fact in facts if (key := letters(fact))}
    read = ""
    with PdfText(pdf, what="le PDF produit par LibreOffice") as document:
        for index in range(document.pages):
            if not missing:
                return
            read += letters(document.text(index))
            missing = {fact: key for fact, key in missing.items() if key not in read}
    if missing:
        fact = next(iter(missing))
        shown = fact if len(fact) <= 80 else fact[:77] + "…"
        raise ConversionError(f"le PDF produit par LibreOffice ne contient pas « {shown} » : texte perdu")


def letters(text: str) -> str:
    """The letters and digits of a text, without accents, casefolded.

    >>> letters("L’Établissement « Eau & Assainissement » n°1 🌊")
    'letablissementeauassainissementn1'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(character for character in decomposed if character.isalnum()).casefold()
