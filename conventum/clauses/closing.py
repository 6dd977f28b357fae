"""The closing section: "Fait à Arras, le 2 octobre 2023, en deux (2) exemplaires."

The place is a town, written with its article ("au Portel") and never with a CEDEX;
without a date, a blank to fill by hand.
"""

from __future__ import annotations

from conventum.clauses.comparution import without_cedex
from conventum.french.places import town_phrase

BLANK_DATE = "……………………………"


def place_phrase(place: str) -> str:
    """ "à Arras", "au Portel", "à La Bassée" (empty without a place).

    >>> place_phrase("Le Portel"), place_phrase("Laon Cedex"), place_phrase("")
    ('au Portel', 'à Laon', '')
    """
    town = without_cedex(place) if place else ""
    return town_phrase(town, "à") if town else ""


def done_at(place: str, when: str) -> str:
    """ "Fait à Arras, le 2 octobre 2023" (or "Fait le …" without a place).

    >>> done_at("Le Portel", "3 mars 2026")
    'Fait au Portel, le 3 mars 2026'
    """
    where = place_phrase(place)
    return f"Fait {where}, le {when or BLANK_DATE}" if where else f"Fait le {when or BLANK_DATE}"


def closing(place: str, when: str, copies: str) -> str:
    """ "Fait à Arras, le 2 octobre 2023, en deux (2) exemplaires."

    >>> closing("Laon Cedex", "3 mars 2026", "trois (3) exemplaires")
    'Fait à Laon, le 3 mars 2026, en trois (3) exemplaires.'
    """
    text = done_at(place, when)
    return f"{text}, en {copies}." if copies else f"{text}."
