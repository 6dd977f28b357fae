"""Annex files (PDF or DOCX) supplied with the data, loaded as PDFs to append to the convention's."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from conventum.model.blocks import Annexe
from conventum.pdf.finishing import AnnexPdf
from conventum.pdf.inspection import annex_path


def load_annexes(annexes: Sequence[Annexe], base: Path, convert: Callable[[bytes], bytes]) -> list[AnnexPdf]:
    """The file annexes as PDFs in their numbered order, DOCX ones converted with ``convert``."""
    loaded = []
    for annex in sorted(annexes, key=lambda item: item.numero):
        path = annex_path(annex, base)
        if path is None:
            continue
        content = path.read_bytes()
        pdf = content if path.suffix.lower() == ".pdf" else convert(content)
        loaded.append(AnnexPdf(annex.numero, annex.titre, pdf))
    return loaded
