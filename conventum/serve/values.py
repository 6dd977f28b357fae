"""The values of the API's parameters read as the command line reads them: dates as AAAA-MM-JJ or
JJ/MM/AAAA (``--today``), the same French reasons when one is wrong."""

from __future__ import annotations

from datetime import date

from conventum.french.datetext import DateTextError, read_date
from conventum.serve.problems import HttpProblem

DATE_FORMATS = "AAAA-MM-JJ ou JJ/MM/AAAA"


def day_value(name: str, value: str | None) -> date | None:
    """A date parameter; 400 ``requete.date`` naming it and saying what is wrong.

    >>> day_value("today", "31/12/2025"), day_value("today", "2025-12-31"), day_value("today", None)
    (datetime.date(2025, 12, 31), datetime.date(2025, 12, 31), None)
    """
    if value is None or value == "":
        return None
    try:
        return read_date(value)
    except DateTextError as exc:
        raise HttpProblem(400, "requete.date", nom=name, raison=exc.reason) from exc
