"""The installed convention types: each one a template plus a schema YAML, no Python."""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, create_model

from conventum.errors import TemplateError, UnknownTypeError
from conventum.model.blocks import Block, Convention, Duree, Texte

SCALAR_TYPES: dict[str, Any] = {
    "texte": Texte,
    "entier": int,
    "decimal": Decimal,
    "montant": Decimal,
    "date": date,
    "booleen": bool,
}


def resource_dir(name: str) -> Path:
    """``templates`` or ``schemas``: inside the installed package, else beside it in a checkout."""
    packaged = Path(str(resources.files("conventum"))) / name
    if packaged.is_dir():
        return packaged
    return Path(str(resources.files("conventum"))).parent / name


def search_path() -> list[Path]:
    """Folders searched for types: the built-in ones, then ./schemas of the working directory."""
    folders = [resource_dir("schemas")]
    local = Path.cwd() / "schemas"
    if local.is_dir() and local.resolve() != folders[0].resolve():
        folders.append(local)
    return folders


@dataclass(frozen=True)
class Role:
    """A role the type gives to parties: how many, which natures, default data."""

    role: str
    libelle: str
    min: int = 1
    max: int | None = 1
    natures: tuple[str, ...] = ()
    # One designation, or one per category of nature ({collectivite: …, etablissement: …}).
    designation: str | dict[str, str] | None = None
    defaut: dict[str, Any] | None = None
    defaut_selon: str | None = None
    defauts: dict[str, Any] | None = None


@dataclass(frozen=True)
class RuleUse:
    """A validation rule a type applies, with its parameters."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ConventionType:
    """A convention type as declared by its schema YAML."""

    name: str
    titre: str
    description: str
    schema_path: Path
    template_path: Path
    roles: tuple[Role, ...]
    fields: dict[str, Any]
    rules: tuple[RuleUse, ...]
    raw: dict[str, Any]

    @property
    def model(self) -> type[Convention]:
        return build_model(self)

    def role(self, name: str) -> Role | None:
        return next((role for role in self.roles if role.role == name), None)

    def default_party(self, role: Role, data: dict[str, Any]) -> dict[str, Any] | None:
        """The role's default party; with ``defaut_selon``, the one chosen by that field's value."""
        if not role.defaut_selon:
            return role.defaut
        field = role.defaut_selon
        value = data.get(field, (self.fields.get(field) or {}).get("defaut"))
        chosen: dict[str, Any] | None = (role.defauts or {}).get(str(value))
        return chosen


def available_types() -> dict[str, Path]:
    """Name → schema file of every installed type."""
    found: dict[str, Path] = {}
    for folder in search_path():
        for path in sorted(folder.glob("*.yaml")):
            found.setdefault(path.stem, path)
    return found


def as_type(convention_type: str | ConventionType) -> ConventionType:
    """A type given by its name or already loaded, as every entry point takes it."""
    return load_type(convention_type) if isinstance(convention_type, str) else convention_type


def load_type(name: str) -> ConventionType:
    """The convention type of that name, or UnknownTypeError with the close matches."""
    types = available_types()
    if name not in types:
        close = difflib.get_close_matches(name, list(types), n=3, cutoff=0.5)
        close += [known for known in types if name and name in known and known not in close]
        raise UnknownTypeError(name, available=sorted(types), suggestions=close[:3])
    return _load_type_file(types[name])


@cache
def _load_type_file(path: Path) -> ConventionType:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TemplateError(f"schéma illisible {path} : {exc}", template=str(path)) from exc
    template = path.parent.parent / "templates" / f"{path.stem}.docx"
    return ConventionType(
        name=path.stem,
        titre=raw.get("titre", path.stem),
        description=raw.get("description", ""),
        schema_path=path,
        template_path=Path(raw["modele"]) if raw.get("modele") else template,
        roles=tuple(_role(item) for item in raw.get("parties", [])),
        fields=dict(raw.get("champs") or {}),
        rules=tuple(_rule(item) for item in raw.get("regles") or []),
        raw=raw,
    )


def _role(item: dict[str, Any]) -> Role:
    return Role(
        role=item["role"],
        libelle=item.get("libelle", item["role"]),
        min=item.get("min", 1),
        max=item.get("max", 1),
        natures=tuple(item.get("natures", ())),
        designation=item.get("designation"),
        defaut=item.get("defaut"),
        defaut_selon=item.get("defaut_selon"),
        defauts={str(key): value for key, value in (item.get("defauts") or {}).items()},
    )


def _rule(item: str | dict[str, Any]) -> RuleUse:
    if isinstance(item, str):
        return RuleUse(item)
    return RuleUse(item["nom"], dict(item.get("parametres") or {}))


@cache
def _build_model_cached(type_name: str, schema_path: Path) -> type[Convention]:
    ctype = _load_type_file(schema_path)
    definitions = {name: _field(name, spec) for name, spec in ctype.fields.items()}
    model_name = "Convention_" + type_name.replace("-", "_")
    return create_model(model_name, __base__=Convention, **definitions)  # type: ignore[call-overload,no-any-return]


def build_model(ctype: ConventionType) -> type[Convention]:
    """The pydantic model of a type: the shared core plus the type's own fields."""
    return _build_model_cached(ctype.name, ctype.schema_path)


