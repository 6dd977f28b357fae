"""A convention's PDF: DOCX converted, then finished (signature fields, annexes, metadata).

Annex files are checked before, by the validator's ``annexes.fichiers`` rule."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from conventum.model.blocks import Convention
from conventum.model.catalogue import ConventionType
from conventum.pdf.annexes import load_annexes
from conventum.pdf.converter import Converter
from conventum.pdf.finishing import finish_for, finish_pdf
from conventum.pdf.levels import PdfA
from conventum.pdf.readback import check_key_facts, key_facts


@contextmanager
def converter_or_new(converter: Converter | None) -> Iterator[Converter]:
    """The caller's converter, or a one-worker converter for this document only."""
    if converter is not None:
        yield converter
        return
    with Converter(workers=1) as own:
        yield own


def convention_pdf(
    ctype: ConventionType,
    convention: Convention,
    context: Mapping[str, Any],
    docx: bytes,
    *,
    base: Path,
    pdfa: PdfA = False,
    converter: Converter | None = None,
) -> bytes:
    """Convert the filled DOCX (checked: its key facts are in the PDF) and its DOCX annexes,
    then finish the PDF."""
    with converter_or_new(converter) as active:
        pdf = active.convert(docx, pdfa=pdfa)
        names = [party.get("nom_lu", party["nom"]) for party in context.get("parties") or []]
        check_key_facts(pdf, key_facts(docx, names))
        annexes = load_annexes(convention.annexes, base, lambda content: active.convert(content, pdfa=pdfa))
    return finish_pdf(pdf, finish_for(ctype, context, annexes))
