"""adhesion-centrale-achats: the rendered convention reads like seed 000, article by article."""

from __future__ import annotations

import re

import pytest

from conventum import render_document
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
    return re.sub(r"commandes\.\s*-\s*\n", "commandes.\n", text[start:end])


def _article_seed(seed_text: str, index: int) -> str:
    end = ARTICLES[index + 1] if index + 1 < len(ARTICLES) else "Fait en"
    return between(seed_text, ARTICLES[index], end)


@pytest.mark.parametrize("index", range(len(ARTICLES)))
def test_each_article_is_the_seed_word_for_word(rendered: str, convention_seed: str, index: int) -> None:
    end = ARTICLES[index + 1] if index + 1 < len(ARTICLES) else "Fait en"
    assert between(rendered, ARTICLES[index], end) == _article_seed(convention_seed, index)


def test_preamble_is_the_seed(rendered: str, convention_seed: str) -> None:
    assert between(rendered, "PREAMBULE", "ARTICLE 1.") == between(convention_seed, "PREAMBULE", "ARTICLE 1.")


def test_title_and_syndicat_paragraph_are_the_seed(rendered: str, convention_seed: str) -> None:
    assert between(rendered, "CONVENTION", "ET ") == between(convention_seed, "CONVENTION", "ET ")


def test_blanks_of_the_adherent_are_filled_with_agreement(rendered: str, convention_seed: str) -> None:
    blank = between(convention_seed, "Choisissez une nature", "L’ensemble")
    filled = (
        blank.replace(
            "Choisissez une nature de Nom de la collectivité ou de l’établissement public",
            "Le Département du Pas-de-Calais",
        )
        .replace("sise Adresse,", "sis Hôtel du Département, rue Ferdinand Buisson à Arras Cedex (62018),")
        .replace(
            "représentée par Nom du représentant légal., Choisissez une qualité,",
            "représenté par Monsieur Jean-Claude LEROY, Président du Conseil départemental,",
        )
        .replace(
            "par décision Nom de l’assemblée délibérante du Cliquez ou appuyez ici pour entrer une date.,",
            "par décision de la Commission permanente du 18 septembre 2023,",
        )
        .replace("Ci-après désignée", "Ci-après désigné")
    )
    assert between(rendered, "Le Département du Pas-de-Calais", "L’ensemble") == filled


def test_closing_and_signature_blocks(rendered: str) -> None:
    closing = rendered[rendered.index("Fait en") :]
    assert closing.startswith("Fait en deux (2) exemplaires,")
    assert closing.count("Le 2 octobre 2023") == 2
    assert signature_blocks(render_document(TYPE, sample(TYPE)).content) == [
        "Le 2 octobre 2023 Pour La Fibre Numérique 59 62 Le Président Christophe COULON",
        "Le 2 octobre 2023 Pour le Département du Pas-de-Calais Président du Conseil départemental "
        "Jean-Claude LEROY",
    ]


def test_a_commune_with_a_mayor_reads_feminine_where_it_must() -> None:
    data = sample(TYPE)
    adherent = data["parties"][0]
    adherent.update(nature="commune", nom="Libercourt")
    adherent["adresse"] = {"voie": "Place de la Mairie", "code_postal": "62820", "commune": "Libercourt"}
    adherent["representant"] = {"civilite": "Madame", "prenom": "Ana", "nom": "Dupré", "qualite": "maire"}
    adherent["autorisation"] = {"organe": "conseil municipal", "date": "2023-09-12"}
    text = docx_text(render_document(TYPE, data).content)
    assert (
        "La Commune de Libercourt, sise Place de la Mairie à Libercourt (62820), représentée par "
        "Madame Ana DUPRÉ, Maire, dûment autorisée à signer la présente convention par décision "
        "du conseil municipal du 12 septembre 2023, Ci-après désignée « l’adhérent »"
    ) in text
    assert "Le 2 octobre 2023 Pour la Commune de Libercourt Maire Ana DUPRÉ" in signature_blocks(
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
    assert "représenté par Claire MARTIN, sa Présidente en exercice, dûment autorisée" in text
    assert signature_blocks(render_document(TYPE, data).content)[0].endswith("La Présidente Claire MARTIN")
    assert normalise("sis 335 allée du Général Girard") in text


def test_unsigned_date_leaves_a_dotted_blank_not_a_word_placeholder() -> None:
    data = sample(TYPE)
    del data["signature"]
    text = docx_text(render_document(TYPE, data).content)
    assert "Le ……………………………" in text
    assert "Cliquez" not in text


def test_french_typography_keeps_no_break_spaces() -> None:
    from conventum.ooxml.text import document_text

    raw = document_text(render_document(TYPE, sample(TYPE)).content)
    assert "«\u00a0l’adhérent\u00a0»" in raw
    assert "code de la commande publique\u00a0;" in raw
    assert "les missions suivantes\u00a0:" in raw
    assert " ;" not in raw and " :" not in raw
