"""A convention's PDF: DOCX converted, then finished (signature fields, annexes, metadata).

Annex files are checked before, by the validator's ``annexes.fichiers`` rule."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol

from conventum.deadline import checkpoint
from conventum.model.blocks import Convention
from conventum.model.catalogue import ConventionType
from conventum.pdf.annexes import load_annexes
from conventum.pdf.converter import Converter
from conventum.pdf.finishing import finish_for, finish_pdf
from conventum.pdf.inspection import AnnexFiles
from conventum.pdf.levels import PdfA
from conventum.pdf.readback import check_key_facts, key_facts


class Filled(Protocol):
    """What a PDF is made from: a convention filled into its type's template (``conventum.draft``)."""

    @property
    def ctype(self) -> ConventionType: ...
    @property
    def convention(self) -> Convention: ...
    @property
    def context(self) -> Mapping[str, Any]: ...
    @property
    def docx(self) -> bytes: ...
    @property
    def files(self) -> AnnexFiles: ...


@contextmanager
def converter_or_new(converter: Converter | None) -> Iterator[Converter]:
    """The caller's converter, or a one-worker converter for this document only."""
    if converter is not None:
        yield converter
        return
    with Converter(workers=1) as own:
        yield own


def convention_pdf(draft: Filled, *, pdfa: PdfA = False, converter: Converter | None = None) -> bytes:
    """Convert the draft's DOCX (checked: its key facts are in the PDF) and its DOCX annexes,
    then finish the PDF; the annex files are the bytes validation read."""
    checkpoint("la conversion en PDF")
    with converter_or_new(converter) as active:
        pdf = active.convert(draft.docx, pdfa=pdfa)
        checkpoint("la relecture du PDF")
        names = [party.get("nom_lu", party["nom"]) for party in draft.context.get("parties") or []]
        check_key_facts(pdf, key_facts(draft.docx, names))
        convert = lambda content: active.convert(content, pdfa=pdfa)  # noqa: E731
        annexes = load_annexes(draft.convention.annexes, draft.files, convert)
    checkpoint("la finition du PDF")
    return finish_pdf(pdf, finish_for(draft.ctype, draft.context, annexes))
