"""Searching the official geography as a clerk types: communes, EPCI, départements and régions by
the start of their name, a postal code, an INSEE code or a SIREN; each found place with what a party
takes from it (nature, official name and article, codes, postal code, town)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from conventum.geo.data import Commune, Epci
from conventum.geo.lookup import Geography, geography
from conventum.geo.names import EPCI_NATURES, article_of, fold, split_epci_name, written_epci_name
from conventum.geo.parties import COMMUNE_CODE, DEPARTEMENT_CODE

MIN_QUERY = 2
MAX_QUERY = 80
SIREN = re.compile(r"\d{9}")
POSTAL = re.compile(r"\d{5}")
KIND_WORDS = {
    "commune": "Commune",
    "departement": "Département",
    "region": "Région",
    "communaute-de-communes": "Communauté de communes",
    "communaute-d-agglomeration": "Communauté d’agglomération",
    "communaute-urbaine": "Communauté urbaine",
    "metropole": "Métropole",
}


@dataclass(frozen=True)
class Place:
    """A place found, with the values a party takes from it."""

    libelle: str  # as offered: "Le Portel (62480) — Pas-de-Calais"
    nature: str
    nom: str
    article: str | None  # the official link after "de" ("du"), None for a name in apposition
    insee: str | None
    siren: str | None
    departement: str | None
    code_postal: str | None
    commune: str | None  # the town of the address (a commune's own name)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class QueryError(ValueError):
    """A search too short or too long to run."""


def search_places(query: str, *, limit: int = 10, geo: Geography | None = None) -> list[Place]:
    """The places a query designates, best first: exact codes, then names starting with it.

    >>> [p.libelle for p in search_places("Le Portel")][:1]
    ['Le Portel (62480) — Pas-de-Calais']
    >>> [p.libelle for p in search_places("62480")]  # the INSEE code of Labourse, Le Portel's postal code
    ['Labourse (62113) — Pas-de-Calais', 'Le Portel (62480) — Pas-de-Calais']
    """
    text = " ".join(query.split())
    if len(text) < MIN_QUERY:
        raise QueryError(f"Tapez au moins {MIN_QUERY} caractères pour chercher.")
    if len(text) > MAX_QUERY:
        raise QueryError(f"La recherche compte {len(text)} caractères ; {MAX_QUERY} au plus.")
    geo = geo or geography()
    compact = "".join(text.split()).upper()
    found: list[Place] = []
    if SIREN.fullmatch(compact):
        commune = geo.commune_by_siren(compact)
        epci = geo.epci(compact)
        found += [_commune(commune, geo)] if commune else []
        found += [_epci(epci, geo)] if epci else []
    elif POSTAL.fullmatch(compact) or COMMUNE_CODE.fullmatch(compact):
        by_code = geo.commune(compact)
        found += [_commune(by_code, geo)] if by_code else []
        found += [_commune(c, geo, compact) for c in geo.communes_of_postal_code(compact) if c != by_code]
    elif DEPARTEMENT_CODE.fullmatch(compact):
        departement = geo.departement(compact)
        found += [_departement(compact, geo)] if departement else []
    else:
        found += _by_name(text, geo, limit)
    return found[:limit]


def _by_name(text: str, geo: Geography, limit: int) -> list[Place]:
    key = fold(text)
    if not key:
        return []
    ranked = _territories(key, geo)
    for name in _names_from(geo, key):
        ranked.append((0 if name == key else 2, len(name), name, _communes_maker(name, geo)))
    epci_key = written_epci_name(text)
    for name, folded, epci in _epci_keys(geo):
        if name.startswith(epci_key) or folded.startswith(key):
            ranked.append((0 if name == epci_key else 3, len(name), name, _maker(_epci, epci, geo)))
    ranked.sort(key=lambda item: item[:3])
    found: list[Place] = []
    for *_order, make in ranked:
        found += make()
        if len(found) >= limit:
            break
    return found


Candidate = tuple[int, int, str, Callable[[], list["Place"]]]


def _territories(key: str, geo: Geography) -> list[Candidate]:
    """The départements and régions whose names start with the key."""
    found: list[Candidate] = []
    for departement in geo.departements():
        name = fold(departement.nom)
        if name.startswith(key) or name.removeprefix("la ").startswith(key):
            found.append(
                (0 if name == key else 1, len(name), name, _maker(_departement, departement.code, geo))
            )
    for row in geo._tables.regions:
        name = fold(row[1])
        if name.startswith(key):
            found.append((0 if name == key else 1, len(name), name, _maker(_region, row[0], geo)))
    return found


def _maker(build: Callable[..., Place], *args: Any) -> Callable[[], list[Place]]:
    return lambda: [build(*args)]


def _communes_maker(name: str, geo: Geography) -> Callable[[], list[Place]]:
    return lambda: [_commune(commune, geo) for commune in geo.communes_named(name)]


def _names_from(geo: Geography, key: str) -> list[str]:
    return geo._by_name.starting_with(key)


_EPCI_KEYS: dict[int, list[tuple[str, str, Epci]]] = {}


def _epci_keys(geo: Geography) -> list[tuple[str, str, Epci]]:
    """Each EPCI with its name as a clerk writes it (folded, no type) and its official name folded."""
    keys = _EPCI_KEYS.get(id(geo))
    if keys is None:
        keys = _EPCI_KEYS[id(geo)] = [
            (written_epci_name(split_epci_name(epci.nom, epci.type)[0]), fold(epci.nom), epci)
            for epci in geo._epci.values()
        ]
    return keys


def _departement_name(code: str, geo: Geography) -> str:
    departement = geo.departement(code)
    return departement.nom if departement else code


def _commune(commune: Commune, geo: Geography, postal: str | None = None) -> Place:
    codes = commune.codes_postaux
    code = postal if postal in codes else (codes[0] if codes else None)
    where = _departement_name(commune.departement, geo)
    shown = f"{commune.nom} ({code}) — {where}" if code else f"{commune.nom} — {where}"
    return Place(
        libelle=shown,
        nature="commune",
        nom=commune.nom,
        article=article_of(commune.tncc),
        insee=commune.code,
        siren=commune.siren or None,
        departement=commune.departement,
        code_postal=code,
        commune=commune.nom,
    )


def _epci(epci: Epci, geo: Geography) -> Place:
    name, article = split_epci_name(epci.nom, epci.type)
    nature = EPCI_NATURES.get(epci.type, "epci")
    kind = KIND_WORDS.get(nature, "EPCI")
    linked = f"{kind} {article}{'' if article and article.endswith('’') else ' '}{name}" if article else name
    seats = [c.departement for code in epci.membres[:1] if (c := geo.commune(code)) is not None]
    where = f" — {_departement_name(seats[0], geo)}" if seats else ""
    return Place(
        libelle=f"{linked} (SIREN {epci.siren}){where}",
        nature=nature,
        nom=name,
        article=article,
        insee=None,
        siren=epci.siren,
        departement=seats[0] if seats else None,
        code_postal=None,
        commune=None,
    )


def _departement(code: str, geo: Geography) -> Place:
    departement = geo.departement(code)
    assert departement is not None
    return Place(
        libelle=f"Département : {departement.nom} ({code})",
        nature="departement",
        nom=departement.nom,
        article=article_of(departement.tncc),
        insee=code,
        siren=None,
        departement=code,
        code_postal=None,
        commune=None,
    )


def _region(code: str, geo: Geography) -> Place:
    region = geo.region(code)
    assert region is not None
    return Place(
        libelle=f"Région : {region.nom}",
        nature="region",
        nom=region.nom,
        article=None,
        insee=None,
        siren=None,
        departement=None,
        code_postal=None,
        commune=None,
    )
