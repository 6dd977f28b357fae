"""XML of Office parts parsed one way: strictly, no entity resolved, no DTD, no network, nothing recovered."""

from __future__ import annotations

from lxml import etree

# A parser that recovers silently cuts text and hides broken parts: never ``recover=True``.
# Without ``huge_tree`` libxml2 keeps its own bounds (a text node under 10 MB, 256 levels):
# a value too long for a document is refused before (``max_text_length``).
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=False
)

XMLSyntaxError = etree.XMLSyntaxError


def parse_xml(xml: bytes) -> etree._Element:
    """The root element of one XML part; ``XMLSyntaxError`` when it is not well-formed, or declares
    a DTD (an Office part never does: entities there are an attack, a billion laughs or XXE)."""
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
        raise _refused("DTD ou entité déclarée : refusée")
    root = etree.fromstring(xml, _PARSER)
    if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]
        raise _refused("DTD déclarée : refusée")
    return root


def _refused(reason: str) -> etree.XMLSyntaxError:
    return etree.XMLSyntaxError(reason, 0, 1, 1)  # type: ignore[call-arg, arg-type]
