"""The parties on the form, by role: the type's fixed parties shown as they will be written, the
others as fieldsets to fill (more added up to the maximum), each starting from its name (searched in
the official geography), its choices those of its nature, its authorisation shown open, and its
technical identifiers (INSEE, SIREN, liaison…) shown as the geography gives them, not edited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conventum.model.catalogue import ConventionType, Role
from conventum.serve.choices import nature_options, organ_options, quality_options
from conventum.serve.formdata import kept_inputs
from conventum.serve.formfields import FieldBuilder, FormField
from conventum.validation.rules import uses_of

ADVANCED = "Informations officielles (tirées du référentiel géographique)"
# A party's fields in the order a clerk gives them (the name first: it fills the others).
FIRST_PARTY_FIELDS = ("role", "nom", "nature", "adresse", "representant", "autorisation")
# Identifiers the official geography gives (or the nature implies): shown, never typed.
SHOWN_PARTY_FIELDS = ("insee", "siren", "siret", "departement", "article", "liaison", "designation")
SHOWN_HELP = "Rempli quand vous choisissez la collectivité dans la liste proposée sous son nom."
NAME_HELP = (
    "Tapez le début du nom, le code postal, le code INSEE ou le SIREN, puis choisissez : "
    "la nature, les codes et l’adresse se remplissent."
)


def parties_field(form: FieldBuilder, spec: Mapping[str, Any], parties: list[Any]) -> FormField:
    """The parties' fieldsets, role after role."""
    items = _party_spec(form, spec.get("items", {}))
    groups = [_role_group(form, items, role, parties) for role in form.ctype.roles]
    label = str(spec.get("title") or "Parties")
    return FormField(name=f"{form.prefix}parties", label=label, kind="group", children=groups)


def _role_group(form: FieldBuilder, items: Mapping[str, Any], role: Role, parties: list[Any]) -> FormField:
    indexes = [
        i for i, party in enumerate(parties) if isinstance(party, Mapping) and party.get("role") == role.role
    ]
    if not indexes and form.ctype.default_party(role, {}) is not None:
        return _fixed(form.ctype, role, form.prefix)
    members = [_party(form, items, role, index, parties[index], len(indexes) > role.min) for index in indexes]
    if role.max == 1 and len(members) == 1:
        return members[0]  # one party of that role: its fieldset alone
    if role.max != 1:
        for number, member in enumerate(members, start=1):
            member.label = f"{role.libelle} n°{number}"
    full = role.max is not None and len(indexes) >= role.max
    return FormField(
        name=f"{form.prefix}role:{role.role}",
        label=role.libelle,
        kind="list",
        children=members,
        add_label=f"Ajouter : {role.libelle}",
        add_action=None if full else f"ajouter:{form.prefix}parties:{role.role}",
    )


