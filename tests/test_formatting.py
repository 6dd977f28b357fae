"""The French formatting module on the seeds' cases and their edges."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from conventum.french import (
    amount_in_words,
    amount_with_words,
    format_amount,
    format_date,
    format_date_numeric,
    format_dates,
    number_with_words,
    ordinal_abbreviation,
    ordinal_words,
    party_ordinal,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2023, 9, 18), "18\u00a0septembre 2023"),
        (date(2018, 10, 1), "1er\u00a0octobre 2018"),
        (date(2025, 1, 1), "1er\u00a0janvier 2025"),
        (date(2024, 2, 29), "29\u00a0février 2024"),
        (date(2023, 8, 2), "2\u00a0août 2023"),
        (date(2023, 12, 31), "31\u00a0décembre 2023"),
    ],
)
def test_dates_are_written_the_legal_way(value: date, expected: str) -> None:
    # The day is held to its month by a no-break space (the old expectations had a plain one).
    assert format_date(value) == expected


def test_numeric_date_keeps_leading_zeros() -> None:
    assert format_date_numeric(date(2023, 9, 5)) == "05/09/2023"


def test_several_dates_are_joined_with_et() -> None:
    assert (
        format_dates([date(2022, 1, 19), date(2023, 2, 2)]) == "19\u00a0janvier 2022 et 2\u00a0février 2023"
    )


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
        (1000, "", False, "mille (1\u202f000)"),
        (1250, "agents", False, "mille deux cent cinquante (1\u202f250) agents"),
        (31, "communes", True, "trente et une (31) communes"),
    ],
)
def test_numbers_in_words_with_digits(value: int, unit: str, feminine: bool, expected: str) -> None:
    assert number_with_words(value, unit, feminine=feminine) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1000", "mille euros"),
        ("1", "un euro"),
        ("2", "deux euros"),
        ("0", "zéro euro"),
        ("0.50", "cinquante centimes"),
        ("0.01", "un centime"),
        ("12.50", "douze euros et cinquante centimes"),
        ("1000000", "un million d’euros"),
        ("3000000", "trois millions d’euros"),
        ("1000000000", "un milliard d’euros"),
        ("1200000", "un million deux cent mille euros"),
        ("1000000.50", "un million d’euros et cinquante centimes"),
        ("80.80", "quatre-vingts euros et quatre-vingts centimes"),
        ("200", "deux cents euros"),
        ("201", "deux cent un euros"),
        ("21", "vingt et un euros"),
    ],
)
def test_amounts_in_words(value: str, expected: str) -> None:
    # Written by hand from French usage; num2words' currency mode gets several of these wrong.
    assert amount_in_words(Decimal(value)) == expected


def test_amount_with_words_groups_the_digits() -> None:
    assert (
        amount_with_words(Decimal("175150"))
        == "cent soixante-quinze mille cent cinquante euros (175\u202f150,00\u00a0€)"
    )


def test_ordinals() -> None:
    assert [ordinal_words(rank) for rank in (1, 2, 9, 21)] == [
        "première",
        "deuxième",
        "neuvième",
        "vingt et unième",
    ]
    assert ordinal_words(1, feminine=False) == "premier"
    assert [ordinal_abbreviation(1), ordinal_abbreviation(1, feminine=True), ordinal_abbreviation(3)] == [
        "1er",
        "1re",
        "3e",
    ]


def test_two_parties_read_une_part_autre_part() -> None:
    assert [party_ordinal(rank, 2) for rank in (1, 2)] == ["D’une part", "D’autre part"]


def test_three_parties_are_numbered() -> None:
    expected = ["D’une première part", "D’une deuxième part", "D’une troisième part"]
    assert [party_ordinal(rank, 3) for rank in (1, 2, 3)] == expected
