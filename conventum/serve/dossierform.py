"""The dossier's form (délibération + convention + rapport), field by field: the séance and the
affair given once, the convention chosen by its type and filled with that type's own form, then
what only the délibération and the rapport say — each problem beside its field, as for one document.

Every input is named by its path in the dossier file (``convention.donnees.parties[0].nom``,
``deliberation.presents``), the paths of the dossier's issues."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from conventum.dossier import SHARED, split_dossier
from conventum.errors import ConventumError, ValidationFailed
from conventum.issues import Issue
from conventum.model.catalogue import ConventionType, available_types, load_type
from conventum.model.json_schema import json_schema
from conventum.serve.choices import plain_options
from conventum.serve.formfields import FormField, find_field, place_issues
from conventum.serve.partyform import initial_data
from conventum.serve.schemaform import SchemaForm
from conventum.serve.seanceform import drop_fields
from conventum.validation.validation import validate

CONVENTION = "convention.donnees."
PARTS = (("deliberation", "deliberation.", "La délibération"), ("rapport", "rapport.", "Le rapport"))


def convention_types() -> list[ConventionType]:
    """The types a délibération can authorise: those with parties."""
    return [ctype for ctype in (load_type(name) for name in sorted(available_types())) if ctype.roles]


def dossier_fields(data: Mapping[str, Any], issues: list[Issue] | tuple[Issue, ...] = ()) -> list[FormField]:
    """The dossier's fields, in the order of the dossier: séance, convention, délibération, rapport."""
    shared = {key: data[key] for key in SHARED if key in data}
    fields = [_seance(shared), _convention(_mapping(data.get("convention")))]
    for type_name, prefix, label in PARTS:
        fields.append(_part(type_name, prefix, label, {**_mapping(data.get(type_name)), **shared}))
    place_issues(fields, list(issues))
    return fields


def _mapping(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def _seance(shared: dict[str, Any]) -> FormField:
    """The séance and the affair, once: the délibération's own fields for them."""
    ctype = load_type("deliberation")
    built = SchemaForm(ctype, json_schema(ctype)).fields(shared)
    children = [found for key in SHARED if (found := find_field(built, key)) is not None]
    label = "La séance et l’affaire (écrites une fois pour les trois documents)"
    return FormField(name="rubrique:seance", label=label, kind="group", children=children)


def _convention(given: dict[str, Any]) -> FormField:
    types = convention_types()
    chosen = next((ctype for ctype in types if ctype.name == given.get("type")), None)
    kind = FormField(name="convention.type", label="Type de convention", kind="select", required=True)
    kind.options, kind.value, kind.refresh = (
        plain_options([(t.name, t.titre) for t in types]),
        given.get("type"),
        True,
    )
    kind.help = "Son formulaire s’affiche alors ci-dessous."
    designation = FormField(
        name="convention.designation",
        label="Désignation de la convention (« la convention … »)",
        kind="text",
        required=True,
        value=given.get("designation"),
        help="Telle que la délibération et le rapport la nomment.",
    )
    children = [kind, designation]
    if chosen is not None:
        children += _convention_form(chosen, given)
    return FormField(name="rubrique:convention", label="La convention", kind="group", children=children)


def _convention_form(ctype: ConventionType, given: dict[str, Any]) -> list[FormField]:
    roles = [(role.role, role.libelle) for role in ctype.roles if ctype.default_party(role, {}) is None]
    authorised = FormField(
        name="convention.autorisee",
        label="Partie que la délibération autorise à signer",
        kind="select",
        value=given.get("autorisee") or (roles[0][0] if len(roles) == 1 else None),
        options=plain_options(roles),
    )
    donnees = _mapping(given.get("donnees")) or initial_data(ctype)
    own = SchemaForm(ctype, json_schema(ctype), prefix=CONVENTION).fields(donnees)
    return [authorised, FormField(name="convention.donnees", label=ctype.titre, kind="group", children=own)]


def _part(type_name: str, prefix: str, label: str, data: dict[str, Any]) -> FormField:
    """What only this part says (the séance and the convention given above)."""
    ctype = load_type(type_name)
    own = SchemaForm(ctype, json_schema(ctype), prefix=prefix).fields(data)
    drop_fields(own, {prefix + key for key in (*SHARED, "convention", "parties", "annexes")})
    return FormField(name=f"rubrique:{type_name}", label=label, kind="group", children=own)


def dossier_issues(data: Mapping[str, Any], base: Path) -> list[Issue]:
    """Every problem of the dossier at once: its shape, then each part's, at their dossier paths."""
    found: list[Issue] = []
    try:
        parts = split_dossier(data, base=base)
        found += parts.issues
        checked = parts.checked.issues if parts.checked is not None else []
    except ValidationFailed as exc:  # the convention as given (its authorisation is the délibération's)
        found += exc.issues
        checked = [i for i in _convention_checked(data, base) if not i.path.endswith("autorisation")]
    found += [_at(issue, CONVENTION) for issue in checked]
    shared = {key: data[key] for key in SHARED if key in data}
    reference = _mapping(data.get("convention"))
    mention = {"designation": reference["designation"]} if reference.get("designation") else {}
    for type_name, prefix, _label in PARTS:
        part = {**_mapping(data.get(type_name)), **shared, "convention": mention}
        found += [_at(issue, prefix) for issue in _checked(type_name, part, base)]
    unique: list[Issue] = []
    for issue in found:
        if issue not in unique:
            unique.append(issue)
    return unique


def _convention_checked(data: Mapping[str, Any], base: Path) -> list[Issue]:
    reference = _mapping(data.get("convention"))
    if reference.get("type") not in available_types():
        return []
    return _checked(str(reference["type"]), _mapping(reference.get("donnees")), base)


def _checked(type_name: str, data: dict[str, Any], base: Path) -> list[Issue]:
    try:
        return list(validate(load_type(type_name), data, base=base).issues)
    except ConventumError:
        return []


def _at(issue: Issue, prefix: str) -> Issue:
    """A part's issue at its path in the dossier (the séance's fields are the dossier's own)."""
    head = issue.path.split(".")[0].split("[")[0]
    shared = head in SHARED and prefix != CONVENTION
    return Issue(issue.code, issue.path if shared else prefix + issue.path, issue.params, issue.severity)
