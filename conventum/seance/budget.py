"""Budget lines of a délibération or a rapport: the amounts written, the balance computed.

>>> from decimal import Decimal
>>> line = budget_line({"code_operation": "C06", "imputation": "6281", "libelle": "Info",
...     "cp": Decimal("16000"), "disponible": Decimal("4000"), "proposition": Decimal("1000")})
>>> line["solde"] == format_amount(Decimal("3000"), currency=False)
True
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conventum.french.formatting import format_amount


def _amount(value: Decimal | None) -> str:
    return format_amount(value, currency=False) if value is not None else ""


def balance(line: dict[str, Any]) -> Decimal | None:
    """What remains once the proposal is taken from what is available (None without "disponible")."""
    available: Decimal | None = line.get("disponible")
    return available - line["proposition"] if available is not None else None


def budget_line(line: dict[str, Any]) -> dict[str, Any]:
    """A line as the tables write it: "16 000,00", the solde computed, never typed."""
    return {
        "code_operation": line["code_operation"],
        "imputation": line["imputation"],
        "libelle": line["libelle"],
        "cp": _amount(line["cp"]),
        "disponible": _amount(line.get("disponible")),
        "proposition": _amount(line["proposition"]),
        "depense": _amount(line["proposition"]),
        "solde": _amount(balance(line)),
    }


def budget_view(lines: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Every line of the table, formatted."""
    return [budget_line(line) for line in lines or []]
