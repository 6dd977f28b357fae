"""Where a paragraph is, as an author finds it again in Word: page, paragraph, table, text box."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from conventum.ooxml.namespaces import w
from conventum.ooxml.package import Package, text_of

EXCERPT = 70
PART_NAMES = {"document": "", "header": "en-tête", "footer": "pied de page", "footnotes": "notes"}
TEXT_BOX = w("txbxContent")


@dataclass(frozen=True)
class Place:
    """A paragraph of the Word file: its story, estimated page, rank, containers and text."""

    part: str  # "document", "header", "footer"…
    page: int  # counted from Word's page breaks (explicit and last rendered): an estimate
    paragraph: int  # rank of the paragraph in its story, from 1
    text: str  # the paragraph's text as the author wrote it, shortened
    containers: tuple[str, ...] = ()  # "zone de texte", "tableau ligne 2, colonne 1"

    def describe(self) -> str:
        """ "page 2, paragraphe 14 « La Commune de … »" (its story and containers first)."""
        where = [PART_NAMES.get(self.part, self.part), *self.containers]
        head = ", ".join(part for part in where if part)
        text = f"page {self.page}, paragraphe {self.paragraph} « {self.text} »"
        return f"{head}, {text}" if head else text

    def as_dict(self) -> dict[str, object]:
        return {
            "partie": self.part,
            "page": self.page,
            "paragraphe": self.paragraph,
            "texte": self.text,
            "conteneurs": list(self.containers),
            "lieu": self.describe(),
        }


def excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT else line[: EXCERPT - 1].rstrip() + "…"


class PlaceIndex:
    """The place of every paragraph of every story, read once before the import changes anything."""

    def __init__(self, package: Package) -> None:
        self._places: dict[etree._Element, Place] = {}
        for part, story in package.stories.items():
            self._index(package.trees[part], story)

    def _index(self, tree: etree._Element, story: str) -> None:
        page = 1
        for rank, paragraph in enumerate(tree.iter(w("p")), start=1):
            properties = paragraph.find(w("pPr"))
            if rank > 1 and properties is not None and properties.find(w("pageBreakBefore")) is not None:
                page += 1
            containers = _containers(paragraph)
            self._places[paragraph] = Place(story, page, rank, excerpt(text_of(paragraph)), containers)
            page += sum(1 for br in paragraph.iter(w("br")) if br.get(w("type")) == "page")
            page += sum(1 for _ in paragraph.iter(w("lastRenderedPageBreak")))

    def of(self, element: etree._Element) -> Place:
        """The place of the paragraph holding an element (or of the element, a paragraph)."""
        paragraph = element if element.tag == w("p") else next(element.iterancestors(w("p")), None)
        found = self._places.get(paragraph) if paragraph is not None else None
        return found or Place("document", 1, 0, excerpt(text_of(element)))


def _containers(paragraph: etree._Element) -> tuple[str, ...]:
    found: list[str] = []
    for ancestor in paragraph.iterancestors():
        if ancestor.tag == TEXT_BOX:
            found.insert(0, "zone de texte")
        elif ancestor.tag == w("tc"):
            found.insert(0, _cell(ancestor))
    return tuple(found)


def _cell(cell: etree._Element) -> str:
    """ "tableau ligne 2, colonne 1" (rows and cells inside content controls counted too)."""
    row = next(cell.iterancestors(w("tr")), None)
    table = next(cell.iterancestors(w("tbl")), None)
    if row is None or table is None:
        return "tableau"
    rows = [r for r in table.iter(w("tr")) if next(r.iterancestors(w("tbl"))) is table]
    cells = [c for c in row.iter(w("tc")) if next(c.iterancestors(w("tr"))) is row]
    return f"tableau ligne {rows.index(row) + 1}, colonne {cells.index(cell) + 1}"


def in_text_box(element: etree._Element) -> bool:
    return any(ancestor.tag == TEXT_BOX for ancestor in element.iterancestors())
