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

from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from conventum.batch.columns import parse_path
from conventum.batch.spreadsheet import set_path
from conventum.issues import Issue
from conventum.model.blocks import Duree
from conventum.model.catalogue import ConventionType, Role
from conventum.serve.choices import Option, nature_options, organ_options, plain_options, quality_options
from conventum.terms.resolve import term_fields
from conventum.terms.wording import term_words
from conventum.validation.rules import uses_of

ADVANCED = "Informations avancées"
# A party's fields in the order a clerk gives them (the name first: it fills the others), and the
# technical ones folded under « Informations avancées » (the geography fills most of them).
FIRST_PARTY_FIELDS = ("role", "nom", "nature", "adresse", "representant", "autorisation")
ADVANCED_PARTY_FIELDS = (
    "liaison",
    "designation",
    "insee",
    "siren",
    "siret",
    "departement",
    "article",
    "signature",
)
# The convention's fields a type gives already (its term): folded, shown as the type has them.
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
    options: list[Option] = field(default_factory=list)  # a select's choices, with their data
    children: list[FormField] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    add_label: str | None = None  # a list: the button that adds an item (none at the maximum)
    add_action: str | None = None
    remove_action: str | None = None  # an item of a list: the button that removes it
    fold: str | None = None  # folded under a « details » of this title (technical fields)
    search: bool = False  # a party's name: searched in the official geography as it is typed
    party: str | None = None  # a party's fieldset: its path (parties[0]), for the page's scripts
    focus: bool = False  # the block just added: the page puts the focus in it

    def __post_init__(self) -> None:
        if self.choices and not self.options:
            self.options = plain_options(self.choices)

    @property
    def shown_options(self) -> list[Option]:
        return [option for option in self.options if not option.hidden]

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
                if key in term_fields(self.ctype):  # the term: shown as the type has it, folded
                    built[-1].fold = term_summary(data.get(key) or self._unwrap(spec)[0].get("default"))
        if "signature" in self.schema.get("properties", {}) and self.ctype.roles:
            signature = built[[f.name for f in built].index("signature")]
            signature.label = "Lieu et date de signature de la convention"
            signature.help = "Une fois pour toutes les parties."
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
        group.party = group.name
        by_key = {child.name.rsplit(".", 1)[-1]: child for child in group.children}
        nature_field = by_key.get("nature")
        if nature_field is not None:
            natures = list(role.natures) or [option.value for option in nature_field.options]
            nature_field.kind, nature_field.options = "select", nature_options(natures)
            if len(natures) == 1:
                nature_field.value = natures[0]
        nature = str(nature_field.value) if nature_field is not None and nature_field.value else None
        _party_choices(by_key, nature)
        if "role" in by_key:
            by_key["role"].kind, by_key["role"].value = "hidden", role.role
        if "nom" in by_key:
            by_key["nom"].search = True
            by_key["nom"].help = (
                "Tapez le début du nom, le code postal, le code INSEE ou le SIREN, puis choisissez : "
                "la nature, les codes et l’adresse se remplissent."
            )
        signature = by_key.get("signature")
        if signature is not None:
            signature.label = "Signature propre à cette partie"
            signature.help = (
                "Seulement si cette partie signe à un autre lieu ou à une autre date que ceux de la "
                "convention (en bas du formulaire)."
            )
        first = [by_key[key] for key in FIRST_PARTY_FIELDS if key in by_key]
        rest = [child for child in group.children if child not in first]
        for child in rest:
            if child.name.rsplit(".", 1)[-1] in ADVANCED_PARTY_FIELDS:
                child.fold = ADVANCED
        group.children = first + [c for c in rest if c.fold is None] + [c for c in rest if c.fold]
        group.remove_action = f"retirer:parties[{index}]" if removable else None
        return group


def term_summary(value: Any) -> str:
    """The term as a sentence, the title of its fold: "Durée : indéterminée, à compter de la date
    de sa notification (prévue par le type ; à changer seulement si la convention le demande)"."""
    suffix = " (prévue par le type ; à changer seulement si la convention le demande)"
    try:
        words = term_words(Duree.model_validate(value or {}))
    except (ValidationError, ValueError, TypeError):
        return "Durée de la convention" + suffix
    return f"Durée : {words['texte']}, {words['entree_en_vigueur']}{suffix}"


