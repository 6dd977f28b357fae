"""The typography check every rendered document of the tests goes through (see conftest.py).

The text of the DOCX is read where no-break spaces are still visible: a plain space
before ; : ! ? » or €, after «, inside a number or between a day and its month is a
failure that names the paragraph.
"""

from __future__ import annotations

from conventum.french.typography import typography_faults
from conventum.ooxml.text import document_text
from tests.support import normalise


class TypographyError(AssertionError):
    """A rendered document with plain spaces where French typography needs no-break ones."""


def paragraph_faults(data: bytes, *, signs: bool = True) -> list[str]:
    """Each faulty paragraph of a .docx: "paragraphe 12 « … » : espace ordinaire avant « ; »".

    ``signs`` adds the checks of the characters themselves (’ and « », accented capitals, 1re/6e,
    M./Mme bound to the name) to the spaces': every document written from conventum's templates.
    """
    found = []
    for number, paragraph in enumerate(document_text(data).split("\n"), start=1):
        faults = typography_faults(paragraph, signs=signs)
        if faults:
            shown = paragraph if len(paragraph) <= 160 else paragraph[:157] + "…"
            found.append(f"paragraphe {number} « {shown} » : {', '.join(sorted(set(faults)))}")
    return found


def check_typography(data: bytes, *, signs: bool = True) -> None:
    """Raise TypographyError naming every faulty paragraph of the document."""
    faults = paragraph_faults(data, signs=signs)
    if faults:
        raise TypographyError("typographie française :\n" + "\n".join(faults))


def checked_text(data: bytes) -> str:
    """The normalised text of a rendered .docx, after its typography check."""
    check_typography(data)
    return normalise(document_text(data))
