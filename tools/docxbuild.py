"""Build conventum's .docx templates from a compact text description (python-docx).

The .docx files in templates/ are the product: a person can open and edit them in
Word or LibreOffice. These scripts only make them reproducible. Each line of a
description starts with a marker:

    T: title line, centred, bold, upper case as written
    C: centred bold line (PREAMBULE, DECIDE :), kept with the next paragraph
    A: centred section heading (an annex's title), a Heading 2
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

from conventum.french.typography import accent_capitals, lower_after_semicolon, ordinal_abbreviation

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
    french_language(document)
    heading_styles(document, font)
    page_footer(document)
    return document


LANGUAGE = "fr-FR"


def french_language(document: DocumentType) -> None:
    """French everywhere: the default run language (the PDF's /Lang, spelling, screen readers)."""
    for lang in document.styles.element.iter(qn("w:lang")):
        for attribute in ("w:val", "w:eastAsia"):
            lang.set(qn(attribute), LANGUAGE)
    settings = document.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is None:
        theme = OxmlElement("w:themeFontLang")
        settings.append(theme)
    theme.set(qn("w:val"), LANGUAGE)


# Title (T) and article (H) headings: Word's "Heading 1" and "Heading 2" styles, which LibreOffice
# exports as H1 and H2 in a tagged PDF, drawn in the house font, black, as the seeds' bold lines.
HEADINGS = {"Heading 1": Pt(13), "Heading 2": SIZE, "Heading 3": SIZE}


def heading_styles(document: DocumentType, font: str) -> None:
    """The heading styles in the document's font, black, bold, kept with what follows."""
    for name, size in HEADINGS.items():
        style = document.styles[name]
        rpr = style.element.get_or_add_rPr()
        for child in list(rpr):
            if child.tag in (qn("w:rFonts"), qn("w:color"), qn("w:sz"), qn("w:szCs"), qn("w:i")):
                rpr.remove(child)
        style.font.name = font
        fonts = rpr.find(qn("w:rFonts"))
        assert fonts is not None
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), font)
        style.font.size = size
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)


FOOTER_SIZE = Pt(8)


