"""Computed values: the calculator registry, dated price grids chosen by date, money records."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conventum import TemplateError, ValidationFailed, build_context, render_document
from conventum.context.calculations import run_calculations
from conventum.context.calculations.grids import grid_for, grids
from conventum.context.calculations.money import Line, Period, initial_term_totals, written
from conventum.model.catalogue import RuleUse, load_type
from conventum.validation.validation import validate
from tests.support import sample

GRIDS = Path(__file__).resolve().parent.parent / "conventum" / "data" / "grilles"


def test_the_grid_in_force_is_chosen_by_date() -> None:
    assert grid_for("services-numeriques", date(2022, 12, 31)) is None
    grid = grid_for("services-numeriques", date(2023, 1, 1))
    assert grid is not None and grid["valable_du"] == date(2023, 1, 1)
    assert grid_for("plateforme-dematerialisation", date(2026, 5, 1)) is not None


def test_next_years_grid_is_a_new_file_not_new_code(tmp_path: Path) -> None:
    current = (GRIDS / "services-numeriques-2023.yaml").read_text(encoding="utf-8")
    (tmp_path / "services-numeriques-2023.yaml").write_text(current, encoding="utf-8")
    newer = current.replace("valable_du: 2023-01-01", "valable_du: 2027-01-01").replace('"16.10"', '"17.00"')
    (tmp_path / "services-numeriques-2027.yaml").write_text(newer, encoding="utf-8")
    assert len(grids("services-numeriques", tmp_path)) == 2
    for when, price in ((date(2026, 12, 31), "16.10"), (date(2027, 1, 1), "17.00")):
        grid = grid_for("services-numeriques", when, tmp_path)
        assert grid is not None
        assert grid["a_la_carte"]["services"]["messagerie-5go"]["ht"] == price


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def test_grid_amounts_are_never_float() -> None:
    for name in ("services-numeriques", "plateforme-dematerialisation"):
        for grid in grids(name):
            assert not [leaf for leaf in _leaves(grid) if isinstance(leaf, float)]


def test_totals_over_the_initial_term_take_periods_in_order() -> None:
    first = Period("Première année", 1, [Line("Services", 1, Decimal("755.00"), "HT")])
    second = Period("Années suivantes", None, [Line("Services", 2, Decimal("10.05"), "HT")])
    support = Line("Accompagnement", 1, Decimal("150.00"), "TTC")
    second.lines.append(support)
    totals = initial_term_totals([first, second], 2)
    assert (totals["ht"], totals["ttc"]) == (Decimal("775.10"), Decimal("150.00"))
    assert totals["ht_texte"] == "775,10\u00a0€\u00a0HT"  # held together: the amount never wraps
    assert written(None) == "—"


def test_a_type_naming_an_unknown_calculator_is_a_template_fault() -> None:
    ctype = load_type("services-numeriques")
    broken = dataclasses.replace(ctype, calculations=(RuleUse("inconnu"),))
    convention = validate(ctype, sample("services-numeriques")).convention
    assert convention is not None
    with pytest.raises(TemplateError, match="calcul inconnu « inconnu »"):
        run_calculations(broken, convention)


def test_the_computed_values_reach_the_template_context() -> None:
    document = render_document("plateforme-dematerialisation", sample("plateforme-dematerialisation"))
    contribution = document.context["contribution"]
    assert contribution["tranche"] == "Tranche 3"
    assert contribution["annuelle"] == Decimal("1000")
    assert isinstance(contribution["annuelle"], Decimal)


def test_a_calculator_that_cannot_compute_stops_the_rendering_as_invalid_data() -> None:
    data = sample("groupement-commandes")
    data["coordonnateur"] = "Région Grand Est"
    ctype = load_type("groupement-commandes")
    convention = validate(ctype, data).convention  # the schema holds; the rule reports the coordinator
    assert convention is not None
    with pytest.raises(ValidationFailed) as caught:
        build_context(ctype, convention)
    assert [(issue.code, issue.path) for issue in caught.value.issues] == [
        ("groupement.coordonnateur_inconnu", "coordonnateur")
    ]
    assert "n’est aucun des membres" in caught.value.issues[0].message
