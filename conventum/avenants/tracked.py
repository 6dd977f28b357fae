"""Two versions of a document compared as Word tracked changes: the second version, with what the
first had and it lacks as deletions (w:del) and what it adds as insertions (w:ins), word by word.

Paragraphs and table rows are aligned first (by their text); a paragraph that changed is compared
word by word, each word keeping its run's properties (bold, italics, size…), so Word shows exactly
the changed words. A paragraph or row only one version has is deleted or inserted whole.
"""

from __future__ import annotations

import copy
import difflib
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from conventum.avenants.articles import NS, W, body_of, text_of
from conventum.avenants.parts import with_body

AUTHOR = "conventum"
TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def w(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass(frozen=True)
class Token:
    """A word, a space or a punctuation mark, with the properties of the run it came from."""

    text: str
    properties: etree._Element | None

    @property
    def style(self) -> bytes:
        return etree.tostring(self.properties) if self.properties is not None else b""


class Marks:
    """The revision marks of one comparison: numbered from 1, one author, one moment."""

    def __init__(self, author: str = AUTHOR, when: datetime | None = None) -> None:
        self.author = author
        self.date = (when or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.ids = itertools.count(1)

    def mark(self, kind: str) -> etree._Element:
        element = etree.Element(w(kind))
        element.set(w("id"), str(next(self.ids)))
        element.set(w("author"), self.author)
        element.set(w("date"), self.date)
        return element


def compare_docx(
    original: bytes, revised: bytes, *, author: str = AUTHOR, when: datetime | None = None
) -> bytes:
    """The revised document with the changes from the original as tracked changes."""
    marks = Marks(author, when)
    old = [element for element in body_of(original) if element.tag != w("sectPr")]

    def change(body: etree._Element) -> None:
        new = [element for element in body if element.tag != w("sectPr")]
        merged = list(_merge(old, new, marks, _pair_blocks, _whole_block))
        for element in new:
            body.remove(element)
        anchor = body.find("w:sectPr", NS)
        for element in merged:
            if anchor is not None:
                anchor.addprevious(element)
            else:
                body.append(element)

    return with_body(revised, change)


Pair = Callable[[etree._Element, etree._Element, "Marks"], list[etree._Element]]
Whole = Callable[[etree._Element, str, "Marks"], etree._Element]


def _merge(
    old: Sequence[etree._Element], new: Sequence[etree._Element], marks: Marks, pair: Pair, whole: Whole
) -> Iterator[etree._Element]:
    """Align two sequences by their text: equal ones kept, changed ones paired, the rest deleted
    or inserted whole."""
    matcher = difflib.SequenceMatcher(
        a=[text_of(e) for e in old], b=[text_of(e) for e in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield from (copy.deepcopy(element) for element in new[j1:j2])
            continue
        removed, added = list(old[i1:i2]), list(new[j1:j2])
        while removed and added:
            yield from pair(removed.pop(0), added.pop(0), marks)
        yield from (whole(element, "del", marks) for element in removed)
        yield from (whole(element, "ins", marks) for element in added)


def _pair_blocks(before: etree._Element, after: etree._Element, marks: Marks) -> list[etree._Element]:
    if before.tag == after.tag == w("p"):
        return [paragraph_changes(before, after, marks)]
    if before.tag == after.tag == w("tbl"):
        return [_table_changes(before, after, marks)]
    return [_whole_block(before, "del", marks), _whole_block(after, "ins", marks)]


def _whole_block(element: etree._Element, kind: str, marks: Marks) -> etree._Element:
    """A paragraph or table only one version has, all of it deleted or inserted."""
    copied = copy.deepcopy(element)
    if copied.tag == w("tbl"):
        for row in copied.findall("w:tr", NS):
            _mark_row(row, kind, marks)
        return copied
    return _whole_paragraph(copied, kind, marks)


def _whole_paragraph(paragraph: etree._Element, kind: str, marks: Marks) -> etree._Element:
    for run in list(paragraph.iter(w("r"))):
        if kind == "del":
            for text in run.findall("w:t", NS):
                text.tag = w("delText")
        wrapper = marks.mark(kind)
        run.addprevious(wrapper)
        wrapper.append(run)
    _mark_paragraph_end(paragraph, kind, marks)
    return paragraph


def _mark_paragraph_end(paragraph: etree._Element, kind: str, marks: Marks) -> None:
    """The paragraph mark itself inserted or deleted (pPr/rPr/w:ins or w:del)."""
    properties = paragraph.find("w:pPr", NS)
    if properties is None:
        properties = etree.Element(w("pPr"))
        paragraph.insert(0, properties)
    run_properties = properties.find("w:rPr", NS)
    if run_properties is None:
        run_properties = etree.SubElement(properties, w("rPr"))
        change = properties.find("w:pPrChange", NS)
        if change is not None:
            change.addprevious(run_properties)
    run_properties.insert(0, marks.mark(kind))


def _mark_row(row: etree._Element, kind: str, marks: Marks) -> None:
    properties = row.find("w:trPr", NS)
    if properties is None:
        properties = etree.Element(w("trPr"))
        row.insert(1 if row.find("w:tblPrEx", NS) is not None else 0, properties)
    properties.append(marks.mark(kind))
    for paragraph in row.iter(w("p")):
        _whole_paragraph(paragraph, kind, marks)


def _table_changes(before: etree._Element, after: etree._Element, marks: Marks) -> etree._Element:
    """The revised table, its rows aligned with the original's: cells compared paragraph by paragraph."""
    table = copy.deepcopy(after)
    rows = table.findall("w:tr", NS)
    merged = list(_merge(before.findall("w:tr", NS), rows, marks, _pair_rows, _whole_row))
    for row in rows:
        table.remove(row)
    table.extend(merged)
    return table


def _whole_row(row: etree._Element, kind: str, marks: Marks) -> etree._Element:
    copied = copy.deepcopy(row)
    _mark_row(copied, kind, marks)
    return copied


def _pair_rows(before: etree._Element, after: etree._Element, marks: Marks) -> list[etree._Element]:
    old_cells, new_cells = before.findall("w:tc", NS), after.findall("w:tc", NS)
    if len(old_cells) != len(new_cells):
        return [_whole_row(before, "del", marks), _whole_row(after, "ins", marks)]
    row = copy.deepcopy(after)
    for old_cell, cell in zip(old_cells, row.findall("w:tc", NS), strict=True):
        paragraphs = cell.findall("w:p", NS)
        merged = list(_merge(old_cell.findall("w:p", NS), paragraphs, marks, _pair_blocks, _whole_block))
        anchor = paragraphs[-1].getnext() if paragraphs else None
        for paragraph in paragraphs:
            cell.remove(paragraph)
        for paragraph in merged:
            if anchor is not None:
                anchor.addprevious(paragraph)
            else:
                cell.append(paragraph)
    return [row]


def tokens(paragraph: etree._Element) -> list[Token]:
    """The paragraph's words, spaces and marks, each with its run's properties."""
    found: list[Token] = []
    for run in paragraph.iter(w("r")):
        properties = run.find("w:rPr", NS)
        for node in run:
            if node.tag == w("t"):
                found += [Token(part, properties) for part in TOKEN.findall(node.text or "")]
            elif node.tag == w("tab"):
                found.append(Token("\t", properties))
            elif node.tag in (w("br"), w("cr")):
                found.append(Token("\n", properties))
    return found


def paragraph_changes(before: etree._Element, after: etree._Element, marks: Marks) -> etree._Element:
    """The revised paragraph, word by word: the words it lost deleted, the words it gained inserted."""
    old, new = tokens(before), tokens(after)
    paragraph = etree.Element(w("p"))
    properties = after.find("w:pPr", NS)
    if properties is not None:
        paragraph.append(copy.deepcopy(properties))
    matcher = difflib.SequenceMatcher(a=[t.text for t in old], b=[t.text for t in new], autojunk=False)
    for tag, i1, i2, j1, j2 in _words_only(matcher.get_opcodes(), new):
        if tag == "equal":
            paragraph.extend(_runs(new[j1:j2], "t"))
            continue
        if i2 > i1:
            paragraph.append(_wrapped(marks.mark("del"), _runs(old[i1:i2], "delText")))
        if j2 > j1:
            paragraph.append(_wrapped(marks.mark("ins"), _runs(new[j1:j2], "t")))
    return paragraph


def _words_only(
    operations: Sequence[tuple[str, int, int, int, int]], new: list[Token]
) -> list[tuple[str, int, int, int, int]]:
    """A lone space between two changes is part of the change: "Jean LEROY" → "Anne DUPONT" is one
    deletion and one insertion, not two of each around a kept space."""
    merged: list[tuple[str, int, int, int, int]] = []
    for operation in operations:
        tag, _i1, i2, j1, j2 = operation
        small = tag == "equal" and all(not t.text.strip() for t in new[j1:j2])
        if merged and merged[-1][0] != "equal" and (small or tag != "equal"):
            _tag, a1, _a2, b1, _b2 = merged[-1]
            merged[-1] = ("replace", a1, i2, b1, j2)
            continue
        merged.append(operation)
    return merged


def _runs(found: Sequence[Token], text_tag: str) -> list[etree._Element]:
    """Runs for consecutive tokens of the same properties."""
    runs: list[etree._Element] = []
    for _style, group in itertools.groupby(found, key=lambda token: token.style):
        items = list(group)
        run = etree.Element(w("r"))
        if items[0].properties is not None:
            run.append(copy.deepcopy(items[0].properties))
        for text in _texts(items):
            if text == "\t":
                etree.SubElement(run, w("tab"))
            elif text == "\n":
                etree.SubElement(run, w("br"))
            else:
                node = etree.SubElement(run, w(text_tag))
                node.text = text
                node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        runs.append(run)
    return runs


def _texts(items: Sequence[Token]) -> Iterator[str]:
    """Consecutive words joined; tabs and line breaks apart."""
    buffer = ""
    for token in items:
        if token.text in ("\t", "\n"):
            if buffer:
                yield buffer
                buffer = ""
            yield token.text
        else:
            buffer += token.text
    if buffer:
        yield buffer


def _wrapped(mark: etree._Element, runs: list[etree._Element]) -> etree._Element:
    mark.extend(runs)
    return mark
