"""The type-level keys of a schema (roles, rules, calculations, annexes, texts…), read into specs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from conventum.model.blocks import Annexe
from conventum.model.specs import FieldSpec, SchemaProblems, join, suggestion

TYPE_KEYS = (
    "titre",
    "titre_court",  # the register's calendar: « Dénoncer avant le … — partenaire : titre court »
    "version",  # the type's version, recorded by the register with each convention
    "description",
    "source",  # the Word file a type was imported from (``conventum import``)
    "modele",
    "emetteur",
    "exemplaires",
    "parties",
    "champs",
    "regles",
    "calculs",
    "annexes",
    "textes",
    "contribution_budgetee",
    "rubriques",  # the form's sections: [{titre, champs: [...]}], else read from the template's articles
)
ROLE_KEYS = ("role", "libelle", "min", "max", "natures", "designation", "defaut", "defaut_selon", "defauts")
USE_KEYS = ("nom", "parametres")


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
    """A validation rule (or a calculation) a type applies, with its parameters."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)


def parse_roles(given: Any, fields: Mapping[str, FieldSpec], problems: SchemaProblems) -> tuple[Role, ...]:
    """``parties:``, a list of roles."""
    if given is None:
        return ()
    if not isinstance(given, list):
        problems.add("parties", "une liste de rôles est attendue")
        return ()
    return tuple(
        role
        for index, item in enumerate(given)
        if (role := _role(item, f"parties[{index}]", fields, problems))
    )


def _role(item: Any, path: str, fields: Mapping[str, FieldSpec], problems: SchemaProblems) -> Role | None:
    if not isinstance(item, Mapping) or not isinstance(item.get("role"), str):
        problems.add(path, "une table avec au moins « role » est attendue")
        return None
    problems.unknown_keys(path, item, ROLE_KEYS)
    chosen_by = item.get("defaut_selon")
    if chosen_by is not None and chosen_by not in fields:
        problems.add(join(path, "defaut_selon"), f"champ inconnu « {chosen_by} »")
    return Role(
        role=item["role"],
        libelle=item.get("libelle", item["role"]),
        min=item.get("min", 1),
        max=item.get("max", 1),
        natures=tuple(item.get("natures", ())),
        designation=item.get("designation"),
        defaut=item.get("defaut"),
        defaut_selon=chosen_by,
        defauts={str(key): value for key, value in (item.get("defauts") or {}).items()},
    )


def parse_uses(given: Any, key: str, problems: SchemaProblems) -> tuple[RuleUse, ...]:
    """``regles:`` or ``calculs:``: names, or ``{nom, parametres}`` tables."""
    if given is None:
        return ()
    if not isinstance(given, list):
        problems.add(key, "une liste est attendue (des noms, ou des tables {nom, parametres})")
        return ()
    uses = []
    for index, item in enumerate(given):
        path = f"{key}[{index}]"
        if isinstance(item, str):
            uses.append(RuleUse(item))
        elif isinstance(item, Mapping) and isinstance(item.get("nom"), str):
            problems.unknown_keys(path, item, USE_KEYS)
            uses.append(RuleUse(item["nom"], dict(item.get("parametres") or {})))
        else:
            problems.add(path, "un nom, ou une table {nom, parametres}, est attendu")
    return tuple(uses)


def parse_annexes(given: Any, problems: SchemaProblems) -> tuple[dict[str, Any], ...]:
    """``annexes:``: the annexes the type generates, as the data would list them."""
    if given is None:
        return ()
    if not isinstance(given, list):
        problems.add("annexes", "une liste d’annexes est attendue")
        return ()
    annexes = []
    for index, item in enumerate(given):
        if not isinstance(item, Mapping):
            problems.add(f"annexes[{index}]", "une table {numero, titre} est attendue")
            continue
        problems.unknown_keys(f"annexes[{index}]", item, tuple(Annexe.model_fields))
        annexes.append(dict(item))
    return tuple(annexes)


def parse_texts(
    given: Any, fields: Mapping[str, FieldSpec], problems: SchemaProblems
) -> dict[str, dict[str, Any]]:
    """``textes:``: for a choice field, the texts of each of its values."""
    if given is None:
        return {}
    if not isinstance(given, Mapping):
        problems.add("textes", "une table {champ: {valeur: textes}} est attendue")
        return {}
    for name, table in given.items():
        if name not in fields:
            problems.add(f"textes.{name}", "champ inconnu")
        elif not isinstance(table, Mapping):
            problems.add(f"textes.{name}", "une table {valeur: textes} est attendue")
    return {str(name): dict(table) for name, table in given.items() if isinstance(table, Mapping)}


def parse_paths(given: Any, key: str, problems: SchemaProblems) -> tuple[str, ...]:
    """A list of value paths (``contribution_budgetee``)."""
    if given is None:
        return ()
    if not isinstance(given, list) or not all(isinstance(item, str) for item in given):
        problems.add(key, "une liste de chemins est attendue")
        return ()
    return tuple(given)


def parse_count(given: Any, key: str, problems: SchemaProblems) -> int | None:
    """A whole number of at least 1 (``exemplaires``), or None when not given."""
    if given is None or (isinstance(given, int) and not isinstance(given, bool) and given >= 1):
        return given
    problems.add(key, f"un nombre entier d’au moins 1 est attendu, pas « {given} »")
    return None


def parse_text(given: Any, key: str, problems: SchemaProblems) -> str | None:
    if given is None or isinstance(given, str):
        return given
    problems.add(key, f"un texte est attendu, pas « {given} »")
    return None


SECTION_KEYS = ("titre", "champs")


def parse_sections(
    given: Any, fields: Mapping[str, FieldSpec], problems: SchemaProblems
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``rubriques:``, the form's sections in the document's order: a title and the fields under it."""
    if given is None:
        return ()
    if not isinstance(given, list):
        problems.add("rubriques", "une liste est attendue ([{titre: …, champs: […]}])")
        return ()
    sections = []
    for index, item in enumerate(given):
        where = f"rubriques[{index}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("titre"), str):
            problems.add(where, "une table {titre: …, champs: […]} est attendue")
            continue
        problems.unknown_keys(where, item, SECTION_KEYS)
        listed = item.get("champs")
        names: list[Any] = listed if isinstance(listed, list) else []
        for name in names:
            if str(name) not in fields:
                problems.add(
                    join(where, "champs"), f"champ inconnu « {name} »{suggestion(str(name), list(fields))}"
                )
        sections.append((item["titre"], tuple(str(name) for name in names if str(name) in fields)))
    return tuple(sections)
