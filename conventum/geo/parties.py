"""Parties found in the official geography: by ``insee``, ``siren`` or name, and completed with
what the clerk left out (official name, nature, département, article, codes)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from conventum.geo.data import Commune, Departement, Epci
from conventum.geo.lookup import Geography, geography
from conventum.geo.names import EPCI_NATURES, article_of, fold, split_epci_name
from conventum.issues import Issue
from conventum.model.blocks import Adresse, Partie

POSTAL_CODE = re.compile(r"^\d{5}$")
CEDEX_SUFFIX = re.compile(r"\s+cedex(?:\s+\d{1,2})?$", re.IGNORECASE)  # "Arras Cedex 9"
COMMUNE_CODE = re.compile(r"(?:\d{5}|2[AB]\d{3})")
DEPARTEMENT_CODE = re.compile(r"(?:\d{2}|2[AB]|97\d)")
EPCI_KINDS = frozenset(EPCI_NATURES.values()) | {"epci"}
# Natures whose name is that of a département ("le Centre de gestion … du Nord").
NAMED_AFTER_DEPARTEMENT = ("departement", "cdg")


@dataclass(frozen=True)
class Official:
    """What the référentiel says of a party."""

    nature: str
    nom: str
    article: str | None  # None: the name follows the nature in apposition
    departement: str
    insee: str | None = None
    siren: str | None = None

    def name_matches(self, written: str) -> bool:
        return fold(written) == fold(self.nom)


def official_commune(commune: Commune) -> Official:
    article = article_of(commune.tncc)
    return Official("commune", commune.nom, article, commune.departement, commune.code, commune.siren or None)


def official_departement(departement: Departement) -> Official:
    article = article_of(departement.tncc)
    return Official("departement", departement.nom, article, departement.code, departement.code)


def official_epci(epci: Epci, geo: Geography) -> Official:
    name, article = split_epci_name(epci.nom, epci.type)
    seats = Counter(c.departement for code in epci.membres if (c := geo.commune(code)) is not None)
    departement = seats.most_common(1)[0][0] if seats else ""
    return Official(EPCI_NATURES[epci.type], name, article, departement, siren=epci.siren)


def code_text(value: Any) -> str | None:
    """A code as the schema reads it: text, spaces removed, upper case (2a004 → 2A004)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return "".join(value.split()).upper() if isinstance(value, str) else None


def identify(party: Mapping[str, Any], geo: Geography | None = None) -> Official | None:
    """The party in the référentiel: by its INSEE code, its SIREN, else its nature and name."""
    insee, siren = code_text(party.get("insee")), code_text(party.get("siren"))
    nature, name = party.get("nature"), party.get("nom")
    if not isinstance(nature, str) or not isinstance(name, str):
        nature = name = None
    if geo is not None and geo is not geography():
        return _identified(insee, siren, nature, name, _postal_code(party), geo)
    return _cached(insee, siren, nature, name, _postal_code(party))


@lru_cache(maxsize=4096)
def _cached(
    insee: str | None, siren: str | None, nature: str | None, name: str | None, postal: str | None
) -> Official | None:
    """identify() in the shipped geography: each party is looked up by several rules."""
    return _identified(insee, siren, nature, name, postal, geography())


def _identified(
    insee: str | None,
    siren: str | None,
    nature: str | None,
    name: str | None,
    postal: str | None,
    geo: Geography,
) -> Official | None:
    if insee:
        return by_insee(insee, geo)
    if siren:
        return by_siren(siren, geo)
    return by_name(nature, name, postal, geo)


def by_insee(code: str, geo: Geography) -> Official | None:
    if COMMUNE_CODE.fullmatch(code):
        commune = geo.commune(code)
        return official_commune(commune) if commune else None
    departement = geo.departement(code) if DEPARTEMENT_CODE.fullmatch(code) else None
    return official_departement(departement) if departement else None


def by_siren(siren: str, geo: Geography) -> Official | None:
    commune = geo.commune_by_siren(siren)
    if commune is not None:
        return official_commune(commune)
    epci = geo.epci(siren)
    return official_epci(epci, geo) if epci else None


def by_name(nature: str | None, name: str | None, postal: str | None, geo: Geography) -> Official | None:
    if nature is None or name is None or not name.strip():
        return None
    if nature == "commune":
        communes = communes_for(name, postal, geo)
        return official_commune(communes[0]) if len(communes) == 1 else None
    if nature in NAMED_AFTER_DEPARTEMENT:
        departement = geo.departement_named(name)
        if departement is None:
            return None
        official = official_departement(departement)
        return (
            official
            if nature == "departement"
            else Official(nature, official.nom, official.article, departement.code)
        )
    if nature in EPCI_KINDS:
        found = geo.epci_named(name)
        return official_epci(found[0], geo) if len(found) == 1 else None
    return None