def _party_choices(by_key: Mapping[str, FormField], nature: str | None) -> None:
    """A party's qualités and organs: those of its nature, the qualités agreed with the civilité."""
    representative = by_key.get("representant")
    if representative is not None:
        parts = {child.name.rsplit(".", 1)[-1]: child for child in representative.children}
        quality, civility = parts.get("qualite"), parts.get("civilite")
        if quality is not None:
            civilite = str(civility.value) if civility is not None and civility.value else None
            quality.kind, quality.options = "select", quality_options(nature, civilite)
        delegation = parts.get("delegation")
        if delegation is not None:
            delegation.fold = "Délégation de signature (si le signataire agit par délégation)"
            for child in delegation.children:
                if child.name.endswith(".autorite"):  # the rule parties.delegation: of the party's nature
                    child.label = "Autorité qui délègue sa signature"
                    child.kind, child.options = "select", quality_options(nature, None)
    authorisations = by_key.get("autorisation")
    for item in authorisations.children if authorisations is not None else []:
        for child in item.children:
            if child.name.endswith(".organe"):
                child.options = organ_options(nature, [option.value for option in child.options])


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


def _place(fields: list[FormField], by_path: dict[str, list[Issue]]) -> None:
    for item in fields:
        item.errors = by_path.get(item.name, [])
        _place(item.children, by_path)


def added_path(data: Mapping[str, Any], action: str) -> str | None:
    """The path of the item an « Ajouter » action just added (the last of its list)."""
    verb, _, target = action.partition(":")
    if verb != "ajouter":
        return None
    if target.startswith("parties:"):
        parties = data.get("parties")
        return f"parties[{len(parties) - 1}]" if isinstance(parties, list) and parties else None
    segments = parse_path(target)
    items = _container(dict(data), segments) if segments else None
    return f"{target}[{len(items) - 1}]" if isinstance(items, list) and items else None


def title_of(fields: list[FormField], path: str) -> str:
    """A field as the clerk sees it: "Code postal de l’adhérent" (never its path)."""
    chain = _chain(fields, path)
    if not chain:
        return "Document"
    label = chain[-1].label
    party = next((item for item in reversed(chain[:-1]) if item.party), None)
    if party is not None and party is not chain[-1]:
        return f"{label} {_of(party.label)}"
    return label


def _chain(fields: list[FormField], path: str) -> list[FormField]:
    for item in fields:
        if item.name == path:
            return [item]
        found = _chain(item.children, path)
        if found:
            return [item, *found]
    return []


OF_ARTICLES = (("L’", "de l’"), ("L'", "de l’"), ("La ", "de la "), ("Le ", "du "), ("Les ", "des "))


def _of(label: str) -> str:
    """ "de" before a role's label: "de l’adhérent", "de la centrale d’achats", "du membre"."""
    for article, joined in OF_ARTICLES:
        if label.startswith(article):
            return joined + label[len(article) :]
    return f"({label})"


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
            data.setdefault("parties", []).append(new_party(ctype, role))
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
        parties += [new_party(ctype, role.role) for _ in range(max(1, role.min))]
    return {"parties": parties}


def authorised_roles(ctype: ConventionType) -> set[str]:
    """The roles whose parties must state the decision that authorises them (rule parties.autorisation):
    their « Autorisation de signer » is shown open, not behind « Ajouter »."""
    found: set[str] = set()
    for use in uses_of(ctype):
        if use.name == "parties.autorisation":
            found |= set(use.params.get("roles") or [role.role for role in ctype.roles])
    return found


def new_party(ctype: ConventionType, role: str) -> dict[str, Any]:
    """A party to fill: its role, and an authorisation to give when the type requires one."""
    return {"role": role, "autorisation": [{}]} if role in authorised_roles(ctype) else {"role": role}
