"""Annex 1 of plateforme-dematerialisation: the grid, the member's tranche and its contribution."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from conventum.context.calculations.grids import first_valid, grid_for, grids
from conventum.context.calculations.money import amount, written
from conventum.context.calculations.registry import calculation
from conventum.errors import CalculationError
from conventum.french.formatting import format_date, format_number, round_amount
from conventum.issues import Issue
from conventum.model.blocks import Convention
from conventum.model.catalogue import ConventionType

GRID = "plateforme-dematerialisation"
FREE = "Gratuit"


@calculation("contribution-plateforme", reads=("agents", "consultations_par_an", "debut"))
def platform_contribution(convention: Convention, *, ctype: ConventionType, **_: Any) -> dict[str, Any]:
    """Context key ``contribution``: the grid's rows, the tranche chosen, the annual and pro rata amounts."""
    start: date | None = convention.debut  # type: ignore[attr-defined]
    when = start or (convention.signature.date if convention.signature else None)
    grid = grid_for(GRID, when) if when else (grids(GRID) or (None,))[-1]
    if grid is None:
        params = {"grille": GRID, "date": when, "premiere": first_valid(GRID)}
        raise CalculationError([Issue("calcul.grille_absente", "debut", params)])
    staff: int = convention.agents  # type: ignore[attr-defined]
    column = "plus" if staff >= grid["seuil_agents"] else "moins"
    row = _tranche(grid["tranches"], convention.consultations_par_an)  # type: ignore[attr-defined]
    yearly = amount(row[column])
    return {"contribution": _view(grid, row, column, yearly, start)}


def _tranche(rows: list[dict[str, Any]], consultations: int) -> dict[str, Any]:
    chosen = rows[0]
    for row in rows:
        if consultations >= row["a_partir_de"]:
            chosen = row
    return chosen


def _cell(value: Any) -> str:
    price = amount(value)
    return FREE if not price else written(price)


def _view(
    grid: dict[str, Any], row: dict[str, Any], column: str, yearly: Decimal | None, start: date | None
) -> dict[str, Any]:
    rows = [
        {
            "tranche": r["tranche"],
            "consultations": r["consultations"],
            "moins": _cell(r["moins"]),
            "plus": _cell(r["plus"]),
        }
        for r in grid["tranches"]
    ]
    return {
        "colonnes": grid["colonnes"],
        "tranches": rows,
        "tranche": row["tranche"],
        "consultations": row["consultations"].lower(),
        "effectif": ("plus" if column == "plus" else "moins")
        + f" de {format_number(grid['seuil_agents'])} agents",
        "gratuite": not yearly,
        "annuelle": yearly or Decimal("0.00"),
        "annuelle_texte": written(yearly) if yearly else FREE.lower(),
        "prorata": _pro_rata(yearly, start),
    }


def _pro_rata(yearly: Decimal | None, start: date | None) -> dict[str, Any] | None:
    """The first year's share when the convention starts after 1 January: days left / days in year."""
    if not yearly or start is None or (start.month, start.day) == (1, 1):
        return None
    year_days = (date(start.year + 1, 1, 1) - date(start.year, 1, 1)).days
    days = (date(start.year + 1, 1, 1) - start).days
    share = round_amount(yearly * days / year_days)
    return {
        "debut": format_date(start),
        "jours": days,
        "jours_annee": year_days,
        "annee": start.year,
        "montant": share,
        "montant_texte": written(share),
    }