def communes_for(name: str, postal_code: str | None, geo: Geography) -> list[Commune]:
    """The communes of a name, narrowed by a postal code when several share it (Saint-Denis)."""
    communes = geo.communes_named(name)
    if len(communes) <= 1 or not postal_code:
        return communes
    served = [c for c in communes if postal_code in c.codes_postaux]
    if served:
        return served
    departement = geo.departement_of_postal_code(postal_code)
    return [c for c in communes if c.departement == departement] or communes


def towns_of(town: str, code: str, geo: Geography, commune: Commune | None) -> list[Commune]:
    """The communes an address's town may be: the party itself if it is that commune, its homonyms,
    or the commune a former commune of that name belongs to."""
    if commune is not None and fold(commune.nom) == fold(town):
        return [commune]
    found = communes_for(town, code, geo)
    if found:
        return found
    return [c for former in geo.former_named(town) if (c := geo.commune(former.chef_lieu)) is not None]


def address_departement(address: Adresse, geo: Geography) -> str | None:
    """The département of an address: its postal code's, else (a CEDEX code) its town's."""
    if not POSTAL_CODE.match(address.code_postal):
        return None
    if geo.is_postal_code(address.code_postal):
        return geo.departement_of_postal_code(address.code_postal)
    towns = towns_of(CEDEX_SUFFIX.sub("", address.commune), address.code_postal, geo, None)
    if len({c.departement for c in towns}) == 1:
        return towns[0].departement
    return geo.departement_of_postal_code(address.code_postal)


def departement_of(party: Partie) -> str | None:
    """A party's département: the référentiel's, else the one of its address."""
    return party.departement or address_departement(party.adresse, geography())


def _postal_code(party: Mapping[str, Any]) -> str | None:
    address = party.get("adresse")
    code = address.get("code_postal") if isinstance(address, Mapping) else None
    return code_text(code)


def complete_parties(data: dict[str, Any]) -> list[Issue]:
    """Fill in each party what the référentiel knows and the clerk left out; the clerk's values win.

    Issues only for a code that designates nothing (the rules check the rest, on the typed parties).
    """
    parties = data.get("parties")
    if not isinstance(parties, list):
        return []
    issues: list[Issue] = []
    for index, party in enumerate(parties):
        if isinstance(party, dict):
            issues += complete_party(party, f"parties[{index}]")
    return issues


def complete_party(party: dict[str, Any], path: str) -> list[Issue]:
    """Complete one party in place; an issue when its ``insee`` or ``siren`` is unknown."""
    geo = geography()
    official = identify(party, geo)
    if official is None:
        return unknown_code(party, path, geo)
    given_name = party.get("nom")
    party.setdefault("nature", official.nature)
    party.setdefault("nom", official.nom)
    party.setdefault("departement", official.departement or None)
    for key in ("insee", "siren"):
        if getattr(official, key) and party.get("nature") == official.nature:
            party.setdefault(key, getattr(official, key))
    written_as_official = not isinstance(given_name, str) or official.name_matches(given_name)
    if "liaison" not in party and written_as_official:
        if official.article is None:
            party["liaison"] = "apposition"
        else:
            party.setdefault("article", official.article)
    return []


def unknown_code(party: Mapping[str, Any], path: str, geo: Geography) -> list[Issue]:
    """An INSEE code or SIREN that designates nothing the référentiel knows, with close names."""
    insee, siren = code_text(party.get("insee")), code_text(party.get("siren"))
    name = party.get("nom") if isinstance(party.get("nom"), str) else None
    if insee and (COMMUNE_CODE.fullmatch(insee) or DEPARTEMENT_CODE.fullmatch(insee)):
        former = geo.former(insee)
        if former is not None:
            chef_lieu = geo.commune(former.chef_lieu)
            params = {
                "insee": insee,
                "nom": former.nom,
                "commune": chef_lieu.nom if chef_lieu else former.chef_lieu,
            }
            return [Issue("geo.insee_ancienne_commune", f"{path}.insee", params)]
        nearby = geo.closest_communes(name, departement=insee[:2]) if name else []
        suggestions = [f"{c.nom} ({c.code})" for c in nearby or (geo.closest_communes(name) if name else [])]
        return [Issue("geo.insee_inconnu", f"{path}.insee", {"insee": insee, "proches": suggestions})]
    nature = party.get("nature")
    if (
        siren
        and re.fullmatch(r"\d{9}", siren)
        and not insee
        and (nature == "commune" or nature in EPCI_KINDS)
    ):
        found = geo.closest_epci(name) if name and nature in EPCI_KINDS else []
        suggestions = [f"{e.nom} ({e.siren})" for e in found]
        if name and nature == "commune":
            suggestions = [f"{c.nom} ({c.siren})" for c in geo.closest_communes(name)]
        return [Issue("geo.siren_inconnu", f"{path}.siren", {"siren": siren, "proches": suggestions})]
    return []
