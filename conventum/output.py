"""Writing outputs atomically: never a half-written file, never an overwrite without asking."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from conventum.errors import OutputError


def check_writable(path: Path, *, force: bool) -> None:
    """Refuse early an output that exists (without force) or whose folder is missing."""
    if path.exists() and not force:
        raise OutputError(
            f"le fichier {path} existe déjà", path=str(path), remedies={"force": "le remplacer"}
        )
    if not path.parent.is_dir():
        raise OutputError(f"le dossier {path.parent} n’existe pas", path=str(path))


def write_atomic(path: Path, data: bytes, *, force: bool = False, sync: bool = True) -> None:
    """Write bytes to a temporary file beside the target, then rename it into place.

    ``sync=False`` skips the fsync (a batch syncs once at its end): a killed process still
    leaves only whole files, only a power cut before the final sync could lose the last ones.
    """
    check_writable(path, force=force)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); an output gets the usual mode, as open() would.
        os.fchmod(descriptor, 0o666 & ~_umask())
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        if force:
            os.replace(temporary, path)
        else:
            _link_without_overwrite(temporary, path)
    except OSError as exc:
        raise OutputError(f"impossible d’écrire {path} : {exc.strerror}", path=str(path)) from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _umask() -> int:
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
