"""French formatting of dates, amounts and numbers, through Babel and num2words.

>>> from datetime import date
>>> format_date(date(2025, 3, 1))
'1er mars 2025'
>>> format_date(date(2023, 9, 18))
'18 septembre 2023'
>>> format_amount(Decimal("1000"))
'1\\u202f000,00\\xa0€'
>>> number_with_words(2, "ans")
'deux (2) ans'
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency, format_decimal
from num2words import num2words

LOCALE = "fr_FR"
CENT = Decimal("0.01")


def format_date(value: date) -> str:
    """Write a date the French legal way, with "1er" for the first of a month."""
    if value.day == 1:
        return "1er " + babel_format_date(value, "MMMM y", locale=LOCALE)
    return babel_format_date(value, "d MMMM y", locale=LOCALE)


def format_date_numeric(value: date) -> str:
    """Write a date as "05/09/2023", where the originals do.

    >>> format_date_numeric(date(2023, 9, 5))
    '05/09/2023'
    """
    return value.strftime("%d/%m/%Y")


def format_dates(values: list[date]) -> str:
    """Join several dates: "19 janvier 2022 et 2 février 2023".

    >>> format_dates([date(2022, 1, 19), date(2023, 2, 2)])
    '19 janvier 2022 et 2 février 2023'
    """
    return join_words([format_date(value) for value in values])


def join_words(words: list[str]) -> str:
    """Join items the French way: "a, b et c".

    >>> join_words(["a", "b", "c"])
    'a, b et c'
    """
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " et " + words[-1]


def round_amount(value: Decimal) -> Decimal:
    """Round money to the cent, half up as public accounting does."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(value: Decimal, *, currency: bool = True) -> str:
    """Write an amount "1 000,00 €" with Babel's French separators."""
    if isinstance(value, float):
        raise TypeError("amounts are Decimal, never float")
    return _written_amount(str(round_amount(Decimal(value))), currency)


@lru_cache(maxsize=4096)
def _written_amount(rounded: str, currency: bool) -> str:
    """Babel's writing of an amount, kept: the same prices recur in every row of a batch."""
    if currency:
        return format_currency(Decimal(rounded), "EUR", locale=LOCALE)
    return format_decimal(Decimal(rounded), format="#,##0.00", locale=LOCALE)


def format_number(value: int | Decimal) -> str:
    """Write a count with French grouping: "1 250".

    >>> format_number(1250)
    '1\\u202f250'
    """
    return _written_number(value if isinstance(value, int) else str(value))


@lru_cache(maxsize=4096)
def _written_number(value: int | str) -> str:
    return format_decimal(Decimal(value) if isinstance(value, str) else value, locale=LOCALE)


def words(value: int) -> str:
    """Write a whole number in French words: 21 → "vingt et un".

    >>> words(21)
    'vingt et un'
    """
    return str(num2words(value, lang="fr"))


def number_with_words(value: int, unit: str = "", *, feminine: bool = False) -> str:
    """Write "deux (2) ans", "une (1) fois", the way conventions state terms.

    >>> number_with_words(1, "fois", feminine=True)
    'une (1) fois'
    """
    text = words(value)
    if feminine and text.endswith("un"):
        text += "e"
    phrase = f"{text} ({value})"
    return f"{phrase} {unit}" if unit else phrase


def amount_in_words(value: Decimal) -> str:
    """Write an amount in words: "mille euros".

    >>> amount_in_words(Decimal("1000"))
    'mille euros'
    """
    rounded = round_amount(value)
    if rounded == rounded.to_integral_value():
        euros = int(rounded)
        return f"{words(euros)} euro" + ("s" if euros > 1 else "")
    return str(num2words(rounded, lang="fr", to="currency", currency="EUR"))


def ordinal_words(rank: int) -> str:
    """French ordinal adjective: 1 → "première", 2 → "deuxième" (feminine, for "part").

    >>> ordinal_words(3)
    'troisième'
    """
    if rank == 1:
        return "première"
    return str(num2words(rank, lang="fr", to="ordinal"))


def party_ordinal(rank: int, count: int) -> str:
    """The closing words of a party's paragraph: "D'une part" or "D'une deuxième part".

    >>> party_ordinal(1, 2), party_ordinal(2, 2)
    ('D’une part', 'D’autre part')
    >>> party_ordinal(3, 3)
    'D’une troisième part'
    """
    if count == 2:
        return "D’une part" if rank == 1 else "D’autre part"
    return f"D’une {ordinal_words(rank)} part"
