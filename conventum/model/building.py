"""The pydantic model of a type, built from its field specs; its defaults checked before any data."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field, TypeAdapter, ValidationError, create_model

from conventum.errors import TemplateError
from conventum.model.blocks import Block, Convention, Duree, Texte
from conventum.model.specs import FieldSpec

SCALAR_TYPES: dict[str, Any] = {
    "texte": Texte,
    "entier": int,
    "decimal": Decimal,
    "montant": Decimal,
    "date": date,
    "booleen": bool,
}


def model_from_fields(name: str, fields: Mapping[str, FieldSpec]) -> type[Convention]:
    """The model of a type: the shared core plus the type's own fields."""
    definitions = {key: _field(spec) for key, spec in fields.items()}
    model_name = "Convention_" + name.replace("-", "_")
    return create_model(model_name, __base__=Convention, **definitions)  # type: ignore[call-overload,no-any-return]


def annotation_of(spec: FieldSpec) -> Any:
    """The Python type a field's values take."""
    if spec.kind in SCALAR_TYPES:
        return SCALAR_TYPES[spec.kind]
    if spec.kind == "choix" and spec.free:
        return str  # a Word combo box: its items are suggestions, free text is allowed
    if spec.kind == "choix":
        return Literal[tuple(spec.choices)]
    if spec.kind == "objet":
        sub = {key: _field(value) for key, value in spec.fields.items()}
        return create_model("Objet_" + spec.name, __base__=Block, **sub)  # type: ignore[call-overload]
    if spec.kind == "duree":
        return term_model(spec.name, spec.default if spec.has_default else {})
    assert spec.kind == "liste" and spec.element is not None
    return list[annotation_of(spec.element)]  # type: ignore[misc]


def term_model(name: str, defaults: Mapping[str, Any]) -> type[Duree]:
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


def _field(spec: FieldSpec) -> tuple[Any, Any]:
    annotation = annotation_of(spec)
    extra: dict[str, Any] = {"description": spec.help} if spec.help else {}
    if spec.kind == "duree":  # the defaults are the block's own: a partial term overrides them
        return annotation, Field(default_factory=annotation, title=spec.label, **extra)
    # Bounds of a number: "min: 1", "max: 100" (entier, decimal, montant).
    extra.update(
        {bound: value for bound, value in (("ge", spec.minimum), ("le", spec.maximum)) if value is not None}
    )
    if spec.has_default:
        return annotation, Field(default=spec.default, title=spec.label, validate_default=True, **extra)
    if not spec.required:
        return annotation | None, Field(default=None, title=spec.label, **extra)
    return annotation, Field(title=spec.label, **extra)


def default_problems(fields: Mapping[str, FieldSpec], path: str = "champs") -> Iterator[tuple[str, str]]:
    """(key path, what is wrong) for each default its field would refuse, nested fields included."""
    for name, spec in fields.items():
        where = f"{path}.{name}"
        if spec.has_default:
            problem = _default_problem(spec)
            if problem:
                yield f"{where}.defaut", problem
        yield from default_problems(spec.fields, f"{where}.champs")
        if spec.element is not None:
            yield from default_problems({"element": spec.element}, where)


def _default_problem(spec: FieldSpec) -> str | None:
    try:
        if spec.kind == "duree":
            if not isinstance(spec.default, Mapping):
                return "une table est attendue ({debut: …, annees: …})"
            term_model(spec.name, spec.default)
            Duree.model_validate(dict(spec.default))
            return None
        adapter: TypeAdapter[Any] = TypeAdapter(annotation_of(spec))
        value = adapter.validate_python(spec.default)
    except TemplateError as exc:
        return str(exc)
    except ValidationError:
        return f"valeur par défaut « {spec.default} » invalide pour un champ de type « {spec.kind} »"
    return _bound_problem(spec, value)


def _bound_problem(spec: FieldSpec, value: Any) -> str | None:
    if spec.minimum is not None and value is not None and value < spec.minimum:
        return f"valeur par défaut « {spec.default} » inférieure au minimum {spec.minimum}"
    if spec.maximum is not None and value is not None and value > spec.maximum:
        return f"valeur par défaut « {spec.default} » supérieure au maximum {spec.maximum}"
    return None


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
