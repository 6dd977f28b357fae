"""Every type's calculations run at validation, after the rules: a calculation problem is a
validation issue with its field path, reported by ``validate``, never first by ``render``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import conventum
from conventum.errors import ValidationFailed
from conventum.model.catalogue import available_types, load_type
from conventum.model.loading import load_data
from tests.support import SAMPLES

INVALID = SAMPLES / "invalid"


def _tie(data: dict[str, Any]) -> None:
    data["vote"]["pour"]["voix"], data["vote"]["contre"], data["vote"]["abstention"] = (
        20,
        {"voix": 20},
        {"voix": 3},
    )


def _unknown_reference(data: dict[str, Any]) -> None:
    data["corps"].append({"texte": "Voir {inconnu}."})


def _unknown_coordinator(data: dict[str, Any]) -> None:
    data["coordonnateur"] = "Commune de Nulle-Part"


def _from(name: str) -> Callable[[dict[str, Any]], None]:
    def replace(data: dict[str, Any]) -> None:
        data.clear()
        data.update(load_data(INVALID / name))

    return replace


CASES = [
    (
        "plateforme-dematerialisation",
        "plateforme-dematerialisation",
        _from("plateforme-dematerialisation.calcul.grille_absente.yaml"),
        ("calcul.grille_absente", "debut"),
    ),
    (
        "services-numeriques",
        "services-numeriques",
        _from("services-numeriques.services.service_inconnu.yaml"),
        ("services.service_inconnu", "services.lignes[0].service"),
    ),
    (
        "services-numeriques",
        "services-numeriques",
        _from("services-numeriques.services.effectif_manquant.yaml"),
        ("services.effectif_manquant", "services.population"),
    ),
    (
        "groupement-commandes",
        "groupement-commandes",
        _unknown_coordinator,
        ("parties.coordonnateur_non_membre", "coordonnateur"),
    ),
    ("deliberation", "deliberation-2023-338", _tie, ("vote.partage", "vote.voix_preponderante")),
    ("rapport", "rapport-2023-338", _unknown_reference, ("seance.reference_inconnue", "corps[12].texte")),
]


def test_every_type_with_calculations_is_covered() -> None:
    calculating = {name for name in available_types() if load_type(name).calculations}
    assert calculating == {case[0] for case in CASES}


@pytest.mark.parametrize(
    ("type_name", "sample", "spoil", "expected"), CASES, ids=[c[2].__name__ + "-" + c[0] for c in CASES]
)
def test_a_calculation_problem_is_reported_by_validate(
    type_name: str, sample: str, spoil: Callable[[dict[str, Any]], None], expected: tuple[str, str]
) -> None:
    data = load_data(SAMPLES / f"{sample}.yaml")
    spoil(data)
    result = conventum.validate(type_name, data)
    assert expected in [(issue.code, issue.path) for issue in result.issues]
    assert not result.ok and result.computed is None
    with pytest.raises(ValidationFailed) as caught:  # render finds the same problems, nothing new
        conventum.render_document(type_name, data)
    assert [(i.code, i.path) for i in caught.value.issues] == [(i.code, i.path) for i in result.issues]


@pytest.mark.parametrize("type_name", sorted(available_types()))
def test_a_valid_sample_carries_its_computed_values(type_name: str) -> None:
    """One path for every type: a valid convention's calculations ran at validation (empty: none)."""
    sample = next(iter(sorted(SAMPLES.glob(f"{type_name}*.yaml"))))
    result = conventum.validate(type_name, sample)
    assert result.ok, result.issues
    assert result.computed is not None
    assert bool(result.computed) == bool(load_type(type_name).calculations)
