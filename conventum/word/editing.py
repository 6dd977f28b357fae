"""An imported type changed by its author before it is saved: a field renamed (in the schema and in
the template's tags), its label or kind changed, a blank made a choice with its items."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from conventum.errors import TemplateError
from conventum.french.worddates import DEFAULT_FORMAT
from conventum.word.fields import identifier

# The kinds an author may give a field that shows one value (a checkbox or a repeated section keeps its own).
EDITABLE_KINDS = {
    "texte": "Texte",
    "entier": "Nombre entier",
    "decimal": "Nombre décimal",
    "montant": "Montant en euros",
    "date": "Date",
    "choix": "Choix dans une liste",
}
TAG = re.compile(r"\{\{[^<]*?\}\}|\{%[^<]*?%\}")
STORY = re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml")
MAX_CHOICES = 200


@dataclass(frozen=True)
class FieldEdit:
    """What the author asks of one field: its new name, label, kind and, for a choice, its items."""

    original: str
    name: str
    label: str
    kind: str
    choices: tuple[str, ...] = ()


def editable(spec: Mapping[str, Any]) -> bool:
    """Whether a field's kind may be changed (one printed value, not a checkbox nor a list)."""
    return str(spec.get("type", "texte")) in EDITABLE_KINDS


def apply_edits(
    template: bytes, schema: Mapping[str, Any], edits: Sequence[FieldEdit]
) -> tuple[bytes, dict[str, Any]]:
    """The template and schema with the edits made; TemplateError listing every problem at once."""
    fields: Mapping[str, Any] = schema.get("champs") or {}
    problems = list(_problems(fields, edits))
    if problems:
        raise TemplateError("modifications refusées :\n" + "\n".join(f"  - {p}" for p in problems))
    by_name = {edit.original: edit for edit in edits}
    champs = {}
    for name, spec in fields.items():
        edit = by_name.get(name)
        champs[edit.name if edit else name] = _edited_spec(spec, edit) if edit else spec
    renamed = {edit.original: edit.name for edit in edits if edit.name != edit.original}
    return rename_tags(template, renamed), {**schema, "champs": champs}


def _problems(fields: Mapping[str, Any], edits: Sequence[FieldEdit]) -> list[str]:
    """Each problem of the edits, named by the field's label as the author sees it."""
    problems = []
    edited = {edit.original for edit in edits}
    names = [edit.name for edit in edits] + [name for name in fields if name not in edited]
    for edit in edits:
        where = f"champ « {edit.label or edit.original} »"
        spec = fields.get(edit.original)
        if spec is None:
            problems.append(f"{where} : ce champ n’est pas dans le modèle importé")
            continue
        if identifier(edit.name) != edit.name:
            problems.append(
                f"{where} : nom « {edit.name} » invalide (minuscules sans accent, chiffres et _, "
                f"par exemple « {identifier(edit.name) or 'nom_du_champ'} »)"
            )
        elif names.count(edit.name) > 1:
            problems.append(f"{where} : le nom « {edit.name} » est donné à deux champs")
        if not edit.label.strip():
            problems.append(f"{where} : le libellé est vide")
        problems += _kind_problems(where, spec, edit)
    return problems


def _kind_problems(where: str, spec: Mapping[str, Any], edit: FieldEdit) -> list[str]:
    kind = str(spec.get("type", "texte"))
    if edit.kind == kind:
        return (
            [f"{where} : un choix demande au moins un élément"]
            if kind == "choix" and not edit.choices
            else []
        )
    if not editable(spec):
        return [f"{where} : le type « {kind} » de ce champ ne peut pas changer"]
    if edit.kind not in EDITABLE_KINDS:
        return [f"{where} : type « {edit.kind} » inconnu (attendu : {', '.join(EDITABLE_KINDS)})"]
    if edit.kind == "choix" and not edit.choices:
        return [f"{where} : un choix demande au moins un élément (un par ligne)"]
    if len(edit.choices) > MAX_CHOICES:
        return [f"{where} : {len(edit.choices)} éléments (au plus {MAX_CHOICES})"]
    return []


def _edited_spec(spec: Mapping[str, Any], edit: FieldEdit) -> dict[str, Any]:
    """A field's declaration with its new label, kind and items (what the old kind had dropped)."""
    kind = str(spec.get("type", "texte"))
    if edit.kind == kind and kind != "choix":
        return {**spec, "libelle": edit.label.strip()}
    if edit.kind == "choix":
        items = list(dict.fromkeys(item.strip() for item in edit.choices if item.strip()))
        kept = {key: spec[key] for key in ("aide", "requis", "libre") if key in spec and kind == "choix"}
        if kind == "choix" and items == [str(label) for label in _labels(spec)]:
            return {**spec, "libelle": edit.label.strip()}
        return {"type": "choix", "libelle": edit.label.strip(), "choix": items, **kept}
    declared: dict[str, Any] = {"type": edit.kind, "libelle": edit.label.strip()}
    if edit.kind == "date":
        declared["format"] = spec.get("format", DEFAULT_FORMAT)
    return declared


def _labels(spec: Mapping[str, Any]) -> list[Any]:
    given = spec.get("choix")
    return list(given.values()) if isinstance(given, Mapping) else list(given or [])


def choice_items(spec: Mapping[str, Any]) -> list[str]:
    """A choice's items as an author reads and writes them: their labels, one a line."""
    return [str(label) for label in _labels(spec)]


def rename_tags(template: bytes, renamed: Mapping[str, str]) -> bytes:
    """The template with fields renamed inside its tags (``{{ old }}`` → ``{{ new }}``, and in
    ``{% for … in old %}``, ``{{ "☒" if old else "☐" }}``); the other parts copied as they are."""
    if not renamed:
        return template
    names = re.compile(r"(?<![\w.|'\"])(" + "|".join(map(re.escape, renamed)) + r")(?![\w'\"])")

    def tag(match: re.Match[str]) -> str:
        return names.sub(lambda found: renamed[found.group(1)], match.group(0))

    source, target = io.BytesIO(template), io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            content = original.read(item)
            if STORY.fullmatch(item.filename):
                content = TAG.sub(tag, content.decode("utf-8")).encode("utf-8")
            copy.writestr(item, content)
    return target.getvalue()
