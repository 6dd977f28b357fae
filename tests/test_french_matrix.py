"""Parties of every nature × civilité × towns with and without an article, in every convention type.

The expected sentences are written by hand from French usage (contraction of the town's
article, agreement with the party and with the representative, the designation chosen
by the nature), never captured from conventum's output. Every document rendered here
also goes through the typography check (tests/conftest.py).
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass, field
from typing import Any

import pytest
from pypdf import PdfReader

from conventum import Converter, render_document, validate
from tests.support import between, docx_text, needs_libreoffice, normalise, sample, signature_blocks


@dataclass(frozen=True)
class Case:
    """One collectivité or établissement, and the sentences a legal department expects for it."""

    name: str
    party: dict[str, Any]
    paragraph: str
    designation: str
    signature: str
    body: tuple[str, ...] = field(default=())


def _party(
    nature: str,
    nom: str,
    voie: str,
    code_postal: str,
    commune: str,
    person: tuple[str, str, str, str],
    organe: str,
    **extra: Any,
) -> dict[str, Any]:
    civilite, prenom, nom_personne, qualite = person
    party: dict[str, Any] = {
        "role": "collectivite",
        "nature": nature,
        "nom": nom,
        "adresse": {"voie": voie, "code_postal": code_postal, "commune": commune},
        "representant": {"civilite": civilite, "prenom": prenom, "nom": nom_personne, "qualite": qualite},
        "autorisation": {"organe": organe, "nature": "deliberation", "date": "2025-06-30"},
    }
    delegation = extra.pop("delegation", None)
    if delegation is not None:
        party["representant"]["delegation"] = delegation
    party.update(extra)
    return party


AUTHORISED = "à signer la présente convention par délibération"

SERVICES = [
    Case(
        "commune Le, Madame le maire",
        _party(
            "commune",
            "Le Cateau-Cambrésis",
            "Place du Commandant Richez",
            "59360",
            "Le Cateau-Cambrésis",
            ("Madame", "Anne", "Dupont", "maire"),
            "conseil-municipal",
        ),
        "La Commune du Cateau-Cambrésis, sise Place du Commandant Richez, 59360 Le Cateau-Cambrésis, "
        f"représentée par Madame Anne DUPONT, sa Maire, dûment autorisée {AUTHORISED} du conseil municipal "
        "du 30 juin 2025",
        "Ci-après désignée « la Collectivité »",
        "Pour la Commune du Cateau-Cambrésis, La Maire, Anne DUPONT",
        (
            "La Collectivité s’engage, sous peine de résiliation de la présente Convention à utiliser les "
            "services qu’elle a souscrits",
        ),
    ),
    Case(
        "commune Les, 1er adjoint by delegation with its arrêté",
        _party(
            "commune",
            "Les Rues-des-Vignes",
            "2 rue de l'Église",
            "59258",
            "Les Rues-des-Vignes",
            ("Monsieur", "Paul", "Martin", "1er adjoint"),
            "conseil municipal",
            delegation={"autorite": "maire", "numero": "2024-15", "date": "2024-03-03"},
        ),
        "La Commune des Rues-des-Vignes, sise 2 rue de l’Église, 59258 Les Rues-des-Vignes, représentée "
        "par Monsieur Paul MARTIN, son Premier adjoint, agissant par délégation du Maire en vertu de l’arrêté "
        f"n°2024-15 du 3 mars 2024, dûment autorisé {AUTHORISED} du conseil municipal du 30 juin 2025",
        "Ci-après désignée « la Collectivité »",
        "Pour le Maire et par délégation, Le Premier adjoint, Paul MARTIN",
    ),
    Case(
        "commune La, 1ère adjointe by delegation, the authority left out",
        _party(
            "commune",
            "La Bassée",
            "1 place du Général de Gaulle",
            "59480",
            "La Bassée",
            ("Madame", "Claire", "Petit", "1ère adjointe"),
            "conseil-municipal",
            delegation={},
        ),
        "La Commune de La Bassée, sise 1 place du Général de Gaulle, 59480 La Bassée, représentée par "
        "Madame Claire PETIT, sa Première adjointe, agissant par délégation du Maire, dûment autorisée "
        f"{AUTHORISED} du conseil municipal du 30 juin 2025",
        "Ci-après désignée « la Collectivité »",
        "Pour le Maire et par délégation, La Première adjointe, Claire PETIT",
    ),
    Case(
        "commune, elision before a mute h, Maire-adjointe",
        _party(
            "commune",
            "Hazebrouck",
            "Place du Général de Gaulle",
            "59190",
            "Hazebrouck",
            ("Madame", "Julie", "Roux", "Maire-adjointe"),
            "conseil-municipal",
        ),
        "La Commune d’Hazebrouck, sise Place du Général de Gaulle, 59190 Hazebrouck, représentée par "
        f"Madame Julie ROUX, sa Maire-adjointe, dûment autorisée {AUTHORISED} du conseil municipal du 30 juin 2025",
        "Ci-après désignée « la Collectivité »",
        "Pour la Commune d’Hazebrouck, La Maire-adjointe, Julie ROUX",
    ),
    Case(
        "commune, h: the INSEE's article",
        _party(
            "commune",
            "Harnes",
            "Place Jean Jaurès",
            "62440",
            "Harnes",
            ("Monsieur", "Jean", "Leroux", "maire"),
            "conseil-municipal",
        ),
        # The official article wins over the spelling: the INSEE writes "d’Harnes" (type de nom 1).
        "La Commune d’Harnes, sise Place Jean Jaurès, 62440 Harnes, représentée par Monsieur Jean "
        f"LEROUX, son Maire, dûment autorisé {AUTHORISED} du conseil municipal du 30 juin 2025",
        "Ci-après désignée « la Collectivité »",
        "Pour la Commune d’Harnes, Le Maire, Jean LEROUX",
    ),
    Case(
        "commune Le (Pas-de-Calais), apostrophe typed '",
        _party(
            "commune",
            "Le Portel",
            "Place de l'Hôtel de Ville",
            "62480",
            "Le Portel",
            ("Monsieur", "Olivier", "Barbarin", "maire"),
            "conseil-municipal",
        ),
        "La Commune du Portel, sise Place de l’Hôtel de Ville, 62480 Le Portel, représentée par Monsieur "
        f"Olivier BARBARIN, son Maire, dûment autorisé {AUTHORISED} du conseil municipal du 30 juin 2025",
        "Ci-après désignée « la Collectivité »",
        "Pour la Commune du Portel, Le Maire, Olivier BARBARIN",
    ),
    Case(
        "département, Vice-présidente by delegation of the Président",
        _party(
            "departement",
            "Nord",
            "51 rue Gustave Delory",
            "59000",
            "Lille",
            ("Madame", "Marie", "Legrand", "Vice-présidente"),
            "commission-permanente",
            delegation={},
        ),
        "Le Département du Nord, sis 51 rue Gustave Delory, 59000 Lille, représenté par Madame Marie "
        "LEGRAND, sa Vice-présidente, agissant par délégation du Président du Conseil départemental, dûment "
        f"autorisée {AUTHORISED} de la Commission permanente du Conseil départemental du 30 juin 2025",
        "Ci-après désigné « la Collectivité »",
        "Pour le Président du Conseil départemental et par délégation, La Vice-présidente, Marie LEGRAND",
    ),
    Case(
        "région",
        _party(
            "region",
            "Hauts-de-France",
            "151 boulevard du Président Hoover",
            "59000",
            "Lille",
            ("Monsieur", "Xavier", "Bertrand", "president-conseil-regional"),
            "conseil-regional",
        ),
        "La Région Hauts-de-France, sise 151 boulevard du Président Hoover, 59000 Lille, représentée par "
        f"Monsieur Xavier BERTRAND, son Président, dûment autorisé {AUTHORISED} du Conseil "
        "régional du 30 juin 2025",
        "Ci-après désignée « la Collectivité »",
        "Pour la Région Hauts-de-France, Le Président du Conseil régional, Xavier BERTRAND",
    ),
    Case(
        "communauté de communes, Madame la Présidente",
        _party(
            "communaute-de-communes",
            "Pays de Lumbres",
            "1 rue du Pont d'Acquin",
            "62380",
            "Lumbres",
            ("Madame", "Sophie", "Bernard", "president"),
            "conseil-communautaire",
            liaison="du",
        ),
        "La Communauté de communes du Pays de Lumbres, sise 1 rue du Pont d’Acquin, 62380 Lumbres, "
        f"représentée par Madame Sophie BERNARD, sa Présidente, dûment autorisée {AUTHORISED} du conseil "
        "communautaire du 30 juin 2025",
        "Ci-après désignée « l’Établissement »",
        "Pour la Communauté de communes du Pays de Lumbres, La Présidente, Sophie BERNARD",
        (
            "L’Établissement s’engage, sous peine de résiliation de la présente Convention à utiliser les "
            "services qu’il a souscrits",
            "Participation financière de l’Établissement",
            "ARTICLE 4. CONTRIBUTION FINANCIÈRE DE L’ÉTABLISSEMENT",
            "facturation de l’Établissement aux prestations",
            "l’Établissement est responsable de traitement",
        ),
    ),
    Case(
        "communauté d’agglomération",
        _party(
            "communaute-d-agglomeration",
            "Boulonnais",
            "1 boulevard du Bassin Napoléon",
            "62200",
            "Boulogne-sur-Mer",
            ("Monsieur", "Frédéric", "Cuvillier", "president"),
            "conseil-communautaire",
            liaison="du",
        ),
        "La Communauté d’agglomération du Boulonnais, sise 1 boulevard du Bassin Napoléon, 62200 Boulogne-sur-Mer, "
        f"représentée par Monsieur Frédéric CUVILLIER, son Président, dûment autorisé {AUTHORISED} du "
        "conseil communautaire du 30 juin 2025",
        "Ci-après désignée « l’Établissement »",
        "Pour la Communauté d’agglomération du Boulonnais, Le Président, Frédéric CUVILLIER",
    ),
    Case(
        "métropole",
        _party(
            "metropole",
            "Européenne de Lille",
            "2 boulevard des Cités Unies",
            "59000",
            "Lille",
            ("Monsieur", "Damien", "Castelain", "president"),
            "conseil-metropolitain",
        ),
        "La Métropole Européenne de Lille, sise 2 boulevard des Cités Unies, 59000 Lille, représentée par "
        f"Monsieur Damien CASTELAIN, son Président, dûment autorisé {AUTHORISED} du conseil métropolitain du "
        "30 juin 2025",
        "Ci-après désignée « l’Établissement »",
        "Pour la Métropole Européenne de Lille, Le Président, Damien CASTELAIN",
    ),
    Case(
        "syndicat mixte, masculine all through",
        _party(
            "syndicat-mixte",
            "SIDEN-SIAN",
            "23 avenue de la Marne",
            "59290",
            "Wasquehal",
            ("Monsieur", "Patrick", "Masclet", "president"),
            "comite-syndical",
        ),
        "Le Syndicat mixte SIDEN-SIAN, sis 23 avenue de la Marne, 59290 Wasquehal, représenté par "
        f"Monsieur Patrick MASCLET, son Président, dûment autorisé {AUTHORISED} du comité syndical du 30 juin 2025",
        "Ci-après désigné « l’Établissement »",
        "Pour le Syndicat mixte SIDEN-SIAN, Le Président, Patrick MASCLET",
        (
            "L’Établissement s’engage, sous peine de résiliation de la présente Convention à utiliser les "
            "services qu’il a souscrits",
            "L’Établissement pourra résilier la Convention à sa date anniversaire",
        ),
    ),
    Case(
        "CCAS, elision, Vice-présidente",
        _party(
            "ccas",
            "Arras",
            "1 place Guy Mollet",
            "62000",
            "Arras",
            ("Madame", "Lucie", "Morel", "vice-president"),
            "conseil-d-administration",
        ),
        "Le Centre communal d’action sociale d’Arras, sis 1 place Guy Mollet, 62000 Arras, représenté par "
        f"Madame Lucie MOREL, sa Vice-présidente, dûment autorisée {AUTHORISED} du conseil d’administration du "
        "30 juin 2025",
        "Ci-après désigné « l’Établissement »",
        "Pour le Centre communal d’action sociale d’Arras, La Vice-présidente, Lucie MOREL",
    ),
    Case(
        "établissement public, Directrice générale",
        _party(
            "etablissement-public",
            "Pas-de-Calais Habitat",
            "48 rue de la Paix",
            "62000",
            "Arras",
            ("Madame", "Hélène", "Faure", "directeur-general"),
            "conseil-d-administration",
        ),
        "L’Établissement public Pas-de-Calais Habitat, sis 48 rue de la Paix, 62000 Arras, représenté par "
        f"Madame Hélène FAURE, sa Directrice générale, dûment autorisée {AUTHORISED} du conseil d’administration "
        "du 30 juin 2025",
        "Ci-après désigné « l’Établissement »",
        "Pour l’Établissement public Pas-de-Calais Habitat, La Directrice générale, Hélène FAURE",
    ),
]


def _services(case: Case) -> dict[str, Any]:
    data = sample("services-numeriques")
    data["parties"] = [copy.deepcopy(case.party)]
    data["cdg"] = "59" if case.party["adresse"]["code_postal"].startswith("59") else "62"
    if case.party["nature"] != "commune":
        data["services"]["agents"] = 40
    return data


@pytest.mark.parametrize("case", SERVICES, ids=[case.name for case in SERVICES])
def test_services_numeriques_party_designation_and_signature(case: Case) -> None:
    text = docx_text(render_document("services-numeriques", _services(case)).content)
    start = case.paragraph.split(",")[0]
    assert between(text, start, "Ci-après désign") == case.paragraph + ","
    third = text.index("D’une deuxième part")
    assert case.designation + " D’une troisième part," in text[third:]
    blocks = signature_blocks(render_document("services-numeriques", _services(case)).content)
    assert blocks[-1] == "Le 15 septembre 2025 " + case.signature
    assert "ou « l’établissement public »" not in text and "La Collectivité ou l’établissement" not in text
    for sentence in case.body:
        assert sentence in text


def test_a_delegation_without_its_authority_is_a_warning_with_its_path() -> None:
    result = validate("services-numeriques", _services(SERVICES[2]))
    found = [issue for issue in result.issues if issue.code == "parties.delegation_sans_autorite"]
    assert [(issue.path, issue.severity) for issue in found] == [
        ("parties[0].representant.delegation.autorite", "warning")
    ]
    assert "agissant par délégation du Maire" in found[0].message


def test_a_delegating_authority_that_does_not_fit_the_nature_is_an_error() -> None:
    party = copy.deepcopy(SERVICES[0].party)
    party["representant"] |= {"qualite": "adjoint", "delegation": {"autorite": "president-conseil-regional"}}
    result = validate("services-numeriques", _services(Case("x", party, "", "", "")))
    assert [issue.path for issue in result.issues if issue.code == "parties.delegation_autorite"] == [
        "parties[0].representant.delegation.autorite"
    ]


def _adherent(**changes: Any) -> str:
    data = sample("adhesion-centrale-achats")
    next(party for party in data["parties"] if party["role"] == "adherent").update(changes)
    return docx_text(render_document("adhesion-centrale-achats", data).content)


def test_adhesion_a_centre_de_gestion_adheres() -> None:
    text = _adherent(
        nature="cdg",
        nom="Nord",
        adresse={"voie": "14 rue Jeanne Maillote", "code_postal": "59000", "commune": "Lille"},
        representant={"civilite": "Monsieur", "prenom": "Éric", "nom": "Durand", "qualite": "president"},
        autorisation={"organe": "conseil-d-administration", "nature": "decision", "date": "2023-09-18"},
    )
    assert (
        "Le Centre de gestion de la fonction publique territoriale du Nord, sis 14 rue Jeanne Maillote, "
        "59000 Lille, représenté par Monsieur Éric DURAND, son Président, dûment autorisé à signer la présente "
        "convention par décision du conseil d’administration du 18 septembre 2023, Ci-après désigné "
        "« l’adhérent »"
    ) in text


def test_adhesion_a_commune_with_an_article_and_an_adjointe_by_delegation() -> None:
    text = _adherent(
        nature="commune",
        nom="Le Cateau-Cambrésis",
        adresse={
            "voie": "Place du Commandant Richez",
            "code_postal": "59360",
            "commune": "Le Cateau-Cambrésis",
        },
        representant={
            "civilite": "Madame",
            "prenom": "Anne",
            "nom": "Dupont",
            "qualite": "adjoint-delegue",
            "delegation": {"numero": "2024-15", "date": "2024-03-03"},
        },
        autorisation={"organe": "conseil-municipal", "nature": "deliberation", "date": "2023-09-18"},
    )
    assert (
        "La Commune du Cateau-Cambrésis, sise Place du Commandant Richez, 59360 Le Cateau-Cambrésis, "
        "représentée par Madame Anne DUPONT, son Adjointe déléguée, agissant par délégation du Maire en vertu "
        "de l’arrêté n°2024-15 du 3 mars 2024, dûment autorisée à signer la présente convention par "
        "délibération du conseil municipal du 18 septembre 2023, Ci-après désignée « l’adhérent »"
    ) in text
    assert "Pour le Maire et par délégation, L’Adjointe déléguée, Anne DUPONT" in text


def _groupement(members: list[dict[str, Any]], lieu: str) -> str:
    data = sample("groupement-commandes")
    data["parties"] = [party for party in data["parties"] if party["nom"] == data["coordonnateur"]] + members
    data["signature"]["lieu"] = lieu
    return docx_text(render_document("groupement-commandes", data).content)


def _member(
    nature: str, nom: str, voie: str, code: str, commune: str, person: tuple[str, str, str, str]
) -> dict[str, Any]:
    party = _party(nature, nom, voie, code, commune, person, "conseil-municipal")
    party["role"] = "membre"
    del party["autorisation"]
    return party


def test_groupement_seats_and_the_closing_line_contract_the_town_article() -> None:
    text = _groupement(
        [
            _member(
                "commune",
                "L'Étoile",
                "1 place de la Mairie",
                "80830",
                "L'Étoile",
                ("Madame", "Nadia", "Henry", "maire"),
            ),
            _member(
                "commune",
                "Le Crotoy",
                "l'Hôtel de Ville, 1 rue de la Porte du Pont",
                "80550",
                "Le Crotoy",
                ("Monsieur", "Jean-Paul", "Lecomte", "maire"),
            ),
            _member(  # Les Moëres, once the example, is a commune déléguée of Ghyvelde since 2016
                "commune",
                "Les Rues-des-Vignes",
                "1 rue de la Mairie",
                "59258",
                "Les Rues-des-Vignes",
                ("Monsieur", "Eric", "Gens", "maire"),
            ),
        ],
        "Le Crotoy",
    )
    assert (
        "La Commune de L’Étoile, sise 1 place de la Mairie, 80830 L’Étoile, représentée par "
        "Madame Nadia HENRY, sa Maire,"
    ) in text
    assert (
        "La Commune du Crotoy, sise à l’Hôtel de Ville, 1 rue de la Porte du Pont, 80550 Le Crotoy, "
        "représentée par Monsieur Jean-Paul LECOMTE, son Maire,"
    ) in text
    assert "La Commune des Rues-des-Vignes, sise 1 rue de la Mairie, 59258 Les Rues-des-Vignes," in text
    assert "Fait au Crotoy, le" in text


def test_plateforme_an_etablissement_is_named_l_etablissement() -> None:
    data = sample("plateforme-dematerialisation")
    collectivite = next(party for party in data["parties"] if party["role"] == "collectivite")
    collectivite.update(
        nature="communaute-d-agglomeration",
        nom="Béthune-Bruay, Artois Lys Romane",
        liaison="apposition",
        adresse={"voie": "100 avenue de Londres", "code_postal": "62400", "commune": "Béthune"},
        representant={
            "civilite": "Monsieur",
            "prenom": "Olivier",
            "nom": "Gacquerre",
            "qualite": "president",
        },
        autorisation={"organe": "conseil-communautaire", "nature": "deliberation", "date": "2025-12-08"},
    )
    text = docx_text(render_document("plateforme-dematerialisation", data).content)
    assert (
        "La Communauté d’agglomération Béthune-Bruay, Artois Lys Romane, sise 100 avenue de Londres, 62400 "
        "Béthune, représentée par Monsieur Olivier GACQUERRE, son Président,"
    ) in text
    assert "Ci-après désignée « l’établissement »," in text
    assert "L’établissement verse sa contribution forfaitaire annuelle" in text


def test_plateforme_the_departement_is_represented_by_son_president() -> None:
    text = docx_text(
        render_document("plateforme-dematerialisation", sample("plateforme-dematerialisation")).content
    )
    # Not "son Président du Conseil départemental": the party is already the Département.
    assert "représenté par Monsieur Jean-Claude LEROY, son Président," in text


@needs_libreoffice
def test_matrix_documents_convert_to_pdf_with_their_sentences() -> None:
    chosen = [SERVICES[1], SERVICES[8], SERVICES[11]]  # Les + delegation, communauté (f), syndicat (m)
    with Converter(workers=1) as converter:
        for case in chosen:
            pdf = render_document("services-numeriques", _services(case), fmt="pdf", converter=converter)
            text = normalise(
                " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
            )
            assert case.paragraph.split(",")[0] in text
            assert case.designation in text
