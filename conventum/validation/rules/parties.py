"""Rules on the parties: roles, natures, unique names, qualités, civilités, postal codes, territory."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from conventum.clauses.acts import nature_of_number
from conventum.french.grammar import (
    DECISION_WORDS,
    choose_designation,
    delegating_authority,
    delegating_quality,
    delegation_phrase,
    denomination,
    nature_info,
    normalise_key,
    quality_label,
    vocabulary,
)
from conventum.geo.parties import departement_of
from conventum.issues import Issue
from conventum.model.blocks import Partie
from conventum.model.paths import resolve
from conventum.validation.rules.registry import Facts, rule

POSTAL_CODE = re.compile(r"^\d{5}$")


def name_of(party: Partie) -> str:
    """The party as the document names it: "la Commune de Libercourt"."""
    return denomination(party.nature, party.nom, liaison=party.liaison, article=party.article)


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


@rule("parties.roles")
def role_counts(facts: Facts) -> Iterator[Issue]:
    """Each role the type declares appears between its min and max times."""
    for role in facts.ctype.roles:
        count = sum(1 for party in facts.convention.parties if party.role == role.role)
        upper = role.max if role.max is not None else "∞"
        if count == 0 and role.min > 0:
            yield Issue("parties.role_missing", "parties", {"role": role.role, "label": role.libelle})
        elif count < role.min or (role.max is not None and count > role.max):
            params = {"role": role.role, "label": role.libelle, "min": role.min, "max": upper, "count": count}
            yield Issue("parties.role_count", "parties", params)


@rule("parties.natures")
def natures(facts: Facts) -> Iterator[Issue]:
    """A party's nature is one its role allows (a centrale d'achats is a syndicat mixte)."""
    for index, party in enumerate(facts.convention.parties):
        role = facts.ctype.role(party.role)
        if role is None or not role.natures or party.nature in role.natures:
            continue
        allowed = [nature_info(nature)["libelle"] for nature in role.natures]
        params = {"nature": nature_info(party.nature)["libelle"], "role": role.libelle, "natures": allowed}
        yield Issue("parties.nature_non_prevue", f"parties[{index}].nature", params)


@rule("parties.unicite")
def unique_names(facts: Facts) -> Iterator[Issue]:
    """No two parties share a name (same nature and nom) or a designation."""
    names: dict[tuple[str, str], int] = {}
    designations: dict[str, int] = {}
    for index, party in enumerate(facts.convention.parties):
        key = (party.nature, _folded(party.nom))
        if key in names:
            at, other = _blamed(facts, names[key], index)
            params = {"partie": name_of(party), "autre": other + 1}
            yield Issue("parties.nom_en_double", f"parties[{at}].nom", params)
        names.setdefault(key, index)
        designation = _explicit_designation(facts, party)
        if designation is None:
            continue
        if _folded(designation) in designations:
            at, other = _blamed(facts, designations[_folded(designation)], index)
            params = {"designation": designation, "autre": other + 1}
            yield Issue("parties.designation_en_double", f"parties[{at}].designation", params)
        designations.setdefault(_folded(designation), index)


def _blamed(facts: Facts, first: int, second: int) -> tuple[int, int]:
    """The clashing party an issue points at: the later one, unless only the earlier is in the data."""
    given = len(_given_parties(facts))
    return (first, second) if second >= given > first else (second, first)


def _explicit_designation(facts: Facts, party: Partie) -> str | None:
    """The designation given to this party alone: its own, or its role's when the role is single."""
    if party.designation:
        return party.designation
    role = facts.ctype.role(party.role)
    return choose_designation(role.designation, party.nature) if role is not None and role.max == 1 else None


@rule("parties.qualite")
def quality_fits_nature(facts: Facts) -> Iterator[Issue]:
    """The representative's qualité fits the party's nature (a commune signs by its maire)."""
    qualities = vocabulary()["qualites"]
    for index, party in enumerate(facts.convention.parties):
        quality = party.representant.qualite
        allowed = qualities[quality].get("natures", [])
        if allowed and party.nature not in allowed:
            fitting = [
                quality_label(key, "m") for key, info in qualities.items() if party.nature in info["natures"]
            ]
            params = {"qualite": quality_label(quality, "m"), "partie": name_of(party), "qualites": fitting}
            yield Issue("parties.qualite_nature", f"parties[{index}].representant.qualite", params)


@rule("parties.delegation")
def delegation_names_its_authority(facts: Facts) -> Iterator[Issue]:
    """A delegation says whose it is (else a warning: the nature's usual authority is written).

    The delegating qualité must fit the party's nature.
    """
    qualities = vocabulary()["qualites"]
    for index, party in enumerate(facts.convention.parties):
        person = party.representant
        if person.delegation is None:
            continue
        path = f"parties[{index}].representant.delegation.autorite"
        who = f"{person.prenom} {person.nom.upper()}"
        authority = person.delegation.autorite
        if authority is None:
            implied = delegating_quality(person.qualite, party.nature)
            if implied is None:  # a qualité that holds no delegation by itself: nobody to name
                params = {"representant": who, "qualite": quality_label(person.qualite, "m")}
                yield Issue("parties.delegation_autorite_manquante", path, params)
                continue
            params = {"representant": who, "phrase": delegation_phrase(implied)}
            yield Issue("parties.delegation_sans_autorite", path, params, "warning")
            continue
        authority = delegating_authority(authority, party.nature)
        allowed = qualities[authority].get("natures", [])
        if allowed and party.nature not in allowed:
            params = {"autorite": quality_label(authority, "m"), "partie": name_of(party)}
            yield Issue("parties.delegation_autorite", path, params)


