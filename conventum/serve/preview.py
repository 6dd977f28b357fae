"""A document's pages as small PNG images for the form's preview (poppler's pdftoppm, as the tests
look at PDFs), base64 for an ``img`` in the page."""

from __future__ import annotations

import base64
import subprocess
import tempfile
from pathlib import Path

MAX_PAGES = 12
RESOLUTION = 50  # dots per inch: a page about 400 pixels wide


def preview_pages(pdf: bytes, *, pages: int = MAX_PAGES) -> list[str]:
    """The first pages of a PDF as base64 PNG images (none when pdftoppm is absent or fails)."""
    with tempfile.TemporaryDirectory(prefix="conventum-apercu-") as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(pdf)
        command = ["pdftoppm", "-r", str(RESOLUTION), "-l", str(pages), "-png", str(source), f"{folder}/page"]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return []
        images = sorted(Path(folder).glob("page-*.png"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))
        return [base64.b64encode(image.read_bytes()).decode("ascii") for image in images]