def model_from_fields(name: str, fields: dict[str, Any]) -> type[Convention]:
    """The model of field declarations alone, for a type read in memory (not installed)."""
    definitions = {key: _field(key, spec) for key, spec in fields.items()}
    model_name = "Convention_" + name.replace("-", "_")
    return create_model(model_name, __base__=Convention, **definitions)  # type: ignore[call-overload,no-any-return]


def _annotation(name: str, spec: dict[str, Any]) -> Any:
    kind = spec.get("type", "texte")
    if kind in SCALAR_TYPES:
        return SCALAR_TYPES[kind]
    if kind == "choix" and spec.get("libre"):
        return str  # a Word combo box: its items are suggestions, free text is allowed
    if kind == "choix":
        choices = spec["choix"]
        values = list(choices) if isinstance(choices, (dict, list)) else []
        return Literal[tuple(values)]
    if kind == "objet":
        sub = {key: _field(key, value) for key, value in spec.get("champs", {}).items()}
        return create_model("Objet_" + name, __base__=Block, **sub)  # type: ignore[call-overload]
    if kind == "duree":
        return term_model(name, spec.get("defaut") or {})
    if kind == "liste":
        return list[_annotation(name + "_element", spec.get("element", {"type": "texte"}))]  # type: ignore[misc]
    raise TemplateError(f"type de champ inconnu « {kind} » pour « {name} »")


def term_model(name: str, defaults: dict[str, Any]) -> type[Duree]:
    """The term block of a type: ``Duree`` with the type's own defaults (the seed's term)."""
    unknown = sorted(set(defaults) - set(Duree.model_fields))
    if unknown:
        raise TemplateError(f"clé(s) inconnue(s) {', '.join(unknown)} dans la durée « {name} »")
    overrides = {}
    for key, value in defaults.items():
        info = copy.copy(Duree.model_fields[key])  # keeps the bounds (ge=1…), changes the default
        info.default = value
        overrides[key] = (info.annotation, info)
    return create_model("Duree_" + name, __base__=Duree, **overrides)  # type: ignore[call-overload,no-any-return]


def field_help(spec: dict[str, Any]) -> str:
    """A field's help: its ``aide``, and why it is asked when it is not printed (``imprime: false``)."""
    parts = [str(spec["aide"])] if spec.get("aide") else []
    if spec.get("imprime") is False and spec.get("raison"):
        parts.append(f"Non imprimé dans le document : {spec['raison']}")
    return " ".join(parts)


def _field(name: str, spec: dict[str, Any]) -> tuple[Any, Any]:
    annotation = _annotation(name, spec)
    label = spec.get("libelle", name)
    help_text = field_help(spec)
    extra: dict[str, Any] = {"description": help_text} if help_text else {}
    if spec.get("type") == "duree":  # the defaults are the block's own: a partial term overrides them
        return annotation, Field(default_factory=annotation, title=label, **extra)
    # Bounds of a number: "min: 1", "max: 100" (entier, decimal, montant).
    extra.update({bound: spec[key] for key, bound in (("min", "ge"), ("max", "le")) if key in spec})
    if "defaut" in spec:
        return annotation, Field(default=spec["defaut"], title=label, validate_default=True, **extra)
    if not spec.get("requis", True):
        return annotation | None, Field(default=None, title=label, **extra)
    return annotation, Field(title=label, **extra)


def label_of(model: type[BaseModel], location: tuple[str | int, ...]) -> str:
    """The French label (title) of the field at a location, else its name."""
    current: Any = model
    label = str(location[-1]) if location else ""
    for part in location:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return str(part)
        label = info.title or str(part)
        current = _inner_model(info.annotation)
    return label


def _inner_model(annotation: Any) -> Any:
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
        for arg in getattr(candidate, "__args__", ()):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                return arg
    return None
