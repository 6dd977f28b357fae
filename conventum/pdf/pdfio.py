"""The pypdf adapter: PDF bytes opened one way, their failures translated once into conventum's errors."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from conventum.errors import ConversionError

# pypdf raises more than its own errors on malformed files (found by opening truncated PDFs).
PYPDF_FAILURES = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError)


def read_pdf(pdf: bytes, *, what: str) -> PdfReader:
    """The PDF opened, its page tree read; ConversionError names ``what`` when it does not open."""
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        if not reader.is_encrypted:
            len(reader.pages)  # a broken page tree fails here, not later inside a writer
    except PYPDF_FAILURES as exc:
        raise ConversionError(f"{what} est illisible : {exc}") from exc
    return reader


def page_count(pdf: bytes, *, what: str) -> int:
    """How many pages a PDF has (ConversionError when it does not open)."""
    return len(read_pdf(pdf, what=what).pages)


def page_texts(pdf: bytes, *, what: str) -> list[str]:
    """The text pypdf extracts from each page, in order."""
    reader = read_pdf(pdf, what=what)
    try:
        return [page.extract_text() for page in reader.pages]
    except PYPDF_FAILURES as exc:
        raise ConversionError(f"le texte de {what} est illisible : {exc}") from exc


def annex_problem(pdf: bytes) -> str | None:
    """The issue code of what makes a supplied annex PDF unusable, or None when it is usable."""
    try:
        reader = read_pdf(pdf, what="l’annexe")
        if reader.is_encrypted:
            return "annexes.pdf_chiffre"
        return None if len(reader.pages) > 0 else "annexes.pdf_vide"
    except ConversionError:
        return "annexes.pdf_invalide"
