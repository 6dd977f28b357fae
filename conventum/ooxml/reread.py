"""A written .docx read back before it is put in place: the output cannot be a cut document."""

from __future__ import annotations

import zipfile
import zlib
from xml.parsers import expat

from conventum.ooxml.archive import UnsafeArchive, open_archive

XML_SUFFIXES = (".xml", ".rels")


def docx_problem(data: bytes) -> str | None:
    """Why these bytes are not a whole Word document (not a zip, a part cut or corrupt, an XML
    part not well-formed, no body); None when every part reads back. Cheap: expat, no tree."""
    try:
        with open_archive(data) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                return "partie principale absente"
            for name in names:
                content = archive.read(name)  # checks each part's CRC
                if name.endswith(XML_SUFFIXES) and not _well_formed(content):
                    return f"XML illisible dans {name}"
    except UnsafeArchive as exc:
        return exc.reason
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        return f"archive illisible ({exc})"
    return None


def _well_formed(xml: bytes) -> bool:
    parser = expat.ParserCreate()
    try:
        parser.Parse(xml, True)
    except expat.ExpatError:
        return False
    return True
