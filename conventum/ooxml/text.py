"""The visible text of a .docx, paragraph by paragraph: what a reader sees, what the checks compare."""

from __future__ import annotations

import re

from lxml import etree

from conventum.errors import TemplateError
from conventum.ooxml.archive import UnsafeArchive, open_archive
from conventum.ooxml.namespaces import w
from conventum.ooxml.xml import parse_xml

XML_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
ALL_TEXT = etree.XPath("string()")  # the text of every node, joined (in C: fast)
RUN_TEXT = {w("tab"): "\t", w("br"): "\n"}
PARAGRAPH, RUN, TEXT_NODES = w("p"), w("r"), (w("t"), w("tab"), w("br"))


def document_text(data: bytes) -> str:
    """The visible text of a .docx, paragraph by paragraph (text inside content controls too)."""
    try:
        archive = open_archive(data)
    except UnsafeArchive as exc:
        raise TemplateError(f"document Word illisible : {exc.reason}") from None
    with archive:
        parts = sorted(p for p in archive.namelist() if XML_PARTS.fullmatch(p))
        body = [p for p in parts if p == "word/document.xml"] + [p for p in parts if p != "word/document.xml"]
        return "\n".join(_part_text(archive.read(part)) for part in body)


def _part_text(xml: bytes) -> str:
    root = parse_xml(xml)
    lines = []
    for paragraph in root.iter(PARAGRAPH):
        pieces = []
        for run in paragraph.iter(RUN):
            for node in run.iter(*TEXT_NODES):
                pieces.append(RUN_TEXT.get(node.tag, node.text or ""))
        lines.append("".join(pieces))
    return "\n".join(lines)
