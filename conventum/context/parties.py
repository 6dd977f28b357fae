"""The parties as templates write them: name with its article, address, representative, decisions."""

from __future__ import annotations

from datetime import date
from typing import Any

from conventum.clauses.acts import act_phrase, authorisation_phrase, full_organ, named_act
from conventum.clauses.closing import place_phrase
from conventum.clauses.comparution import comparution, hereafter, postal_seat, without_cedex
from conventum.clauses.signatures import block
from conventum.french.formatting import format_date, join_words, party_ordinal
from conventum.french.grammar import (
    authority_label,
    capitalise,
    choose_designation,
    delegating_authority,
    delegating_quality,
    delegation_phrase,
    denomination,
    designation_forms,
    gender_of_civility,
    gender_of_nature,
    nature_info,
    of_noun,
    organ_phrase,
    quality_label,
    short_quality_label,
    with_article,
)
from conventum.french.places import split_article, street_phrase, town_name, town_phrase
from conventum.model.blocks import Autorisation, Convention, Delegation, Partie, Representant, Signature
from conventum.model.catalogue import ConventionType

BLANK_DATE = "……………………………"


def party_views(ctype: ConventionType, convention: Convention) -> list[dict[str, Any]]:
    """Every party as templates write it, in the order of the type's roles."""
    count = len(convention.parties)
    return [
        party_view(ctype, party, rank, count, convention.signature)
        for rank, party in enumerate(ordered_parties(ctype, convention.parties), start=1)
    ]


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
    designation = (
        party.designation or choose_designation(role.designation if role else None, party.nature) or name
    )
    person = representative_view(party.representant, party.nature)
    forms = designation_forms(designation)
    authorisation = authorisation_view(party.autorisation, party.nature)
    # "La délibération du conseil d’administration du CdG62 du 10 décembre 2024": the act and whose it
    # is, where its organ does not say it ("La délibération du conseil municipal du …").
    authorisation["Acte_partie"] = capitalise(
        join_words([named_act(act, party.nature, forms["de"]) for act in party.autorisation])
    )
    address = address_view(party)
    signed = signature_view(party.signature or signature)
    return {
        "role": party.role,
        "rang": rank,
        "nature": party.nature,
        "nature_libelle": nature_info(party.nature)["libelle"],
        "nom": party.nom,
        # The name as every phrase keeps it: "Les Rues-des-Vignes" is read "des Rues-des-Vignes".
        "nom_lu": split_article(party.nom)[1],
        "genre": gender,
        "denomination": name,
        "Denomination": capitalise(name),
        "sans_article": name.split(" ", 1)[1] if not name.startswith("l’") else name[2:],
        "designation": designation,
        "designee": forms,
        "adresse": address,
        "representant": person,
        "autorisation": authorisation,
        "ordinal": party_ordinal(rank, count),
        "signature": signed,
        # The clauses (conventum.clauses): the paragraph, "Ci-après …", the signature block.
        "comparution": _comparution(name, gender, address["postale"], person, authorisation),
        # The seat as "1 place … au Portel (62480)": the town, then its postal code in brackets,
        # where the office's own template writes it so (conventum import keeps its shape).
        "comparution_ligne": _comparution(name, gender, address["ligne"], person, authorisation),
        "ci_apres": hereafter(designation, gender),
        "bloc": block(
            name,
            person["titre"],
            person["delegant"] or None,
            person["prenom_nom"],
            f"Le {signed['date']}",
        ),
    }


def _comparution(
    name: str, gender: str, seat: str, person: dict[str, Any], authorisation: dict[str, Any]
) -> str:
    return comparution(
        denomination=name,
        gender=gender,
        seat=seat,
        person=person["nom_complet"],
        person_gender=person["genre"],
        short_quality=person["qualite_courte"],
        delegation=person["delegation"],
        authorisation=authorisation["phrase"],
    )


def address_view(party: Partie, *, article: str | int | None = None) -> dict[str, Any]:
    """The address in pieces and as one line: "14 rue Jeanne Maillote à Lille (59000)".

    The town after "à" or "de" contracts its article ("au Cateau-Cambrésis"); ``article``
    is the official one when known (INSEE type de nom), else it is read from the spelling.
    """
    address = party.adresse
    street = ", ".join(part for part in (address.voie, address.complement) if part)
    cedex = " Cedex" if address.cedex else ""  # with the postal code only: the seat is the town's
    in_town = town_phrase(address.commune, "à", article=article)
    at_town = in_town + cedex
    return {
        **address.model_dump(),
        "commune": town_name(address.commune, article=article),
        "a_commune": at_town,
        "de_commune": town_phrase(address.commune, "de", article=article),
        "rue": street,
        "ligne": f"{street} {at_town} ({address.code_postal})",
        # "11 bis rue de Signier à Laon", "à l’Hôtel du Département, … à Laon": after "se situe".
        "siege": f"{street_phrase(street)} {in_town}",
        # "Hôtel du Département, rue Ferdinand Buisson, 62018 Arras Cedex": the seat of a comparution.
        "postale": postal_seat(address, town_name(address.commune, article=article), street_phrase),
    }


