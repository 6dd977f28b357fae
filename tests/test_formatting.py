"""The French formatting module on the seeds' cases and their edges."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from conventum.french.formatting import (
    amount_in_words,
    format_amount,
    format_date,
    format_date_numeric,
    format_dates,
    number_with_words,
    party_ordinal,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2023, 9, 18), "18 septembre 2023"),
        (date(2018, 10, 1), "1er octobre 2018"),
        (date(2025, 1, 1), "1er janvier 2025"),
        (date(2024, 2, 29), "29 février 2024"),
        (date(2023, 8, 2), "2 août 2023"),
        (date(2023, 12, 31), "31 décembre 2023"),
    ],
)
def test_dates_are_written_the_legal_way(value: date, expected: str) -> None:
    assert format_date(value) == expected


def test_numeric_date_keeps_leading_zeros() -> None:
    assert format_date_numeric(date(2023, 9, 5)) == "05/09/2023"


def test_several_dates_are_joined_with_et() -> None:
    assert format_dates([date(2022, 1, 19), date(2023, 2, 2)]) == "19 janvier 2022 et 2 février 2023"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1000"), "1\u202f000,00\u00a0€"),
        (Decimal("0"), "0,00\u00a0€"),
        (Decimal("1234567.891"), "1\u202f234\u202f567,89\u00a0€"),
        (Decimal("0.005"), "0,01\u00a0€"),
        (Decimal("-15.5"), "-15,50\u00a0€"),
    ],
)
def test_amounts_use_babel_separators(value: Decimal, expected: str) -> None:
    assert format_amount(value) == expected


def test_amount_refuses_floats() -> None:
    with pytest.raises(TypeError):
        format_amount(12.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "unit", "feminine", "expected"),
    [
        (2, "ans", False, "deux (2) ans"),
        (3, "exemplaires", False, "trois (3) exemplaires"),
        (1, "mois", False, "un (1) mois"),
        (1, "fois", True, "une (1) fois"),
        (21, "", True, "vingt et une (21)"),
        (80, "jours", False, "quatre-vingts (80) jours"),
    ],
)
def test_numbers_in_words_with_digits(value: int, unit: str, feminine: bool, expected: str) -> None:
    assert number_with_words(value, unit, feminine=feminine) == expected


def test_amounts_in_words() -> None:
    assert amount_in_words(Decimal("1000")) == "mille euros"
    assert amount_in_words(Decimal("1")) == "un euro"
    assert amount_in_words(Decimal("12.50")) == "douze euros et cinquante centimes"


def test_two_parties_read_une_part_autre_part() -> None:
    assert [party_ordinal(rank, 2) for rank in (1, 2)] == ["D’une part", "D’autre part"]


def test_three_parties_are_numbered() -> None:
    expected = ["D’une première part", "D’une deuxième part", "D’une troisième part"]
    assert [party_ordinal(rank, 3) for rank in (1, 2, 3)] == expected
