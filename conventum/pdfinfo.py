"""What a supplied PDF holds (pages, encryption), read with pypdf; its errors translated here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError


class UnreadablePdf(Exception):
    """The file is not a PDF pypdf can open."""


@dataclass(frozen=True)
class PdfFacts:
    """The facts the annex rules check."""

    pages: int
    encrypted: bool


def inspect_pdf(path: Path) -> PdfFacts:
    """Open a PDF and count its pages; UnreadablePdf when it is broken."""
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            return PdfFacts(pages=0, encrypted=True)
        return PdfFacts(pages=len(reader.pages), encrypted=False)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        # pypdf raises more than its own errors on malformed files (found by opening truncated PDFs).
        raise UnreadablePdf(str(exc)) from exc
