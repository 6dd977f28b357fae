"""Changing the body of a rendered DOCX: the avenant's quoted articles spliced in, the consolidated
version's line under the title. The other parts of the package are copied as they are."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence

from lxml import etree

from conventum.avenants.articles import NS, W, text_of

MARKER = re.compile(r"^\[\[texte-(\d+)\]\]$")
QUOTE_INDENT = 567  # twentieths of a point: a quoted article stands 1 cm in from the avenant's text


def with_body(docx: bytes, change: Callable[[etree._Element], None]) -> bytes:
    """The package with its ``word/document.xml`` changed by ``change`` (given the w:body)."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    root = etree.fromstring(source.read("word/document.xml"))
    body = root.find("w:body", NS)
    assert body is not None
    change(body)
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, data, compress_type=info.compress_type)
    return out.getvalue()


def splice(docx: bytes, quoted: Mapping[int, Sequence[etree._Element]]) -> bytes:
    """Replace each ``[[texte-N]]`` paragraph by copies of the elements quoted for article N."""

    def change(body: etree._Element) -> None:
        for paragraph in list(body.iter(f"{{{W}}}p")):
            match = MARKER.match(text_of(paragraph).strip())
            if match is None:
                continue
            for element in quoted.get(int(match[1]), ()):
                paragraph.addprevious(_indented(copy.deepcopy(element)))
            parent = paragraph.getparent()
            if parent is not None:
                parent.remove(paragraph)

    return with_body(docx, change)


def _indented(element: etree._Element) -> etree._Element:
    """A quoted paragraph, moved in from the margin by QUOTE_INDENT (tables are copied as they are)."""
    if element.tag != f"{{{W}}}p":
        return element
    properties = element.find("w:pPr", NS)
    if properties is None:
        properties = etree.SubElement(element, f"{{{W}}}pPr")
        element.insert(0, properties)
    indent = properties.find("w:ind", NS)
    if indent is None:
        indent = etree.SubElement(properties, f"{{{W}}}ind")
        _place_indent(properties, indent)
    left = int(indent.get(f"{{{W}}}left") or indent.get(f"{{{W}}}start") or 0)
    indent.set(f"{{{W}}}left", str(left + QUOTE_INDENT))
    return element


# The paragraph properties after w:ind in WordprocessingML's order.
AFTER_INDENT = (
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)


def _place_indent(properties: etree._Element, indent: etree._Element) -> None:
    for child in properties:
        if etree.QName(child).localname in AFTER_INDENT:
            child.addprevious(indent)
            return


def under_title(docx: bytes, line: str) -> bytes:
    """The document with ``line`` centred in italics under its title (its first paragraphs of
    style Heading 1): "Version consolidée au 1er janvier 2027 (avenant n°1)"."""

    def change(body: etree._Element) -> None:
        titles = [p for p in body.findall("w:p", NS) if _is_title(p)]
        anchor = titles[-1] if titles else body.find("w:p", NS)
        if anchor is None:
            return
        paragraph = etree.fromstring(
            f'<w:p xmlns:w="{W}"><w:pPr><w:jc w:val="center"/></w:pPr>'
            '<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve"></w:t></w:r></w:p>'
        )
        text = paragraph.find(".//w:t", NS)
        assert text is not None
        text.text = line
        anchor.addnext(paragraph)

    return with_body(docx, change)


def _is_title(paragraph: etree._Element) -> bool:
    style = paragraph.find("w:pPr/w:pStyle", NS)
    return style is not None and style.get(f"{{{W}}}val", "").replace(" ", "").lower() in (
        "heading1",
        "titre1",
    )
