"""A form generated from a type's JSON Schema: whatever the schema holds is followed generically —
objects (fieldsets), arrays of objects (repeatable blocks), arrays of texts (one a line), enums and
``oneOf`` constants (drop-downs), formats (dates, files), booleans, numbers, defaults.

The page lays the fields out as the clerk reads the document: the parties by role
(``serve/partyform.py``), the type's own fields under the articles that write them
(``serve/sections.py``), the legal term shown as a sentence (not edited), the signature last."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from conventum.issues import Issue
from conventum.model.catalogue import ConventionType
from conventum.serve.formfields import FormField, place_issues
from conventum.serve.partyform import parties_field
from conventum.serve.seanceform import guide_seance
from conventum.serve.sections import form_sections
from conventum.serve.terms import term_field


class SchemaForm:
    """The form of one type, for one set of data, with the issues placed beside their fields."""

    def __init__(self, ctype: ConventionType, schema: Mapping[str, Any], prefix: str = "") -> None:
        self.ctype = ctype
        self.schema = schema
        self.prefix = prefix  # the path of these data in a dossier ("convention.donnees.")
        self.defs: Mapping[str, Any] = schema.get("$defs", {})

    def fields(self, data: Mapping[str, Any], issues: Sequence[Issue] = ()) -> list[FormField]:
        required = set(self.schema.get("required", []))
        built: dict[str, FormField] = {}
        for key, spec in self.schema.get("properties", {}).items():
            if key == "parties" and not self.ctype.roles and not data.get("parties"):
                continue  # a délibération, a rapport: no parties to fill
            if key == "parties" and self.ctype.roles:
                built[key] = parties_field(self, spec, data.get("parties") or [])
            elif key in self.ctype.fields and self.ctype.fields[key].term is not None:
                built[key] = term_field(self, key, spec, data.get(key), key in required)
            else:
                built[key] = self.field(self.prefix + key, key, spec, data.get(key), key in required)
        if "signature" in built and self.ctype.roles:
            built["signature"].label = "Lieu et date de signature de la convention"
            built["signature"].help = "Une fois pour toutes les parties."
        arranged = self._arranged(built)
        guide_seance(arranged, data, self.prefix)
        _canonical_choices(arranged)
        place_issues(arranged, list(issues))
        return arranged

    def _arranged(self, built: dict[str, FormField]) -> list[FormField]:
        """The parties, the type's fields under their sections, the rest as the schema gives them."""
        sections = form_sections(self.ctype)
        placed = {name for section in sections for name in section.fields}
        first = [built[key] for key in ("parties",) if key in built]
        groups = [
            FormField(
                name=f"{self.prefix}rubrique:{index}",
                label=section.title,
                kind="group",
                children=[built[name] for name in section.fields if name in built],
            )
            for index, section in enumerate(sections, start=1)
        ]
        rest = [
            item for key, item in built.items() if key not in placed and key not in ("parties", "signature")
        ]
        last = [built[key] for key in ("signature",) if key in built]  # the closing: « Fait à …, le … »
        return first + [group for group in groups if group.children] + rest + last

    # -- the schema, followed generically

    def resolve(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        merged = dict(spec)
        while "$ref" in merged:
            target = self.defs.get(str(merged.pop("$ref")).rsplit("/", 1)[-1], {})
            merged = {**target, **merged}
        return merged

    def unwrap(self, spec: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
        """The spec without a ``null`` alternative, and whether it was optional."""
        spec = self.resolve(spec)
        shapes = spec.get("oneOf")
        if isinstance(shapes, list) and not any("const" in shape for shape in shapes):
            # one thing or a list of them (an autorisation, or several): the form offers the list
            lists = [self.resolve(shape) for shape in shapes if self.resolve(shape).get("type") == "array"]
            if lists:
                outer = {key: value for key, value in spec.items() if key != "oneOf"}
                spec = {**lists[0], **outer}
        options = spec.get("anyOf")
        if isinstance(options, list):
            kept = [self.resolve(option) for option in options if option.get("type") != "null"]
            if len(kept) == 1:
                outer = {key: value for key, value in spec.items() if key != "anyOf"}
                return {**kept[0], **outer}, len(kept) < len(options)
        return spec, False

    def field(
        self,
        name: str,
        key: str,
        raw: Mapping[str, Any],
        value: Any,
        required: bool,
        *,
        defaults: bool = True,
    ) -> FormField:
        spec, optional = self.unwrap(raw)
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
        if spec.get("type") == "array":  # one item given alone (an autorisation) is a list of one
            items = value if isinstance(value, list) else [value] if isinstance(value, Mapping) else []
            return self._list(name, spec, items, common)
        kind = "select" if choices else _scalar_kind(spec, key)
        if kind == "date" and common["help"]:
            common["help"] = _without_format_hint(str(common["help"]))
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
            self.field(f"{name}.{key}", key, child, value.get(key), key in required, defaults=defaults)
            for key, child in spec.get("properties", {}).items()
        ]
        return FormField(kind="group", children=children, **common)

    def _list(
        self, name: str, spec: Mapping[str, Any], value: list[Any], common: dict[str, Any]
    ) -> FormField:
        items, _optional = self.unwrap(spec.get("items", {}))
        if items.get("type") not in ("object", None) and "properties" not in items:
            lines = "\n".join(str(item) for item in value)
            return FormField(kind="lines", value=lines, **common)
        count = max(len(value), int(spec.get("minItems", 0)))
        children = []
        for index in range(count):
            item = value[index] if index < len(value) and isinstance(value[index], Mapping) else {}
            child = self.field(f"{name}[{index}]", "", items, item, True)
            child.label = f"{items.get('title') or common['label']} n°{index + 1}"
            child.remove_action = f"retirer:{name}[{index}]"
            children.append(child)
        maximum = spec.get("maxItems")
        add = None if maximum is not None and count >= maximum else f"ajouter:{name}"
        return FormField(
            kind="list",
            children=children,
            add_label=f"Ajouter : {items.get('title') or common['label']}",
            add_action=add,
            **common,
        )


def _canonical_choices(fields: list[FormField]) -> None:
    """A legacy spelling read from a data file ("conseil municipal") shown as the option it stands
    for ("conseil-municipal"), so that the form sends the key back rather than nothing."""
    for item in fields:
        _canonical_choices(item.children)
        values = {option.value for option in item.options}
        if item.kind != "select" or item.value in (None, "") or str(item.value) in values:
            continue
        wanted = _folded(str(item.value))
        item.value = next(
            (o.value for o in item.options if wanted in (_folded(o.value), _folded(o.label))), item.value
        )


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def _without_format_hint(text: str) -> str | None:
    """A date's help without "AAAA-MM-JJ": the date picker says how a date is written."""
    if not text.startswith("AAAA-MM-JJ"):
        return text
    rest = text.removeprefix("AAAA-MM-JJ").lstrip(" ;")
    rest = re.sub(r"^\([^)]*\)\.?\s*", "", rest)
    return rest[:1].upper() + rest[1:] if rest else None


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
        return [
            (str(option["const"]), str(option.get("title") or option["const"]))
            for option in options
            if not option.get("deprecated")  # a legacy spelling: read in data files, never offered
        ]
    return []
