"""French formatting of dates, amounts and numbers, through Babel and num2words.

>>> from datetime import date
>>> format_date(date(2025, 3, 1))
'1er\xa0mars 2025'
>>> format_date(date(2023, 9, 18))
'18\xa0septembre 2023'
>>> format_amount(Decimal("1000"))
'1\\u202f000,00\\xa0€'
>>> number_with_words(2, "ans")
'deux (2) ans'
>>> amount_in_words(Decimal("1000000"))
'un million d’euros'
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import lru_cache

from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency, format_decimal
from num2words import num2words

LOCALE = "fr_FR"
CENT = Decimal("0.01")


def format_date(value: date) -> str:
    """Write a date the French legal way, with "1er" for the first of a month.

    A no-break space holds the day to its month, so "18 / septembre" never splits.
    """
    return _written_date(value)


@lru_cache(maxsize=4096)
def _written_date(value: date) -> str:
    month_year = babel_format_date(value, "MMMM y", locale=LOCALE)
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day}\u00a0{month_year}"


def format_date_numeric(value: date) -> str:
    """Write a date as "05/09/2023", where the originals do.

    >>> format_date_numeric(date(2023, 9, 5))
    '05/09/2023'
    """
    return value.strftime("%d/%m/%Y")


def format_dates(values: list[date]) -> str:
    """Join several dates: "19 janvier 2022 et 2 février 2023".

    >>> format_dates([date(2022, 1, 19), date(2023, 2, 2)])
    '19\xa0janvier 2022 et 2\xa0février 2023'
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
    """Round money to the cent, half up as public accounting does (any size: the precision grows with
    the number's digits, so 3.4e38 is rounded, not refused).

    >>> round_amount(Decimal("2.345")), round_amount(Decimal("3.402823466e+38"))
    (Decimal('2.35'), Decimal('340282346600000000000000000000000000000.00'))
    """
    if not value.is_finite():
        return value
    digits = max(len(value.as_tuple().digits) + int(value.adjusted()) + 4, 28)
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=Context(prec=digits))


def format_amount(value: Decimal, *, currency: bool = True) -> str:
    """Write an amount "1 000,00 €" with Babel's French separators."""
    if isinstance(value, float):
        raise TypeError("amounts are Decimal, never float")
    value = Decimal(value)
    return _formatted_amount(value, currency) if value.is_finite() else _write_amount(value, currency)


@lru_cache(maxsize=4096)
def _formatted_amount(value: Decimal, currency: bool) -> str:
    """A finite amount written, kept: a batch writes the same prices in every row (equal amounts,
    1.0 and 1.00, round and write alike)."""
    return _write_amount(value, currency)


def _write_amount(value: Decimal, currency: bool) -> str:
    rounded = round_amount(value)
    with localcontext() as context:  # Babel rounds again, in the current context: room for every digit
        context.prec = max(context.prec, len(rounded.as_tuple().digits) + 4)
        return _written_amount(str(rounded), currency)


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
    """Write a whole number in French words: 21 → "vingt et un", traditional spelling.

    >>> words(21), words(80), words(200), words(1_000_000)
    ('vingt et un', 'quatre-vingts', 'deux cents', 'un million')
    """
    return _written_words(int(value))


@lru_cache(maxsize=4096)
def _written_words(value: int) -> str:
    if value < 0:
        return "moins " + _written_words(-value)
    return str(num2words(value, lang="fr"))


def feminine_words(value: int) -> str:
    """The words of a number before a feminine noun: "une", "vingt et une", "trente et une".

    >>> feminine_words(1), feminine_words(21), feminine_words(2)
    ('une', 'vingt et une', 'deux')
    """
    text = words(value)
    return text + "e" if text == "un" or text.endswith((" un", "-un")) else text


def number_with_words(value: int, unit: str = "", *, feminine: bool = False) -> str:
    """Write "deux (2) ans", "une (1) fois", the way conventions state terms.

    The digits are grouped with a no-break space, so "mille (1 000)" never splits.

    >>> number_with_words(1, "fois", feminine=True)
    'une (1) fois'
    >>> number_with_words(1000, "habitants")
    'mille (1\u202f000) habitants'
    """
    text = feminine_words(value) if feminine else words(value)
    phrase = f"{text} ({format_number(value)})"
    return f"{phrase} {unit}" if unit else phrase


def _euros(count: int) -> str:
    """ "un euro", "deux euros", "un million d’euros" ("de" after million and milliard)."""
    text = words(count)
    if count in (0, 1):
        return f"{text} euro"
    if text.endswith(("million", "millions", "milliard", "milliards")):
        return f"{text} d’euros"
    return f"{text} euros"


def amount_in_words(value: Decimal) -> str:
    """Write an amount in words, as a cheque or a deed does; num2words' currency mode is not used.

    >>> amount_in_words(Decimal("1000"))
    'mille euros'
    >>> amount_in_words(Decimal("1000000")), amount_in_words(Decimal("2000000"))
    ('un million d’euros', 'deux millions d’euros')
    >>> amount_in_words(Decimal("0.50")), amount_in_words(Decimal("0.01"))
    ('cinquante centimes', 'un centime')
    >>> amount_in_words(Decimal("0")), amount_in_words(Decimal("1")), amount_in_words(Decimal("2"))
    ('zéro euro', 'un euro', 'deux euros')
    >>> amount_in_words(Decimal("1250.80"))
    'mille deux cent cinquante euros et quatre-vingts centimes'
    >>> amount_in_words(Decimal("1000000.01"))
    'un million d’euros et un centime'
    """
    if isinstance(value, float):
        raise TypeError("amounts are Decimal, never float")
    rounded = round_amount(Decimal(value))
    if rounded < 0:
        return "moins " + amount_in_words(-rounded)
    euros = int(rounded)
    cents = int((rounded - euros) * 100)
    if not cents:
        return _euros(euros)
    centimes = f"{words(cents)} centime" + ("s" if cents > 1 else "")
    return centimes if not euros else f"{_euros(euros)} et {centimes}"


def amount_with_words(value: Decimal) -> str:
    """The amount in words then in figures: "mille euros (1 000,00 €)".

    >>> amount_with_words(Decimal("1000")) == "mille euros (1\u202f000,00\u00a0€)"
    True
    """
    return f"{amount_in_words(value)} ({format_amount(value)})"


def ordinal_words(rank: int, *, feminine: bool = True) -> str:
    """French ordinal adjective: 1 → "première" (feminine, for "part") or "premier", 2 → "deuxième".

    >>> ordinal_words(3), ordinal_words(1), ordinal_words(1, feminine=False), ordinal_words(21)
    ('troisième', 'première', 'premier', 'vingt et unième')
    """
    if rank == 1:
        return "première" if feminine else "premier"
    return _written_ordinal(rank)


@lru_cache(maxsize=4096)
def _written_ordinal(rank: int) -> str:
    """num2words' ordinal, kept: every party of a groupement asks for one (≈ 50 µs each)."""
    return str(num2words(rank, lang="fr", to="ordinal"))


def ordinal_abbreviation(rank: int, *, feminine: bool = False) -> str:
    """The abbreviated ordinal of French typography: "1er", "1re", "2e" (never "1ère", "2ème").

    >>> ordinal_abbreviation(1), ordinal_abbreviation(1, feminine=True), ordinal_abbreviation(2)
    ('1er', '1re', '2e')
    """
    if rank == 1:
        return "1re" if feminine else "1er"
    return f"{rank}e"


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
