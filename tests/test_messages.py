"""The French sentences of the issues: one per code, naming the values involved."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conventum.issues import Issue
from conventum.messages import MESSAGES, render_message
from conventum.validation.rules import seance  # noqa: F401 - registers the sentences of its own codes

RULES = Path(__file__).resolve().parent.parent / "conventum" / "validation" / "rules"


def test_every_code_a_rule_emits_has_a_sentence() -> None:
    emitted = {
        code
        for path in RULES.glob("*.py")
        for code in re.findall(r'Issue\(\s*"([a-z_.]+)"', path.read_text())
    }
    emitted |= {
        code
        for path in RULES.glob("*.py")
        for code in re.findall(r'_ordered\(\s*"([a-z_.]+)"', path.read_text())
    }
    assert len(emitted) > 30
    assert sorted(emitted - MESSAGES.keys()) == []


def test_authorisation_after_signature_names_the_decision_and_dates() -> None:
    params = {
        "decision_nature": "deliberation",
        "decision_organe": "conseil-municipal",
        "decision_date": date(2026, 3, 14),
        "signature": date(2026, 3, 2),
    }
    assert render_message("dates.autorisation_apres_signature", params) == (
        "La délibération du conseil municipal du 14 mars 2026 est postérieure à la signature du 2 mars 2026."
    )


def test_an_arrete_agrees_in_the_masculine() -> None:
    params = {"decision_nature": "arrete", "decision_organe": "president", "decision_date": date(2026, 3, 14)}
    message = render_message("dates.autorisation_apres_signature", {**params, "signature": date(2026, 3, 2)})
    assert message.startswith("L’arrêté du Président du 14 mars 2026 est postérieur à")


@pytest.mark.parametrize(
    ("code", "params", "expected"),
    [
        (
            "dates.fin_incoherente",
            {
                "fin": date(2026, 6, 30),
                "debut": date(2025, 1, 1),
                "duree_annees": 2,
                "attendue": date(2026, 12, 31),
            },
            "La fin au 30 juin 2026 ne correspond pas à une durée de deux (2) ans à compter du 1er janvier 2025 "
            "(renouvellements compris) ; fin attendue : 31 décembre 2026.",
        ),
        (
            "montants.tarif_hors_grille",
            {"montant": Decimal("150.00"), "grille": Decimal("1300.00"), "criteres": ["agents 350"]},
            "Le tarif saisi de 150,00\u00a0€ diffère de celui de la grille, 1\u202f300,00\u00a0€, pour agents 350.",
        ),
        (
            "parties.hors_territoire",
            {"code_postal": "80000", "partie": "la Commune d’Amiens", "departements": ["59", "62"]},
            "Le code postal 80000 de la Commune d’Amiens est hors du territoire de la convention (départements 59, 62).",
        ),
        (
            "field.not_in_choices",
            {"value": "conseil-administration", "choices": "conseil-municipal, conseil-d-administration"},
            "La valeur « conseil-administration » n’est pas permise : vouliez-vous dire « conseil-d-administration » ?"
            " Valeurs possibles : conseil-municipal, conseil-d-administration.",
        ),
        (
            "field.not_in_choices",
            {"value": "Mr", "choices": "Madame, Monsieur"},
            "La valeur « Mr » n’est pas permise ; valeurs possibles : Madame, Monsieur.",
        ),
    ],
)
def test_sentences(code: str, params: dict[str, object], expected: str) -> None:
    assert render_message(code, params) == expected


def test_the_offered_values_are_never_cut_though_the_users_value_is() -> None:
    offered = ", ".join(f"valeur-possible-{n}" for n in range(20))
    issue = Issue("field.not_in_choices", "organe", {"value": "x" * 500, "choices": offered})
    assert offered in issue.message  # what the clerk may choose, whole
    assert "500 caractères" in issue.message  # what the clerk typed, by its excerpt
