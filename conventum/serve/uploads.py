"""What the server refuses of an uploaded Word file before reading it, with a French reason: an
encrypted file, an old .doc, an OpenDocument file renamed, a macro-enabled document, a file too big."""

from __future__ import annotations

import io
import zipfile

from conventum.settings import limits

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: an old .doc, or an encrypted .docx
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
SUFFIXES = (".docx", ".dotx", ".docm", ".dotm")
MACRO_TYPE = b"macroEnabled"


def word_refusal(content: bytes, name: str) -> str | None:
    """Why an uploaded file cannot be imported as a Word template, or None when it may be read."""
    shown = f"« {name} »"
    if not content:
        return f"{shown} est vide"
    if len(content) > limits().max_archive_bytes:
        return f"{shown} est trop volumineux pour un document Word"
    if content.startswith(OLE):
        if ENCRYPTED in content:
            return (
                f"{shown} est protégé par un mot de passe (chiffré) : ouvrez-le dans Word, retirez le mot"
                " de passe (Fichier › Informations › Protéger le document) et importez-le de nouveau"
            )
        return (
            f"{shown} est un document Word ancien format (.doc) : ouvrez-le dans Word, enregistrez-le"
            " au format « Document Word (.docx) » et importez ce fichier"
        )
    names = _zip_names(content)
    if names is None:
        return f"{shown} n’est pas un document Word (.docx) : le fichier n’en a pas la forme"
    return _package_refusal(content, names, shown) or _suffix_refusal(name, shown)


def _zip_names(content: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def _package_refusal(content: bytes, names: list[str], shown: str) -> str | None:
    if "mimetype" in names and "word/document.xml" not in names:
        kind = _member(content, "mimetype")
        what = "OpenDocument (LibreOffice, .odt)" if b"opendocument" in kind else "d’un autre format"
        return (
            f"{shown} est un document {what} renommé en .docx : ouvrez-le et enregistrez-le au format"
            " « Document Word (.docx) »"
        )
    if any(name.lower().endswith("vbaproject.bin") for name in names) or MACRO_TYPE in _member(
        content, "[Content_Types].xml"
    ):
        return (
            f"{shown} contient des macros (document Word prenant en charge les macros) : conventum ne les"
            " importe pas ; enregistrez-le au format « Document Word (.docx) » et importez ce fichier"
        )
    if "word/document.xml" not in names and "[Content_Types].xml" not in names:
        return f"{shown} n’est pas un document Word (.docx) : c’est une archive d’un autre format"
    return None


def _suffix_refusal(name: str, shown: str) -> str | None:
    if not name.lower().endswith(SUFFIXES):
        return f"{shown} n’a pas l’extension d’un document Word (.docx)"
    return None


def _member(content: bytes, name: str, limit: int = 1_000_000) -> bytes:
    """A small member of the archive (the first ``limit`` bytes), or nothing when it is absent."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive, archive.open(name) as member:
            return member.read(limit)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return b""