@rule("parties.numeros_actes")
def numbers_match_natures(facts: Facts) -> Iterator[Issue]:
    """An act's number does not announce another nature ("ARR-2024-15" for a délibération)."""
    for index, party in enumerate(facts.convention.parties):
        acts = [
            (f"parties[{index}].autorisation[{n}]", a.nature, a.numero)
            for n, a in enumerate(party.autorisation)
        ]
        delegation = party.representant.delegation
        if delegation is not None:
            acts.append((f"parties[{index}].representant.delegation", delegation.nature, delegation.numero))
        for path, nature, number in acts:
            announced = nature_of_number(number) if number else None
            if announced is not None and announced != nature:
                params = {
                    "numero": number,
                    "nature": DECISION_WORDS[nature][0],
                    "annonce": DECISION_WORDS[announced][0],
                }
                yield Issue("parties.numero_nature", f"{path}.numero", params)


@rule("parties.civilite")
def civility_agrees(facts: Facts) -> Iterator[Issue]:
    """A warning when the written qualité has the other gender than the civilité ("Madame le Président")."""
    given = _given_parties(facts)
    for index, party in enumerate(facts.convention.parties):
        written = _written_quality(given, index)
        person = party.representant
        info = vocabulary()["qualites"][person.qualite]
        mine, other = ("feminin", "masculin") if person.civilite == "Madame" else ("masculin", "feminin")
        if written is None or info[mine] == info[other] or written == person.qualite:
            continue
        if normalise_key(written) == normalise_key(info[other]):
            params = {"civilite": person.civilite, "ecrit": written, "accorde": info[mine]}
            yield Issue(
                "parties.civilite_qualite", f"parties[{index}].representant.qualite", params, "warning"
            )


def _given_parties(facts: Facts) -> Sequence[Any]:
    parties = facts.data.get("parties")
    return parties if isinstance(parties, list) else []


def _written_quality(given: Sequence[Any], index: int) -> str | None:
    if index >= len(given) or not isinstance(given[index], dict):
        return None
    representative = given[index].get("representant")
    written = representative.get("qualite") if isinstance(representative, dict) else None
    return written if isinstance(written, str) else None


@rule("parties.code_postal")
def postal_codes(facts: Facts) -> Iterator[Issue]:
    """Postal codes are five digits."""
    for index, party in enumerate(facts.convention.parties):
        code = party.adresse.code_postal
        if not POSTAL_CODE.match(code):
            params = {"code_postal": code, "partie": name_of(party)}
            yield Issue("parties.code_postal_invalide", f"parties[{index}].adresse.code_postal", params)


@rule("parties.territoire")
def territory(facts: Facts, *, departements: Sequence[str], roles: Sequence[str] = ()) -> Iterator[Issue]:
    """The parties lie in the départements the convention covers (59 and 62 for La Fibre 59 62):
    the département of the commune (2A, 2B, 971…), from the official geography, not a prefix."""
    wanted = {str(number) for number in departements}
    wanted |= {"2A", "2B"} if "20" in wanted else set()  # "20": Corsica as a whole
    for index, party in enumerate(facts.convention.parties):
        code = party.adresse.code_postal
        if (roles and party.role not in roles) or not POSTAL_CODE.match(code):
            continue
        departement = departement_of(party)
        if departement is None and code.startswith(tuple(wanted)):
            continue
        if departement not in wanted:
            params = {"code_postal": code, "partie": name_of(party), "departements": sorted(wanted)}
            params["departement"] = departement or code[:2]
            yield Issue("parties.hors_territoire", f"parties[{index}].adresse.code_postal", params)


@rule("parties.autorisation")
def authorised(facts: Facts, *, roles: Sequence[str] = ()) -> Iterator[Issue]:
    """Every party (of the given roles) states the decision that authorises it to sign."""
    for index, party in enumerate(facts.convention.parties):
        if (not roles or party.role in roles) and not party.autorisation:
            params = {"partie": name_of(party)}
            yield Issue("parties.autorisation_manquante", f"parties[{index}].autorisation", params)


@rule("parties.coordonnateur")
def coordinator_is_member(facts: Facts, *, champ: str, role: str | None = None) -> Iterator[Issue]:
    """The coordinator named at a data path (a name, a rank from 1, or a party) is one of the members."""
    members = [party for party in facts.convention.parties if role is None or party.role == role]
    for path, value in resolve(facts.convention, champ):
        if not _is_member(value, members):
            params = {"coordonnateur": _shown(value), "membres": [name_of(party) for party in members]}
            yield Issue("parties.coordonnateur_non_membre", path, params)


def _is_member(value: Any, members: Sequence[Partie]) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 1 <= value <= len(members)
    if isinstance(value, Partie):
        return any((p.nature, _folded(p.nom)) == (value.nature, _folded(value.nom)) for p in members)
    if isinstance(value, str):
        wanted = _folded(value)
        return any(
            wanted in (_folded(p.nom), _folded(name_of(p)), _folded(p.designation or "")) for p in members
        )
    nom = getattr(value, "nom", None)
    return isinstance(nom, str) and _is_member(nom, members)


def _shown(value: Any) -> Any:
    if isinstance(value, Partie):
        return name_of(value)
    return getattr(value, "nom", value)
