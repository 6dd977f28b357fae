"""From the content controls of a Word file to typed fields: names, French labels, schema specs."""

from __future__ import annotations

import keyword
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from conventum.french.labels import label_from_identifier
from conventum.french.worddates import DEFAULT_FORMAT
from conventum.model.blocks import Convention
from conventum.model.catalogue import field_specs
from conventum.model.specs import FieldSpec
from conventum.ooxml.namespaces import w
from conventum.ooxml.package import Package, open_package
from conventum.word.controls import Control, caption_of, read_controls

KIND_WORDS = {
    "text": ("texte", "Texte"),
    "richText": ("texte", "Texte"),
    "dropDownList": ("choix", "Liste déroulante"),
    "comboBox": ("choix", "Zone de liste"),
    "date": ("date", "Date"),
    "checkbox": ("case", "Case à cocher"),
    "repeatingSection": ("liste", "Section répétée"),
}
# Names the context already gives, and words Jinja reads as keywords.
RESERVED = {
    "parties",
    "signature",
    "annexes",
    "convention",
    "exemplaires",
    "element",
    "loop",
    "self",
    "true",
    "false",
    "none",
    "range",
    "caller",
    "kwargs",
    "varargs",
}
TEMPLATE_STORIES = ("document", "header", "footer")
INSTRUCTION = re.compile(
    r"^(choisissez|s[ée]lectionnez|saisissez|indiquez|entrez|tapez|choose|select|enter|type)\s+"
    r"(?:(?:un|une|le|la|les|the|an|a)\s+|l[’'])?",
    re.IGNORECASE,
)
XPATH = re.compile(r"(/[\w@:.-]+(\[\d+\])?)+$")
NAME_LENGTH = 40
LABEL_LENGTH = 60


@dataclass
class FieldInfo:
    """One field of the imported type and the controls that show it."""

    name: str
    kind: str
    label: str
    spec: dict[str, Any]
    controls: list[Control]
    children: dict[str, FieldInfo] = field(default_factory=dict)

    @cached_property
    def typed(self) -> FieldSpec:
        """The declaration read as the catalogue reads a schema's."""
        return field_specs({self.name: self.spec}, source="formulaire Word")[self.name]


@dataclass
class Analysis:
    """What a Word file holds: its controls, the fields they make, what could not be mapped."""

    package: Package
    controls: list[Control]
    fields: dict[str, FieldInfo]
    unmapped: list[Control]
    legacy_fields: int

    @property
    def schema_fields(self) -> dict[str, dict[str, Any]]:
        return {name: info.spec for name, info in self.fields.items()}


def analyse(data: bytes, *, source: str = "document", template: bool = False) -> Analysis:
    """Read a Word file's controls and derive its fields (for a template: none from the notes)."""
    package = open_package(data, source=source)
    controls = read_controls(package)
    for control in controls:
        if template and package.stories[control.part] not in TEMPLATE_STORIES and control.role == "field":
            control.role = "unmapped"  # docxtpl fills the body, headers and footers only
    fields = assign_fields(controls)
    unmapped = [c for c in _flatten(controls) if c.role == "unmapped" and not c.duplicate]
    legacy = sum(len(tree.findall(f".//{w('ffData')}")) for tree in package.trees.values())
    return Analysis(package, controls, fields, unmapped, legacy)


def _flatten(controls: list[Control]) -> list[Control]:
    found: list[Control] = []
    for control in controls:
        found += [control, *_flatten(control.children)]
    return found


def assign_fields(controls: list[Control]) -> dict[str, FieldInfo]:
    """Name every field control: same tag → one field; Fallback copies join their original."""
    fields: dict[str, FieldInfo] = {}
    by_tag: dict[str, str] = {}
    by_title: dict[tuple[str, str, tuple[tuple[str, str], ...]], str] = {}
    by_id: dict[tuple[str, str | None], str] = {}
    counters: dict[str, int] = {}
    ordered = [c for c in controls if not c.duplicate] + [c for c in controls if c.duplicate]
    for control in ordered:
        if control.role != "field":
            continue
        known = by_id.get((control.part, control.sdt_id)) if control.duplicate else None
        known = known or (by_tag.get(control.tag) if control.tag else None)
        # Untagged controls sharing a title, a kind and choices show one fact (a party's nature in
        # its heading and its signature block); distinct tags keep such controls apart.
        title_key = _title_key(control)
        known = known or (by_title.get(title_key) if title_key else None)
        if known:
            control.name = known
            fields[known].controls.append(control)
            continue
        info = _new_field(control, fields, counters)
        fields[info.name] = info
        by_id[(control.part, control.sdt_id)] = info.name
        if control.tag:
            by_tag[control.tag] = info.name
        if title_key:
            by_title[title_key] = info.name
    return fields