def page_footer(document: DocumentType) -> None:
    """ "Page X sur Y" centred in the footer of every page, from fields the PDF export fills."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in ("Page ", "PAGE", " sur ", "NUMPAGES"):
        if piece.isupper():
            _field(paragraph, piece)
        else:
            paragraph.add_run(piece).font.size = FOOTER_SIZE


def _field(paragraph, instruction: str) -> None:  # type: ignore[no-untyped-def]
    """A complex field (PAGE, NUMPAGES) with a placeholder result that LibreOffice recomputes."""

    def run_with(element) -> None:  # type: ignore[no-untyped-def]
        run = paragraph.add_run()
        run.font.size = FOOTER_SIZE
        run._r.append(element)

    for kind in ("begin", "code", "separate", "result", "end"):
        if kind == "code":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        elif kind == "result":
            element = OxmlElement("w:t")
            element.text = "1"
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run_with(element)


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
        if marker == previous == "T" and not text.startswith("{%"):
            # A title over several lines is one heading (one H1, one bookmark), its lines broken.
            run = document.paragraphs[-1].add_run(french_typography(text))
            run.bold = True
            run._r.addprevious(_line_break())
            continue
        ADDERS[marker](document, text)
        previous = marker if not text.startswith("{%") else previous


def _line_break():  # type: ignore[no-untyped-def]
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:br"))
    return run


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
    « » for straight quotes; accented capitals; "6e", "1re"; no capital opening a clause after ";".
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
    text = lower_after_semicolon(accent_capitals(ordinal_abbreviation(text.replace("'", "’"))))
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
    paragraph.style = document.styles["Heading 1"]
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)


def _centre(document: DocumentType, text: str) -> None:
    """A centred bold line (PREAMBULE, DECIDE :): kept with the paragraph that follows it."""
    paragraph = _para(document, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(12)
    paragraph.paragraph_format.keep_with_next = True


def _centred_heading(document: DocumentType, text: str) -> None:
    """A centred section heading (an annex's title): a "Heading 2", as an article's."""
    paragraph = _para(document, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.style = document.styles["Heading 2"]


def _heading(document: DocumentType, text: str) -> None:
    paragraph = _para(document, text, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    paragraph.style = document.styles["Heading 2"]


def _sub_heading(document: DocumentType, text: str) -> None:
    paragraph = _para(document, text, bold=True)
    paragraph.style = document.styles["Heading 3"]
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
    "A": _centred_heading,
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


ANCHOR = "#signature{}#"


def anchor_text(number: int | str | None = None) -> str:
    """The parapheur's tag of a signature block: "#signature#", or "#signature1#"… where several sign
    (i-Parapheur 5's numbered position tags); ``number`` may be a Jinja expression."""
    return ANCHOR.format("" if number is None else number)


def add_anchor(cell_or_document, text: str = anchor_text()) -> None:  # type: ignore[no-untyped-def]
    """The e-signature tag of the originals, in white: invisible on paper, findable in the PDF.

    conventum's PDF finishing marks it as an artifact (out of the reading order of screen
    readers); i-Parapheur still finds it, as it reads every text drawn on the page."""
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

    ``header`` is the number of bold heading rows (True: one), repeated on each page and
    tagged as header cells; ``size`` sets the font
    size of its text; ``keep_rows`` keeps each row on one page and the table with what
    follows, and fixes the column grid to ``widths``.
    """
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if borders:
        table.style = document.styles["Table Grid"]
    for index, row in enumerate(rows):
        added = table.add_row()
        if index < int(header):
            # Heading rows repeat on each page and are the table's header cells (TH) in the PDF.
            added._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        cells = added.cells
        for column, text in enumerate(row):
            paragraph = cells[column].paragraphs[0]
            no_hyphens(paragraph)
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
        properties.insert_element_before(
            OxmlElement("w:cantSplit"), "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden"
        )


def keep_closing_with_next(document: DocumentType, *, text_paragraphs: int = 2) -> None:
    """The closing section stays with what follows (the first row of signatures), and with the last
    paragraph of the text before it: the signature page never stands without a line of the text.

    From the end back, every paragraph is kept with the next until ``text_paragraphs`` paragraphs
    with words (the closing line "Fait à …", then the text's last one) have been kept.
    """
    left = text_paragraphs
    for paragraph in reversed(document.paragraphs):
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.keep_together = True
        if paragraph.text.strip() and not paragraph.text.startswith("{%"):
            left -= 1
            if left == 0:
                break


def signature_table(document: DocumentType, blocks: Sequence[Sequence[str]], *, columns: int = 2) -> None:
    """Signature blocks side by side, each a list of lines, each ending with its tag.

    Each row of blocks is one table row that never splits across pages: a block's "Pour …",
    title, room to sign and name stay together. The blocks of a row stand at the foot of their
    cells, so that the qualités and names of a row align even when one block's title wraps.
    The tags are numbered (#signature1#…) when several sign.
    """
    keep_closing_with_next(document)
    table = document.add_table(rows=0, cols=columns)
    layout_table(table)
    for start in range(0, len(blocks), columns):
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for offset, (cell, block) in enumerate(zip(row.cells, blocks[start : start + columns], strict=False)):
            number = start + offset + 1 if len(blocks) > 1 else None
            fill_signature_cell(cell, block, anchor_text(number))


def fill_signature_cell(cell, block: Sequence[str], anchor: str | None) -> None:  # type: ignore[no-untyped-def]
    """A block's lines up to its first empty one (date, "Pour …", title), one room to sign, the
    rest (the name), then the tag, centred at the foot of the cell."""
    cut = list(block).index("") if "" in block else len(block)
    lines = [*block[:cut], "", *(line for line in block[cut:] if line)]
    cell.paragraphs[0].add_run(lines[0])
    for line in lines[1:]:
        cell.add_paragraph(line)
    if anchor is not None:
        add_anchor(cell, anchor)
    style_signature_cell(cell)


def layout_table(table) -> None:  # type: ignore[no-untyped-def]
    """A borderless table that only places blocks side by side (PDF finishing tags it as such)."""
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    properties = table._tbl.tblPr
    caption = OxmlElement("w:tblDescription")
    caption.set(qn("w:val"), LAYOUT_TABLE)
    properties.append(caption)


# The description of a layout table: what PDF finishing reads to untag it as a data table.
LAYOUT_TABLE = "mise en page"


# Room to sign between the title and the name: at least 3 cm, as a legal department asks.
SIGNING_ROOM = Cm(2.6)


def style_signature_cell(cell) -> None:  # type: ignore[no-untyped-def]
    """Centre a signature block at the foot of its cell, keep it in one piece, leave room to sign."""
    properties = cell._tc.get_or_add_tcPr()
    align = OxmlElement("w:vAlign")
    align.set(qn("w:val"), "bottom")
    properties.append(align)
    room_left = True
    for paragraph in cell.paragraphs:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.keep_together = True
        no_hyphens(paragraph)
        if room_left and not paragraph.text.strip():
            paragraph.paragraph_format.space_after = SIGNING_ROOM
            room_left = False


def no_hyphens(paragraph) -> None:  # type: ignore[no-untyped-def]
    """No automatic hyphenation in this paragraph (table cells: a word is never cut)."""
    properties = paragraph._p.get_or_add_pPr()
    if properties.find(qn("w:suppressAutoHyphens")) is None:
        properties.insert_element_before(OxmlElement("w:suppressAutoHyphens"), *AFTER_HYPHENS)


# The paragraph properties that come after w:suppressAutoHyphens in WordprocessingML's order.
AFTER_HYPHENS = (
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def save(document: DocumentType, path: Path) -> None:
    """Write the template, with fixed core properties so rebuilds are stable."""
    document.core_properties.author = "conventum"
    document.core_properties.title = path.stem
    document.save(str(path))
