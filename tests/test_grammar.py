"""Articles, elision and agreement of the parties' phrases."""

from __future__ import annotations

import pytest

from conventum.french.grammar import agree, denomination, normalise_key, quality_label


@pytest.mark.parametrize(
    ("nature", "name", "expected"),
    [
        ("commune", "Libercourt", "la Commune de Libercourt"),
        ("commune", "Arras", "la Commune d’Arras"),
        ("commune", "Le Portel", "la Commune du Portel"),
        ("departement", "Nord", "le Département du Nord"),
        ("departement", "Pas-de-Calais", "le Département du Pas-de-Calais"),
        ("departement", "Aisne", "le Département de l’Aisne"),
        ("departement", "Oise", "le Département de l’Oise"),
        ("departement", "Somme", "le Département de la Somme"),
        ("departement", "Ardennes", "le Département des Ardennes"),
        ("region", "Hauts-de-France", "la Région Hauts-de-France"),
        ("communaute-d-agglomeration", "Lens-Liévin", "la Communauté d’agglomération de Lens-Liévin"),
        ("syndicat-mixte", "Somme Numérique", "le Syndicat mixte Somme Numérique"),
        ("etablissement-public", "Pôle métropolitain", "l’Établissement public Pôle métropolitain"),
    ],
)
def test_denomination(nature: str, name: str, expected: str) -> None:
    assert denomination(nature, name) == expected


def test_liaison_can_be_given_for_names_the_rules_do_not_know() -> None:
    assert denomination("communaute-de-communes", "Pays de Lumbres", liaison="du") == (
        "la Communauté de communes du Pays de Lumbres"
    )


@pytest.mark.parametrize(
    ("word", "gender", "expected"),
    [
        ("sis", "f", "sise"),
        ("sis", "m", "sis"),
        ("représenté", "f", "représentée"),
        ("désigné", "f", "désignée"),
        ("autorisé", "f", "autorisée"),
        ("Président", "f", "Présidente"),
        ("Maire", "f", "Maire"),
        ("son", "f", "sa"),
        ("intéressé", "f", "intéressée"),
    ],
)
def test_agreement(word: str, gender: str, expected: str) -> None:
    assert agree(word, gender) == expected


def test_quality_agrees_with_civility() -> None:
    assert quality_label("president-conseil-departemental", "f") == "Présidente du Conseil départemental"
    assert quality_label("maire", "f") == "Maire"


def test_keys_accept_the_clerks_spelling() -> None:
    assert normalise_key("Conseil municipal") == "conseil-municipal"
    assert normalise_key("Communauté d'agglomération") == "communaute-d-agglomeration"
