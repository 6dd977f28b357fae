"""Annex files (PDF or DOCX) supplied with the data: checked before any conversion, then loaded."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from conventum.finishing import AnnexPdf
from conventum.issues import Issue
from conventum.messages import register_messages
from conventum.models import Annexe

SUFFIXES = (".pdf", ".docx")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

register_messages(
    {
        "annex.missing": "Le fichier de l’annexe {numero} est introuvable : {fichier}.",
        "annex.format": "L’annexe {numero} doit être un fichier PDF ou DOCX, et non « {fichier} ».",
        "annex.unreadable": "Le fichier de l’annexe {numero} est illisible : {fichier}.",
        "annex.encrypted": "Le fichier de l’annexe {numero} est protégé par un mot de passe : {fichier}.",
    }
)


def annex_path(annex: Annexe, base: Path) -> Path | None:
    """The annex's file, relative paths taken from the data file's folder."""
    if annex.fichier is None:
        return None
    return annex.fichier if annex.fichier.is_absolute() else base / annex.fichier


def annex_issues(annexes: Sequence[Annexe], base: Path) -> list[Issue]:
    """Errors for annex files that are missing, of another format, unreadable or encrypted."""
    issues = []
    for index, annex in enumerate(annexes):
        path = annex_path(annex, base)
        code = _file_problem(path) if path is not None else None
        if code:
            params = {"numero": annex.numero, "fichier": str(annex.fichier)}
            issues.append(Issue(code, f"annexes[{index}].fichier", params))
    return issues


def _file_problem(path: Path) -> str | None:
    if not path.is_file():
        return "annex.missing"
    if path.suffix.lower() not in SUFFIXES:
        return "annex.format"
    try:
        content = path.read_bytes()
    except OSError:
        return "annex.unreadable"
    return _pdf_problem(content) if path.suffix.lower() == ".pdf" else _docx_problem(content)


def _pdf_problem(content: bytes) -> str | None:
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            return "annex.encrypted"
        return None if len(reader.pages) > 0 else "annex.unreadable"
    except (PyPdfError, ValueError, OSError, KeyError):
        return "annex.unreadable"


def _docx_problem(content: bytes) -> str | None:
    if content.startswith(OLE_MAGIC):
        # A password-protected Word file is an OLE container holding an "EncryptedPackage" stream.
        return "annex.encrypted" if "EncryptedPackage".encode("utf-16-le") in content else "annex.unreadable"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return "annex.unreadable"
    return None if "word/document.xml" in names else "annex.unreadable"


def load_annexes(annexes: Sequence[Annexe], base: Path, convert: Callable[[bytes], bytes]) -> list[AnnexPdf]:
    """The file annexes as PDFs in their numbered order, DOCX ones converted with ``convert``."""
    loaded = []
    for annex in sorted(annexes, key=lambda item: item.numero):
        path = annex_path(annex, base)
        if path is None:
            continue
        content = path.read_bytes()
        pdf = content if path.suffix.lower() == ".pdf" else convert(content)
        loaded.append(AnnexPdf(annex.numero, annex.titre, pdf))
    return loaded
