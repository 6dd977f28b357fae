"""The pypdf adapter for dossiers: PDFs put end to end, one outline entry per part."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter  # the reader only as a type: read_pdf opens it

from conventum.pdf.pdfio import read_pdf


@dataclass(frozen=True)
class Part:
    """One part of a dossier: its outline title and its bytes (DOCX once rendered, PDF once converted)."""

    titre: str
    content: bytes


def page_count(pdf: bytes) -> int:
    """The number of pages of a PDF."""
    return len(_reader(pdf, "PDF").pages)


def _reader(pdf: bytes, title: str) -> PdfReader:
    return read_pdf(pdf, what=f"le PDF de « {title} »")


def merge(parts: Sequence[Part], *, title: str) -> bytes:
    """One PDF holding every part in order, with an outline entry at the first page of each."""
    writer = PdfWriter()
    for part in parts:
        start = len(writer.pages)
        # append, not page by page: a part's signature fields (its AcroForm) come along.
        writer.append(_reader(part.content, part.titre), import_outline=False)
        writer.add_outline_item(title=part.titre, page_number=start)
    writer.add_metadata({"/Title": title, "/Producer": "conventum"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def outline_titles(pdf: bytes) -> list[tuple[str, int | None]]:
    """The top-level outline entries of a PDF with the page index each points to."""
    reader = _reader(pdf, "PDF")
    return [
        (str(item.title), reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    ]
