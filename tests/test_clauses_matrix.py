"""The clauses on parties and signers no sample has: every convention type × party nature × signer.

Each cell renders the convention (DOCX; two cells also as PDF through LibreOffice) and reads the
text back as a legal department would: the party's paragraph with its article and seat, the
representative's qualité agreed, the delegation with its act, the authorising act with its
number and full organ, the signature block "par délégation", the place without CEDEX.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass, field
from typing import Any

import pytest
from pypdf import PdfReader

import conventum
from conventum import render_document
from conventum.model.catalogue import load_type
from tests.support import docx_text, needs_libreoffice, normalise, sample

SIGNED = {"date": "2026-03-02"}
AUTHORISED = "2026-02-12"


@dataclass(frozen=True)
class Party:
    """A party the samples do not have, and what its paragraph and block must read."""

    key: str
    data: dict[str, Any]
    denomination: str  # "La Commune du Portel"
    person: str  # "Madame Anne DURAND, sa Maire"
    act: str  # "par délibération n°2026-015 du conseil municipal du 12 février 2026"
    block: tuple[str, str]  # ("Pour la Commune du Portel,", "La Maire,")
    delegation: str = ""  # ", agissant par délégation du Maire en vertu de l’arrêté …"
    place: str = ""  # the place typed by the clerk (with a CEDEX to drop)
    done_at: str = ""  # "Fait au Portel"
    departement: str = "62"
    extra: dict[str, Any] = field(default_factory=dict)


def _person(civilite: str, prenom: str, nom: str, qualite: str, **delegation: Any) -> dict[str, Any]:
    person: dict[str, Any] = {"civilite": civilite, "prenom": prenom, "nom": nom, "qualite": qualite}
    if delegation:
        person["delegation"] = delegation
    return person


def _act(organe: str, numero: str) -> dict[str, Any]:
    return {"organe": organe, "nature": "deliberation", "date": AUTHORISED, "numero": numero}


def _address(voie: str, code: str, town: str, *, cedex: bool = False) -> dict[str, Any]:
    return {"voie": voie, "code_postal": code, "commune": town, "cedex": cedex}


PARTIES = [
    Party(
        "commune-le-maire-femme",
        {
            "nature": "commune",
            "nom": "Le Portel",
            "adresse": _address("Place Henri Dunant", "62480", "Le Portel"),
            "representant": _person("Madame", "Anne", "Durand", "maire"),
            "autorisation": _act("conseil-municipal", "2026-015"),
        },
        "La Commune du Portel, sise Place Henri Dunant, 62480 Le Portel",
        "représentée par Madame Anne DURAND, sa Maire",
        "dûment autorisée à signer la présente convention par délibération n°2026-015 du conseil "
        "municipal du 12 février 2026",
        ("Pour la Commune du Portel,", "La Maire,"),
        place="Le Portel Cedex",
        done_at="Fait au Portel, le 2 mars 2026",
    ),
    Party(
        "commune-la-adjointe-arrete",
        {
            "nature": "commune",
            "nom": "La Couture",
            "adresse": _address("1 rue de l’Église", "62136", "La Couture"),
            "representant": _person(
                "Madame",
                "Claire",
                "Martin",
                "premier-adjoint",
                autorite="maire",
                nature="arrete",
                numero="2024-15",
                date="2024-03-03",
            ),
            "autorisation": _act("conseil-municipal", "DEL-2026-07"),
        },
        "La Commune de La Couture, sise 1 rue de l’Église, 62136 La Couture",
        "représentée par Madame Claire MARTIN, sa Première adjointe",
        "dûment autorisée à signer la présente convention par délibération n°DEL-2026-07 du conseil "
        "municipal du 12 février 2026",
        ("Pour le Maire et par délégation,", "La Première adjointe,"),
        delegation=", agissant par délégation du Maire en vertu de l’arrêté n°2024-15 du 3 mars 2024",
        place="La Couture",
        done_at="Fait à La Couture, le 2 mars 2026",
    ),
    Party(
        "commune-les-adjoint-sans-arrete",
        {
            "nature": "commune",
            "nom": "Les Attaques",
            "adresse": _address("Place de la Mairie", "62730", "Les Attaques"),
            "representant": _person("Monsieur", "Paul", "Leroy", "adjoint", autorite="maire"),
            "autorisation": _act("conseil-municipal", "2026-3"),
        },
        "La Commune des Attaques, sise Place de la Mairie, 62730 Les Attaques",
        "représentée par Monsieur Paul LEROY, son Adjoint au Maire",
        "dûment autorisé à signer la présente convention par délibération n°2026-3 du conseil municipal "
        "du 12 février 2026",
        ("Pour le Maire et par délégation,", "L’Adjoint au Maire,"),
        delegation=", agissant par délégation du Maire,",
        place="Les Attaques",
        done_at="Fait aux Attaques, le 2 mars 2026",
    ),
    Party(
        "commune-l-premier-adjoint",
        {
            "nature": "commune",
            "nom": "L’Orée de Mormal",
            "adresse": _address("2 rue Principale", "59144", "L’Orée de Mormal"),
            "representant": _person(
                "Monsieur",
                "Luc",
                "Petit",
                "premier-adjoint",
                autorite="maire",
                nature="arrete",
                numero="A2025-2",
                date="2025-06-01",
            ),
            "autorisation": _act("conseil-municipal", "2026-11"),
        },
        "La Commune de L’Orée de Mormal, sise 2 rue Principale, 59144 L’Orée de Mormal",
        "représentée par Monsieur Luc PETIT, son Premier adjoint",
        "dûment autorisé à signer la présente convention par délibération n°2026-11 du conseil municipal",
        ("Pour le Maire et par délégation,", "Le Premier adjoint,"),
        delegation=", agissant par délégation du Maire en vertu de l’arrêté n°A2025-2 du 1er juin 2025",
        departement="59",
    ),
    Party(
        "epci-siren-vice-president",
        {
            "nature": "communaute-d-agglomeration",
            "siren": "246200729",
            "adresse": _address("1 boulevard du Bassin Napoléon", "62321", "Boulogne-sur-Mer", cedex=True),
            "representant": _person(
                "Monsieur",
                "Jean",
                "Dupont",
                "vice-president",
                autorite="president",
                nature="arrete",
                numero="2024-7",
                date="2024-02-01",
            ),
            "autorisation": _act("conseil-communautaire", "2026-04"),
        },
        "La Communauté d’agglomération du Boulonnais, sise 1 boulevard du Bassin Napoléon, 62321 "
        "Boulogne-sur-Mer Cedex",
        "représentée par Monsieur Jean DUPONT, son Vice-président",
        "dûment autorisé à signer la présente convention par délibération n°2026-04 du conseil "
        "communautaire du 12 février 2026",
        ("Pour le Président et par délégation,", "Le Vice-président,"),
        delegation=", agissant par délégation du Président en vertu de l’arrêté n°2024-7 du 1er février 2024",
        place="Boulogne-sur-Mer CEDEX",
        done_at="Fait à Boulogne-sur-Mer, le 2 mars 2026",
    ),
    Party(
        "departement-presidente",
        {
            "nature": "departement",
            "nom": "Pas-de-Calais",
            "adresse": _address("Hôtel du Département, rue Ferdinand Buisson", "62018", "Arras", cedex=True),
            "representant": _person("Madame", "Sophie", "Bernard", "president-conseil-departemental"),
            "autorisation": _act("commission-permanente", "2026-101"),
        },
        "Le Département du Pas-de-Calais, sis Hôtel du Département, rue Ferdinand Buisson, 62018 Arras Cedex",
        "représenté par Madame Sophie BERNARD, sa Présidente",
        "dûment autorisée à signer la présente convention par délibération n°2026-101 de la Commission "
        "permanente du Conseil départemental du 12 février 2026",
        ("Pour le Département du Pas-de-Calais,", "La Présidente du Conseil départemental,"),
        place="Arras Cedex",
        done_at="Fait à Arras, le 2 mars 2026",
    ),
    Party(
        "region-president",
        {
            "nature": "region",
            "nom": "Hauts-de-France",
            "adresse": _address("151 boulevard du Président Hoover", "59555", "Lille", cedex=True),
            "representant": _person("Monsieur", "Xavier", "Bertrand", "president-conseil-regional"),
            "autorisation": _act("commission-permanente", "2026-55"),
        },
        "La Région Hauts-de-France, sise 151 boulevard du Président Hoover, 59555 Lille Cedex",
        "représentée par Monsieur Xavier BERTRAND, son Président",
        "dûment autorisé à signer la présente convention par délibération n°2026-55 de la Commission "
        "permanente du Conseil régional du 12 février 2026",
        ("Pour la Région Hauts-de-France,", "Le Président du Conseil régional,"),
        departement="59",
    ),
    Party(
        "syndicat-mixte-presidente",
        {
            "nature": "syndicat-mixte",
            "nom": "Somme Numérique",
            "adresse": _address("43 avenue d’Italie", "80000", "Amiens"),
            "representant": _person("Madame", "Lise", "Roux", "president"),
            "autorisation": _act("comite-syndical", "CS-2026-2"),
        },
        "Le Syndicat mixte Somme Numérique, sis 43 avenue d’Italie, 80000 Amiens",
        "représenté par Madame Lise ROUX, sa Présidente",
        "dûment autorisée à signer la présente convention par délibération n°CS-2026-2 du comité syndical",
        ("Pour le Syndicat mixte Somme Numérique,", "La Présidente,"),
        departement="80",
    ),
    Party(
        "ccas-vice-presidente",
        {
            "nature": "ccas",
            "nom": "Arras",
            "adresse": _address("4 place du Théâtre", "62000", "Arras"),
            "representant": _person(
                "Madame",
                "Nadia",
                "Moreau",
                "vice-president",
                autorite="maire-president",
                nature="decision",
                numero="2025-9",
                date="2025-09-09",
            ),
            "autorisation": _act("conseil-d-administration", "2026-1"),
        },
        "Le Centre communal d’action sociale d’Arras, sis 4 place du Théâtre, 62000 Arras",
        "représenté par Madame Nadia MOREAU, sa Vice-présidente",
        "dûment autorisée à signer la présente convention par délibération n°2026-1 du conseil "
        "d’administration du 12 février 2026",
        ("Pour le Président du conseil d’administration et par délégation,", "La Vice-présidente,"),
        delegation=", agissant par délégation du Président du conseil d’administration en vertu de la décision "
        "n°2025-9 du 9 septembre 2025",
    ),
    Party(
        "ccas-maire-presidente",
        {
            "nature": "ccas",
            "nom": "Le Portel",
            "adresse": _address("Place Henri Dunant", "62480", "Le Portel"),
            "representant": _person("Madame", "Anne", "Durand", "maire-president"),
            "autorisation": _act("conseil-d-administration", "2026-2"),
        },
        "Le Centre communal d’action sociale du Portel, sis Place Henri Dunant, 62480 Le Portel",
        "représenté par Madame Anne DURAND, sa Présidente",
        "dûment autorisée à signer la présente convention par délibération n°2026-2 du conseil "
        "d’administration du 12 février 2026",
        (
            "Pour le Centre communal d’action sociale du Portel,",
            "La Maire, Présidente du conseil d’administration,",
        ),
        place="Le Portel",
        done_at="Fait au Portel, le 2 mars 2026",
    ),
    Party(
        "cias-presidente",
        {
            "nature": "cias",
            "nom": "Pays de Lumbres",
            "liaison": "du",
            "adresse": _address("1 rue du Pont d’Acquin", "62380", "Lumbres"),
            # The président(e) of the EPCI presides its CIAS (CASF L123-6).
            "representant": _person("Madame", "Sophie", "Bernard", "president"),
            "autorisation": _act("conseil-d-administration", "CA-2026-4"),
        },
        "Le Centre intercommunal d’action sociale du Pays de Lumbres, sis 1 rue du Pont d’Acquin, 62380 Lumbres",
        "représenté par Madame Sophie BERNARD, sa Présidente",
        "dûment autorisée à signer la présente convention par délibération n°CA-2026-4 du conseil "
        "d’administration du 12 février 2026",
        ("Pour le Centre intercommunal d’action sociale du Pays de Lumbres,", "La Présidente,"),
        place="Lumbres",
        done_at="Fait à Lumbres, le 2 mars 2026",
    ),
    Party(
        "cdg-president",
        {
            "nature": "cdg",
            "nom": "Nord",
            "adresse": _address("14 rue Jeanne Maillotte", "59013", "Lille", cedex=True),
            "representant": _person("Monsieur", "Éric", "Durand", "president"),
            "autorisation": _act("conseil-d-administration", "2026-8"),
        },
        "Le Centre de gestion de la fonction publique territoriale du Nord, sis 14 rue Jeanne Maillotte, "
        "59013 Lille Cedex",
        "représenté par Monsieur Éric DURAND, son Président",
        "dûment autorisé à signer la présente convention par délibération n°2026-8 du conseil "
        "d’administration du 12 février 2026",
        ("Pour le Centre de gestion de la fonction publique territoriale du Nord,", "Le Président,"),
        departement="59",
    ),
]

# The role each convention type gives the party we vary, and its sample's name.
ROLES = {
    "adhesion-centrale-achats": "adherent",
    "services-numeriques": "collectivite",
    "plateforme-dematerialisation": "collectivite",
    "groupement-commandes": "membre",
}
# Where the type's rules keep the parties (La Fibre 59 62, the CDG of the département).
TERRITORIES = {
    "adhesion-centrale-achats": {"59", "62"},
    "services-numeriques": {"59", "62"},
    "plateforme-dematerialisation": {"62"},
}


def _cells() -> list[Any]:
    cells = []
    for type_name, role_name in ROLES.items():
        role = load_type(type_name).role(role_name)
        for party in PARTIES:
            allowed = role is not None and (not role.natures or party.data["nature"] in role.natures)
            inside = party.departement in TERRITORIES.get(type_name, {party.departement})
            if allowed and inside:
                cells.append(pytest.param(type_name, party, id=f"{type_name}-{party.key}"))
    return cells


def convention(type_name: str, party: Party) -> dict[str, Any]:
    """The type's sample with the party in the role (the first member of a groupement)."""
    data = copy.deepcopy(sample(type_name))
    given = {"role": ROLES[type_name], **copy.deepcopy(party.data)}
    if type_name == "groupement-commandes":  # in place of the member of that name, else of the first
        names = [p["nom"] for p in data["parties"]]
        data["parties"][names.index(given["nom"]) if given.get("nom") in names else 0] = given
        data["coordonnateur"] = data["parties"][-1]["nom"]
    else:
        data["parties"] = [p for p in data["parties"] if p["role"] != ROLES[type_name]] + [given]
    if type_name == "services-numeriques":
        data.pop("cdg", None)
        if party.departement == "62":
            data["cdg"] = "62"
    data["signature"] = {**SIGNED, **({"lieu": party.place} if party.place else {})}
    return data


