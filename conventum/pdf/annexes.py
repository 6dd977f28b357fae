"""Annex files (PDF or DOCX) supplied with the data, loaded as PDFs to append to the convention's."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from conventum.issues import Issue
from conventum.model.blocks import Annexe
from conventum.pdf.finishing import AnnexPdf
from conventum.pdf.inspection import AnnexFiles, outside_annexes_dir
from conventum.pdf.pdfa import declared_part


def non_pdfa_annexes(annexes: Sequence[Annexe], files: AnnexFiles) -> list[Issue]:
    """A warning for each PDF annex that does not declare PDF/A: appended as given, it leaves the
    assembled document short of PDF/A (DOCX annexes are converted to the level asked)."""
    found = []
    for index, annex in enumerate(annexes):
        path = files.path(annex)
        if path is None or path.suffix.lower() != ".pdf" or not path.is_file():
            continue
        if declared_part(files.read(path)) is None:
            params = {"fichier": str(annex.fichier), "numero": annex.numero}
            found.append(Issue("annexes.pdfa_non_conforme", f"annexes[{index}].fichier", params, "warning"))
    return found


def load_annexes(
    annexes: Sequence[Annexe], files: AnnexFiles, convert: Callable[[bytes], bytes]
) -> list[AnnexPdf]:
    """The file annexes as PDFs in their numbered order, DOCX ones converted with ``convert``."""
    loaded = []
    for annex in sorted(annexes, key=lambda item: item.numero):
        path = files.path(annex)
        if path is None:
            continue
        if outside_annexes_dir(path):  # validation refused it already: never read it anyway
            raise ValueError(f"annexe hors du dossier des annexes : {path}")
        content = files.read(path)
        pdf = content if path.suffix.lower() == ".pdf" else convert(content)
        loaded.append(AnnexPdf(annex.numero, annex.titre, pdf))
    return loaded
