"""Rules on dates: decisions before signature, meetings in order, terms and notices, no future."""

from __future__ import annotations

import calendar
from collections.abc import Generator, Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from conventum.errors import TemplateError
from conventum.issues import Issue
from conventum.model.blocks import Convention, Partie
from conventum.model.paths import resolve, value_at
from conventum.validation.rules.registry import Facts, RuleFunction, rule
from conventum.validation.rules.terms import term_block


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, on the month's last day when it is shorter.

    >>> add_months(date(2024, 1, 31), 1), add_months(date(2023, 10, 2), 24)
    (datetime.date(2024, 2, 29), datetime.date(2025, 10, 2))
    """
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def signature_date(convention: Convention, party: Partie) -> date | None:
    """The day a party signs: its own signature date, else the convention's."""
    if party.signature is not None and party.signature.date is not None:
        return party.signature.date
    return convention.signature.date if convention.signature is not None else None


def decision_params(party: Partie, index: int) -> dict[str, Any]:
    """The facts of an authorising decision a message names."""
    decision = party.autorisation[index]
    return {
        "decision_nature": decision.nature,
        "decision_organe": decision.organe,
        "decision_date": decision.date,
    }


@rule("dates.autorisation")
def authorisation_before_signature(facts: Facts) -> Iterator[Issue]:
    """Each authorising decision is dated on or before the signature."""
    for index, party in enumerate(facts.convention.parties):
        signed = signature_date(facts.convention, party)
        for rank, decision in enumerate(party.autorisation):
            if signed is not None and decision.date > signed:
                params = {**decision_params(party, rank), "signature": signed}
                path = f"parties[{index}].autorisation[{rank}].date"
                yield Issue("dates.autorisation_apres_signature", path, params)


@rule("dates.passe")
def past_dates(facts: Facts, *, champs: Sequence[str] = ()) -> Iterator[Issue]:
    """Warn when a decision (or a date at one of the given paths) lies after today."""
    for index, party in enumerate(facts.convention.parties):
        for rank, decision in enumerate(party.autorisation):
            if decision.date > facts.today:
                params = {**decision_params(party, rank), "aujourdhui": facts.today}
                path = f"parties[{index}].autorisation[{rank}].date"
                yield Issue("dates.decision_future", path, params, "warning")
    for field in champs:
        for path, value in resolve(facts.convention, field):
            if isinstance(value, date) and value > facts.today:
                params = {"date": value, "aujourdhui": facts.today}
                yield Issue("dates.date_future", path, params, "warning")


def _ordered(code: str, first: str, second: str, relation: str) -> RuleFunction:
    """A check of the dates at ``second``'s path against the one at ``first``'s (value relation reference)."""

    def check(facts: Facts, **paths: str) -> Iterator[Issue]:
        reference = value_at(facts.convention, paths[first])
        if not isinstance(reference, date):
            return
        for path, value in resolve(facts.convention, paths[second]):
            if isinstance(value, date) and not _holds(reference, value, relation):
                yield Issue(code, path, {first: reference, second: value})

    return check


def _holds(reference: date, value: date, relation: str) -> bool:
    if relation == "<=":
        return value <= reference
    return value == reference if relation == "=" else value >= reference


@rule("dates.avis_commission")
def commission_before_meeting(facts: Facts, *, avis: str, seance: str) -> Iterator[Issue]:
    """The commission's opinion is given on or before the assembly's meeting."""
    check = _ordered("dates.avis_apres_seance", "seance", "avis", "<=")
    yield from check(facts, avis=avis, seance=seance)


@rule("dates.deliberation_seance")
def deliberation_on_meeting_day(facts: Facts, *, seance: str, deliberation: str) -> Iterator[Issue]:
    """The délibération bears the date of the meeting that adopted it."""
    check = _ordered("dates.deliberation_hors_seance", "seance", "deliberation", "=")
    yield from check(facts, seance=seance, deliberation=deliberation)


@rule("dates.signature_deliberation")
def signed_after_deliberation(facts: Facts, *, deliberation: str, signature: str) -> Iterator[Issue]:
    """The convention is not signed before the délibération that authorises it."""
    check = _ordered("dates.signature_avant_deliberation", "deliberation", "signature", ">=")
    yield from check(facts, deliberation=deliberation, signature=signature)


def _figure(convention: Convention, value: Any) -> int | None:
    """A rule parameter given as a number, or as ``{champ: path}`` read from the data."""
    if isinstance(value, dict):
        if "champ" not in value:
            raise TemplateError(
                f"paramètre de règle invalide : {value} (attendu : un nombre ou {{champ: …}})"
            )
        value = value_at(convention, value["champ"])
    if value is None or isinstance(value, bool):
        return None
    return int(value)


@rule("dates.duree")
def term(  # noqa: PLR0913 - the parameters are the names a type's YAML gives
    facts: Facts,
    *,
    terme: str | None = None,
    debut: str | None = None,
    fin: str | None = None,
    duree_annees: Any = None,
    duree_mois: Any = None,
    renouvellements: Any = 0,
    preavis_mois: Any = None,
    date_preavis: str | None = None,
) -> Iterator[Issue]:
    """End, renewals and notice deadline are coherent with the start and the term.

    With ``terme``, the term is the ``duree`` block at that path (the type's term field); else it is
    read from the separate paths and figures of the other parameters.
    """
    if terme is not None:
        yield from term_block(facts, terme, date_preavis)
        return
    convention = facts.convention
    start = value_at(convention, debut) if debut else None
    years, months = _figure(convention, duree_annees), _figure(convention, duree_mois)
    length = (years or 0) * 12 + (months or 0)
    if not isinstance(start, date) or length <= 0:
        return
    renewals = _figure(convention, renouvellements) or 0
    try:
        ends = [add_months(start, length * (k + 1)) for k in range(renewals + 1)]
    except ValueError:  # past the calendar's last year
        yield Issue("dates.hors_calendrier", debut or "", {"debut": start})
        return
    shown = {"debut": start, "duree_annees": years, "duree_mois": months}
    end = yield from _check_end(convention, fin, ends, shown)
    notice = _figure(convention, preavis_mois)
    if end is not None and notice is not None and date_preavis is not None:
        yield from _check_notice(convention, date_preavis, add_months(end, -notice), notice)


def _check_end(
    convention: Convention, fin: str | None, ends: list[date], shown: dict[str, Any]
) -> Generator[Issue, None, date | None]:
    """The stated end is one of the term's ends (the anniversary or the day before); returns it if so."""
    found = resolve(convention, fin) if fin else []
    if not found or not isinstance(found[0][1], date):
        return ends[0]
    path, end = found[0][0], found[0][1]
    assert isinstance(end, date)
    if end <= shown["debut"]:
        yield Issue("dates.fin_avant_debut", path, {"fin": end, "debut": shown["debut"]})
        return None
    if not any(end in (stop, stop - timedelta(days=1)) for stop in ends):
        expected = ends[0] - timedelta(days=1)
        yield Issue("dates.fin_incoherente", path, {**shown, "fin": end, "attendue": expected})
        return None
    return end


def _check_notice(convention: Convention, field: str, limit: date, months: int) -> Iterator[Issue]:
    for path, value in resolve(convention, field):
        if isinstance(value, date) and value > limit:
            params = {"date": value, "limite": limit, "preavis_mois": months}
            yield Issue("dates.preavis_tardif", path, params)