@pytest.mark.parametrize(("type_name", "party"), _cells())
def test_the_clauses_read_right_for_every_party_and_signer(type_name: str, party: Party) -> None:
    text = docx_text(render_document(type_name, convention(type_name, party)).content)
    paragraph = text[text.index(party.denomination) :]
    assert paragraph.startswith(f"{party.denomination}, {party.person}{party.delegation}".rstrip(","))
    assert normalise(party.act) in paragraph
    pour, title = party.block
    assert f"{pour} {title}" in text
    closing = text[text.rindex("Fait ") :]
    assert "Cedex" not in closing.split(",")[0] and "CEDEX" not in closing
    if party.done_at:
        assert closing.startswith(party.done_at)


def test_the_matrix_covers_every_type_and_nature() -> None:
    cells = {(param.values[0], param.values[1].data["nature"]) for param in _cells()}
    assert {type_name for type_name, _nature in cells} == set(ROLES)
    natures = {nature for _type, nature in cells}
    assert {"commune", "departement", "region", "syndicat-mixte", "ccas", "cias", "cdg"} <= natures
    assert "communaute-d-agglomeration" in natures


@needs_libreoffice
@pytest.mark.parametrize("key", ["commune-la-adjointe-arrete", "departement-presidente"])
def test_the_pdf_reads_the_same(key: str) -> None:
    party = next(p for p in PARTIES if p.key == key)
    pdf = render_document(
        "plateforme-dematerialisation", convention("plateforme-dematerialisation", party), fmt="pdf"
    )
    text = normalise(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.content)).pages))
    assert party.denomination in text
    assert party.block[0] in text and party.block[1] in text
    assert f"n°{party.data['autorisation']['numero']}" in text
    if party.done_at:
        assert party.done_at in text


@pytest.mark.parametrize("civilite", ["Madame", "Monsieur"])
def test_a_ccas_is_presided_by_the_maire_not_by_a_president(civilite: str) -> None:
    # Code de l’action sociale et des familles, art. L123-6: the maire presides the conseil
    # d’administration of the CCAS; a « Président(e) » of a CCAS is refused, with the field's path.
    party = next(p for p in PARTIES if p.key == "ccas-maire-presidente")
    data = convention("plateforme-dematerialisation", party)
    person = data["parties"][-1]["representant"]
    person.update(civilite=civilite, qualite="president")
    index = len(data["parties"]) - 1  # the path as the clerk gave the parties
    result = conventum.validate("plateforme-dematerialisation", data)
    issues = [i for i in result.issues if i.severity == "error"]
    assert [(i.code, i.path) for i in issues] == [
        ("parties.qualite_nature", f"parties[{index}].representant.qualite")
    ]
    assert issues[0].message == (
        "La qualité « Président » ne convient pas pour représenter le Centre communal d’action sociale du "
        "Portel ; qualités possibles : Maire, Président du conseil d’administration, Vice-président, "
        "Premier vice-président."
    )
