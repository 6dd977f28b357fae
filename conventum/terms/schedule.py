"""The schedule of a convention's term: its periods, notice deadlines, tacit renewals and final end.

One function, :func:`schedule`, computes it. Periods are counted from the start, never chained:
period *k* starts on the start's anniversary ``k × length`` months later and ends the day before the
next one; an anniversary on a day the month lacks (31 April, 29 February 2025) falls on the first
of the following month, so the period ends on the last day of the month. A notice of *n* months
must be given at the latest *n* months before the period's last day, clamped to the month's last
day (30 September for 31 December). Each period's deadlines are counted from that period's own end,
so a renewed convention's notice follows the renewed end, and no renewal is counted beyond the limit.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from conventum.model.blocks import Duree

DeadlineKind = Literal["preavis", "decision", "reconduction", "fin"]
HORIZON_YEARS = 30  # how far a term renewed without limit is followed


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later (or earlier), on the month's last day when it is shorter.

    >>> add_months(date(2024, 1, 31), 1), add_months(date(2026, 12, 31), -3)
    (datetime.date(2024, 2, 29), datetime.date(2026, 9, 30))
    """
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def anniversary(start: date, months: int) -> date:
    """The day a period of ``months`` begun on ``start`` gives way to the next one.

    A day the target month lacks becomes the first of the month after it:

    >>> anniversary(date(2024, 2, 29), 12), anniversary(date(2025, 1, 31), 1)
    (datetime.date(2025, 3, 1), datetime.date(2025, 3, 1))
    >>> anniversary(date(2025, 1, 1), 24)
    datetime.date(2027, 1, 1)
    """
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    if start.day > calendar.monthrange(year, month + 1)[1]:
        return date(year, month + 1, calendar.monthrange(year, month + 1)[1]) + timedelta(days=1)
    return date(year, month + 1, start.day)


@dataclass(frozen=True)
class Period:
    """One period of the term: ``rang`` 0 is the initial one, *k* the *k*-th renewal."""

    rang: int
    debut: date
    fin: date | None


@dataclass(frozen=True)
class Deadline:
    """A date the clerk must act on or know.

    ``preavis``: the last day to denounce before a tacit renewal; ``decision``: the last day to
    signify the choice of an express renewal; ``reconduction``: the day the tacit renewal takes
    effect; ``fin``: the final end (no renewal left).
    """

    nature: DeadlineKind
    date: dt.date
    rang: int  # the period it ends or closes
    echeance: dt.date  # the end of that period


@dataclass(frozen=True)
class Schedule:
    """Everything that falls due: the periods and the deadlines in date order."""

    debut: date | None
    periodes: tuple[Period, ...]
    echeances: tuple[Deadline, ...]
    fin_definitive: date | None  # None: a term without end, or renewed without limit
    tronque: bool = False  # renewed without limit: followed only up to the horizon

    def upcoming(self, since: date, until: date) -> list[Deadline]:
        """The deadlines from ``since`` to ``until`` inclusive, notices first on the same day."""
        order = {"preavis": 0, "decision": 1, "fin": 2, "reconduction": 3}
        found = [item for item in self.echeances if since <= item.date <= until]
        return sorted(found, key=lambda item: (item.date, order[item.nature]))


def schedule(term: Duree, start: date | None, *, horizon: date | None = None) -> Schedule:
    """The schedule of ``term`` begun on ``start`` (``None`` while the start event has not occurred).

    A term renewed without limit is followed up to ``horizon`` (default: 30 years after the start).

    >>> plan = schedule(Duree(annees=2, reconduction="tacite", renouvellements=1, preavis_mois=3),
    ...                 date(2025, 1, 1))
    >>> [(d.nature, d.date.isoformat()) for d in plan.echeances]
    [('preavis', '2026-09-30'), ('reconduction', '2027-01-01'), ('fin', '2028-12-31')]
    """
    length = term.length_months
    if start is None:
        return Schedule(None, (), (), None)
    if length == 0:
        return Schedule(start, (Period(0, start, None),), (), None)
    renewable = term.reconduction != "aucune"
    limit = term.renouvellements if renewable else 0
    stop = horizon or _within_calendar(start, 12 * HORIZON_YEARS)
    periods: list[Period] = []
    deadlines: list[Deadline] = []
    rank = 0
    while True:
        try:
            begin = anniversary(start, length * rank)
            end = anniversary(start, length * (rank + 1)) - timedelta(days=1)
        except (ValueError, OverflowError):  # past the calendar's last year: followed no further
            return Schedule(start, tuple(periods), tuple(deadlines), None, tronque=True)
        periods.append(Period(rank, begin, end))
        last = limit is not None and rank >= limit
        if last:
            deadlines.append(Deadline("fin", end, rank, end))
            break
        try:
            deadlines += _renewal_deadlines(term, rank, end)
        except (ValueError, OverflowError):  # a renewal the day after the calendar's last day
            return Schedule(start, tuple(periods), tuple(deadlines), None, tronque=True)
        if limit is None and end >= stop:
            return Schedule(start, tuple(periods), tuple(deadlines), None, tronque=True)
        rank += 1
    return Schedule(start, tuple(periods), tuple(deadlines), periods[-1].fin)


def _within_calendar(start: date, months: int) -> date:
    """``months`` after ``start``, or the calendar's last day (31 December 9999) past it."""
    try:
        return add_months(start, months)
    except ValueError:
        return date.max


def _renewal_deadlines(term: Duree, rank: int, end: date) -> list[Deadline]:
    """The deadlines closing a period that may be renewed."""
    notice = add_months(end, -(term.preavis_mois or 0))
    if term.reconduction == "expresse":
        return [Deadline("decision", notice, rank, end)]
    found = [Deadline("preavis", notice, rank, end)] if term.preavis_mois is not None else []
    return [*found, Deadline("reconduction", end + timedelta(days=1), rank, end)]
