"""Office archives (DOCX, XLSX) checked before anything is decompressed: the one place a zip bomb
is stopped. The central directory says each part's size; the parts are read only within it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from conventum.settings import limits

# A part smaller than this is never a bomb, whatever its ratio (an empty XML compresses 100:1).
SMALL_PART = 1_000_000


class UnsafeArchive(Exception):
    """An archive refused before opening: the French reason (the caller chooses the error class)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def archive_problem(archive: zipfile.ZipFile) -> str | None:
    """Why an opened zip must not be read further (too many parts, too large, compressed like a
    bomb); None when its parts can be read."""
    members = archive.infolist()
    if len(members) > limits().max_archive_parts:
        return f"archive de {len(members)} parties (au plus {limits().max_archive_parts})"
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > SMALL_PART and member.file_size > limits().max_archive_ratio * max(
            member.compress_size, 1
        ):
            ratio = member.file_size // max(member.compress_size, 1)
            return (
                f"la partie {member.filename} se décompresse {ratio} fois plus grande"
                f" (au plus {limits().max_archive_ratio}) : archive piégée"
            )
    if total > limits().max_archive_bytes:
        return (
            f"archive de {total // 1_000_000} Mo une fois décompressée"
            f" (au plus {limits().max_archive_bytes // 1_000_000} Mo)"
        )
    return None


def open_archive(source: bytes | Path) -> zipfile.ZipFile:
    """A zip opened and checked; ``UnsafeArchive`` when it is not a zip or may not be read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsafeArchive("ce n’est pas une archive Office (zip) lisible") from exc
    problem = archive_problem(archive)
    if problem:
        archive.close()
        raise UnsafeArchive(problem)
    return archive


def check_archive(source: bytes | Path) -> None:
    """Refuse an archive before a library (openpyxl, python-docx) opens it."""
    open_archive(source).close()
