"""Which articles a change of data changes: the convention rendered before and after, cut at its
article headings, compared piece by piece.

A piece is what lies between two headings that number it: the parties (before the first one), the
préambule, an article ("ARTICLE 3.", "Article 4.1 -"), an annex ("Annexe n°2 :"). The signature
table is no article: the avenant has its own.
"""

from __future__ import annotations

import difflib
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from conventum.model.blocks import Annexe

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
HEADING_STYLES = re.compile(r"^(heading|titre)\s*[1-4]$", re.IGNORECASE)
ARTICLE = re.compile(r"^\s*article\s+(\d+(?:\.\d+)*)\.?\s*[-–—.:]?\s*(.*)$", re.IGNORECASE | re.DOTALL)
ANNEX = re.compile(r"^\s*annexe\s*(?:n°|n\.|no)?\s*(\d+)\s*[-–—.:]?\s*(.*)$", re.IGNORECASE | re.DOTALL)
PREAMBLE = re.compile(r"^\s*pr[ée]ambule\s*$", re.IGNORECASE)
MAX_HEADING = 200  # a numbered line longer than this is a paragraph that mentions an article
SIGNATURE_TAG = "#signature"
Kind = Literal["modifie", "complete", "remplace", "ajoute", "supprime"]
REPLACED_BELOW = 0.34  # a piece keeping less than a third of its words is replaced, not modified


@dataclass
class Piece:
    """A piece of the document: its key ("article 3"), how French names it, its elements."""

    key: str
    name: str  # "l’article 3", "l’annexe n°2", "le préambule", "la désignation des parties"
    title: str  # the heading's words after its number ("Durée de la convention")
    gender: str  # "m" or "f": "l’annexe n°2 est ainsi modifiée"
    elements: list[etree._Element] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [text_of(element) for element in self.elements]


@dataclass(frozen=True)
class Change:
    """A changed piece: how it changed, and the elements the avenant quotes (the consolidated text,
    or only what was added when the piece was only completed)."""

    piece: Piece
    kind: Kind
    quoted: tuple[etree._Element, ...]
    attached: bool = False  # an annex supplied as a file: the avenant joins the new one to itself


