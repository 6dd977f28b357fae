"""A paragraph read as atoms (runs and blanks) and rewritten: a stretch of it, or a blank, becomes a tag."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from conventum.ooxml.namespaces import w
from conventum.ooxml.package import text_of
from conventum.word.controls import Control, content_properties, make_run, replace_element
from conventum.word.recognition.runs import run_text, split_run

CONTAINERS = (w("hyperlink"), w("smartTag"), w("ins"), w("customXml"), w("fldSimple"))


@dataclass
class Atom:
    """A run of text, or a blank (a field control) read as one piece."""

    element: etree._Element
    text: str
    control: Control | None = None


def atoms(paragraph: etree._Element, controls: dict[etree._Element, Control]) -> list[Atom]:
    """The paragraph's runs and blanks in reading order (wrappers and links looked into)."""
    found: list[Atom] = []
    for child in paragraph:
        if child.tag == w("r"):
            found.append(Atom(child, run_text(child)))
        elif child.tag == w("sdt") and child in controls:
            found.append(Atom(child, text_of(child), controls[child]))
        elif child.tag == w("sdt"):
            content = child.find(w("sdtContent"))
            found += atoms(content, controls) if content is not None else []
        elif child.tag in CONTAINERS:
            found += atoms(child, controls)
    return found


def paragraph_text(paragraph: etree._Element, controls: dict[etree._Element, Control]) -> str:
    return "".join(atom.text for atom in atoms(paragraph, controls))


def replace_span(
    paragraph: etree._Element, start: int, end: int, text: str, controls: dict[etree._Element, Control]
) -> list[Control]:
    """Put one run saying ``text`` where [start, end) of the paragraph's text was; the blanks it held."""
    _cut(paragraph, start, controls)
    _cut(paragraph, end, controls)
    offset, inside = 0, []
    for atom in atoms(paragraph, controls):
        if start <= offset and offset + len(atom.text) <= end and (atom.text or start < offset < end):
            inside.append(atom)
        offset += len(atom.text)
    if not inside:
        return []
    properties = _properties(inside)
    inside[0].element.addprevious(make_run(properties, text))
    for atom in inside:
        parent = atom.element.getparent()
        if parent is not None:
            parent.remove(atom.element)
    return [atom.control for atom in inside if atom.control is not None]


def replace_paragraph(
    paragraph: etree._Element, text: str, controls: dict[etree._Element, Control]
) -> list[Control]:
    """The whole text of a paragraph replaced by one run (its paragraph formatting kept)."""
    return replace_span(paragraph, 0, len(paragraph_text(paragraph, controls)), text, controls)


def replace_control(control: Control, text: str, style: str | None) -> None:
    """A blank replaced by a run saying ``text`` in the blank's formatting."""
    replace_element(control.element, [make_run(content_properties(control, style), text)])


def remove_paragraph(paragraph: etree._Element, controls: dict[etree._Element, Control]) -> list[Control]:
    found = [atom.control for atom in atoms(paragraph, controls) if atom.control is not None]
    parent = paragraph.getparent()
    if parent is not None:
        parent.remove(paragraph)
    return found


def _cut(paragraph: etree._Element, position: int, controls: dict[etree._Element, Control]) -> None:
    offset = 0
    for atom in atoms(paragraph, controls):
        length = len(atom.text)
        if atom.control is None and offset < position < offset + length:
            split_run(atom.element, position - offset)
            return
        offset += length


def _properties(inside: list[Atom]) -> etree._Element | None:
    for atom in inside:
        run = atom.element if atom.control is None else atom.element.find(f".//{w('r')}")
        properties = run.find(w("rPr")) if run is not None else None
        if properties is not None:
            found = copy.deepcopy(properties)
            for mark in found.findall(w("highlight")) + found.findall(w("rStyle")):
                found.remove(mark)
            return found
    return None
