"""The parties as templates write them: name with its article, address, representative, decisions."""

from __future__ import annotations

from datetime import date
from typing import Any

from conventum.french.formatting import format_date, join_words, party_ordinal
from conventum.french.grammar import (
    DECISION_WORDS,
    capitalise,
    denomination,
    gender_of_civility,
    gender_of_nature,
    nature_info,
    of_noun,
    organ_phrase,
    quality_label,
)
from conventum.model.blocks import Autorisation, Partie, Representant, Signature
from conventum.model.catalogue import ConventionType

BLANK_DATE = "……………………………"


def ordered_parties(ctype: ConventionType, parties: list[Partie]) -> list[Partie]:
    """Parties in the order of the type's roles; the data's order within a role."""
    rank = {role.role: index for index, role in enumerate(ctype.roles)}
    return sorted(parties, key=lambda party: rank.get(party.role, len(rank)))


def party_view(
    ctype: ConventionType, party: Partie, rank: int, count: int, signature: Signature | None
) -> dict[str, Any]:
    """A party as templates write it: "la Commune de Libercourt, sise …, représentée par …"."""
    gender = gender_of_nature(party.nature)
    role = ctype.role(party.role)
    name = denomination(party.nature, party.nom, liaison=party.liaison, article=party.article)
    return {
        "role": party.role,
        "rang": rank,
        "nature": party.nature,
        "nature_libelle": nature_info(party.nature)["libelle"],
        "nom": party.nom,
        "genre": gender,
        "denomination": name,
        "Denomination": capitalise(name),
        "sans_article": name.split(" ", 1)[1] if not name.startswith("l’") else name[2:],
        "designation": party.designation or (role.designation if role else None) or name,
        "adresse": address_view(party),
        "representant": representative_view(party.representant),
        "autorisation": authorisation_view(party.autorisation),
        "ordinal": party_ordinal(rank, count),
        "signature": signature_view(party.signature or signature),
    }


def address_view(party: Partie) -> dict[str, Any]:
    """The address in pieces and as one line: "14 rue Jeanne Maillote à Lille (59000)"."""
    address = party.adresse
    street = ", ".join(part for part in (address.voie, address.complement) if part)
    town = f"{address.commune} Cedex" if address.cedex else address.commune
    return {
        **address.model_dump(),
        "rue": street,
        "ligne": f"{street} à {town} ({address.code_postal})",
    }


def representative_view(person: Representant) -> dict[str, Any]:
    """The representative: "Monsieur Jean-Claude LEROY", his or her qualité agreed."""
    gender = gender_of_civility(person.civilite)
    short = f"{person.prenom} {person.nom.upper()}"
    return {
        "civilite": person.civilite,
        "prenom": person.prenom,
        "nom": person.nom.upper(),
        "genre": gender,
        "prenom_nom": short,
        "nom_complet": f"{person.civilite} {short}",
        "qualite": quality_label(person.qualite, gender),
        "qualite_cle": person.qualite,
    }


def authorisation_view(decisions: list[Autorisation]) -> dict[str, Any]:
    """The decisions: "par délibérations du comité syndical des 19 janvier 2022 et 2 février 2023"."""
    if not decisions:
        return {"phrase": "", "organe": "", "organe_de": "", "date": "", "dates": "", "decisions": []}
    first = decisions[0]
    organ = organ_phrase(first.organe)
    dates = [decision.date for decision in decisions]
    word = DECISION_WORDS[first.nature][0] + ("s" if len(decisions) > 1 else "")
    when = (
        f"des {join_words([format_date(d) for d in dates])}"
        if len(dates) > 1
        else f"du {format_date(dates[0])}"
    )
    return {
        "phrase": f"par {word} {of_noun(organ)} {when}",
        "organe": organ,
        "organe_de": of_noun(organ),
        "date": format_date(first.date),
        "date_iso": first.date,
        "dates": join_words([format_date(d) for d in dates]),
        "numero": first.numero or "",
        "decisions": [decision.model_dump() for decision in decisions],
    }


def signature_view(signature: Signature | None) -> dict[str, Any]:
    """Place and date of signature; a blank to fill by hand when the date is not known."""
    when: date | None = signature.date if signature else None
    return {
        "lieu": (signature.lieu if signature else None) or "",
        "date": format_date(when) if when else BLANK_DATE,
        "date_iso": when,
        "datee": when is not None,
    }
