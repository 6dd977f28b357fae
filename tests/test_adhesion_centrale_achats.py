"""adhesion-centrale-achats: the rendered convention reads like seed 000, article by article."""

from __future__ import annotations

import re

import pytest

from conventum import render_document
from tests.errata import corrected
from tests.support import between, docx_text, normalise, sample, seed, signature_blocks

TYPE = "adhesion-centrale-achats"
ARTICLES = [f"ARTICLE {n}." for n in range(1, 10)]


@pytest.fixture(scope="module")
def rendered() -> str:
    return docx_text(render_document(TYPE, sample(TYPE)).content)


@pytest.fixture(scope="module")
def convention_seed() -> str:
    text = seed("000")
    start = text.index("CONVENTION D’ADHESION")
    end = text.index("DEPARTEMENT DU PAS-DE-CALAIS", start)
    # The PDF extraction left an empty bullet ("-") at the end of article 4.1.
    return corrected(TYPE, re.sub(r"commandes\.\s*-\s*\n", "commandes.\n", text[start:end]))


def _article_seed(seed_text: str, index: int) -> str:
    end = ARTICLES[index + 1] if index + 1 < len(ARTICLES) else "Fait en"
    return between(seed_text, ARTICLES[index], end)


@pytest.mark.parametrize("index", range(len(ARTICLES)))
def test_each_article_is_the_seed_word_for_word(rendered: str, convention_seed: str, index: int) -> None:
    end = ARTICLES[index + 1] if index + 1 < len(ARTICLES) else "Fait à"
    assert between(rendered, ARTICLES[index], end) == _article_seed(convention_seed, index)


def test_preamble_is_the_seed(rendered: str, convention_seed: str) -> None:
    assert between(rendered, "PRÉAMBULE", "ARTICLE 1.") == between(convention_seed, "PRÉAMBULE", "ARTICLE 1.")


def test_title_is_the_seed(rendered: str, convention_seed: str) -> None:
    assert between(rendered, "CONVENTION", "Le Syndicat") == between(
        convention_seed, "CONVENTION", "Le Syndicat"
    )


def test_parties_are_written_by_the_clauses(rendered: str) -> None:
    # The seed's paragraphs, in the one grammar of conventum.clauses: the acts with their number,
    # the Commission permanente with its assembly, the CEDEX after the postal code.
    assert (
        "Le Syndicat mixte Nord – Pas-de-Calais Numérique – La Fibre Numérique 59 62, sis 335 allée du "
        "Général Girard – Quartier des Trois Parallèles – la Citadelle, 62000 Arras, représenté par "
        "Monsieur Christophe COULON, son Président, dûment autorisé à signer la présente convention par "
        "délibérations du comité syndical n°2022-03 du 19 janvier 2022 et du 2 février 2023, "
        "Ci-après désigné « La Fibre Numérique 59 62 » D’une part, ET "
        "Le Département du Pas-de-Calais, sis Hôtel du Département, rue Ferdinand Buisson, 62018 Arras Cedex, "
        "représenté par Monsieur Jean-Claude LEROY, son Président, dûment autorisé à signer la présente "
        "convention par délibération n°2023-338 de la Commission permanente du Conseil départemental du "
        "18 septembre 2023, Ci-après désigné « l’adhérent » D’autre part,"
    ) in rendered


def test_closing_and_signature_blocks(rendered: str) -> None:
    closing = rendered[rendered.index("Fait à") :]
    assert closing.startswith("Fait à Arras, le 2 octobre 2023, en deux (2) exemplaires.")
    assert signature_blocks(render_document(TYPE, sample(TYPE)).content) == [
        "Le 2 octobre 2023 Pour le Syndicat mixte Nord – Pas-de-Calais Numérique – La Fibre Numérique 59 62, "
        "Le Président, Christophe COULON",
        "Le 2 octobre 2023 Pour le Département du Pas-de-Calais, Le Président du Conseil départemental, "
        "Jean-Claude LEROY",
    ]


def test_a_commune_with_a_mayor_reads_feminine_where_it_must() -> None:
    data = sample(TYPE)
    adherent = data["parties"][0]
    adherent.update(nature="commune", nom="Libercourt")
    adherent["adresse"] = {"voie": "Place de la Mairie", "code_postal": "62820", "commune": "Libercourt"}
    adherent["representant"] = {"civilite": "Madame", "prenom": "Ana", "nom": "Dupré", "qualite": "maire"}
    adherent["autorisation"] = {"organe": "conseil municipal", "date": "2023-09-12", "numero": "2023-41"}
    text = docx_text(render_document(TYPE, data).content)
    assert (
        "La Commune de Libercourt, sise Place de la Mairie, 62820 Libercourt, représentée par "
        "Madame Ana DUPRÉ, sa Maire, dûment autorisée à signer la présente convention par délibération "
        "n°2023-41 du conseil municipal du 12 septembre 2023, Ci-après désignée « l’adhérent »"
    ) in text
    assert "Le 2 octobre 2023 Pour la Commune de Libercourt, La Maire, Ana DUPRÉ" in signature_blocks(
        render_document(TYPE, data).content
    )


def test_syndicat_defaults_can_be_overridden() -> None:
    data = sample(TYPE)
    data["parties"].append(
        {
            "role": "centrale",
            "representant": {
                "civilite": "Madame",
                "prenom": "Claire",
                "nom": "Martin",
                "qualite": "president",
            },
        }
    )
    text = docx_text(render_document(TYPE, data).content)
    assert "représenté par Madame Claire MARTIN, sa Présidente, dûment autorisée" in text
    assert signature_blocks(render_document(TYPE, data).content)[0].endswith("La Présidente, Claire MARTIN")
    assert normalise("sis 335 allée du Général Girard") in text


def test_unsigned_date_leaves_a_dotted_blank_not_a_word_placeholder() -> None:
    data = sample(TYPE)
    del data["signature"]
    text = docx_text(render_document(TYPE, data).content)
    assert "Fait à Arras, le ……………………………, en deux (2) exemplaires." in text
    assert "Cliquez" not in text


def test_french_typography_keeps_no_break_spaces() -> None:
    from conventum.ooxml.text import document_text

    raw = document_text(render_document(TYPE, sample(TYPE)).content)
    assert "«\u00a0l’adhérent\u00a0»" in raw
    assert "code de la commande publique\u00a0;" in raw
    assert "les missions suivantes\u00a0:" in raw
    assert " ;" not in raw and " :" not in raw


def test_the_adherent_is_its_designation_everywhere_agreed() -> None:
    # A designation of the party's own (« la Commune ») is how the whole text names it, agreed.
    data = sample(TYPE)
    data["parties"][0]["designation"] = "la Commune"
    text = docx_text(render_document(TYPE, data).content)
    body = between(text, "D’autre part", "Fait à")
    assert "adhérent," not in body and "l’adhérent" not in body and "L’adhérent" not in body
    assert "ARTICLE 3.2. MISSIONS DE LA COMMUNE" in body
    assert "Lorsqu’elle a recours à la centrale d’achats" in body
    assert "la Commune est considérée comme ayant respecté" in body
    assert "Toutefois, elle demeure responsable" in body
    assert "elle est réputée ne pas avoir recours" in body and "Elle ne pourra alors" in body
    assert (
        "la Commune restera engagée par les marchés pour lesquels - i) elle a fait part d’un besoin" in body
    )
    assert (
        "Assistance de la Commune dans le recensement et la détermination de ses besoins ; en fonction"
        in body
    )
