"""The schema language of a type's fields, read once into frozen specs (the only reader of its keys)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

FieldKind = Literal[
    "texte", "entier", "decimal", "montant", "date", "booleen", "choix", "objet", "liste", "duree"
]
KINDS: tuple[str, ...] = FieldKind.__args__  # type: ignore[attr-defined]
NUMBER_KINDS = frozenset({"entier", "decimal", "montant"})
DISPLAYS = ("libelle", "valeur")
WRITINGS = ("lettres", "chiffres")
COMMON_KEYS = ("type", "libelle", "aide", "requis", "defaut", "imprime", "raison")
# The keys a field of each kind may hold, besides the common ones.
KIND_KEYS: dict[str, tuple[str, ...]] = {
    "entier": ("min", "max"),
    "decimal": ("min", "max"),
    "montant": ("min", "max"),
    "date": ("format",),
    "choix": ("choix", "libre", "affichage"),
    "objet": ("champs",),
    "liste": ("element",),
    "duree": ("ecriture", "reconduction_champ", "debut_champ"),
}
ALL_FIELD_KEYS = tuple(dict.fromkeys(COMMON_KEYS + tuple(key for keys in KIND_KEYS.values() for key in keys)))


class NoDefault:
    """The absence of a default (``None`` is a default a schema may give)."""

    def __repr__(self) -> str:
        return "NO_DEFAULT"

    def __reduce__(self) -> str:
        return "NO_DEFAULT"  # the one sentinel again once unpickled (a batch's worker processes)


NO_DEFAULT: Any = NoDefault()


@dataclass(frozen=True)
class TermSpec:
    """How a ``duree`` field is written and completed: numbers in words or figures, linked fields."""

    writing: Literal["lettres", "chiffres"] = "lettres"
    renewal_field: str | None = None  # ``reconduction_champ``: the field whose value is the renewal mode
    start_field: str | None = None  # ``debut_champ``: the field whose date is the start


@dataclass(frozen=True)
class FieldSpec:
    """One field a type declares: its kind, label, help, presence, default and kind's own settings."""

    name: str
    kind: FieldKind = "texte"
    label: str = ""
    help: str | None = None
    required: bool = True
    default: Any = NO_DEFAULT
    minimum: Any = None
    maximum: Any = None
    # A choice's values (as the YAML gives them) → their labels (the value itself for a plain list).
    choices: Mapping[Any, Any] = field(default_factory=dict)
    free: bool = False  # ``libre``: the choices are suggestions (a Word combo box)
    display: str | None = None  # ``affichage: libelle``: the document shows the choice's label
    date_format: str | None = None  # ``format``: Word's picture of a date ("d MMMM yyyy")
    element: FieldSpec | None = None  # a list's element
    fields: Mapping[str, FieldSpec] = field(default_factory=dict)  # an object's fields
    term: TermSpec | None = None
    # ``imprime: false``: asked, not printed, for the ``raison`` given (conventum check knows it).
    printed: bool = True
    reason: str | None = None

    @property
    def has_default(self) -> bool:
        return self.default is not NO_DEFAULT

    @property
    def mandatory(self) -> bool:
        """The data must give it: required and without a default."""
        return self.required and not self.has_default

    @property
    def bounds(self) -> dict[str, Any]:
        """``min``/``max`` as they were declared (a number's bounds)."""
        return {
            key: value for key, value in (("min", self.minimum), ("max", self.maximum)) if value is not None
        }


