"""Word's date-picker formats ("dd/MM/yyyy", "d MMMM yyyy", "dddd d MMMM") written in French with Babel."""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date

DEFAULT_FORMAT = "dd/MM/yyyy"
TOKEN = re.compile(r"'[^']*'|d+|M+|y+|H+|h+|m+|s+|AM/PM|am/pm|.", re.DOTALL)


def babel_pattern(word_format: str) -> str:
    """Word's date format as a Babel (CLDR) pattern; literal letters are quoted.

    >>> babel_pattern("dddd d MMMM yyyy")
    'EEEE d MMMM yyyy'
    >>> babel_pattern("dd/MM/yy")
    'dd/MM/yy'
    """
    return "".join(_token(token) for token in TOKEN.findall(word_format))


DAY = {1: "d", 2: "dd", 3: "EEE"}


def _token(token: str) -> str:
    first = token[0]
    if first == "d":
        return DAY.get(len(token), "EEEE")
    if first == "y":
        return "yy" if len(token) <= 2 else "yyyy"
    if first in "MHhms":
        return token[: 4 if first == "M" else 2]
    if token.lower() == "am/pm":
        return "a"
    if first.isalpha():
        return f"'{first}'"
    return token  # punctuation, or text already quoted ('de')


def format_word_date(value: date, word_format: str | None, *, locale: str = "fr_FR") -> str:
    """A date as a Word date picker of that format shows it, in French.

    >>> format_word_date(date(2023, 9, 18), "d MMMM yyyy")
    '18\xa0septembre 2023'
    >>> format_word_date(date(2023, 9, 8), "dd/MM/yyyy")
    '08/09/2023'
    """
    written = str(format_date(value, babel_pattern(word_format or DEFAULT_FORMAT), locale=locale))
    return _DAY_MONTH.sub("\\1\u00a0", written)


# A day's number and its month are held together by a no-break space (French typography).
_DAY_MONTH = re.compile(r"\b(\d{1,2}) (?=[^\W\d_])")


def full_date(value: date) -> str:
    """The machine value Word keeps in ``w:date/@w:fullDate``."""
    return f"{value.isoformat()}T00:00:00Z"
