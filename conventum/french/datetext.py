"""Dates typed by a person: ``2025-03-14`` or ``14/03/2025``, and why a typed date is not one.

>>> read_date("14/03/2025")
datetime.date(2025, 3, 14)
>>> read_date(" 2025-03-14 ")
datetime.date(2025, 3, 14)
>>> read_date("31/02/2025")
Traceback (most recent call last):
...
conventum.french.datetext.DateTextError: le 31 février 2025 n’existe pas
"""

from __future__ import annotations

import calendar
from datetime import date

from babel.dates import get_month_names

ACCEPTED = "AAAA-MM-JJ ou JJ/MM/AAAA"


class DateTextError(ValueError):
    """A text that is not a date; ``reason`` says why, in French."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_date(text: str) -> date:
    """The date written ``AAAA-MM-JJ`` or ``JJ/MM/AAAA`` (also ``J/M/AAAA``); else DateTextError."""
    cleaned = text.strip()
    parts = _parts(cleaned)
    if parts is None:
        raise DateTextError(f"« {cleaned} » n’est pas écrite {ACCEPTED}")
    year, month, day = parts
    if not 1 <= month <= 12:
        raise DateTextError(f"le mois {month} n’existe pas (de 1 à 12)")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        month_name = get_month_names("wide", locale="fr_FR")[month]
        if day > last and day <= 31:
            raise DateTextError(f"le {day} {month_name} {year} n’existe pas")
        raise DateTextError(f"le jour {day} n’existe pas ({month_name} {year} a {last} jours)")
    return date(year, month, day)


def _parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of an ISO or a French numeric date, by its separators."""
    for separator, order in (("-", (0, 1, 2)), ("/", (2, 1, 0))):
        pieces = text.split(separator)
        if len(pieces) != 3 or not all(piece.isascii() and piece.isdigit() for piece in pieces):
            continue
        year, month, day = (pieces[index] for index in order)
        widths_ok = len(year) == 4 and 1 <= len(month) <= 2 and 1 <= len(day) <= 2
        if widths_ok:
            return int(year), int(month), int(day)
    return None
