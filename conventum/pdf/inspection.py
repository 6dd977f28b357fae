"""Annex files supplied with the data: where they are and what is wrong with them (read at validation)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from conventum.model.blocks import Annexe

SUFFIXES = (".pdf", ".docx")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def annex_path(annex: Annexe, base: Path) -> Path | None:
    """The annex's file, relative paths taken from the data file's folder."""
    if annex.fichier is None:
        return None
    return annex.fichier if annex.fichier.is_absolute() else base / annex.fichier


def file_problem(path: Path) -> str | None:
    """The issue code of what is wrong with a supplied annex file, or None when it is usable."""
    if not path.is_file():
        return "annexes.fichier_introuvable"
    if path.suffix.lower() not in SUFFIXES:
        return "annexes.format"
    try:
        content = path.read_bytes()
    except OSError:
        return "annexes.fichier_illisible"
    return _pdf_problem(content) if path.suffix.lower() == ".pdf" else _docx_problem(content)


def _pdf_problem(content: bytes) -> str | None:
    from conventum.pdf.pdfio import annex_problem  # noqa: PLC0415 - pypdf, only when an annex PDF is supplied

    return annex_problem(content)


def _docx_problem(content: bytes) -> str | None:
    if content.startswith(OLE_MAGIC):
        # A password-protected Word file is an OLE container holding an "EncryptedPackage" stream.
        encrypted = "EncryptedPackage".encode("utf-16-le") in content
        return "annexes.docx_chiffre" if encrypted else "annexes.docx_invalide"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return "annexes.docx_invalide"
    return None if "word/document.xml" in names else "annexes.docx_invalide"
