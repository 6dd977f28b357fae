"""Mutation tests of the rules each type's YAML wires: one fact of a valid sample changed, the exact
code and path reported (and nothing else)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

import conventum
from conventum.dossier import split_dossier
from conventum.french.formatting import format_amount
from conventum.model.catalogue import load_type
from conventum.validation.validation import validate
from tests.support import sample

TODAY = date(2030, 1, 1)
Mutation = Callable[[dict[str, Any]], None]
Found = list[tuple[str, str]]


def found(type_name: str, data: dict[str, Any]) -> Found:
    return sorted(
        (issue.code, issue.path) for issue in conventum.validate(type_name, data, today=TODAY).issues
    )


def _set(path: str, value: Any) -> Mutation:
    """Set a value at a dotted path with list indexes as numbers: "imputations.0.proposition"."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for name in parents:
            node = node[int(name)] if name.isdigit() else node[name]
        node[int(last) if last.isdigit() else last] = value

    return mutate


# (sample, mutation, expected issues): the type is the sample's name without its number.
CASES: list[tuple[str, Mutation, Found]] = [
    # Délibération: the commission sits before the meeting; the act is dated on the meeting's day.
    (
        "deliberation-2023-338",
        _set("commission.date", date(2023, 9, 19)),
        [("dates.avis_apres_seance", "commission.date")],
    ),
    (
        "deliberation-2023-338",
        _set("signature.date", date(2023, 9, 25)),
        [("dates.deliberation_hors_seance", "signature.date")],
    ),
    # 39 présents + 5 excusés − 1 sans délégation = 43 votants: the 44th voice is one too many.
    ("deliberation-2023-338", _set("vote.pour.voix", 44), [("votes.total_excessif", "vote")]),
    ("deliberation-2023-338", _set("vote.contre.voix", -1), [("votes.chiffre_negatif", "vote.contre.voix")]),
    # 35 + 6 + 3 absents − 3 sans délégation = 41 = 34 pour + 7 abstentions: one more is too many.
    ("deliberation-2025-498", _set("vote.abstention.voix", 8), [("votes.total_excessif", "vote")]),
    (
        "deliberation-2025-498",
        _set("imputations.0.disponible", Decimal("999.99")),
        [("montants.proposition_excessive", "imputations[0].proposition")],
    ),
    # Rapport: the same commission rule; the budget line's proposition within what is available.
    (
        "rapport-2025-498",
        _set("commission.date", date(2025, 12, 9)),
        [("dates.avis_apres_seance", "commission.date")],
    ),
    (
        "rapport-2025-498",
        _set("imputations.0.proposition", Decimal("4000.01")),
        [("montants.proposition_excessive", "imputations[0].proposition")],
    ),
    # The solde is computed, never typed: a solde given by hand is refused by the schema.
    (
        "rapport-2025-498",
        _set("imputations.0.solde", Decimal("3000.00")),
        [("field.unknown", "imputations[0].solde")],
    ),
    # Groupement: its members are sis en Hauts-de-France (02, 59, 60, 62, 80).
    (
        "groupement-commandes",
        _set(
            "parties.7.adresse",
            {"voie": "1 place Ducale", "code_postal": "08000", "commune": "Charleville-Mézières"},
        ),
        [("parties.hors_territoire", "parties[7].adresse.code_postal")],
    ),
    # Plateforme and services numériques: an annex conventum does not write must come as a file.
    (
        "plateforme-dematerialisation",
        _set(
            "annexes", [{"numero": 1, "titre": "Grille des contributions"}, {"numero": 2, "titre": "Tarifs"}]
        ),
        [("annexes.non_fournie", "annexes[1].fichier")],
    ),
    (
        "services-numeriques",
        _set(
            "annexes",
            [
                {"numero": 1, "titre": "Présentation des services proposés en commun"},
                {"numero": 2, "titre": "Participation financière de la Collectivité"},
                {"numero": 3, "titre": "Dispositions relatives au RGPD"},
                {"numero": 4, "titre": "Plan de déploiement"},
            ],
        ),
        [("annexes.non_fournie", "annexes[3].fichier")],
    ),
]


