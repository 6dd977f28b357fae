"""Empty signature fields (pikepdf), one per signatory, where the template left a "#signature#" anchor."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from pikepdf import Array, Dictionary, Name, Object, Pdf, String

from conventum.pdf.pdftext import PdfText

ANCHOR = re.compile(r"#signature(\d*)#")
FIELD_WIDTH = 170.0
FIELD_HEIGHT = 70.0
PRINT_FLAG = 4
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Anchor:
    """Where a "#signature#" anchor was drawn: page index, its baseline centre in points, and its
    number ("#signature2#": 2; 0 when not numbered)."""

    page: int
    x: float
    y: float
    number: int = 0


@dataclass(frozen=True)
class Signatory:
    """Who signs in a block: the field's name (the party), its tooltip (the signer), and the
    signer's name as the block shows it (to check the block stands whole on its tag's page)."""

    name: str
    tooltip: str
    shown: str = ""


def find_anchors(text: PdfText, wanted: int | None = None) -> list[Anchor]:
    """The anchors in their numbers' order (#signature1#, #signature2#…), else top to bottom and
    left to right on each page.

    Pages are read from the last one back (signature blocks end a convention), and reading stops
    once ``wanted`` anchors are found.
    """
    found: list[Anchor] = []
    for index in reversed(range(text.pages)):
        if wanted is not None and len(found) >= wanted:
            break
        found.extend(
            Anchor(index, x, y, int(match.group(1) or 0))
            for match, x, y in text.find(index, "#signature", ANCHOR)
        )
    return sorted(found, key=lambda anchor: (anchor.number, anchor.page, -round(anchor.y), anchor.x))


def add_signature_fields(document: Pdf, signatories: Sequence[Signatory], pdf: bytes) -> list[Anchor]:
    """One empty signature field per signatory at its anchor; none when anchors and signatories
    differ. ``pdf``: the bytes the document was opened from (its text is read there, by PDFium)."""
    if not signatories:
        return []
    with PdfText(pdf, what="le PDF de la convention") as text:
        anchors = find_anchors(text, len(signatories))
        texts = {index: text.text(index) for index in {anchor.page for anchor in anchors}}
    if len(anchors) != len(signatories):
        if anchors or signatories:
            logger.warning(
                "%d ancre(s) de signature pour %d signataire(s) : aucun champ de signature ajouté",
                len(anchors),
                len(signatories),
            )
        return []
    fields = _acroform(document)
    for anchor, signatory in zip(anchors, signatories, strict=True):
        fields.append(_add_field(document, anchor, signatory))
    for problem in split_blocks(texts, anchors, signatories):
        logger.warning("%s", problem)
    return anchors


def split_blocks(
    texts: dict[int, str], anchors: Sequence[Anchor], signatories: Sequence[Signatory]
) -> list[str]:
    """The layout rule "a signature block never splits" checked on the PDF: each signer's name is on
    the page of its tag. A French sentence per block that broke it (never seen: a block's row
    cannot split; a block taller than a page would)."""
    problems = []
    pages = {index: _letters(text) for index, text in texts.items()}  # each page once, not per block
    for anchor, signatory in zip(anchors, signatories, strict=True):
        shown = _letters(signatory.shown)
        if shown and shown not in pages.get(anchor.page, ""):
            problems.append(
                f"mise en page : la règle « un bloc de signature ne se coupe pas » n’a pas pu être "
                f"tenue pour {signatory.name} (son nom n’est pas sur la page {anchor.page + 1} "
                "de sa signature)"
            )
    return problems


def _letters(text: str) -> str:
    return "".join(character for character in text if character.isalnum()).casefold()


def _acroform(document: Pdf) -> Array:
    root = document.Root
    if "/AcroForm" not in root:
        root.AcroForm = document.make_indirect(Dictionary(Fields=Array()))
    form = root.AcroForm
    if "/Fields" not in form:
        form.Fields = Array()
    return cast(Array, form.Fields)


def _add_field(document: Pdf, anchor: Anchor, signatory: Signatory) -> Object:
    """A /Sig field merged with its widget, under the anchor, with an empty appearance (PDF/A)."""
    page = document.pages[anchor.page]
    box = [float(value) for value in page.mediabox]
    width = box[2] - box[0]
    left = min(max(anchor.x - FIELD_WIDTH / 2, 0.0), width - FIELD_WIDTH)
    top = anchor.y + 10.0
    rect = [left, max(top - FIELD_HEIGHT, 0.0), left + FIELD_WIDTH, top]
    appearance = document.make_stream(
        b"", Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, FIELD_WIDTH, rect[3] - rect[1]])
    )
    field = document.make_indirect(
        Dictionary(
            FT=Name.Sig,
            T=String(signatory.name),
            TU=String(signatory.tooltip),
            Type=Name.Annot,
            Subtype=Name.Widget,
            Rect=Array(rect),
            F=PRINT_FLAG,
            P=page.obj,
            AP=Dictionary(N=appearance),
        )
    )
    if "/Annots" not in page.obj:
        page.obj.Annots = Array()
    page.obj.Annots.append(field)
    return field
