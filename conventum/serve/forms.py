"""A form generated from a type's JSON Schema, and the data read back from a submitted form.

Each input is named by its data path (``parties[1].adresse.code_postal``), the path of the
validator's issues, so that every problem lands beside its field. Whatever the schema holds
is followed generically: objects (fieldsets), arrays of objects (repeatable blocks), arrays of
texts (one a line), enums and ``oneOf`` constants (drop-downs), formats (dates, files),
booleans, numbers, defaults. The parties are laid out by role: the type's fixed parties shown
as they will be written, the others as fieldsets to fill (more can be added up to the maximum).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData, UploadFile

from conventum.batch.columns import parse_path
from conventum.batch.spreadsheet import set_path
from conventum.issues import Issue
from conventum.model.catalogue import ConventionType, Role

ITEM = ".@"  # an input named ``path[i].@`` keeps item i of a list, even empty
LINES = "@lignes"  # a textarea named ``path@lignes`` holds a list of texts, one a line
CHECKBOX = "@case"  # a hidden ``path@case`` says a checkbox was on the form (unchecked: false)


@dataclass
class FormField:
    """One input, or a group (fieldset) of them, or a repeatable block."""

    name: str
    label: str
    kind: str  # text, date, integer, number, select, checkbox, lines, file, group, list, hidden, fixed
    required: bool = False
    help: str | None = None
    value: Any = None
    choices: list[tuple[str, str]] = field(default_factory=list)
    children: list[FormField] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    add_label: str | None = None  # a list: the button that adds an item (none at the maximum)
    add_action: str | None = None
    remove_action: str | None = None  # an item of a list: the button that removes it

    @property
    def id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9]+", "-", self.name).strip("-")


class SchemaForm:
    """The form of one type, for one set of data, with the issues placed beside their fields."""

    def __init__(self, ctype: ConventionType, schema: Mapping[str, Any]) -> None:
        self.ctype = ctype
        self.schema = schema
        self.defs: Mapping[str, Any] = schema.get("$defs", {})

    def fields(self, data: Mapping[str, Any], issues: Sequence[Issue] = ()) -> list[FormField]:
        by_path: dict[str, list[Issue]] = {}
        for issue in issues:
            by_path.setdefault(issue.path, []).append(issue)
        required = set(self.schema.get("required", []))
        built = []
        for key, spec in self.schema.get("properties", {}).items():
            if key == "parties" and self.ctype.roles:
                built.append(self._parties(spec, data.get("parties") or []))
            else:
                built.append(self._field(key, key, spec, data.get(key), key in required))
        _place(built, by_path)
        return built

    # -- the schema, followed generically

    def _resolve(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        merged = dict(spec)
        while "$ref" in merged:
            target = self.defs.get(str(merged.pop("$ref")).rsplit("/", 1)[-1], {})
            merged = {**target, **merged}
        return merged

    def _unwrap(self, spec: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
        """The spec without a ``null`` alternative, and whether it was optional."""
        spec = self._resolve(spec)
        shapes = spec.get("oneOf")
        if isinstance(shapes, list) and not any("const" in shape for shape in shapes):
            # one thing or a list of them (an autorisation, or several): the form offers the list
            lists = [self._resolve(shape) for shape in shapes if self._resolve(shape).get("type") == "array"]
            if lists:
                outer = {key: value for key, value in spec.items() if key != "oneOf"}
                spec = {**lists[0], **outer}
        options = spec.get("anyOf")
        if isinstance(options, list):
            kept = [self._resolve(option) for option in options if option.get("type") != "null"]
            if len(kept) == 1:
                outer = {key: value for key, value in spec.items() if key != "anyOf"}
                return {**kept[0], **outer}, len(kept) < len(options)
        return spec, False

    def _field(
        self,
        name: str,
        key: str,
        raw: Mapping[str, Any],
        value: Any,
        required: bool,
        *,
        defaults: bool = True,
    ) -> FormField:
        spec, optional = self._unwrap(raw)
        label = str(spec.get("title") or key)
        help_text = spec.get("description") if spec.get("description") != spec.get("title") else None
        if defaults and value is None and "default" in spec and spec["default"] is not None:
            value = spec["default"]
        common: dict[str, Any] = {
            "name": name,
            "label": label,
            "required": required and not optional,
            "help": help_text,
        }
        choices = _choices(spec)
        if "const" in spec:
            return FormField(kind="hidden", value=spec["const"], **common)
        if spec.get("type") == "object" or "properties" in spec:
            given = value if isinstance(value, Mapping) else {}
            # An optional block left out (a delegation) is shown without its defaults: otherwise the
            # preselected defaults would be sent back, and the block given when it was not.
            return self._group(name, spec, given, common, defaults=defaults and (bool(given) or not optional))
        if spec.get("type") == "array":
            return self._list(name, spec, value if isinstance(value, list) else [], common)
        kind = "select" if choices else _scalar_kind(spec, key)
        if kind == "checkbox":
            value = bool(value) and value not in ("false", "non")
        return FormField(kind=kind, value=value, choices=choices, **common)

    def _group(
        self,
        name: str,
        spec: Mapping[str, Any],
        value: Mapping[str, Any],
        common: dict[str, Any],
        *,
        defaults: bool = True,
    ) -> FormField:
        required = set(spec.get("required", []))
        children = [
            self._field(f"{name}.{key}", key, child, value.get(key), key in required, defaults=defaults)
            for key, child in spec.get("properties", {}).items()
        ]
        return FormField(kind="group", children=children, **common)

    def _list(
        self, name: str, spec: Mapping[str, Any], value: list[Any], common: dict[str, Any]
    ) -> FormField:
        items, _optional = self._unwrap(spec.get("items", {}))
        if items.get("type") not in ("object", None) and "properties" not in items:
            lines = "\n".join(str(item) for item in value)
            return FormField(kind="lines", value=lines, **common)
        count = max(len(value), int(spec.get("minItems", 0)))
        children = []
        for index in range(count):
            item = value[index] if index < len(value) and isinstance(value[index], Mapping) else {}
            child = self._field(f"{name}[{index}]", "", items, item, True)
            child.label = f"{common['label']} n°{index + 1}"
            child.remove_action = f"retirer:{name}[{index}]"
            children.append(child)
        maximum = spec.get("maxItems")
        add = None if maximum is not None and count >= maximum else f"ajouter:{name}"
        return FormField(
            kind="list", children=children, add_label=f"Ajouter : {common['label']}", add_action=add, **common
        )

    # -- the parties, by role

    def _parties(self, spec: Mapping[str, Any], parties: list[Any]) -> FormField:
        items = self._party_spec(spec.get("items", {}))
        groups: list[FormField] = []
        for role in self.ctype.roles:
            indexes = [
                i
                for i, party in enumerate(parties)
                if isinstance(party, Mapping) and party.get("role") == role.role
            ]
            if not indexes and self.ctype.default_party(role, {}) is not None:
                groups.append(self._fixed(role))
                continue
            members = [
                self._party(items, role, index, parties[index], len(indexes) > role.min) for index in indexes
            ]
            full = role.max is not None and len(indexes) >= role.max
            if role.max == 1 and len(members) == 1:
                groups.append(members[0])  # one party of that role: its fieldset alone
                continue
            if role.max != 1:
                for number, member in enumerate(members, start=1):
                    member.label = f"{role.libelle} n°{number}"
            groups.append(
                FormField(
                    name=f"role:{role.role}",
                    label=role.libelle,
                    kind="list",
                    children=members,
                    add_label=f"Ajouter : {role.libelle}",
                    add_action=None if full else f"ajouter:parties:{role.role}",
                )
            )
        return FormField(
            name="parties", label=str(spec.get("title") or "Parties"), kind="group", children=groups
        )

    def _party_spec(self, items: Mapping[str, Any]) -> dict[str, Any]:
        """The fields of a party to fill. The schema may choose a party's shape by its role
        (``allOf`` of ``if``/``then``: a whole party, or the overrides of a type's fixed one): the
        form fills whole ones, the fixed parties being shown as they are."""
        spec, _optional = self._unwrap(items)
        if "properties" in spec:
            return spec
        for rule in spec.get("allOf", []):
            then = rule.get("then", {}) if isinstance(rule, Mapping) else {}
            whole = self._resolve(then) if "$ref" in then and "not" in rule.get("if", {}) else None
            if whole and "properties" in whole:
                return whole
        return self._resolve({"$ref": "#/$defs/Partie"})

    def _fixed(self, role: Role) -> FormField:
        default = self.ctype.default_party(role, {}) or {}
        summary = ", ".join(
            str(part)
            for part in (
                default.get("nom"),
                (default.get("adresse") or {}).get("commune"),
                " ".join(
                    str((default.get("representant") or {}).get(k, "")) for k in ("prenom", "nom")
                ).strip(),
            )
            if part
        )
        return FormField(
            name=f"role:{role.role}",
            label=role.libelle,
            kind="fixed",
            value=summary,
            help="Partie fixe de ce type de convention, écrite telle quelle dans le document.",
        )

    def _party(
        self, items: Mapping[str, Any], role: Role, index: int, party: Any, removable: bool
    ) -> FormField:
        group = self._field(f"parties[{index}]", "", items, party, True)
        group.label = role.libelle
        for child in group.children:
            if child.name.endswith(".role"):
                child.kind, child.value = "hidden", role.role
            elif child.name.endswith(".nature") and role.natures and child.kind == "text":
                child.kind = "select"
                child.choices = [(nature, nature.replace("-", " ")) for nature in role.natures]
                if len(role.natures) == 1:
                    child.value = role.natures[0]
        group.remove_action = f"retirer:parties[{index}]" if removable else None
        return group


def _scalar_kind(spec: Mapping[str, Any], key: str) -> str:
    kind = spec.get("type")
    if kind == "boolean":
        return "checkbox"
    if kind in ("integer", "number"):
        return str(kind)
    if spec.get("format") == "date":
        return "date"
    if spec.get("format") == "path" or key == "fichier":
        return "file"
    return "text"


def _choices(spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    if isinstance(spec.get("enum"), list):
        return [(str(value), str(value)) for value in spec["enum"] if value is not None]
    options = spec.get("oneOf") or spec.get("anyOf")
    if isinstance(options, list) and options and all("const" in option for option in options):
        return [(str(option["const"]), str(option.get("title") or option["const"])) for option in options]
    return []


def _place(fields: list[FormField], by_path: dict[str, list[Issue]]) -> None:
    for item in fields:
        item.errors = by_path.get(item.name, [])
        _place(item.children, by_path)


def field_names(fields: list[FormField]) -> set[str]:
    names: set[str] = set()
    for item in fields:
        names.add(item.name)
        names |= field_names(item.children)
    return names


def find_field(fields: list[FormField], name: str) -> FormField | None:
    for item in fields:
        if item.name == name:
            return item
        found = find_field(item.children, name)
        if found is not None:
            return found
    return None


# -- the submitted form, back to data


def form_data(form: FormData, files: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The data of a submitted form: empty inputs left out (the validator says what is missing),
    items of lists kept in their order, uploaded annex files by the names they were saved under."""
    data: dict[str, Any] = {}
    checkboxes = {key[: -len(CHECKBOX)] for key in form if key.endswith(CHECKBOX)}
    for key, value in form.multi_items():
        if isinstance(value, UploadFile) or key.startswith("_") or key == "action" or key.endswith(CHECKBOX):
            continue
        if key.endswith(ITEM):
            _ensure_item(data, key[: -len(ITEM)])
            continue
        if key.endswith(LINES):
            lines = [line.strip() for line in value.splitlines() if line.strip()]
            _set(data, key[: -len(LINES)], lines or None)
            continue
        if key in checkboxes:
            _set(data, key, value == "true")
            checkboxes.discard(key)
            continue
        _set(data, key, value.strip() or None)
    for key in checkboxes:
        _set(data, key, False)
    for key, name in (files or {}).items():
        _set(data, key, name)
    return data


def _set(data: dict[str, Any], name: str, value: Any) -> None:
    segments = parse_path(name)
    if segments is None:
        return
    if value is None:
        if len(segments) > 1:
            _ensure_item(data, ".".join(_text(s) for s in segments[:-1]))  # keep its item in place
        return
    set_path(data, segments, value)


def _text(segment: tuple[str, int | None]) -> str:
    name, index = segment
    return name if index is None else f"{name}[{index}]"


def _ensure_item(data: dict[str, Any], name: str) -> None:
    segments = parse_path(name)
    if not segments:
        return
    current: Any = data
    for position, (key, index) in enumerate(segments):
        last = position == len(segments) - 1
        if not isinstance(current, dict):
            return
        if index is None:
            current = current.setdefault(key, {}) if not last or key not in current else current[key]
            if last and not isinstance(current, dict):
                return
            continue
        items = current.setdefault(key, [])
        if not isinstance(items, list):
            return
        while len(items) <= index:
            items.append({})
        current = items[index]


def prune(value: Any) -> Any:
    """Objects left empty by blank inputs removed (an empty address is a missing one)."""
    if isinstance(value, dict):
        pruned = {key: prune(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item != {} or key in ("parties",)}
    if isinstance(value, list):
        return [prune(item) for item in value]
    return value


def apply_action(ctype: ConventionType, data: dict[str, Any], action: str) -> dict[str, Any]:
    """``ajouter:PATH`` adds an empty item to a list (``ajouter:parties:ROLE`` a party of that role);
    ``retirer:PATH[i]`` removes one."""
    data = copy.deepcopy(data)
    verb, _, target = action.partition(":")
    if verb == "ajouter" and target.startswith("parties:"):
        role = target.split(":", 1)[1]
        if ctype.role(role) is not None:
            data.setdefault("parties", []).append({"role": role})
    elif verb == "ajouter":
        segments = parse_path(target)
        if segments:
            container = _container(data, segments[:-1])
            if isinstance(container, dict):
                items = container.setdefault(segments[-1][0], [])
                if isinstance(items, list):
                    items.append({})
    elif verb == "retirer":
        segments = parse_path(target)
        if segments and segments[-1][1] is not None:
            container = _container(data, segments[:-1])
            name, index = segments[-1]
            items = container.get(name) if isinstance(container, dict) else None
            if isinstance(items, list) and index is not None and index < len(items):
                del items[index]
    return data


def _container(data: dict[str, Any], segments: tuple[tuple[str, int | None], ...]) -> Any:
    current: Any = data
    for name, index in segments:
        current = current.get(name) if isinstance(current, dict) else None
        if index is not None:
            current = current[index] if isinstance(current, list) and index < len(current) else None
    return current


def initial_data(ctype: ConventionType) -> dict[str, Any]:
    """A new form: one party of each role to fill (its minimum count), the fixed ones left to the type."""
    parties = []
    for role in ctype.roles:
        if ctype.default_party(role, {}) is not None:
            continue
        parties += [{"role": role.role} for _ in range(max(1, role.min))]
    return {"parties": parties}
