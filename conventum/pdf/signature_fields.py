"""Empty signature fields (pypdf), one per signatory, where the template left a "#signature#" anchor."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from pypdf import PageObject, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

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


def find_anchors(pages: Sequence[PageObject], wanted: int | None = None) -> list[Anchor]:
    """The anchors in their numbers' order (#signature1#, #signature2#…), else top to bottom and
    left to right on each page.

    Pages are read from the last one back (signature blocks end a convention), and reading stops
    once ``wanted`` anchors are found: text extraction is the slow part of finishing.
    """
    found: list[Anchor] = []
    for index in reversed(range(len(pages))):
        if wanted is not None and len(found) >= wanted:
            break
        found.extend(_page_anchors(pages[index], index))
    return sorted(found, key=lambda anchor: (anchor.number, anchor.page, -round(anchor.y), anchor.x))


def _page_anchors(page: PageObject, index: int) -> list[Anchor]:
    found: list[Anchor] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        match = ANCHOR.search(text)
        if match:
            scale = size * tm[0] * cm[0] or size
            left = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            bottom = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            # Helvetica-like glyphs average about 0.56 em: centre of the anchor's width.
            width = 0.28 * scale * len(match.group(0))
            found.append(Anchor(index, left + width, bottom, int(match.group(1) or 0)))

    page.extract_text(visitor_text=visit)
    return found


def add_signature_fields(writer: PdfWriter, signatories: Sequence[Signatory]) -> list[Anchor]:
    """One empty signature field per signatory at its anchor; none when anchors and signatories differ."""
    if not signatories:
        return []
    anchors = find_anchors(writer.pages, len(signatories))
    if len(anchors) != len(signatories):
        if anchors or signatories:
            logger.warning(
                "%d ancre(s) de signature pour %d signataire(s) : aucun champ de signature ajouté",
                len(anchors),
                len(signatories),
            )
        return []
    fields = _acroform(writer)
    for anchor, signatory in zip(anchors, signatories, strict=True):
        fields.append(_add_field(writer, anchor, signatory))
    pages = {anchor.page for anchor in anchors}
    texts = {index: writer.pages[index].extract_text() for index in pages}
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
    for anchor, signatory in zip(anchors, signatories, strict=True):
        shown = _letters(signatory.shown)
        if shown and shown not in _letters(texts.get(anchor.page, "")):
            problems.append(
                f"mise en page : la règle « un bloc de signature ne se coupe pas » n’a pas pu être "
                f"tenue pour {signatory.name} (son nom n’est pas sur la page {anchor.page + 1} "
                "de sa signature)"
            )
    return problems


def _letters(text: str) -> str:
    return "".join(character for character in text if character.isalnum()).casefold()


def _acroform(writer: PdfWriter) -> ArrayObject:
    root = writer.root_object
    if "/AcroForm" not in root:
        root[NameObject("/AcroForm")] = writer._add_object(
            DictionaryObject({NameObject("/Fields"): ArrayObject()})
        )
    form = cast(DictionaryObject, root["/AcroForm"].get_object())
    if "/Fields" not in form:
        form[NameObject("/Fields")] = ArrayObject()
    return cast(ArrayObject, form["/Fields"].get_object())


def _add_field(writer: PdfWriter, anchor: Anchor, signatory: Signatory) -> Any:
    """A /Sig field merged with its widget, under the anchor, with an empty appearance (PDF/A)."""
    page = writer.pages[anchor.page]
    width = float(page.mediabox.width)
    left = min(max(anchor.x - FIELD_WIDTH / 2, 0.0), width - FIELD_WIDTH)
    top = anchor.y + 10.0
    rect = [left, max(top - FIELD_HEIGHT, 0.0), left + FIELD_WIDTH, top]
    appearance = StreamObject()
    appearance.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [FloatObject(0), FloatObject(0), FloatObject(FIELD_WIDTH), FloatObject(rect[3] - rect[1])]
            ),
        }
    )
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Sig"),
            NameObject("/T"): TextStringObject(signatory.name),
            NameObject("/TU"): TextStringObject(signatory.tooltip),
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): ArrayObject([FloatObject(value) for value in rect]),
            NameObject("/F"): NumberObject(PRINT_FLAG),
            NameObject("/P"): page.indirect_reference,
            NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(appearance)}),
        }
    )
    reference = writer._add_object(field)
    if "/Annots" not in page:
        page[NameObject("/Annots")] = ArrayObject()
    cast(ArrayObject, page["/Annots"].get_object()).append(reference)
    return reference
