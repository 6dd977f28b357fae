"""Writing outputs atomically: never a half-written file, never an overwrite without asking."""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from pathlib import Path

from conventum.errors import OutputError
from conventum.ooxml.reread import docx_problem

NAME_MAX = 255  # bytes in a file name, on every common file system
ELLIPSIS = "…"


REASONS = {
    errno.ENOSPC: "le disque est plein",
    errno.EDQUOT: "le quota de disque est dépassé",
    errno.EFBIG: "le fichier dépasse la taille permise par le système",
    errno.EROFS: "le dossier est en lecture seule",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOENT: "dossier introuvable",
    errno.ENOTDIR: "un élément du chemin n’est pas un dossier",
    errno.EIO: "erreur d’entrée-sortie du disque",
}


def french_reason(exc: OSError) -> str:
    """Why a write failed, in French (the system's own words for a reason not listed)."""
    return REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def writable_folder(folder: Path) -> None:
    """The output folder made (with its parents) and tried with a temporary file removed at once:
    OutputError (exit 8) with the reason in French — read-only, full, permission — before anything
    is written in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".conventum-essai-"):
            pass
    except OSError as exc:
        raise OutputError(
            f"impossible d’écrire dans le dossier {folder} : {french_reason(exc)}", path=str(folder)
        ) from exc


def check_writable(path: Path, *, force: bool) -> None:
    """Refuse early an output that exists (without force), whose folder is missing, or whose name
    no file system holds."""
    size = len(path.name.encode("utf-8", errors="surrogateescape"))
    if size > NAME_MAX:
        raise OutputError(
            f"nom de fichier trop long ({size} octets, au plus {NAME_MAX}) : {path.name[:60]}…",
            path=str(path),
        )
    if path.exists() and not force:
        raise OutputError(
            f"le fichier {path} existe déjà", path=str(path), remedies={"force": "le remplacer"}
        )
    if not path.parent.is_dir():
        raise OutputError(f"le dossier {path.parent} n’existe pas", path=str(path))


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomic(path: Path, data: bytes, *, force: bool = False, sync: bool = True) -> None:
    """Write bytes to a temporary file beside the target, then rename it into place.

    ``sync=False`` skips the fsync (a batch syncs once at its end): a killed process still
    leaves only whole files, only a power cut before the final sync could lose the last ones.
    """
    check_writable(path, force=force)
    if path.suffix.lower() == ".docx":
        problem = docx_problem(data)
        if problem:
            raise OutputError(f"document {path.name} refusé à la relecture : {problem}", path=str(path))
    # The temporary name is short whatever the target's: a name near 255 bytes still gets written.
    prefix = "." + cap_bytes(path.name, 100) + "."
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    except OSError as exc:  # a read-only folder, a full disk, no permission
        raise OutputError(f"impossible d’écrire {path} : {french_reason(exc)}", path=str(path)) from exc
    try:
        # mkstemp makes the file private (0600); an output gets the usual mode, as open() would.
        os.fchmod(descriptor, 0o666 & ~current_umask())
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        if force:
            os.replace(temporary, path)
        else:
            _link_without_overwrite(temporary, path)
        if sync:
            _sync_folder(path.parent)  # the rename itself survives a power cut
    except OSError as exc:
        raise OutputError(f"impossible d’écrire {path} : {french_reason(exc)}", path=str(path)) from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def cap_bytes(text: str, limit: int) -> str:
    """A name of at most ``limit`` bytes in UTF-8 (file systems count bytes, and an accent is two):
    a longer one is cut on a character, with an ellipsis and a short hash of the whole name so
    that two long names sharing their start stay distinct.

    >>> cap_bytes("Commune de " + "é" * 200, 40)
    'Commune de éééééééé…-ac37403b'
    """
    if len(text.encode("utf-8")) <= limit:
        return text
    tail = f"{ELLIPSIS}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"
    room = limit - len(tail.encode("utf-8"))
    head = text.encode("utf-8")[:room].decode("utf-8", errors="ignore").rstrip(" .-")
    return head + tail


def current_umask() -> int:
    """The process's umask (read without changing it for good)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _link_without_overwrite(temporary: str, path: Path) -> None:
    # os.link fails if the target appeared meanwhile: no race can overwrite a file.
    try:
        os.link(temporary, path)
    except FileExistsError as exc:
        raise OutputError(
            f"le fichier {path} existe déjà", path=str(path), remedies={"force": "le remplacer"}
        ) from exc
    except OSError:
        # Some file systems (FAT, some network shares) have no hard links.
        if path.exists():
            raise OutputError(
                f"le fichier {path} existe déjà", path=str(path), remedies={"force": "le remplacer"}
            ) from None
        os.replace(temporary, path)