def _type_of(sample_name: str) -> str:
    return sample_name.rstrip("-0123456789")  # deliberation-2023-338 → deliberation


@pytest.mark.parametrize(
    ("sample_name", "mutate", "expected"),
    CASES,
    ids=[f"{name}-{expected[0][0]}-{expected[0][1]}" for name, _, expected in CASES],
)
def test_one_fact_changed_reports_its_code_and_path(
    sample_name: str, mutate: Mutation, expected: Found
) -> None:
    data = sample(sample_name)
    assert found(_type_of(sample_name), data) == []
    mutate(data)
    assert found(_type_of(sample_name), data) == expected


def test_votes_at_the_bound_and_absents_counted_by_figure_are_quiet() -> None:
    data = sample("deliberation-2023-338")
    data["vote"]["absents_sans_delegation"] = {"voix": 1}  # the figure without the names
    assert found("deliberation", data) == []
    data["vote"]["pour"]["voix"] = 44
    assert found("deliberation", data) == [("votes.total_excessif", "vote")]


def test_vote_message_names_voices_and_members() -> None:
    data = sample("deliberation-2023-338")
    data["vote"]["pour"]["voix"] = 44
    (issue,) = conventum.validate("deliberation", data, today=TODAY).issues
    assert issue.message == "44 voix sont décomptées pour 43 membres appelés à voter."


def test_copies_per_member_of_a_groupement_are_the_schemas() -> None:
    ctype = load_type("groupement-commandes")
    assert ctype.copies == 2  # "2 exemplaires originaux par membre" (seed 004)
    changed = dataclasses.replace(ctype, copies=3)
    issues = validate(changed, sample("groupement-commandes"), today=TODAY).issues
    assert [(issue.code, issue.path) for issue in issues] == [
        ("montants.exemplaires_par_partie", "exemplaires")
    ]


def test_copies_of_the_platform_convention_are_two() -> None:
    ctype = load_type("plateforme-dematerialisation")
    changed = dataclasses.replace(ctype, copies=3)
    issues = validate(changed, sample("plateforme-dematerialisation"), today=TODAY).issues
    assert [(issue.code, issue.path) for issue in issues] == [("montants.exemplaires", "exemplaires")]


def _dossier_issues(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(issue.code, issue.path, issue.severity) for issue in split_dossier(data, today=TODAY).issues]


def test_dossier_budget_line_proposes_the_computed_contribution() -> None:
    data = sample("dossier-2025-498")  # tranche 3, more than 350 agents: 1 000 € a year
    assert _dossier_issues(data) == []
    data["imputations"][0]["proposition"] = Decimal("1200.00")
    assert _dossier_issues(data) == [("dossier.montant_discordant", "imputations[0].proposition", "warning")]
    (issue,) = split_dossier(data, today=TODAY).issues
    assert format_amount(Decimal("1200.00")) in issue.message
    assert format_amount(Decimal("1000.00")) in issue.message


def test_dossier_budget_line_may_propose_the_first_years_share() -> None:
    data = sample("dossier-2025-498")
    data["convention"]["donnees"]["debut"] = date(2026, 7, 1)  # 184 days of 365: 504,11 €
    data["imputations"][0]["proposition"] = Decimal("504.11")
    assert _dossier_issues(data) == []
    data["imputations"][0]["proposition"] = Decimal("504.12")
    assert _dossier_issues(data) == [("dossier.montant_discordant", "imputations[0].proposition", "warning")]


def test_dossier_of_a_convention_without_computed_contribution_is_not_checked() -> None:
    data = sample("dossier-2023-338")
    data["imputations"] = [
        {"code_operation": "C1", "imputation": "6281", "libelle": "Info", "cp": 10, "proposition": 7}
    ]
    assert _dossier_issues(data) == []


def test_territory_message_names_the_party_after_de() -> None:
    data = sample("groupement-commandes")
    data["parties"][6]["adresse"] |= {"code_postal": "08000", "commune": "Charleville-Mézières"}
    (issue,) = conventum.validate("groupement-commandes", data, today=TODAY).issues
    assert issue.message.startswith("Le code postal 08000 du Syndicat mixte Oise Très Haut Débit est hors")
