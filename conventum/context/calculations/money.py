"""Small money records of the computed annexes: amounts in Decimal, written the French way."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from conventum.errors import TemplateError
from conventum.french.formatting import format_amount, format_number

DASH = "—"


def amount(value: Any) -> Decimal | None:
    """A grid amount ("570.00", 250, null) as Decimal, never float."""
    if value is None:
        return None
    if isinstance(value, float):
        raise TypeError("grid amounts are written as strings or integers, never floats")
    return Decimal(str(value))


def price(value: Any) -> Decimal:
    """A grid amount that must be there."""
    result = amount(value)
    if result is None:
        raise TemplateError("montant manquant dans une grille de tarifs")
    return result


def written(value: Decimal | None, tax: str = "") -> str:
    """ "570,00 € HT", or a dash for no amount; a no-break space before HT/TTC: an amount never wraps."""
    if value is None:
        return DASH
    text = format_amount(value)
    return f"{text}\u00a0{tax}" if tax else text


@dataclass
class Line:
    """One priced line of a period: a quantity at a unit price, HT or TTC."""

    libelle: str
    quantite: int
    prix: Decimal
    taxe: str
    unite: str = ""

    @property
    def total(self) -> Decimal:
        return self.prix * self.quantite

    def view(self) -> dict[str, Any]:
        """The line as a template row: every cell already written."""
        return {
            "libelle": self.libelle,
            "unite": self.unite,
            "quantite": format_number(self.quantite),
            "prix": written(self.prix, self.taxe),
            "ht": written(self.total if self.taxe == "HT" else None),
            "ttc": written(self.total if self.taxe == "TTC" else None),
            "montant": self.total,
            "taxe": self.taxe,
        }


@dataclass
class Period:
    """A period of the annex table (première année, années suivantes…) and its lines."""

    libelle: str
    duree: int | None
    lines: list[Line] = field(default_factory=list)

    def total(self, tax: str) -> Decimal:
        return sum((line.total for line in self.lines if line.taxe == tax), Decimal("0.00"))

    def view(self) -> dict[str, Any]:
        """The period as a template block: its rows and its HT and TTC totals."""
        return {
            "libelle": self.libelle,
            "lignes": [line.view() for line in self.lines],
            "total_ht": self.total("HT"),
            "total_ttc": self.total("TTC"),
            "total_ht_texte": written(self.total("HT"), "HT"),
            "total_ttc_texte": written(self.total("TTC"), "TTC"),
        }


def initial_term_totals(periods: list[Period], years: int) -> dict[str, Any]:
    """HT and TTC totals over the convention's first ``years`` years, periods taken in order."""
    totals = {"HT": Decimal("0.00"), "TTC": Decimal("0.00")}
    left = years
    for period in periods:
        if left <= 0:
            break
        factor = left if period.duree is None else 1
        for tax in totals:
            totals[tax] += period.total(tax) * factor
        left -= left if period.duree is None else period.duree
    return {
        "ht": totals["HT"],
        "ttc": totals["TTC"],
        "ht_texte": written(totals["HT"], "HT"),
        "ttc_texte": written(totals["TTC"], "TTC"),
    }
