"""The core properties of a made document (``docProps/core.xml``): the type and version that made it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree

from conventum.ooxml.xml import parse_xml

CORE_PART = "docProps/core.xml"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


def type_keywords(name: str, version: str | None) -> str:
    """What a document's keywords say of its type: ``NAME@V``, the name ``conventum render`` takes
    to make it again with the same version (the name alone when the type declares none).

    >>> type_keywords("medecine-preventive", "2"), type_keywords("essai", None)
    ('medecine-preventive@2', 'essai')
    """
    return f"{name}@{version}" if version else name


def type_properties(context: Mapping[str, Any]) -> dict[str, str]:
    """The core properties a template context sets: keywords (type and version) and version."""
    convention = context.get("convention")
    if not isinstance(convention, Mapping) or not convention.get("type"):
        return {}
    version = convention.get("version")
    properties = {"keywords": type_keywords(str(convention["type"]), str(version) if version else None)}
    if version:
        properties["version"] = str(version)
    return properties


def with_properties(core: bytes, properties: Mapping[str, str]) -> bytes:
    """``docProps/core.xml`` with these ``cp:`` properties set (the others kept as they are)."""
    root = parse_xml(core)
    for name, value in properties.items():
        element = root.find(f"{{{CP}}}{name}")
        if element is None:
            element = etree.SubElement(root, f"{{{CP}}}{name}")
        element.text = value
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
