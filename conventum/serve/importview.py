"""What the import page shows of an imported template: its paragraphs with each field's place
marked, and one report row per field (kind, label, where it is: paragraph and text)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from conventum.model.specs import FieldSpec
from conventum.ooxml.archive import open_archive
from conventum.ooxml.namespaces import w
from conventum.ooxml.text import RUN_TEXT, TEXT_NODES
from conventum.ooxml.xml import parse_xml
from conventum.word.editing import EDITABLE_KINDS, TAG, choice_items, editable

STORIES = (("word/document.xml", "Corps"), *((f"word/header{n}.xml", "En-tête") for n in range(1, 4)))
STORIES += tuple((f"word/footer{n}.xml", "Pied de page") for n in range(1, 4))
NAME = re.compile(r"(?<![\w.|'\"])([a-z_][a-z0-9_]*)(?![\w'\"])")
KIND_WORDS = {**EDITABLE_KINDS, "booleen": "Case à cocher", "liste": "Liste répétée", "objet": "Groupe"}
MAX_PARAGRAPHS = 2_000  # a preview of a long template stops there (the report still counts every place)
EXCERPT = 90


@dataclass(frozen=True)
class Segment:
    """A piece of a paragraph: fixed text, or the place of a field (its name and label)."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class Paragraph:
    number: int
    story: str
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return "".join(f"[{s.text}]" if s.field else s.text for s in self.segments)


@dataclass
class FieldRow:
    """One field of the report: what it is, and the paragraphs where the document shows it."""

    name: str
    label: str
    kind: str
    kind_words: str
    editable: bool
    choices: list[str]
    places: list[Paragraph] = field(default_factory=list)

    @property
    def where(self) -> str:
        """« § 8 (Corps) : « … de [Nom], sise [Adresse], représentée … » », the text around the first
        place, and how many others."""
        if not self.places:
            return "nulle part dans le corps, les en-têtes ou les pieds de page"
        first = self.places[0]
        more = f" (et {len(self.places) - 1} autre(s))" if len(self.places) > 1 else ""
        return f"§ {first.number} ({first.story}) : « {around(first, self.name)} »{more}"


def around(paragraph: Paragraph, name: str) -> str:
    """The paragraph's text around a field's first place, at most ``EXCERPT`` characters."""
    text, start = "", -1
    for segment in paragraph.segments:
        if segment.field == name and start < 0:
            start = len(text)
        text += f"[{segment.text}]" if segment.field else segment.text
    if len(text) <= EXCERPT:
        return text
    begin = max(0, min(start - EXCERPT // 3, len(text) - EXCERPT))
    excerpt = text[begin : begin + EXCERPT].strip()
    return ("… " if begin else "") + excerpt + (" …" if begin + EXCERPT < len(text) else "")


def outline(template: bytes, labels: Mapping[str, str]) -> list[Paragraph]:
    """The template's paragraphs (body, then headers and footers), each field's tag a segment
    showing its label (``labels``: field name → label)."""
    found: list[Paragraph] = []
    with open_archive(template) as archive:
        names = set(archive.namelist())
        for part, story in STORIES:
            if part not in names:
                continue
            for paragraph in parse_xml(archive.read(part)).iter(w("p")):
                if len(found) >= MAX_PARAGRAPHS:
                    return found
                text = "".join(
                    RUN_TEXT.get(node.tag, node.text or "") for node in paragraph.iter(*TEXT_NODES)
                )
                found.append(Paragraph(len(found) + 1, story, tuple(_segments(text, labels))))
    return found


def _segments(text: str, labels: Mapping[str, str]) -> list[Segment]:
    segments: list[Segment] = []
    position = 0
    for match in TAG.finditer(text):
        if match.start() > position:
            segments.append(Segment(text[position : match.start()]))
        named = [name for name in NAME.findall(match.group(0)) if name in labels]
        if named:
            statement = match.group(0).startswith("{%")
            shown = f"{'début de la liste ' if 'for ' in match.group(0) else ''}{labels[named[0]]}"
            segments.append(Segment(shown if statement else labels[named[0]], named[0]))
        elif "endfor" not in match.group(0):
            segments.append(Segment(match.group(0)))
        position = match.end()
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def report_rows(fields: Mapping[str, FieldSpec], paragraphs: list[Paragraph]) -> list[FieldRow]:
    """One row per field, in the schema's order, with the paragraphs that show it."""
    rows = []
    for name, spec in fields.items():
        row = FieldRow(
            name=name,
            label=spec.label,
            kind=spec.kind,
            kind_words=KIND_WORDS.get(spec.kind, spec.kind),
            editable=editable(spec),
            choices=choice_items(spec) if spec.kind == "choix" else [],
        )
        row.places = [p for p in paragraphs if any(s.field == name for s in p.segments)]
        rows.append(row)
    return rows
