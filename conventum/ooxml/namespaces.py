"""The OOXML namespaces conventum reads and writes: the one table, and Clark names built from it."""

from __future__ import annotations

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15_URIS = (
    "http://schemas.microsoft.com/office/word/2012/wordml",
    "http://schemas.microsoft.com/office/word/2010/11/wordml",
)
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NAMESPACES = {"w": W, "w14": W14, "mc": MC}


def w(name: str) -> str:
    """The Clark name of a WordprocessingML element or attribute: ``w("sdt")``.

    >>> w("p")
    '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p'
    """
    return f"{{{W}}}{name}"
