"""What the import page shows: the import's report as rows (each party recognised, each field with
its kind, label and place, the closing, what was left), and the template's paragraphs with every
recognised part marked under its label."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from conventum.model.catalogue import field_specs
from conventum.model.specs import FieldSpec
from conventum.model.versions import SavedVersion
from conventum.ooxml.archive import open_archive
from conventum.ooxml.namespaces import w
from conventum.ooxml.text import RUN_TEXT, TEXT_NODES
from conventum.ooxml.xml import parse_xml
from conventum.word.editing import EDITABLE_KINDS, TAG, FieldEdit, choice_items, declarations, editable
from conventum.word.recognition.report import ORIGINS, SLOT_WORDS, FieldReport, ImportReport

STORIES = (("word/document.xml", "Corps"), *((f"word/header{n}.xml", "En-tête") for n in range(1, 4)))
STORIES += tuple((f"word/footer{n}.xml", "Pied de page") for n in range(1, 4))
NAME = re.compile(r"(?<![\w.|'\"])([a-z_][a-z0-9_]*)(?![\w'\"])")
KIND_WORDS = {**EDITABLE_KINDS, "booleen": "Case à cocher", "liste": "Liste répétée", "objet": "Groupe"}
CLAUSES = {"cloture": "Clôture : « Fait à …, le …, en … exemplaires »", "signature": "Date de signature"}
PARTY_PARTS = {
    "comparution": "comparution",
    "comparution_ligne": "comparution",
    "ci_apres": "« ci-après »",
    "bloc.pour": "bloc de signature, « Pour … »",
    "bloc.titre": "bloc de signature, qualité",
    "bloc.nom": "bloc de signature, nom",
    "bloc.date": "bloc de signature, date",
}
MAX_PARAGRAPHS = 2_000  # a preview of a long template stops there (the report still gives every place)


@dataclass(frozen=True)
class Segment:
    """A piece of a paragraph: fixed text, or a recognised part (a field, a party, a clause)."""

    text: str
    field: str | None = None
    kind: str = "champ"  # champ, partie, clause


@dataclass(frozen=True)
class Paragraph:
    number: int  # its rank in its story, from 1, as the report counts paragraphs
    story: str
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return "".join(f"[{s.text}]" if s.field else s.text for s in self.segments)


@dataclass
class FieldRow:
    """One field of the report: what it is, where it came from and where the document shows it."""

    name: str
    label: str
    kind: str
    kind_words: str
    origin: str
    editable: bool
    choices: list[str]
    where: str
    anchor: int | None = None  # the preview's paragraph showing it


@dataclass(frozen=True)
class PartyRow:
    """A party recognised: its role and label, its paragraph, what it became, what follows it."""

    role: str
    label: str
    where: str
    became: str
    blanks: str
    mentions: tuple[str, ...]
    accepted: bool


@dataclass
class ImportPage:
    """Everything the page shows: the file, the type's name and title, the report, the preview."""

    source: str = ""
    content: str = ""  # the uploaded file, base64
    name: str = ""
    title: str = ""
    rows: list[FieldRow] = field(default_factory=list)
    originals: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    parties: list[PartyRow] = field(default_factory=list)
    closing: str = ""  # what the closing section became, and where it was
    left: list[str] = field(default_factory=list)  # what was left as it is, and why
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)  # the versions kept of a type of that name
    saved: SavedVersion | None = None


def party_rows(report: ImportReport, refused: Collection[str]) -> list[PartyRow]:
    """Every party the import recognises; those the author undid are not accepted."""
    return [
        PartyRow(
            role=party.role,
            label=party.label,
            where=party.place.describe(),
            became=party.became,
            blanks=", ".join(f"{SLOT_WORDS.get(slot, slot)} « {label} »" for slot, label in party.slots),
            mentions=tuple(f"{place.describe()} → {tag}" for place, tag in party.mentions),
            accepted=party.role not in refused,
        )
        for party in report.parties
    ]


