"""French as a legal department writes it: dates, amounts, numbers in words, agreement, places, typography.

The public lower-level piece of conventum: every function here is documented with
examples (doctests) and may be used on its own.

>>> from decimal import Decimal
>>> amount_in_words(Decimal("1000000"))
'un million d’euros'
>>> town_phrase("Le Cateau-Cambrésis", "à")
'au Cateau-Cambrésis'
"""

from conventum.french.formatting import (
    amount_in_words,
    amount_with_words,
    feminine_words,
    format_amount,
    format_date,
    format_date_numeric,
    format_dates,
    format_number,
    join_words,
    number_with_words,
    ordinal_abbreviation,
    ordinal_words,
    party_ordinal,
    round_amount,
    words,
)
from conventum.french.grammar import (
    agree,
    capitalise,
    denomination,
    designation_forms,
    of_name,
    of_noun,
    with_article,
)
from conventum.french.places import town_name, town_phrase, typographic_apostrophes
from conventum.french.typography import normalise_text, typography_faults
from conventum.french.worddates import format_word_date

__all__ = [
    "agree",
    "amount_in_words",
    "amount_with_words",
    "capitalise",
    "denomination",
    "designation_forms",
    "feminine_words",
    "format_amount",
    "format_date",
    "format_date_numeric",
    "format_dates",
    "format_number",
    "format_word_date",
    "join_words",
    "normalise_text",
    "number_with_words",
    "of_name",
    "of_noun",
    "ordinal_abbreviation",
    "ordinal_words",
    "party_ordinal",
    "round_amount",
    "town_name",
    "town_phrase",
    "typographic_apostrophes",
    "typography_faults",
    "with_article",
    "words",
]
