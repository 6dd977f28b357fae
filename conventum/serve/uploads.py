"""What the server refuses of an uploaded Word file before the import reads it, with a French
reason: an empty file, one too big, a macro-enabled document, a name that is not a Word file's.
(An encrypted file, an old .doc, an OpenDocument file renamed are the import's to name.)"""

from __future__ import annotations

import io
import zipfile

from conventum.settings import limits

SUFFIXES = (".docx", ".dotx", ".docm", ".dotm", ".doc", ".odt")
MACRO_TYPE = b"macroEnabled"


def word_refusal(content: bytes, name: str) -> str | None:
    """Why an uploaded file is not imported, or None when the import may read it."""
    shown = f"« {name} »"
    if not content:
        return f"{shown} est vide"
    if len(content) > limits().max_archive_bytes:
        return f"{shown} est trop volumineux pour un document Word"
    if not name.lower().endswith(SUFFIXES):
        return f"{shown} n’a pas l’extension d’un document Word (.docx)"
    if _macros(content):
        return (
            f"{shown} contient des macros (document Word prenant en charge les macros) : le serveur ne"
            " les accepte pas ; enregistrez-le au format « Document Word (.docx) » et importez ce fichier"
        )
    return None


def _macros(content: bytes) -> bool:
    """A Word package holding a VBA project, or declared macro-enabled."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if any(name.lower().endswith("vbaproject.bin") for name in archive.namelist()):
                return True
            with archive.open("[Content_Types].xml") as types:
                return MACRO_TYPE in types.read(1_000_000)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return False
