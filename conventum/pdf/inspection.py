"""Annex files supplied with the data: where they are (confined to ``--annexes-dir`` when asked)
and what is wrong with them, read at validation."""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conventum.model.blocks import Annexe
from conventum.ooxml.archive import UnsafeArchive, open_archive
from conventum.settings import applied, current

SUFFIXES = (".pdf", ".docx")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def annexes_dir() -> Path | None:
    """The folder annex files are confined to (``--annexes-dir``), None when they are not."""
    return current().annexes_dir


@contextmanager
def confined_annexes(folder: str | Path | None) -> Iterator[None]:
    """Within the block, annex paths are relative to ``folder`` and may not leave it (``..``,
    an absolute path, a link pointing out): a shared service's clerks name files, not the disk.
    A setting (``Settings.annexes_dir``), which a batch gives its worker processes."""
    if folder is None:
        yield
        return
    with applied(dataclasses.replace(current(), annexes_dir=Path(folder).resolve())):
        yield


def annex_path(annex: Annexe, base: Path) -> Path | None:
    """The annex's file: relative paths taken from the data file's folder, or from the annexes
    folder when annexes are confined."""
    if annex.fichier is None:
        return None
    root = annexes_dir()
    start = root if root is not None else base
    return annex.fichier if annex.fichier.is_absolute() else start / annex.fichier


class AnnexFiles:
    """The annex files of one document, each located and read once: checked at validation, then
    appended to its PDF from the same bytes."""

    def __init__(self, base: Path) -> None:
        self.base = base  # where relative paths start: the data file's folder
        self._contents: dict[Path, bytes] = {}
        self.reads = 0  # files read from disk (each once)

    def path(self, annex: Annexe) -> Path | None:
        return annex_path(annex, self.base)

    def read(self, path: Path) -> bytes:
        """The file's bytes, read from disk the first time only; OSError when unreadable."""
        if path not in self._contents:
            self._contents[path] = path.read_bytes()
            self.reads += 1
        return self._contents[path]


def outside_annexes_dir(path: Path) -> bool:
    """Whether a file lies outside the confining folder (links resolved)."""
    root = annexes_dir()
    return root is not None and not path.resolve().is_relative_to(root.resolve())


def file_problem(path: Path, files: AnnexFiles | None = None) -> str | None:
    """The issue code of what is wrong with a supplied annex file, or None when it is usable."""
    if outside_annexes_dir(path):
        return "annexes.hors_dossier"
    if not path.is_file():
        return "annexes.fichier_introuvable"
    if path.suffix.lower() not in SUFFIXES:
        return "annexes.format"
    try:
        content = files.read(path) if files is not None else path.read_bytes()
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
        with open_archive(content) as archive:  # a zip bomb is refused before LibreOffice opens it
            names = archive.namelist()
    except (UnsafeArchive, zipfile.BadZipFile, OSError):
        return "annexes.docx_invalide"
    return None if "word/document.xml" in names else "annexes.docx_invalide"