class SchemaProblems:
    """The problems found while reading one schema, each with its key path, reported together."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.found.append(f"{path} : {message}" if path else message)

    def unknown_keys(self, path: str, given: Mapping[Any, Any], known: tuple[str, ...]) -> None:
        for key in given:
            if key not in known:
                self.add(join(path, str(key)), f"clé inconnue{suggestion(str(key), known)}")

    def __iter__(self) -> Iterator[str]:
        return iter(self.found)


def suggestion(word: str, known: tuple[str, ...] | list[str]) -> str:
    """ " ; vouliez-vous dire « requis » ?", or the list of known words when none is close.

    >>> suggestion("requise", ["type", "requis"])
    ' ; vouliez-vous dire « requis » ?'
    """
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    if close:
        return f" ; vouliez-vous dire « {close[0]} » ?"
    return f" (attendu : {', '.join(known)})"


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def parse_fields(declared: Any, path: str, problems: SchemaProblems) -> dict[str, FieldSpec]:
    """The specs of a ``champs:`` mapping; its problems go to ``problems``."""
    if declared is None:
        return {}
    if not isinstance(declared, Mapping):
        problems.add(path, "une table de champs est attendue (nom: {type: …})")
        return {}
    return {
        str(name): parse_field(str(name), spec, join(path, str(name)), problems)
        for name, spec in declared.items()
    }


def parse_field(name: str, spec: Any, path: str, problems: SchemaProblems) -> FieldSpec:
    """The spec of one field declaration (``{type: montant, libelle: …}``)."""
    if spec is None:
        spec = {}
    if not isinstance(spec, Mapping):
        problems.add(path, "une table est attendue ({type: …, libelle: …})")
        return FieldSpec(name, label=name)
    kind = _kind(spec.get("type", "texte"), join(path, "type"), problems)
    problems.unknown_keys(path, spec, COMMON_KEYS + KIND_KEYS.get(kind, ()))
    return FieldSpec(
        name=name,
        kind=kind,
        label=_text(spec, "libelle", path, problems) or name,
        help=field_help(_text(spec, "aide", path, problems), spec, path, problems),
        required=_flag(spec, "requis", True, path, problems),
        default=spec.get("defaut", NO_DEFAULT),
        minimum=_number(spec, "min", path, problems),
        maximum=_number(spec, "max", path, problems),
        choices=_choices(spec, kind, path, problems),
        free=_flag(spec, "libre", False, path, problems),
        display=_among(spec, "affichage", DISPLAYS, path, problems),
        date_format=_text(spec, "format", path, problems),
        element=_element(name, spec, kind, path, problems),
        fields=parse_fields(spec.get("champs"), join(path, "champs"), problems) if kind == "objet" else {},
        term=_term(spec, path, problems) if kind == "duree" else None,
        printed=_flag(spec, "imprime", True, path, problems),
        reason=_text(spec, "raison", path, problems),
    )


def field_help(aide: str | None, spec: Mapping[str, Any], path: str, problems: SchemaProblems) -> str | None:
    """A field's help: its ``aide``, and why it is asked when it is not printed (``imprime: false``):
    the form's help and ``conventum schema`` show the reason.

    >>> field_help("Le service.", {"imprime": False, "raison": "sert au registre"}, "", SchemaProblems())
    'Le service. Non imprimé dans le document : sert au registre'
    """
    reason = _text(spec, "raison", path, SchemaProblems())
    if spec.get("imprime") is not False or not reason:
        return aide
    return " ".join(part for part in (aide, f"Non imprimé dans le document : {reason}") if part)


def _kind(value: Any, path: str, problems: SchemaProblems) -> FieldKind:
    if value in KINDS:
        return value  # type: ignore[no-any-return]
    problems.add(path, f"type de champ inconnu « {value} »{suggestion(str(value), KINDS)}")
    return "texte"


def _text(spec: Mapping[str, Any], key: str, path: str, problems: SchemaProblems) -> str | None:
    value = spec.get(key)
    if value is None or isinstance(value, str):
        return value
    problems.add(join(path, key), f"un texte est attendu, pas « {value} »")
    return None


def _flag(spec: Mapping[str, Any], key: str, default: bool, path: str, problems: SchemaProblems) -> bool:
    value = spec.get(key, default)
    if isinstance(value, bool):
        return value
    problems.add(join(path, key), f"true ou false est attendu, pas « {value} »")
    return default


def _number(spec: Mapping[str, Any], key: str, path: str, problems: SchemaProblems) -> Any:
    value = spec.get(key)
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    problems.add(join(path, key), f"un nombre est attendu, pas « {value} »")
    return None


def _among(
    spec: Mapping[str, Any], key: str, allowed: tuple[str, ...], path: str, problems: SchemaProblems
) -> Any:
    value = spec.get(key)
    if value is None or value in allowed:
        return value
    problems.add(join(path, key), f"valeur inconnue « {value} »{suggestion(str(value), allowed)}")
    return None


def _choices(spec: Mapping[str, Any], kind: str, path: str, problems: SchemaProblems) -> dict[Any, Any]:
    if kind != "choix":
        return {}
    given = spec.get("choix")
    if isinstance(given, Mapping) and given:
        return dict(given)
    if isinstance(given, list) and given:
        return {item: item for item in given}
    problems.add(
        join(path, "choix"), "un choix doit donner ses valeurs (une liste ou une table valeur: libellé)"
    )
    return {}


def _element(
    name: str, spec: Mapping[str, Any], kind: str, path: str, problems: SchemaProblems
) -> FieldSpec | None:
    if kind != "liste":
        return None
    return parse_field(
        name + "_element", spec.get("element", {"type": "texte"}), join(path, "element"), problems
    )


def _term(spec: Mapping[str, Any], path: str, problems: SchemaProblems) -> TermSpec:
    chosen = _among(spec, "ecriture", WRITINGS, path, problems)
    writing: Literal["lettres", "chiffres"] = "chiffres" if chosen == "chiffres" else "lettres"
    renewal = _text(spec, "reconduction_champ", path, problems)
    start = _text(spec, "debut_champ", path, problems)
    return TermSpec(writing=writing, renewal_field=renewal, start_field=start)