def show(
    page: ImportPage,
    template: bytes,
    report: ImportReport,
    schema: Mapping[str, Any],
    edits: Sequence[FieldEdit],
) -> None:
    """The report and preview of the edited type; rows the author got wrong show what was typed."""
    fields = field_specs(declarations(schema), source=page.source)
    labels = {name: (spec.label, "champ") for name, spec in fields.items()}
    labels |= {row.role: (f"Partie « {row.label} »", "partie") for row in page.parties if row.accepted}
    page.paragraphs = outline(template, labels | {key: (words, "clause") for key, words in CLAUSES.items()})
    renamed = {edit.original: edit for edit in edits}
    page.rows = []
    for item in report.fields:
        edit = renamed.get(item.name)
        name = edit.name if edit is not None and not page.problems else item.name
        row = _row(item, fields.get(name), page.paragraphs, name)
        if edit is not None and page.problems:  # refused: what was typed stays in the row
            row.name, row.label, row.kind, row.choices = edit.name, edit.label, edit.kind, list(edit.choices)
        page.rows.append(row)
    if report.closing is not None:
        copies = f", en {report.copies} exemplaires" if report.copies else ""
        page.closing = f"{report.closing.describe()}{copies}"
    page.left = [
        f"{item.what} : {item.reason}" + (f" — {item.place.describe()}" if item.place else "")
        for item in report.left
    ]
    page.notes = list(report.notes)


def _row(item: FieldReport, spec: FieldSpec | None, paragraphs: list[Paragraph], name: str) -> FieldRow:
    """A field's row, as the edits left it (``spec``, ``name``), where the import found it (``item``)."""
    more = f" (et {len(item.places) - 1} autre(s))" if len(item.places) > 1 else ""
    kind = spec.kind if spec is not None else item.kind
    return FieldRow(
        name=name,
        label=spec.label if spec is not None else item.label,
        kind=kind,
        kind_words=KIND_WORDS.get(kind, kind),
        origin=ORIGINS.get(item.origin, item.origin),
        editable=spec is not None and editable(spec),
        choices=choice_items(spec) if spec is not None and kind == "choix" else list(item.choices),
        where=(item.places[0].describe() + more) if item.places else "nulle part dans le modèle",
        anchor=_anchor(paragraphs, name),
    )


def _anchor(paragraphs: list[Paragraph], name: str) -> int | None:
    found = next((p for p in paragraphs if any(s.field == name for s in p.segments)), None)
    return found.number if found is not None and found.story == "Corps" else None


def outline(template: bytes, labels: Mapping[str, tuple[str, str]]) -> list[Paragraph]:
    """The template's paragraphs (body, then headers and footers), each recognised tag a segment
    showing its label (``labels``: name the tag reads → its label and kind)."""
    found: list[Paragraph] = []
    with open_archive(template) as archive:
        names = set(archive.namelist())
        for part, story in STORIES:
            if part not in names:
                continue
            for rank, paragraph in enumerate(parse_xml(archive.read(part)).iter(w("p")), start=1):
                if len(found) >= MAX_PARAGRAPHS:
                    return found
                text = "".join(
                    RUN_TEXT.get(node.tag, node.text or "") for node in paragraph.iter(*TEXT_NODES)
                )
                found.append(Paragraph(rank, story, tuple(_segments(text, labels))))
    return found


def _part(tag: str, name: str) -> str:
    """Which part of a party a tag writes (« : comparution », « : bloc de signature, qualité »)."""
    found = re.search(rf"\b{re.escape(name)}\.([\w.]+)", tag)
    words = PARTY_PARTS.get(found.group(1)) if found else None
    return f" : {words}" if words else ""


def _segments(text: str, labels: Mapping[str, tuple[str, str]]) -> list[Segment]:
    segments: list[Segment] = []
    position = 0
    for match in TAG.finditer(text):
        if match.start() > position:
            segments.append(Segment(text[position : match.start()]))
        named = [name for name in NAME.findall(match.group(0)) if name in labels]
        if named:
            label, kind = labels[named[0]]
            opening = "début de la liste " if "for " in match.group(0) else ""
            segments.append(Segment(opening + label + _part(match.group(0), named[0]), named[0], kind))
        elif "end" not in match.group(0):
            segments.append(Segment(match.group(0)))
        position = match.end()
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments
