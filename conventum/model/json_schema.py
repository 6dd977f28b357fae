"""The JSON Schema (Draft 2020-12) of a convention type: what ``validate`` accepts, in French.

One schema per type, the single source for form builders, GED connectors and other languages.
It describes the canonical form of the data:

- closed choices (rôle, nature, qualité, organe, civilité, nature de la décision, a type's
  ``choix``) are ``oneOf`` of ``const`` (the key written in data) + ``title`` (the French label);
  for natures, qualités and organes the labels written in full (« Conseil municipal »,
  « Présidente du Conseil départemental ») are accepted too: they follow the keys in ``oneOf``,
  marked ``deprecated`` (a form offers the keys; a file written by hand may use a label);
- dates are ``AAAA-MM-JJ`` (``format: date``); amounts and decimals a JSON number or a decimal
  string (``"1234.50"``), never negative for an amount;
- ``autorisation`` is a list of decisions; one decision alone (an object) is accepted too, so the
  schema says ``oneOf`` [object, list];
- a party whose role has default data in the type (``defaut``) only overrides it: for those roles
  nothing but ``role`` is required.

Data files written by hand may also use conveniences the schema does not list: a label in
other capitals or without accents (« conseil Municipal »), a date written ``14/03/2025``.
"""

from __future__ import annotations

import copy
import datetime as dt
import types
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, Le, MinLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from conventum.french.grammar import DECISION_WORDS, capitalise, vocabulary
from conventum.model.blocks import (
    ARTICLES,
    DEPARTEMENT_CODE,
    INSEE_CODE,
    Adresse,
    Annexe,
    Autorisation,
    Delegation,
    Duree,
    Partie,
    Representant,
    Signature,
)
from conventum.model.catalogue import ConventionType, as_type, resource_dir
from conventum.model.loading import load_data
from conventum.model.specs import FieldSpec

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID_PREFIX = "urn:conventum:type:"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
AMOUNT_PATTERN = r"^[0-9]+(\.[0-9]+)?$"
POSTAL_CODE_PATTERN = r"^[0-9]{5}$"
# A text holds no character Word cannot hold (field.caractere_interdit); a required one is not blank.
_FORBIDDEN = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff"
TEXT_PATTERN = f"^[^{_FORBIDDEN}]*$"
FILLED_TEXT_PATTERN = f"^[^{_FORBIDDEN}]*[^\\s{_FORBIDDEN}][^{_FORBIDDEN}]*$"

BLOCKS: tuple[type[BaseModel], ...] = (
    Adresse,
    Delegation,
    Representant,
    Autorisation,
    Signature,
    Annexe,
    Partie,
    Duree,
)

# What a clerk reads about the core fields (the type's own fields say it in their YAML).
DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("Partie", "role"): "Le rôle de la partie dans la convention, parmi ceux que prévoit le type.",
    ("Partie", "nature"): "La nature juridique de la partie (commune, département, syndicat mixte…).",
    ("Partie", "nom"): "Le nom propre, sans la nature : « Pas-de-Calais » (le Département du Pas-de-Calais).",
    ("Partie", "liaison"): "Comment le nom suit la nature : « de » (la Commune de Lens) ou « apposition ».",
    ("Partie", "autorisation"): "La décision (ou les décisions) qui autorise le représentant à signer.",
    ("Adresse", "code_postal"): "Cinq chiffres.",
    ("Representant", "qualite"): "La fonction du signataire, accordée à sa civilité dans le document.",
    ("Autorisation", "organe"): "L’assemblée ou l’organe qui a pris la décision.",
    ("Autorisation", "date"): "AAAA-MM-JJ (un fichier saisi à la main peut aussi écrire JJ/MM/AAAA).",
    ("Signature", "date"): "AAAA-MM-JJ ; sans date, elle reste à écrire à la main.",
    ("Annexe", "fichier"): "Chemin d’un fichier PDF ou DOCX, relatif au dossier du fichier de données.",
}


def json_schema(convention_type: str | ConventionType) -> dict[str, Any]:
    """The JSON Schema of a type (its name or the loaded type), for form builders and other languages."""
    return _schema(as_type(convention_type))


def _schema(ctype: ConventionType) -> dict[str, Any]:
    defs = {block.__name__: _model_schema(block, ctype) for block in BLOCKS}
    defs["PartieSurcharge"] = _partial(defs["Partie"], defs)
    defs["PartieSurcharge"]["title"] = "Partie (surcharge des valeurs par défaut du type)"
    defs["DureePartielle"] = _partial(defs["Duree"], defs)
    defs["DureePartielle"]["title"] = "Durée (les clés données remplacent celles du type)"
    properties: dict[str, Any] = {
        "parties": {
            "type": "array",
            "title": "Parties",
            "description": _parties_description(ctype),
            "items": _party_items(ctype),
        },
        "signature": _nullable({"$ref": "#/$defs/Signature", "title": "Signature"}),
        "annexes": {
            "type": "array",
            "title": "Annexes",
            "items": {"$ref": "#/$defs/Annexe"},
            "default": [dict(annex) for annex in copy.deepcopy(ctype.annexes)],
        },
    }
    required: list[str] = []
    for name, spec in ctype.fields.items():
        properties[name] = _spec_schema(spec)
        if spec.mandatory:
            required.append(name)
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": ID_PREFIX + ctype.name,
        "title": ctype.titre,
        "description": ctype.description,
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    schema["$defs"] = defs
    sample = sample_data(ctype)
    if sample is not None:
        schema["examples"] = [sample]
        _attach_examples(schema, sample, defs)
    return schema


# --- the core blocks, read from their pydantic models -------------------------------------------


def _model_schema(model: type[BaseModel], ctype: ConventionType) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, info in model.model_fields.items():
        special = _special(model.__name__, name, ctype)
        node = special if special is not None else _annotation_schema(info.annotation)
        node = _constrained(node, info)
        if _optional(info.annotation) and special is not None:
            node = _nullable(node)
        node = {"title": info.title or name, **node}
        description = DESCRIPTIONS.get((model.__name__, name))
        if description:
            node["description"] = description
        if info.is_required():
            required.append(name)
        else:
            default = _default(info)
            if default is not PydanticUndefined:
                node["default"] = default
        properties[name] = node
    schema: dict[str, Any] = {
        "type": "object",
        "title": _block_title(model),
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    return schema


def _constrained(node: dict[str, Any], info: FieldInfo) -> dict[str, Any]:
    """The bounds pydantic checks: a text that may not be empty (nor blank), a minimum number, a
    pattern; on the value itself (inside ``anyOf`` when it may also be null)."""
    for item in info.metadata:
        if isinstance(item, MinLen) and item.min_length >= 1 and node.get("type") == "string":
            node = {**node, "minLength": 1, "pattern": FILLED_TEXT_PATTERN}
        elif isinstance(item, Ge):
            node = _on_value(node, "minimum", item.ge)
        elif isinstance(item, Le):
            node = _on_value(node, "maximum", item.le)
        elif isinstance(getattr(item, "pattern", None), str):  # Field(pattern=…): SIREN, INSEE code
            node = _on_value(node, "pattern", item.pattern)
    return node


def _on_value(node: dict[str, Any], keyword: str, value: Any) -> dict[str, Any]:
    if "anyOf" in node:
        options = [
            option if option.get("type") == "null" else _on_value(option, keyword, value)
            for option in node["anyOf"]
        ]
        return {**node, "anyOf": options}
    return {**node, keyword: value}


def _block_title(model: type[BaseModel]) -> str:
    return {
        "Adresse": "Adresse",
        "Delegation": "Délégation de signature",
        "Representant": "Représentant",
        "Autorisation": "Autorisation de signer",
        "Duree": "Durée de la convention",
        "Signature": "Signature",
        "Annexe": "Annexe",
        "Partie": "Partie",
    }[model.__name__]


def _default(info: FieldInfo) -> Any:
    if info.default_factory is not None:
        return info.default_factory()  # type: ignore[call-arg]
    value = info.default
    return value.isoformat() if isinstance(value, dt.date) else value


def _special(model: str, name: str, ctype: ConventionType) -> dict[str, Any] | None:
    """The fields whose pydantic type says less than what is accepted (vocabulary, patterns)."""
    if (model, name) == ("Partie", "role"):
        return _choices({role.role: role.libelle for role in ctype.roles}) if ctype.roles else None
    maker = SPECIAL.get((model, name))
    return maker() if maker else None


def _authorisation() -> dict[str, Any]:
    one = {"$ref": "#/$defs/Autorisation"}
    return {"oneOf": [one, {"type": "array", "items": one}]}


SPECIAL: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("Partie", "nature"): lambda: _vocabulary_choices("natures", lambda info: str(info["libelle"])),
    ("Representant", "qualite"): lambda: _vocabulary_choices("qualites", _quality_title),
    ("Delegation", "autorite"): lambda: _vocabulary_choices("qualites", _quality_title),
    ("Autorisation", "organe"): lambda: _vocabulary_choices("organes", _organ_title),
    ("Autorisation", "nature"): lambda: _choices(
        {key: capitalise(word) for key, (word, _gender) in DECISION_WORDS.items()}
    ),
    ("Adresse", "code_postal"): lambda: {"type": "string", "pattern": POSTAL_CODE_PATTERN},
    ("Partie", "article"): lambda: _choices({article: article for article in ARTICLES}),
    ("Partie", "insee"): lambda: {"type": "string", "pattern": f"^{INSEE_CODE.pattern}$"},
    ("Partie", "departement"): lambda: {"type": "string", "pattern": f"^{DEPARTEMENT_CODE.pattern}$"},
    ("Partie", "siren"): lambda: {"type": "string", "pattern": r"^\d{9}$"},
    ("Partie", "siret"): lambda: {"type": "string", "pattern": r"^\d{14}$"},
    ("Partie", "autorisation"): _authorisation,
}


def _vocabulary_choices(table: str, title: Callable[[dict[str, Any]], str]) -> dict[str, Any]:
    """The keys of a vocabulary table, then its written labels (accepted, ``deprecated``)."""
    entries = vocabulary()[table]
    node = _choices({key: title(info) for key, info in entries.items()})
    labels: list[str] = []
    for info in entries.values():
        for field in ("libelle", "masculin", "feminin"):
            label = info.get(field)
            if label and label not in labels and label not in entries:
                labels.append(label)
    node["oneOf"] += [{"const": label, "title": label, "deprecated": True} for label in labels]
    return node


def _organ_title(info: dict[str, Any]) -> str:
    return capitalise(info["libelle"])


def _quality_title(info: dict[str, Any]) -> str:
    male, female = info["masculin"], info["feminin"]
    return male if male == female else f"{male} / {female}"


def _optional(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)


def _annotation_schema(annotation: Any) -> dict[str, Any]:  # noqa: PLR0911 - one return per kind of type
    if get_origin(annotation) is Annotated:  # a type with a validator (Texte: normalised text)
        return _annotation_schema(get_args(annotation)[0])
    if _optional(annotation):
        inner = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(inner) > 1:
            return _nullable({"anyOf": [_annotation_schema(arg) for arg in inner]})
        return _nullable(_annotation_schema(inner[0]))
    if get_origin(annotation) in (Union, types.UnionType):  # a date, or an event (a term's start)
        return {"anyOf": [_annotation_schema(arg) for arg in get_args(annotation)]}
    if get_origin(annotation) is Literal:
        return _choices({str(value): _choice_title(str(value)) for value in get_args(annotation)})
    if get_origin(annotation) is list:
        return {"type": "array", "items": _annotation_schema(get_args(annotation)[0])}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {"$ref": f"#/$defs/{annotation.__name__}"}
    scalar: dict[Any, dict[str, Any]] = {
        str: {"type": "string", "pattern": TEXT_PATTERN},
        int: {"type": "integer"},
        bool: {"type": "boolean"},
        dt.date: {"type": "string", "format": "date", "pattern": DATE_PATTERN},
        Decimal: {"type": ["number", "string"], "pattern": DECIMAL_PATTERN},
        Path: {"type": "string", "minLength": 1, "pattern": FILLED_TEXT_PATTERN},
    }
    return dict(scalar[annotation])


def _choice_title(value: str) -> str:
    return capitalise(value)


# --- a type's own fields, read from its YAML ------------------------------------------------------


def _spec_schema(spec: FieldSpec) -> dict[str, Any]:
    node = _spec_kind(spec)
    node = {"title": spec.label, **node}
    if spec.help:
        node["description"] = spec.help
    if spec.has_default:
        node["default"] = _jsonable(spec.default)
    elif not spec.required:
        node = _nullable(node)
    return node


def _spec_kind(spec: FieldSpec) -> dict[str, Any]:
    kind = spec.kind
    bounds = {
        bound: value
        for bound, value in (("minimum", spec.minimum), ("maximum", spec.maximum))
        if value is not None
    }
    scalar: dict[str, dict[str, Any]] = {
        "texte": {"type": "string", "pattern": TEXT_PATTERN},
        "entier": {"type": "integer", **bounds},
        "decimal": {"type": ["number", "string"], "pattern": DECIMAL_PATTERN, **bounds},
        "montant": {"type": ["number", "string"], "pattern": AMOUNT_PATTERN, "minimum": 0, **bounds},
        "date": {"type": "string", "format": "date", "pattern": DATE_PATTERN},
        "booleen": {"type": "boolean"},
    }
    if kind in scalar:
        return scalar[kind]
    if kind == "choix":
        return _spec_choices(spec)
    if kind == "objet":
        return _spec_object(spec.fields)
    if kind == "liste" and spec.element is not None:
        return {"type": "array", "items": _spec_kind(spec.element)}
    # the term block; the data may give part of it (the rest: the type's defaults)
    return {"$ref": "#/$defs/DureePartielle"}


def _spec_choices(spec: FieldSpec) -> dict[str, Any]:
    labels = {str(value): str(label) for value, label in spec.choices.items()}
    if spec.free:  # a Word combo box: the items are suggestions, free text is allowed
        return {"type": "string", "pattern": TEXT_PATTERN, "examples": list(labels)}
    return _choices(labels)


def _spec_object(fields: Mapping[str, FieldSpec]) -> dict[str, Any]:
    node: dict[str, Any] = {
        "type": "object",
        "properties": {key: _spec_schema(value) for key, value in fields.items()},
        "additionalProperties": False,
    }
    required = [key for key, value in fields.items() if value.mandatory]
    if required:
        node["required"] = required
    return node


# --- helpers ----------------------------------------------------------------------------------------


def _choices(labels: dict[str, str]) -> dict[str, Any]:
    return {"type": "string", "oneOf": [{"const": key, "title": title} for key, title in labels.items()]}


def _nullable(node: dict[str, Any]) -> dict[str, Any]:
    title = node.get("title")
    inner = {key: value for key, value in node.items() if key != "title"}
    wrapped: dict[str, Any] = {"anyOf": [inner, {"type": "null"}]}
    return {"title": title, **wrapped} if title else wrapped


def _parties_description(ctype: ConventionType) -> str:
    lines = []
    for role in ctype.roles:
        count = "une" if (role.min, role.max) == (1, 1) else f"de {role.min} à {role.max or 'n'}"
        given = " (par défaut celle du type)" if role.defaut or role.defauts else ""
        lines.append(f"« {role.role} » : {role.libelle}, {count}{given}")
    return "Les parties, dans l’ordre voulu : " + " ; ".join(lines) + "." if lines else "Les parties."


def _party_items(ctype: ConventionType) -> dict[str, Any]:
    defaulted = [role.role for role in ctype.roles if role.defaut or role.defauts]
    rules: list[dict[str, Any]] = []
    for role in ctype.roles:
        if role.natures:
            natures = {"properties": {"nature": {"enum": list(role.natures)}}}
            rules.append({"if": _role_is([role.role]), "then": natures})
    if defaulted:
        rules.append({"if": _role_is(defaulted), "then": {"$ref": "#/$defs/PartieSurcharge"}})
        rules.append({"if": {"not": _role_is(defaulted)}, "then": {"$ref": "#/$defs/Partie"}})
        return {"type": "object", "required": ["role"], "allOf": rules}
    return {"$ref": "#/$defs/Partie", "allOf": rules} if rules else {"$ref": "#/$defs/Partie"}


def _role_is(roles: list[str]) -> dict[str, Any]:
    return {"properties": {"role": {"enum": roles}}, "required": ["role"]}


def _partial(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """A block whose every field may be left out (but ``role``): data merged onto a type's default.

    Nested blocks are merged too, so they are partial as well; lists replace the default whole.
    """
    partial = copy.deepcopy(node)
    partial["required"] = [name for name in partial.get("required", []) if name == "role"]
    for name, field in partial["properties"].items():
        target = _ref_of(field)
        if target and target != "Autorisation":
            partial["properties"][name] = _replace_ref(field, target, _partial(defs[target], defs))
    return partial


def _ref_of(field: dict[str, Any]) -> str | None:
    ref = field.get("$ref") or next((item.get("$ref") for item in field.get("anyOf", [])), None)
    return str(ref).rsplit("/", 1)[-1] if ref else None


def _replace_ref(field: dict[str, Any], target: str, inline: dict[str, Any]) -> dict[str, Any]:
    ref = f"#/$defs/{target}"
    if field.get("$ref") == ref:
        return {**{k: v for k, v in field.items() if k != "$ref"}, **inline, "title": field["title"]}
    options = [inline if option.get("$ref") == ref else option for option in field["anyOf"]]
    return {**field, "anyOf": options}


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return value


# --- examples from the type's sample -------------------------------------------------------------


def sample_path(ctype: ConventionType) -> Path | None:
    """The type's sample data file (``samples/NAME.yaml``, else the first ``samples/NAME-*.yaml``)."""
    folder = resource_dir("samples")
    candidates = [folder / f"{ctype.name}.yaml", *sorted(folder.glob(f"{ctype.name}-*.yaml"))]
    return next((path for path in candidates if path.is_file()), None)


def sample_data(ctype: ConventionType) -> dict[str, Any] | None:
    """The sample, as JSON values (dates ISO, decimals as strings), or None without one."""
    path = sample_path(ctype)
    if path is None:
        return None
    data: dict[str, Any] = _jsonable(load_data(path))
    return data


def _attach_examples(node: dict[str, Any], value: Any, defs: dict[str, Any]) -> None:
    """Give each property met in the sample an ``examples`` entry (first value seen)."""
    ref = node.get("$ref")
    if isinstance(ref, str):
        _attach_examples(defs[ref.rsplit("/", 1)[-1]], value, defs)
        return
    for option in node.get("anyOf", []) + node.get("oneOf", []):
        if isinstance(option, dict) and ("$ref" in option or "properties" in option or "items" in option):
            kind_ok = isinstance(value, dict) == ("items" not in option)
            if kind_ok:
                _attach_examples(option, value, defs)
    if isinstance(value, dict) and "properties" in node:
        for key, item in value.items():
            child = node["properties"].get(key)
            if isinstance(child, dict):
                if "examples" not in child and not isinstance(item, (dict, list)):
                    child["examples"] = [item]
                _attach_examples(child, item, defs)
    elif isinstance(value, list) and value and isinstance(node.get("items"), dict):
        items = node["items"]
        target = items if "allOf" not in items else {"$ref": "#/$defs/Partie"}
        _attach_examples(target, value[0], defs)


def choice_titles(schema: dict[str, Any], path: tuple[tuple[str, int | None], ...]) -> dict[str, str]:
    """The French title of each value a closed choice takes, at a field path (``deprecated`` ones left out).

    >>> titles = choice_titles(json_schema("adhesion-centrale-achats"), (("parties", 0), ("role", None)))
    >>> titles["adherent"]
    'L’adhérent'
    """
    node: Any = schema
    for name, _index in path:
        node = _property(node, name, schema)
        if node is None:
            return {}
    node = _follow(node, schema)
    options: list[dict[str, Any]] = node.get("oneOf") or next(
        (o["oneOf"] for o in node.get("anyOf", []) if "oneOf" in o), []
    )
    return {
        str(o["const"]): str(o.get("title", o["const"]))
        for o in options
        if "const" in o and not o.get("deprecated")
    }


def _follow(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = root["$defs"][str(node["$ref"]).rsplit("/", 1)[-1]]
    return node


def _property(node: dict[str, Any], name: str, root: dict[str, Any]) -> dict[str, Any] | None:
    """The sub-schema of a property, through references, lists, ``anyOf``/``oneOf`` and party rules."""
    node = _follow(node, root)
    if "properties" in node and name in node["properties"]:
        return dict(node["properties"][name])
    items = node.get("items")
    candidates: list[dict[str, Any]] = [items] if isinstance(items, dict) else []
    candidates += [item for item in node.get("anyOf", []) + node.get("oneOf", []) if isinstance(item, dict)]
    if "allOf" in node:
        candidates.append({"$ref": "#/$defs/Partie"})
    for candidate in candidates:
        found = _property(candidate, name, root)
        if found is not None:
            return found
    return None