def _party_spec(form: FieldBuilder, items: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a party to fill. The schema may choose a party's shape by its role (``allOf``
    of ``if``/``then``: a whole party, or the overrides of a type's fixed one): the form fills whole
    ones, the fixed parties being shown as they are."""
    spec, _optional = form.unwrap(items)
    if "properties" in spec:
        return spec
    for rule in spec.get("allOf", []):
        then = rule.get("then", {}) if isinstance(rule, Mapping) else {}
        whole = form.resolve(then) if "$ref" in then and "not" in rule.get("if", {}) else None
        if whole and "properties" in whole:
            return whole
    return form.resolve({"$ref": "#/$defs/Partie"})


def _fixed(ctype: ConventionType, role: Role, prefix: str) -> FormField:
    default = ctype.default_party(role, {}) or {}
    person = default.get("representant") or {}
    parts = (
        default.get("nom"),
        (default.get("adresse") or {}).get("commune"),
        " ".join(str(person.get(key, "")) for key in ("prenom", "nom")).strip(),
    )
    return FormField(
        name=f"{prefix}role:{role.role}",
        label=role.libelle,
        kind="fixed",
        value=", ".join(str(part) for part in parts if part),
        help="Partie fixe de ce type de convention, écrite telle quelle dans le document.",
    )


def _party(
    form: FieldBuilder, items: Mapping[str, Any], role: Role, index: int, party: Any, removable: bool
) -> FormField:
    group = form.field(f"{form.prefix}parties[{index}]", "", items, party, True)
    group.label, group.party = role.libelle, group.name
    by_key = {child.key: child for child in group.children}
    nature = _nature(by_key.get("nature"), role)
    _party_choices(by_key, nature)
    if "role" in by_key:
        by_key["role"].kind, by_key["role"].value = "hidden", role.role
    if "nom" in by_key:
        by_key["nom"].search, by_key["nom"].help = True, NAME_HELP
    if "signature" in by_key:
        by_key["signature"].label = "Signature propre à cette partie"
        by_key["signature"].help = (
            "Seulement si cette partie signe à un autre lieu ou à une autre date que ceux de la "
            "convention (en bas du formulaire)."
        )
        by_key["signature"].fold = "Signature propre à cette partie (rare)"
    given = party if isinstance(party, Mapping) else {}
    for key in SHOWN_PARTY_FIELDS:
        if key in by_key:
            by_key[key] = _shown(by_key[key], given.get(key))
    first = [by_key[key] for key in FIRST_PARTY_FIELDS if key in by_key]
    rest = [by_key[child.key] for child in group.children if by_key[child.key] not in first]
    group.children = first + [c for c in rest if c.fold is None] + [c for c in rest if c.fold]
    group.remove_action = f"retirer:{form.prefix}parties[{index}]" if removable else None
    return group


def _nature(nature_field: FormField | None, role: Role) -> str | None:
    """The nature's drop-down: the role's natures (one: chosen already)."""
    if nature_field is None:
        return None
    natures = list(role.natures) or [option.value for option in nature_field.options]
    nature_field.kind, nature_field.options = "select", nature_options(natures)
    if len(natures) == 1:
        nature_field.value = natures[0]
    return str(nature_field.value) if nature_field.value else None


def _shown(item: FormField, value: Any) -> FormField:
    """A technical identifier: its value as text (« — » before the geography gives it), kept."""
    shown = FormField(
        name=item.name,
        label=item.label,
        kind="shown",
        value=str(value) if value not in (None, "") else "—",
        help=SHOWN_HELP,
        kept=kept_inputs(item.name, value if value not in (None, "") else ""),
        fold=ADVANCED,
        errors=item.errors,
    )
    return shown


def _party_choices(by_key: Mapping[str, FormField], nature: str | None) -> None:
    """A party's qualités and organs: those of its nature, the qualités agreed with the civilité."""
    representative = by_key.get("representant")
    if representative is not None:
        parts = {child.key: child for child in representative.children}
        quality, civility = parts.get("qualite"), parts.get("civilite")
        if quality is not None:
            civilite = str(civility.value) if civility is not None and civility.value else None
            quality.kind, quality.options = "select", quality_options(nature, civilite)
        delegation = parts.get("delegation")
        if delegation is not None:
            delegation.fold = "Délégation de signature (si le signataire agit par délégation)"
            for child in delegation.children:
                if child.key == "autorite":  # the rule parties.delegation: of the party's nature
                    child.label = "Autorité qui délègue sa signature"
                    child.kind, child.options = "select", quality_options(nature, None)
    authorisations = by_key.get("autorisation")
    for item in authorisations.children if authorisations is not None else []:
        for child in item.children:
            if child.key == "organe":
                child.options = organ_options(nature, [option.value for option in child.options])


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


def new_party(ctype: ConventionType, role: str) -> dict[str, Any] | None:
    """A party to fill: its role, and an authorisation to give when the type requires one (none for a
    role the type does not have)."""
    if ctype.role(role) is None:
        return None
    return {"role": role, "autorisation": [{}]} if role in authorised_roles(ctype) else {"role": role}
