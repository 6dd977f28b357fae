"""PDF/A: the level asked for (``--pdfa 1b|2b``), and what a PDF's own structure says of it."""

from __future__ import annotations

import re
from typing import Any

from pypdf import PdfReader  # a type only: read_pdf opens it

from conventum.errors import ConversionError
from conventum.pdf.pdfio import PYPDF_FAILURES, read_pdf

PART = re.compile(rb"pdfaid:part\s*(?:=\s*[\"']|>)\s*(\d)")
INFO_TO_XMP = {"/Title": "dc:title", "/Author": "dc:creator", "/Subject": "dc:description"}


def declared_part(pdf: bytes) -> int | None:
    """The PDF/A part a PDF's XMP declares (1, 2, 3), or None: not a PDF/A."""
    try:
        root: Any = read_pdf(pdf, what="l’annexe").trailer["/Root"]
        metadata = root.get("/Metadata")
        packet = metadata.get_object().get_data() if metadata is not None else b""
    except (ConversionError, *PYPDF_FAILURES):
        return None
    found = PART.search(packet)
    return int(found.group(1)) if found else None


def pdfa_problems(pdf: bytes) -> list[str]:
    """What a PDF/A-2b's structure shows wrong (a validator reads more): the XMP declaration, an
    output intent, every font embedded, JavaScript, Info and XMP agreeing. [] when none."""
    reader = read_pdf(pdf, what="le PDF/A")
    root: Any = reader.trailer["/Root"]
    problems = []
    if declared_part(pdf) is None:
        problems.append("pas d’identification PDF/A dans les métadonnées XMP")
    if not root.get("/OutputIntents"):
        problems.append("pas de mode de sortie (OutputIntent)")
    names = root.get("/Names")
    if "/JavaScript" in (names.get_object() if names is not None else {}) or _script(root.get("/OpenAction")):
        problems.append("JavaScript à l’ouverture du document")
    for number, page in enumerate(reader.pages, start=1):
        problems += _page_problems(page, number)
    return problems + _metadata_problems(reader, root)


def _page_problems(page: Any, number: int) -> list[str]:
    problems = []
    for item in page.get("/Annots") or []:
        annotation = item.get_object()
        if _script(annotation.get("/A")) or "/AA" in annotation:
            problems.append(f"JavaScript ou action automatique dans une annotation (page {number})")
    resources: Any = page.get("/Resources") or {}
    fonts: Any = resources.get("/Font") or {}
    for name, font in (fonts.get_object() if hasattr(fonts, "get_object") else fonts).items():
        if not _embedded(font.get_object()):
            problems.append(f"police {name} non incorporée (page {number})")
    return problems


def _metadata_problems(reader: PdfReader, root: Any) -> list[str]:
    metadata = root.get("/Metadata")
    packet = metadata.get_object().get_data().decode("utf-8", "replace") if metadata is not None else ""
    info: Any = reader.metadata or {}
    problems = []
    for key, tag in INFO_TO_XMP.items():
        value = info.get(key)
        if value and _xml_escaped(str(value)) not in packet:
            problems.append(f"{key[1:]} différent entre les dictionnaires Info et XMP ({tag})")
    return problems


def _script(action: Any) -> bool:
    """Whether an action (a dictionary; a destination array is not one) runs JavaScript."""
    action = action.get_object() if hasattr(action, "get_object") else action
    return isinstance(action, dict) and action.get("/S") == "/JavaScript"


def _embedded(font: Any) -> bool:
    descendants = font.get("/DescendantFonts")
    if descendants is not None:
        return all(_embedded(child.get_object()) for child in descendants)
    if font.get("/Subtype") == "/Type3":
        return True  # its glyphs are drawn by the PDF itself
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _xml_escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
