"""XML of Office parts parsed one way: strictly, no entity resolved, no network, nothing recovered."""

from __future__ import annotations

from lxml import etree

# A parser that recovers silently cuts text and hides broken parts: never ``recover=True``.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)

XMLSyntaxError = etree.XMLSyntaxError


def parse_xml(xml: bytes) -> etree._Element:
    """The root element of one XML part; ``XMLSyntaxError`` when it is not well-formed."""
    return etree.fromstring(xml, _PARSER)
