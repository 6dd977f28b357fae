"""Build conventum's .docx templates from a compact text description (python-docx).

The .docx files in templates/ are the product: a person can open and edit them in
Word or LibreOffice. These scripts only make them reproducible. Each line of a
description starts with a marker:

    T: title line, centred, bold, upper case as written
    C: centred bold line (PREAMBULE)
    H: article heading, bold
    S: sub-article heading, bold, indented
    P: justified paragraph
    R: paragraph aligned right
    B: bullet "- …" with a hanging indent
    L: list item with a hanging indent, its bullet written in the text ("{{ puce }}\t…")
    D: bullet "• …" with a hanging indent (the round bullet of some originals)
    Q: line aligned left, without space after (addresses, lists of annexes)
    E: empty paragraph
    K: page break
    #: comment, ignored
Jinja tags ({{ … }}, {%p … %}) go inside the text as docxtpl expects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table

from conventum.french.typography import accent_capitals, ordinal_abbreviation

FONT = "Arial"
SIZE = Pt(10)


def new_document(*, font: str = FONT, size: Pt = SIZE, landscape: bool = False) -> DocumentType:
    """An A4 document with the house font, margins and paragraph spacing."""
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_height, section.page_width = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(2.0)
    style = document.styles["Normal"]
    style.font.name = font
    style.font.size = size
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), font)
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.space_before = Pt(0)
    return document


LIST_MARKERS = frozenset("BLD")
# The space after a list's last item, so that a list never runs into the next paragraph.
AFTER_LIST = Pt(6)


def add_lines(document: DocumentType, lines: Iterable[str]) -> None:
    """Append the described paragraphs to the document."""
    previous = ""
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        marker, _, text = line.partition(":")
        marker = marker.strip()
        text = text[1:] if text.startswith(" ") else text
        if previous in LIST_MARKERS and marker not in LIST_MARKERS and document.paragraphs:
            document.paragraphs[-1].paragraph_format.space_after = AFTER_LIST
        ADDERS[marker](document, text)
        previous = marker if not text.startswith("{%") else previous


NBSP = "\u00a0"
# French typography of the fixed text: no-break space before ; : ? ! and inside « ».
TYPOGRAPHY = (
    (" ;", NBSP + ";"),
    (" :", NBSP + ":"),
    (" ?", NBSP + "?"),
    (" !", NBSP + "!"),
    ("« ", "«" + NBSP),
    (" »", NBSP + "»"),
)


MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
DAY_MONTH = re.compile(rf"\b(\d{{1,2}}|1er) (?=(?:{MONTHS})\b)")


JINJA_TAG = re.compile(r"\{[{%#].*?[}%#]\}")


def french_typography(text: str) -> str:
    """The fixed text as French typography wants it (conventum.french.typography), Jinja tags untouched.

    No-break spaces before ; : ? ! and inside « », between a day and its month; one apostrophe (’);
    « » for straight quotes; accented capitals; "6e", "1re".
    """
    pieces = []
    last = 0
    for match in JINJA_TAG.finditer(text):
        pieces.append(_fixed_text(text[last : match.start()]))
        pieces.append(match.group())
        last = match.end()
    pieces.append(_fixed_text(text[last:]))
    return "".join(pieces)


def _fixed_text(text: str) -> str:
    text = accent_capitals(ordinal_abbreviation(text.replace("'", "’")))
    text = re.sub(r'"([^"]*)"', lambda match: f"« {match.group(1).strip()} »", text)
    for plain, fixed in TYPOGRAPHY:
        text = text.replace(plain, fixed)
    return DAY_MONTH.sub(lambda match: match.group(1) + NBSP, text)


def _para(document: DocumentType, text: str, *, bold: bool = False, align: int | None = None):  # type: ignore[no-untyped-def]
    paragraph = document.add_paragraph()
    run = paragraph.add_run(french_typography(text))
    run.bold = bold
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _title(document: DocumentType, text: str) -> None:
    paragraph = _para(document, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.runs[0].font.size = Pt(13)
    paragraph.paragraph_format.space_after = Pt(0)


def _centre(document: DocumentType, text: str) -> None:
    paragraph = _para(document, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(12)


def _heading(document: DocumentType, text: str) -> None:
    paragraph = _para(document, text, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.keep_with_next = True


def _sub_heading(document: DocumentType, text: str) -> None:
    paragraph = _para(document, text, bold=True)
    paragraph.paragraph_format.left_indent = Cm(0.6)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True


def _paragraph(document: DocumentType, text: str) -> None:
    _para(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)


def _right(document: DocumentType, text: str) -> None:
    _para(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT)


def _bullet(document: DocumentType, text: str) -> None:
    if text.startswith("{%"):
        _para(document, text)
        return
    paragraph = _para(document, "-\t" + text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph.paragraph_format.left_indent = Cm(1.2)
    paragraph.paragraph_format.first_line_indent = Cm(-0.6)
    paragraph.paragraph_format.space_after = Pt(2)
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(1.2))


def _dot_bullet(document: DocumentType, text: str) -> None:
    paragraph = _para(document, "•\t" + text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph.paragraph_format.left_indent = Cm(1.2)
    paragraph.paragraph_format.first_line_indent = Cm(-0.6)
    paragraph.paragraph_format.space_after = Pt(2)
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(1.2))


def _line(document: DocumentType, text: str) -> None:
    paragraph = _para(document, text, align=WD_ALIGN_PARAGRAPH.LEFT)
    paragraph.paragraph_format.space_after = Pt(0)


def _list_item(document: DocumentType, text: str) -> None:
    paragraph = _para(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph.paragraph_format.left_indent = Cm(1.2)
    paragraph.paragraph_format.first_line_indent = Cm(-0.6)
    paragraph.paragraph_format.space_after = Pt(2)
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(1.2))


def _empty(document: DocumentType, text: str) -> None:
    document.add_paragraph()


def _page_break(document: DocumentType, text: str) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


ADDERS = {
    "T": _title,
    "C": _centre,
    "H": _heading,
    "S": _sub_heading,
    "P": _paragraph,
    "R": _right,
    "B": _bullet,
    "L": _list_item,
    "D": _dot_bullet,
    "Q": _line,
    "E": _empty,
    "K": _page_break,
}


def add_anchor(cell_or_document, text: str = "#signature#") -> None:  # type: ignore[no-untyped-def]
    """The e-signature anchor of the originals, in white: invisible on paper, findable in the PDF."""
    paragraph = cell_or_document.add_paragraph()
    run = paragraph.add_run(text)
    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    run.font.size = Pt(8)


def add_table(
    document: DocumentType,
    rows: Sequence[Sequence[str]],
    *,
    widths: Sequence[float] | None = None,
    header: bool | int = True,
    borders: bool = True,
    align_right: Sequence[int] = (),
    size: Pt | None = None,
    keep_rows: bool = False,
) -> Table:
    """A table (returned); a row whose first cell starts with "{%tr" is a docxtpl row tag.

    ``header`` is the number of bold heading rows (True: one); ``size`` sets the font
    size of its text; ``keep_rows`` keeps each row on one page and the table with what
    follows, and fixes the column grid to ``widths``.
    """
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if borders:
        table.style = document.styles["Table Grid"]
    for index, row in enumerate(rows):
        cells = table.add_row().cells
        for column, text in enumerate(row):
            paragraph = cells[column].paragraphs[0]
            run = paragraph.add_run(french_typography(text))
            run.bold = index < int(header)
            if size is not None:
                run.font.size = size
            if column in align_right and not text.startswith("{%"):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if widths:
                cells[column].width = Cm(widths[column])
            if keep_rows:
                paragraph.paragraph_format.keep_with_next = True
                paragraph.paragraph_format.space_after = Pt(0)
    if keep_rows:
        _fixed_grid(table, widths)
    return table


def bold_row(table: Table, index: int) -> None:
    """Write a row of a table in bold (a total row, e.g. index -1)."""
    for cell in table.rows[index].cells:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.bold = True


def _fixed_grid(table, widths: Sequence[float] | None) -> None:  # type: ignore[no-untyped-def]
    """LibreOffice lays a table out from its grid, not its cells: write the widths there too."""
    table.autofit = False
    if widths:
        for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
            column.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))


def keep_closing_with_next(document: DocumentType) -> None:
    """The closing line ("Fait à …, le …") and the empty lines after it stay with what follows."""
    for paragraph in reversed(document.paragraphs):
        paragraph.paragraph_format.keep_with_next = True
        if paragraph.text.strip():
            break


def signature_table(document: DocumentType, blocks: Sequence[Sequence[str]], *, columns: int = 2) -> None:
    """Signature blocks side by side, each a list of lines, each ending with the anchor.

    A block's lines up to its first empty one (date, "Pour …", the title) go in one
    table row, the rest (room to sign, the name, the anchor) in the row below: the names
    of a row stand at the same height even when a title runs over two lines. The closing
    line before the table stays on the signatures' page, no row splits across pages, and
    the titles stay with the names.
    """
    keep_closing_with_next(document)
    table = document.add_table(rows=0, cols=columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for start in range(0, len(blocks), columns):
        pair = blocks[start : start + columns]
        heads, feet = table.add_row(), table.add_row()
        for row in (heads, feet):
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for head, foot, block in zip(heads.cells, feet.cells, pair, strict=False):
            cut = block.index("") if "" in block else len(block)
            _write_lines(head, block[:cut])
            # One room to sign, whatever the block's description: the names of a row align.
            _write_lines(foot, ["", *(line for line in block[cut:] if line)])
            add_anchor(foot)
            style_signature_cell(head)
            style_signature_cell(foot)


def _write_lines(cell, lines: Sequence[str]) -> None:  # type: ignore[no-untyped-def]
    cell.paragraphs[0].add_run(lines[0])
    for line in lines[1:]:
        cell.add_paragraph(line)


# Room to sign between the title and the name: at least 3 cm, as a legal department asks.
SIGNING_ROOM = Cm(2.6)


def style_signature_cell(cell) -> None:  # type: ignore[no-untyped-def]
    """Centre a signature block, keep it in one piece, and leave room to sign after the title."""
    room_left = True
    for paragraph in cell.paragraphs:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        if room_left and not paragraph.text.strip():
            paragraph.paragraph_format.space_after = SIGNING_ROOM
            room_left = False


def save(document: DocumentType, path: Path) -> None:
    """Write the template, with fixed core properties so rebuilds are stable."""
    document.core_properties.author = "conventum"
    document.core_properties.title = path.stem
    document.save(str(path))
