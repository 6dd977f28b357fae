"""``conventum compare``: two Word documents read, checked, compared by conventum's own engine or by
python-redlines (an optional package shipping a compiled comparison engine), the revision marks
counted."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from conventum.avenants.articles import NS
from conventum.avenants.tracked import AUTHOR, compare_docx
from conventum.errors import DataFileError, UsageError
from conventum.ooxml.archive import UnsafeArchive, check_archive


def read_docx(path: Path) -> bytes:
    """A Word document's bytes, refused with its path when it is not one (or not a safe archive)."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"illisible ({exc.strerror})", path=str(path)) from exc
    try:
        check_archive(content)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            etree.fromstring(archive.read("word/document.xml"))
    except UnsafeArchive as exc:
        raise DataFileError(f"{exc.reason} : un document Word (.docx) est attendu", path=str(path)) from exc
    except (KeyError, etree.XMLSyntaxError) as exc:
        raise DataFileError("ce n’est pas un document Word (.docx) lisible", path=str(path)) from exc
    return content


def compare_bytes(original: bytes, revised: bytes, *, engine: str = "conventum") -> bytes:
    """The revised document with the changes from the original as Word tracked changes."""
    if engine == "conventum":
        return compare_docx(original, revised)
    if engine == "redlines":
        return _redlines(original, revised)
    raise UsageError(f"moteur de comparaison inconnu : « {engine} » (conventum ou redlines)")


def _redlines(original: bytes, revised: bytes) -> bytes:
    try:
        from python_redlines.engines import DocxodusEngine  # noqa: PLC0415 - optional package
    except ImportError as exc:
        raise UsageError(
            "le moteur « redlines » demande le paquet python-redlines et son moteur"
            " (pip install python-redlines python-redlines-docxodus) : utilisez --moteur conventum"
        ) from exc
    try:
        result = DocxodusEngine().run_redline(AUTHOR, original, revised)
    except Exception as exc:  # a foreign engine's every failure, said in French
        raise UsageError(f"le moteur python-redlines a échoué : {str(exc).splitlines()[0][:200]}") from exc
    content = result[0] if isinstance(result, tuple) else result
    return bytes(content)


def revision_counts(docx: bytes) -> dict[str, int]:
    """How many insertions and deletions the document's body marks."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return {kind: len(root.findall(f".//w:{kind}", NS)) for kind in ("ins", "del")}


def compare_files(
    original: Path, revised: Path, *, engine: str = "conventum"
) -> tuple[bytes, dict[str, int]]:
    content = compare_bytes(read_docx(original), read_docx(revised), engine=engine)
    return content, revision_counts(content)