def body_of(docx: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    body = root.find("w:body", NS)
    assert body is not None
    return body


def text_of(element: etree._Element) -> str:
    """An element's text: a paragraph's runs, a table's rows (cells separated by " | ")."""
    if element.tag == f"{{{W}}}tbl":
        rows = element.findall("w:tr", NS)
        return "\n".join(" | ".join(text_of(cell) for cell in row.findall("w:tc", NS)) for row in rows)
    if element.tag == f"{{{W}}}tc":
        return " ".join(text_of(p) for p in element.findall(".//w:p", NS))
    parts = []
    for node in element.iter(f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}br"):
        parts.append(
            node.text or "" if node.tag == f"{{{W}}}t" else ("\t" if node.tag.endswith("tab") else "\n")
        )
    return "".join(parts)


def _style(paragraph: etree._Element) -> str:
    found = paragraph.find("w:pPr/w:pStyle", NS)
    return found.get(f"{{{W}}}val", "") if found is not None else ""


def _heading(element: etree._Element) -> Piece | None:
    """The piece a paragraph opens, when it is a numbered heading."""
    if element.tag != f"{{{W}}}p":
        return None
    text = " ".join(text_of(element).split())
    if not text or len(text) > MAX_HEADING:
        return None
    styled = bool(HEADING_STYLES.match(_style(element).replace("-", " ")))
    if (match := ARTICLE.match(text)) and (styled or text[:7].isupper()):
        return Piece(f"article {match[1]}", f"l’article {match[1]}", _title(match[2]), "m")
    if (match := ANNEX.match(text)) and styled:
        return Piece(f"annexe {match[1]}", f"l’annexe n°{match[1]}", _title(match[2]), "f")
    if PREAMBLE.match(text) and styled:
        return Piece("preambule", "le préambule", "", "m")
    return None


def _title(words: str) -> str:
    """ "DURÉE DE LA CONVENTION" → "Durée de la convention" (a title in capitals is read in lower case)."""
    words = words.strip()
    return words[:1] + words[1:].lower() if words.isupper() else words


def pieces(docx: bytes) -> list[Piece]:
    """The document cut at its numbered headings; the title and the signature tables left out."""
    found = [Piece("parties", "la désignation des parties", "", "f")]
    for element in _content(body_of(docx)):
        opened = _heading(element)
        if opened is not None:
            found.append(opened)
            continue
        found[-1].elements.append(element)
    return found


def _content(body: etree._Element) -> Iterator[etree._Element]:
    for element in body:
        if element.tag == f"{{{W}}}sectPr":
            continue
        if element.tag == f"{{{W}}}p" and _style(element).replace(" ", "").lower() in ("heading1", "titre1"):
            continue  # the convention's title
        if element.tag == f"{{{W}}}tbl" and SIGNATURE_TAG in text_of(element):
            continue
        if element.tag == f"{{{W}}}p" and not text_of(element).strip():
            continue  # empty paragraphs are layout, not text
        yield element


def changes(before: bytes, after: bytes) -> list[Change]:
    """The pieces that differ between two renderings, in the order of the amended document."""
    old = {piece.key: piece for piece in pieces(before)}
    new = pieces(after)
    found: list[Change] = []
    for piece in new:
        previous = old.pop(piece.key, None)
        if previous is None:
            found.append(Change(piece, "ajoute", tuple(piece.elements)))
        elif previous.texts != piece.texts:
            found.append(_compared(previous, piece))
    found += [Change(piece, "supprime", ()) for piece in old.values()]
    return found


def _compared(previous: Piece, piece: Piece) -> Change:
    matcher = difflib.SequenceMatcher(a=previous.texts, b=piece.texts, autojunk=False)
    operations = matcher.get_opcodes()
    if all(tag in ("equal", "insert") for tag, *_ in operations):
        added = [
            piece.elements[j]
            for tag, _i1, _i2, j1, j2 in operations
            if tag == "insert"
            for j in range(j1, j2)
        ]
        return Change(piece, "complete", tuple(added))
    if piece.key == "parties":
        return _parties_change(piece, operations)
    words = difflib.SequenceMatcher(a=" ".join(previous.texts).split(), b=" ".join(piece.texts).split())
    kind: Kind = "remplace" if words.ratio() < REPLACED_BELOW else "modifie"
    return Change(piece, kind, tuple(piece.elements))


def _parties_change(piece: Piece, operations: Sequence[tuple[str, int, int, int, int]]) -> Change:
    """The parties' paragraphs the avenant rewrites; all of them when a party leaves (the avenant
    then gives the list as it now stands, so that the one left out is seen to be)."""
    removed = any(
        tag == "delete" or (tag == "replace" and i2 - i1 > j2 - j1) for tag, i1, i2, j1, j2 in operations
    )
    if removed:
        return Change(piece, "modifie", tuple(piece.elements))
    rewritten = [
        piece.elements[j] for tag, _i1, _i2, j1, j2 in operations if tag != "equal" for j in range(j1, j2)
    ]
    return Change(piece, "modifie", tuple(rewritten))


def annex_changes(before: Sequence[Annexe], after: Sequence[Annexe], found: Sequence[Change]) -> list[Change]:
    """The annexes supplied as files that the avenant adds or replaces (their text is no part of the
    DOCX): each a change of its own, unless its heading's text changed already."""
    known = {change.piece.key for change in found}
    old = {annex.numero: annex for annex in before}
    added = []
    for annex in after:
        key = f"annexe {annex.numero}"
        if annex.fichier is None or key in known or old.get(annex.numero) == annex:
            continue
        kind: Kind = "remplace" if annex.numero in old else "ajoute"
        piece = Piece(key, f"l’annexe n°{annex.numero}", annex.titre, "f")
        added.append(Change(piece, kind, (), attached=True))
    return added