def representative_view(person: Representant, nature: str | None = None) -> dict[str, Any]:
    """The representative: "Monsieur Jean-Claude LEROY", his or her qualité agreed.

    ``delegation`` is the phrase that follows the qualité when he or she signs for
    another ("agissant par délégation du Maire en vertu de l’arrêté n°2024-15 du 3 mars 2024"),
    else "".
    """
    gender = gender_of_civility(person.civilite)
    short = f"{person.prenom} {person.nom.upper()}"
    quality = quality_label(person.qualite, gender)
    authority = _delegating_authority(person, nature)
    delegation = delegation_phrase(authority, _act(person.delegation)) if authority else ""
    delegating = with_article(authority_label(authority), "m") if authority else ""
    return {
        "civilite": person.civilite,
        "prenom": person.prenom,
        "nom": person.nom.upper(),
        "genre": gender,
        "prenom_nom": short,
        "nom_complet": f"{person.civilite} {short}",
        "qualite": quality,
        "qualite_courte": short_quality_label(person.qualite, gender),
        "qualite_cle": person.qualite,
        "titre": capitalise(with_article(quality, gender)),
        # The signature block's title: "Le Maire", or "Pour le Maire et par délégation, le Premier adjoint".
        "titre_signature": (
            f"Pour {with_article(authority_label(authority), 'm')} et par délégation, "
            + with_article(quality, gender)
            if authority
            else capitalise(with_article(quality, gender))
        ),
        "delegation": delegation,
        # "le Maire": whose delegation he or she signs under ("" without one).
        "delegant": delegating,
        "par_delegation": bool(delegation),
        # ", agissant par délégation du Maire" or "": to follow the qualité in a party's paragraph.
        "delegation_suite": f", {delegation}" if delegation else "",
    }


def _delegating_authority(person: Representant, nature: str | None) -> str | None:
    """Whose delegation the representative signs under: the one given, else the one the nature implies."""
    if person.delegation is None:
        return None
    if person.delegation.autorite:
        return delegating_authority(person.delegation.autorite, nature or "")
    return delegating_quality(person.qualite, nature or "") or (
        "maire" if nature == "commune" else "president"
    )


def _act(delegation: Delegation | None) -> str:
    """ "l’arrêté n°2024-15 du 3 mars 2024", as much of it as is known."""
    if delegation is None:
        return ""
    return act_phrase(delegation.nature, delegation.numero, delegation.date)


def authorisation_view(decisions: list[Autorisation], nature: str | None = None) -> dict[str, Any]:
    """The decisions: "par délibérations du comité syndical des 19 janvier 2022 et 2 février 2023".

    ``organe_complet_de`` names the commission permanente with its assembly, as a visa does:
    "de la Commission permanente du Conseil départemental".
    """
    if not decisions:
        return {
            "phrase": "",
            "organe": "",
            "organe_de": "",
            "organe_complet_de": "",
            "date": "",
            "dates": "",
            "decisions": [],
        }
    first = decisions[0]
    organ = organ_phrase(first.organe)
    complete = of_noun(full_organ(first.organe, nature))
    dates = [decision.date for decision in decisions]
    return {
        # "par délibération n°2026-015 du conseil municipal du 12 février 2026" (conventum.clauses.acts).
        "phrase": authorisation_phrase(decisions, nature),
        "organe": organ,
        "organe_de": of_noun(organ),
        "organe_complet_de": complete,
        "date": format_date(first.date),
        "date_iso": first.date,
        "dates": join_words([format_date(d) for d in dates]),
        "numero": first.numero or "",
        # "la délibération n°2025-498 de la Commission permanente du Conseil départemental du 8 décembre 2025"
        "acte": join_words([named_act(decision, nature) for decision in decisions]),
        "Acte": capitalise(join_words([named_act(decision, nature) for decision in decisions])),
        "decisions": [decision.model_dump() for decision in decisions],
    }


def signature_view(signature: Signature | None) -> dict[str, Any]:
    """Place and date of signature; a blank to fill by hand when the date is not known."""
    when: date | None = signature.date if signature else None
    place = without_cedex((signature.lieu if signature else None) or "")
    return {
        "lieu": town_name(place) if place else "",
        # "à Lille", "au Cateau-Cambrésis": what follows "Fait" (empty when no place is given).
        "a_lieu": place_phrase(place),
        "date": format_date(when) if when else BLANK_DATE,
        "date_iso": when,
        "datee": when is not None,
    }
