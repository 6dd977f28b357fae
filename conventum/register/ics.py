"""The register's deadlines as an iCalendar file: one all-day event per deadline, alarms 90, 30 and
7 days before it.

An event's UID is made of the document's SHA-256, the kind of deadline and the period it closes,
so a re-export gives the same UIDs (a calendar updates its events, never duplicates them); a new
signature date raises the SEQUENCE of the convention's events, so the moved dates replace the old;
a résiliation or an avenant raises it too, and the deadlines they cancelled stay in the file with
STATUS:CANCELLED (a calendar client removes them instead of keeping stale reminders).

A summary names the deadline, the partner and the convention: « Dénoncer avant le 14 juin 2027 —
Commune de Ruitz : services numériques ».
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from icalendar import Alarm, Calendar, Event

from conventum.french.formatting import format_date
from conventum.register.store import Due

ALARM_DAYS = (90, 30, 7)
PRODUCT = "-//conventum//Registre des conventions//FR"
TITLES = {
    "preavis": "Dénoncer avant le {date}",
    "decision": "Décider du renouvellement avant le {date}",
    "reconduction": "Reconduction tacite le {date}",
    "fin": "Fin de la convention le {date}",
}


def uid_of(due: Due) -> str:
    """The stable UID of a deadline's event.

    >>> from datetime import date, datetime
    >>> uid_of(Due(1, "t", "T", (), "preavis", date(2026, 9, 30), date(2026, 12, 31), 0, "ab" * 32, 0,
    ...            datetime(2026, 1, 1)))
    'abababababababababababababababab-preavis-0@conventum'
    """
    return f"{due.sha256[:32]}-{due.nature}-{due.rang}@conventum"


def calendar_of(deadlines: Sequence[Due]) -> Calendar:
    """The calendar of the deadlines."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Échéances des conventions")
    for due in sorted(deadlines, key=lambda item: (item.date, item.numero, item.rang, item.nature)):
        calendar.add_component(_event(due))
    return calendar


def _event(due: Due) -> Event:
    summary = f"{TITLES[due.nature].format(date=format_date(due.date))} — {due.summary_name}"
    if due.annulee:
        summary = f"Annulé (convention résiliée ou modifiée par avenant) : {summary}"
    parties = "\n".join(f"- {name}" for name in due.parties)
    description = (
        f"Convention n°{due.numero} du registre ({due.type}) : {due.titre}.\n"
        f"Parties :\n{parties}\n"
        f"Action : {due.action}.\n"
        f"Échéance de la période : {format_date(due.echeance)}."
    )
    event = Event()
    event.add("uid", uid_of(due))
    event.add("dtstamp", due.modifiee_le)
    event.add("sequence", due.revision)
    event.add("dtstart", due.date)
    event.add("dtend", due.date + timedelta(days=1))
    event.add("summary", summary)
    event.add("status", "CANCELLED" if due.annulee else "CONFIRMED")
    event.add("description", description)
    event.add("categories", ["Conventions"])
    event.add("transp", "TRANSPARENT")
    if due.annulee:
        return event  # no reminder of a cancelled deadline
    for days in ALARM_DAYS:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", timedelta(days=-days))
        alarm.add("description", f"Dans {days} jours : {summary}")
        event.add_component(alarm)
    return event


def ics_bytes(deadlines: Sequence[Due]) -> bytes:
    """The iCalendar file of the deadlines."""
    return bytes(calendar_of(deadlines).to_ical())