def _title_key(control: Control) -> tuple[str, str, tuple[tuple[str, str], ...]] | None:
    if control.tag or not control.alias or control.kind == "repeatingSection":
        return None
    return control.alias.strip(), control.kind, tuple(control.items)


def merged_fields(fields: dict[str, FieldInfo]) -> list[FieldInfo]:
    """The fields shown by several original controls (Fallback copies of one control left out)."""
    return [info for info in fields.values() if len([c for c in info.controls if not c.duplicate]) > 1]


def _new_field(control: Control, fields: dict[str, FieldInfo], counters: dict[str, int]) -> FieldInfo:
    word, kind_label = KIND_WORDS[control.kind]
    counters[word] = counters.get(word, 0) + 1
    custom = None if control.generic_placeholder else subject_of(control.placeholder or "")
    caption = caption_of(control)
    sources = (control.tag, control.alias, custom, caption)
    base = next((n for n in map(identifier, sources) if n), f"{word}_{counters[word]}")
    name = base
    suffix = 2
    while name in fields:
        name, suffix = f"{base}_{suffix}", suffix + 1
    control.name = name
    from_tag = label_from_identifier(control.tag) if control.tag and not _generated(control.tag) else None
    label = short_label(control.alias or custom or caption or from_tag or f"{kind_label} {counters[word]}")
    children = assign_fields(control.children)
    return FieldInfo(name, control.kind, label, field_spec(control, label, children), [control], children)


def _generated(tag: str) -> bool:
    """A tag conventum wrote itself on filling (``texte_3``): it says nothing of the field."""
    word, _sep, number = tag.rpartition("_")
    return not identifier(tag) or (
        number.isdigit() and word in {kind for kind, _label in KIND_WORDS.values()}
    )


def subject_of(text: str) -> str:
    """What a custom instruction asks for: "Choisissez une qualité" → "Qualité".

    >>> subject_of("Choisissez une nature"), subject_of("Nom de l’adhérent.")
    ('Nature', 'Nom de l’adhérent.')
    """
    rest = INSTRUCTION.sub("", text.strip(), count=1)
    return rest[:1].upper() + rest[1:] if rest else text


def short_label(text: str) -> str:
    """A label from a title or placeholder: one line, no brackets nor final dot, not too long.

    >>> short_label("[Job Title]"), short_label("Nom de l’adhérent.")
    ('Job Title', 'Nom de l’adhérent')
    """
    line = " ".join(text.split()).strip(" .…")
    if line.startswith("[") and line.endswith("]"):
        line = line[1:-1].strip()
    return line if len(line) <= LABEL_LENGTH else line[: LABEL_LENGTH - 1].rstrip() + "…"


def identifier(text: str | None) -> str:
    """A valid ASCII identifier made of a tag, title or placeholder text.

    >>> identifier("Nom de l’adhérent.")
    'nom_de_l_adherent'
    >>> identifier("2e signataire"), identifier("for"), identifier("[…]")
    ('champ_2e_signataire', 'champ_for', '')
    >>> identifier("/invoice[1]/customer[1]/contact[1]"), identifier("/invoice[1]/VAT[1]/@applies")
    ('customer_contact', 'vat_applies')
    """
    if not text:
        return ""
    steps = XPATH.search(text)
    if steps:  # a data-bound control titled by its XPath: its last two steps
        text = " ".join(re.sub(r"\[\d+\]|@", "", steps.group(0)).strip("/").split("/")[-2:])
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c if c.isascii() else "" if unicodedata.combining(c) else " " for c in decomposed)
    name = re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")[:NAME_LENGTH].strip("_")
    if not name:
        return ""
    clash = name in RESERVED or keyword.iskeyword(name) or hasattr(Convention, name)
    if name[0].isdigit() or clash or name.startswith("model_"):
        name = f"champ_{name}"
    return name


def field_spec(control: Control, label: str, children: dict[str, FieldInfo]) -> dict[str, Any]:
    """The schema declaration (catalogue format) of a field made from a control."""
    kind = control.kind
    if kind in ("dropDownList", "comboBox") and control.items:
        spec: dict[str, Any] = {"type": "choix", "libelle": label, "choix": dict(control.items)}
        if kind == "comboBox":
            spec["libre"] = True
        if any(value != text for value, text in control.items):
            spec["affichage"] = "libelle"
        return spec
    if kind == "date":
        return {"type": "date", "libelle": label, "format": control.date_format or DEFAULT_FORMAT}
    if kind == "checkbox":
        return {"type": "booleen", "libelle": label, "defaut": False}
    if kind == "repeatingSection":
        element = {"type": "objet", "champs": {name: info.spec for name, info in children.items()}}
        return {"type": "liste", "libelle": label, "element": element}
    return {"type": "texte", "libelle": label}
