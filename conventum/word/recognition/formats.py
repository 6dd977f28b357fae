"""Files that are not a Word package, named for what they are: an encrypted Word file, an old .doc,
an OpenDocument text, each renamed .docx or not."""

from __future__ import annotations

import io
import zipfile

from conventum.word.recognition.problems import ImportProblem

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
OLD_WORD = "WordDocument".encode("utf-16-le")


def foreign_format(data: bytes) -> ImportProblem | None:
    """Why these bytes are not a Word package conventum can read, or None when they may be one."""
    if data.startswith(OLE):
        if ENCRYPTED in data:
            return ImportProblem(
                "import.fichier_chiffre",
                "fichier Word protégé par un mot de passe (chiffré) : retirez la protection dans Word"
                " (Fichier › Informations › Protéger le document) puis importez-le",
            )
        if OLD_WORD in data:
            return ImportProblem(
                "import.ancien_doc",
                "ancien format Word (.doc, Word 97-2003), même nommé .docx : enregistrez-le au format"
                " « Document Word (.docx) » puis importez-le",
            )
        return ImportProblem("import.format", "fichier Office d’un autre type qu’un document Word (.docx)")
    if data.startswith(b"PK"):
        return _opendocument(data)
    return None


def _opendocument(data: bytes) -> ImportProblem | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "mimetype" not in archive.namelist():
                return None
            kind = archive.read("mimetype")[:100].decode("ascii", "replace")
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    if kind.startswith("application/vnd.oasis.opendocument"):
        return ImportProblem(
            "import.opendocument",
            f"document OpenDocument ({kind.rsplit('.', 1)[-1]}, LibreOffice), même nommé .docx :"
            " enregistrez-le au format « Word 2007-365 (.docx) » puis importez-le",
        )
    return None
