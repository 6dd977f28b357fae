"""Rules against the official geography: the parties exist and are named as the référentiel says,
addresses match their postal codes, a centre de gestion is the collectivité's, SIREN/SIRET keys hold."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from conventum.french.grammar import nature_info
from conventum.geo.data import Commune
from conventum.geo.lookup import Geography, geography
from conventum.geo.names import fold, written_epci_name
from conventum.geo.parties import (
    CEDEX_SUFFIX,
    EPCI_KINDS,
    NAMED_AFTER_DEPARTEMENT,
    Official,
    address_departement,
    departement_of,
    identify,
    towns_of,
)
from conventum.issues import Issue
from conventum.model.blocks import Adresse, Partie
from conventum.validation.rules.parties import POSTAL_CODE, name_of
from conventum.validation.rules.registry import Facts, rule


def as_mapping(party: Partie) -> dict[str, Any]:
    """The keys identify() reads, from a typed party."""
    return {
        "insee": party.insee,
        "siren": party.siren,
        "nature": party.nature,
        "nom": party.nom,
        "adresse": {"code_postal": party.adresse.code_postal},
    }


def official_of(party: Partie) -> Official | None:
    """The party in the référentiel (None when it is not there, or not the kind of body it holds)."""
    return identify(as_mapping(party))


@rule("geo.parties")
def parties_exist(facts: Facts) -> Iterator[Issue]:
    """Communes, départements and EPCI named as parties exist; what the clerk wrote agrees with them."""
    geo = geography()
    for index, party in enumerate(facts.convention.parties):
        path = f"parties[{index}]"
        official = official_of(party)
        if official is not None:
            yield from _contradictions(party, official, path)
        elif not party.insee and not party.siren:  # an unknown code is reported when parties are completed
            yield from _not_found(party, path, geo)


def _not_found(party: Partie, path: str, geo: Geography) -> Iterator[Issue]:
    if party.nature == "commune":
        yield from _commune_not_found(party, path, geo)
    elif party.nature == "departement":
        start = fold(party.nom)[:3]  # folded once: a long name is not folded again per département
        names = [d.nom for d in geo.departements() if fold(d.nom)[:3] == start]
        yield Issue("geo.departement_inconnu", f"{path}.nom", {"nom": party.nom, "proches": names})
    elif party.nature in EPCI_KINDS and not geo.epci_named(party.nom):
        names = [f"{e.nom} ({e.siren})" for e in geo.closest_epci(party.nom)]
        yield Issue("geo.epci_inconnu", f"{path}.nom", {"nom": party.nom, "proches": names})


def _commune_not_found(party: Partie, path: str, geo: Geography) -> Iterator[Issue]:
    homonyms = geo.communes_named(party.nom)
    if len(homonyms) > 1:
        params = {"nom": party.nom, "communes": [_commune_label(c, geo) for c in homonyms]}
        yield Issue("geo.commune_homonyme", f"{path}.nom", params, "warning")
        return
    former = geo.former_named(party.nom)
    if former:
        chef_lieu = geo.commune(former[0].chef_lieu)
        params = {"nom": party.nom, "commune": chef_lieu.nom if chef_lieu else former[0].chef_lieu}
        params["statut"] = "déléguée" if former[0].kind == "deleguee" else "associée"
        yield Issue("geo.commune_ancienne", f"{path}.nom", params)
        return
    departement = address_departement(party.adresse, geo)
    close = geo.closest_communes(party.nom, departement=departement) or geo.closest_communes(party.nom)
    params = {"nom": party.nom, "proches": [_commune_label(c, geo) for c in close]}
    yield Issue("geo.commune_inconnue", f"{path}.nom", params)


def _commune_label(commune: Commune, geo: Geography) -> str:
    departement = geo.departement(commune.departement)
    where = departement.nom if departement else commune.departement
    return f"{commune.nom} ({where}, code INSEE {commune.code})"


def _contradictions(party: Partie, official: Official, path: str) -> Iterator[Issue]:
    """Explicit values win; a warning names the official fact each one contradicts."""
    code = official.insee or official.siren or ""
    if party.nature in EPCI_KINDS and official.nature in EPCI_KINDS:
        if party.nature not in (official.nature, "epci"):
            params = {"partie": name_of(party), "officiel": _label(official.nature), "code": code}
            params["nature"] = _label(party.nature)
            yield Issue("geo.nature_epci", f"{path}.nature", params)
    elif party.nature != official.nature and not (
        party.nature in NAMED_AFTER_DEPARTEMENT and official.nature in NAMED_AFTER_DEPARTEMENT
    ):
        params = {"nature": _label(party.nature), "officiel": _label(official.nature), "code": code}
        params["nom"] = official.nom
        yield Issue("geo.nature_officielle", f"{path}.nature", params, "warning")
    if not _same_name(party, official):
        params = {"nom": party.nom, "officiel": official.nom, "code": code}
        yield Issue("geo.nom_officiel", f"{path}.nom", params, "warning")
    if party.departement and official.departement and party.departement != official.departement:
        params = {"departement": party.departement, "officiel": official.departement, "nom": official.nom}
        yield Issue("geo.departement_officiel", f"{path}.departement", params, "warning")
    if (
        party.article
        and official.article
        and party.article != official.article
        and _same_name(party, official)
    ):
        params = {"article": party.article, "officiel": official.article, "nom": official.nom}
        yield Issue("geo.article_officiel", f"{path}.article", params, "warning")
    if party.siren and official.siren and party.siren != official.siren and party.insee:
        params = {"siren": party.siren, "officiel": official.siren, "nom": official.nom}
        yield Issue("geo.siren_officiel", f"{path}.siren", params, "warning")


def _label(nature: str) -> str:
    return nature_info(nature)["libelle"].lower()


def _same_name(party: Partie, official: Official) -> bool:
    if official.nature in EPCI_KINDS:
        return written_epci_name(party.nom) == written_epci_name(official.nom)
    return official.name_matches(party.nom)


@rule("geo.adresses")
def addresses(facts: Facts) -> Iterator[Issue]:
    """An address's town is served by its postal code; a commune's seat has one of its own codes."""
    geo = geography()
    for index, party in enumerate(facts.convention.parties):
        if POSTAL_CODE.match(party.adresse.code_postal):
            commune = _party_commune(party, geo)
            yield from check_address(party.adresse, f"parties[{index}].adresse", geo, commune)


def _party_commune(party: Partie, geo: Geography) -> Commune | None:
    official = official_of(party)
    if official is None or official.nature != "commune" or not official.insee:
        return None
    return geo.commune(official.insee)


def check_address(
    address: Adresse, path: str, geo: Geography, commune: Commune | None = None
) -> Iterator[Issue]:
    """The postal code exists and serves the town (or is a CEDEX code of the town's département)."""
    code, town, cedex = address.code_postal, CEDEX_SUFFIX.sub("", address.commune), address.cedex
    cedex = cedex or town != address.commune
    towns = towns_of(town, code, geo, commune)
    if geo.is_postal_code(code):
        served = geo.communes_of_postal_code(code)
        if not {c.code for c in served} & {c.code for c in towns}:
            yield _wrong_town(address, town, towns, served, path)
        elif commune is not None and commune not in towns:
            params = {"ville": town, "commune": commune.nom, "codes": list(commune.codes_postaux)}
            yield Issue("geo.siege_hors_commune", f"{path}.commune", params)
        return
    departement = geo.departement_of_postal_code(code)
    if towns and any(c.departement == departement for c in towns):
        if not cedex:
            params = {"code_postal": code, "ville": town, "codes": _codes(towns)}
            yield Issue("geo.code_postal_cedex", f"{path}.code_postal", params, "warning")
        return
    params = {"code_postal": code, "ville": town, "codes": _codes(towns)}
    yield Issue("geo.code_postal_inconnu", f"{path}.code_postal", params)


def _wrong_town(address: Adresse, town: str, towns: list[Commune], served: list[Commune], path: str) -> Issue:
    params = {
        "code_postal": address.code_postal,
        "ville": town,
        "communes": [c.nom for c in served][:6],
        "codes": _codes(towns),
    }
    if towns:
        return Issue("geo.ville_code_postal", f"{path}.code_postal", params)
    return Issue("geo.ville_inconnue", f"{path}.commune", params)


def _codes(towns: list[Commune]) -> list[str]:
    return sorted({code for commune in towns for code in commune.codes_postaux})


@rule("geo.cdg")
def cdg_of_collectivite(
    facts: Facts, *, cdg: str = "cdg", collectivite: str = "collectivite"
) -> Iterator[Issue]:
    """The centre de gestion is the one of the collectivité's département (a Pas-de-Calais commune
    joins the CDG 62, not the CDG 59)."""
    parties = facts.convention.parties
    centres = [(i, p) for i, p in enumerate(parties) if p.role == cdg]
    members = [p for p in parties if p.role == collectivite]
    for index, centre in centres:
        mine = departement_of(centre)
        for member in members:
            theirs = departement_of(member)
            if mine and theirs and mine != theirs:
                params = {
                    "cdg": name_of(centre),
                    "partie": name_of(member),
                    "departement": theirs,
                    "cdg_departement": mine,
                }
                params["nom_departement"] = _departement_name(theirs)
                yield Issue("geo.cdg_departement", f"parties[{index}]", params)


def _departement_name(code: str) -> str:
    departement = geography().departement(code)
    return departement.nom if departement else code


@lru_cache(maxsize=4096)  # python-stdnum checks a key in pure Python, the same numbers in each row
def _valid_siren(number: str) -> bool:
    return bool(stdnum_siren.is_valid(number))


@lru_cache(maxsize=4096)
def _valid_siret(number: str) -> bool:
    return bool(stdnum_siret.is_valid(number))


@rule("geo.identifiants")
def identifiers(facts: Facts) -> Iterator[Issue]:
    """SIREN and SIRET, when given, have a valid key; a SIRET begins with the party's SIREN."""
    for index, party in enumerate(facts.convention.parties):
        path = f"parties[{index}]"
        if party.siren and not _valid_siren(party.siren):
            yield Issue("geo.siren_invalide", f"{path}.siren", {"siren": party.siren})
        if party.siret and not _valid_siret(party.siret):
            yield Issue("geo.siret_invalide", f"{path}.siret", {"siret": party.siret})
        elif party.siret and party.siren and not party.siret.startswith(party.siren):
            yield Issue("geo.siret_siren", f"{path}.siret", {"siret": party.siret, "siren": party.siren})
