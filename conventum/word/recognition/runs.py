"""A paragraph's runs as one text: split where a blank starts and ends, wrapped in a content control."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from conventum.ooxml.namespaces import XML_SPACE, w

IMPORT_NS = "urn:conventum:import"
ORIGIN = f"{{{IMPORT_NS}}}origine"  # which kind of blank a control was made from (never written)
SKIPPED = (w("bookmarkStart"), w("bookmarkEnd"), w("proofErr"), w("permStart"), w("permEnd"))
_ids = itertools.count(1_700_000_001)


def run_text(run: etree._Element) -> str:
    """A run's visible text: its texts, tabs and line breaks."""
    pieces = []
    for child in run:
        if child.tag == w("t"):
            pieces.append(child.text or "")
        elif child.tag == w("tab"):
            pieces.append("\t")
        elif child.tag in (w("br"), w("cr")):
            pieces.append("\n")
    return "".join(pieces)


@dataclass
class Stretch:
    """Consecutive runs of one parent (a paragraph, a hyperlink) read as one text."""

    runs: list[etree._Element]

    @property
    def text(self) -> str:
        return "".join(run_text(run) for run in self.runs)

    def isolate(self, start: int, end: int) -> list[etree._Element]:
        """The runs covering exactly [start, end) of the text, splitting the runs at both ends."""
        self._split_at(end)
        self._split_at(start)
        covered, offset = [], 0
        for run in self.runs:
            length = len(run_text(run))
            if start <= offset and offset + length <= end and length:
                covered.append(run)
            offset += length
        return covered

    def _split_at(self, position: int) -> None:
        offset = 0
        for index, run in enumerate(self.runs):
            length = len(run_text(run))
            if offset < position < offset + length:
                self.runs[index : index + 1] = split_run(run, position - offset)
                return
            offset += length


def stretches(parent: etree._Element) -> Iterator[Stretch]:
    """The stretches of consecutive runs directly under a paragraph (or a hyperlink in it)."""
    current: list[etree._Element] = []
    for child in parent:
        if child.tag == w("r") and child.find(w("fldChar")) is None and child.find(w("instrText")) is None:
            current.append(child)
        elif child.tag in SKIPPED:
            continue
        else:
            if current:
                yield Stretch(current)
            current = []
            if child.tag in (w("hyperlink"), w("smartTag"), w("ins")):
                yield from stretches(child)
    if current:
        yield Stretch(current)


def split_run(run: etree._Element, offset: int) -> list[etree._Element]:
    """Two runs of the same formatting, the text cut after ``offset`` characters."""
    right = etree.Element(w("r"))
    properties = run.find(w("rPr"))
    if properties is not None:
        right.append(copy.deepcopy(properties))
    seen = 0
    for child in [child for child in run if child.tag != w("rPr")]:
        length = len(run_text(_alone(child)))
        if seen >= offset:
            right.append(child)  # moves it
        elif seen + length > offset:
            cut = offset - seen
            piece = etree.SubElement(right, w("t"))
            piece.text = (child.text or "")[cut:]
            piece.set(XML_SPACE, "preserve")
            child.text = (child.text or "")[:cut]
            child.set(XML_SPACE, "preserve")
        seen += length
    run.addnext(right)
    return [run, right]


def _alone(child: etree._Element) -> etree._Element:
    holder = etree.Element(w("r"))
    holder.append(copy.copy(child))
    return holder


def wrap(elements: list[etree._Element], *, label: str, tag: str, origin: str) -> etree._Element:
    """A plain-text content control put where the elements were, holding them, titled and tagged."""
    sdt = etree.Element(w("sdt"))
    sdt.set(ORIGIN, origin)
    properties = etree.SubElement(sdt, w("sdtPr"))
    for name, value in (("alias", label), ("tag", tag), ("id", str(next(_ids)))):
        etree.SubElement(properties, w(name)).set(w("val"), value)
    etree.SubElement(properties, w("showingPlcHdr"))
    etree.SubElement(properties, w("text"))
    content = etree.SubElement(sdt, w("sdtContent"))
    elements[0].addprevious(sdt)
    for element in elements:
        content.append(element)
    return sdt
