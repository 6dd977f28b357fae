"""An imported type changed by its author before it is saved: a field renamed (in the schema and in
the template's tags), its label or kind changed, a blank made a choice with its items."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from conventum.errors import TemplateError
from conventum.model.catalogue import field_specs
from conventum.model.specs import FieldSpec
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
PRINTED = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")  # a field printed as it is
# How a field made a number prints it: in French figures; an amount without its unit, which the
# template's own text writes after the blank (« … s’élève à [Montant] euros »).
WRITTEN_DATE = "d MMMM yyyy"  # a blank made a date reads as prose does: « le 12 février 2026 »
NUMBER_FILTERS = {"montant": "montant(currency=False)", "entier": "nombre", "decimal": "nombre"}
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


def editable(spec: FieldSpec) -> bool:
    """Whether a field's kind may be changed (one printed value, not a checkbox nor a list)."""
    return spec.kind in EDITABLE_KINDS


def declarations(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The fields' declarations of an imported schema, as the import wrote them (``champs``)."""
    return dict(schema["champs"] or {}) if "champs" in schema else {}


def apply_edits(
    template: bytes, schema: Mapping[str, Any], edits: Sequence[FieldEdit], *, taken: Collection[str] = ()
) -> tuple[bytes, dict[str, Any]]:
    """The template and schema with the edits made; TemplateError listing every problem at once.
    ``taken``: names the template already gives to something else (the parties' roles)."""
    declared = declarations(schema)
    fields = field_specs(declared, source="modèle importé")
    problems = list(_problems(fields, edits, taken))
    if problems:
        raise TemplateError("modifications refusées :\n" + "\n".join(f"  - {p}" for p in problems))
    by_name = {edit.original: edit for edit in edits}
    changed = {}
    for name, declaration in declared.items():
        edit = by_name.get(name)
        if edit is None:
            changed[name] = declaration
        else:
            changed[edit.name] = _edited(declaration, fields[name], edit)
    renamed = {edit.original: edit.name for edit in edits if edit.name != edit.original}
    numbers = {
        edit.name: NUMBER_FILTERS[edit.kind]
        for edit in edits
        if edit.kind in NUMBER_FILTERS and fields[edit.original].kind not in NUMBER_FILTERS
    }
    return rename_tags(template, renamed, numbers), {**schema, "champs": changed}


def relabel_parties(schema: Mapping[str, Any], labels: Mapping[str, str]) -> dict[str, Any]:
    """The schema with its parties' labels (``libelle``) as the author wrote them (role → label);
    TemplateError when one is left empty."""
    empty = [role for role, label in labels.items() if not label.strip()]
    if empty:
        lines = "\n".join(f"  - partie « {role} » : le libellé est vide" for role in empty)
        raise TemplateError(f"modifications refusées :\n{lines}")
    roles = [
        {**role, "libelle": labels[role["role"]].strip()}
        if isinstance(role, Mapping) and role.get("role") in labels
        else role
        for role in schema.get("parties") or []
    ]
    return {**schema, "parties": roles} if roles else dict(schema)


def _problems(
    fields: Mapping[str, FieldSpec], edits: Sequence[FieldEdit], taken: Collection[str]
) -> list[str]:
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
        elif edit.name in taken:
            problems.append(f"{where} : le nom « {edit.name} » est celui d’une partie du modèle")
        if not edit.label.strip():
            problems.append(f"{where} : le libellé est vide")
        problems += _kind_problems(where, spec, edit)
    return problems


def _kind_problems(where: str, spec: FieldSpec, edit: FieldEdit) -> list[str]:
    kind = spec.kind
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


def _edited(declaration: Mapping[str, Any], spec: FieldSpec, edit: FieldEdit) -> dict[str, Any]:
    """A field's declaration with its new label, kind and items (what the old kind had dropped)."""
    label = edit.label.strip()
    items = list(dict.fromkeys(item.strip() for item in edit.choices if item.strip()))
    if edit.kind == spec.kind and (spec.kind != "choix" or items == choice_items(spec)):
        return {**declaration, "libelle": label}
    if edit.kind == "choix":
        kept = {"libre": True} if spec.kind == "choix" and spec.free else {}
        return {"type": "choix", "libelle": label, "choix": items, **kept}
    edited: dict[str, Any] = {"type": edit.kind, "libelle": label}
    if edit.kind == "date":
        edited["format"] = spec.date_format or WRITTEN_DATE
    return edited


def choice_items(spec: FieldSpec) -> list[str]:
    """A choice's items as an author reads and writes them: their labels, one a line."""
    return [str(label) for label in spec.choices.values()]


def rename_tags(
    template: bytes, renamed: Mapping[str, str], filters: Mapping[str, str] | None = None
) -> bytes:
    """The template with fields renamed inside its tags (``{{ old }}`` → ``{{ new }}``, and in
    ``{% for … in old %}``, ``{{ "☒" if old else "☐" }}``), and a filter given to the fields that
    print a number (``filters``: new name → ``montant(currency=False)``); other parts copied."""
    filters = filters or {}
    if not renamed and not filters:
        return template
    names = re.compile(r"(?<![\w.|'\"])(" + "|".join(map(re.escape, renamed or {"": ""})) + r")(?![\w'\"])")

    def tag(match: re.Match[str]) -> str:
        text = names.sub(lambda found: renamed.get(found.group(1), found.group(1)), match.group(0))
        alone = PRINTED.fullmatch(text)
        return (
            f"{{{{ {alone.group(1)}|{filters[alone.group(1)]} }}}}"
            if alone and alone.group(1) in filters
            else text
        )

    source, target = io.BytesIO(template), io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            content = original.read(item)
            if STORY.fullmatch(item.filename):
                content = TAG.sub(tag, content.decode("utf-8")).encode("utf-8")
            copy.writestr(item, content)
    return target.getvalue()
