"""The LibreOffice adapter: DOCX to PDF through soffice headless."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from conventum.errors import ConversionError

INSTALL_HINT = (
    "LibreOffice est introuvable : installez-le (Debian/Ubuntu : "
    "« sudo apt-get install libreoffice-writer-nogui fonts-liberation2 fonts-crosextra-carlito "
    "fonts-crosextra-caladea ») ou lancez « ./setup.sh »."
)


def find_soffice() -> str:
    """The soffice executable, from $CONVENTUM_SOFFICE or the PATH."""
    candidate = os.environ.get("CONVENTUM_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if not candidate:
        raise ConversionError(INSTALL_HINT)
    return candidate


def docx_to_pdf(docx: bytes, *, timeout: float = 120.0) -> bytes:
    """Convert a .docx to PDF bytes with one headless LibreOffice run."""
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="conventum-") as work:
        folder = Path(work)
        source = folder / "document.docx"
        source.write_bytes(docx)
        command = [
            soffice,
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(f"LibreOffice n’a pas terminé la conversion en {timeout:.0f} s") from exc
        target = folder / "document.pdf"
        # soffice can exit 0 without writing the PDF (locked profile, unreadable input): check the file.
        if not target.is_file() or target.stat().st_size == 0:
            raise ConversionError("LibreOffice n’a produit aucun PDF (document illisible ?)")
        return target.read_bytes()
