"""Dossiers: PDFs put end to end with their structure (pikepdf, tagging.append_tagged), one
outline entry per part; each part keeps its own page numbers ("Page 2 sur 6" of the part)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pikepdf import OutlineItem
from pypdf import PdfReader  # a type only: read_pdf opens it

from conventum.pdf.pdfa import declared_part
from conventum.pdf.pdfio import read_pdf
from conventum.pdf.tagging import append_tagged, open_pdf, to_bytes

PDFA_ID = ("pdfaid:part", "pdfaid:conformance", "pdfaid:amd")


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
    """One PDF holding every part in order, with an outline entry at the first page of each.

    The first part's catalogue (language, tagging, PDF/UA and PDF/A identification) is the
    dossier's; every part's structure tree and signature fields come along. The PDF/A
    identification stays only when every part declares the same PDF/A part."""
    if not parts:
        raise ValueError("un dossier sans pièce")
    document = open_pdf(parts[0].content, what=f"le PDF de « {parts[0].titre} »")
    with document.open_outline() as outline:
        outline.root.clear()
        outline.root.append(OutlineItem(parts[0].titre, 0))
        for part in parts[1:]:
            start = append_tagged(document, open_pdf(part.content, what=f"le PDF de « {part.titre} »"))
            outline.root.append(OutlineItem(part.titre, start))
    whole_pdfa = len({declared_part(part.content) for part in parts}) == 1
    with document.open_metadata(set_pikepdf_as_editor=False) as metadata:
        metadata["dc:title"] = title
        if not whole_pdfa:  # the first part's PDF/A identification would be a lie for the whole
            for key in PDFA_ID:
                if key in metadata:
                    del metadata[key]
    return to_bytes(document)


def outline_titles(pdf: bytes) -> list[tuple[str, int | None]]:
    """The top-level outline entries of a PDF with the page index each points to."""
    reader = _reader(pdf, "PDF")
    return [
        (str(item.title), reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    ]
