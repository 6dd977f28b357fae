"""The checks of a term block (``duree``): a length or "indéterminée", renewals that a mode allows, a
notice shorter than a period, a stated end on a period's end and within the renewals allowed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from conventum.issues import Issue
from conventum.model.blocks import Duree
from conventum.model.paths import resolve, value_at
from conventum.terms.resolve import start_of, term_fields, term_of
from conventum.terms.schedule import Schedule, add_months, schedule
from conventum.validation.rules.registry import Facts


def term_block(facts: Facts, path: str, notice_field: str | None) -> Iterator[Issue]:
    """Every issue of the term at ``path``, each with the path of the field to correct."""
    found = value_at(facts.convention, path)
    if not isinstance(found, Duree):
        return
    term = term_of(facts.ctype, facts.convention, path) if path in term_fields(facts.ctype) else found
    shape = list(_shape(term, path))
    yield from shape
    start = start_of(term, facts.convention)
    if shape or start is None or term.indeterminee:
        return
    plan = schedule(term, start, horizon=term.fin)
    if plan.tronque and (
        not plan.periodes or term.reconduction == "aucune" or term.renouvellements is not None
    ):
        yield Issue("dates.hors_calendrier", path, {"debut": start})  # stopped at the calendar's end
        return
    yield from _stated_end(term, plan, path)
    if notice_field is not None and term.preavis_mois is not None:
        end = term.fin or plan.periodes[0].fin
        assert end is not None
        limit = add_months(end, -term.preavis_mois)
        for where, value in resolve(facts.convention, notice_field):
            if isinstance(value, date) and value > limit:
                params = {"date": value, "limite": limit, "preavis_mois": term.preavis_mois}
                yield Issue("dates.preavis_tardif", where, params)


def _shape(term: Duree, path: str) -> Iterator[Issue]:
    """The term's fields agree with each other."""
    length = (term.annees or 0) * 12 + (term.mois or 0)
    if not term.indeterminee and length == 0:
        yield Issue("dates.duree_absente", f"{path}.annees", {})
    if term.indeterminee and length:
        yield Issue("dates.duree_contradictoire", f"{path}.indeterminee", _length(term))
    if term.indeterminee and term.reconduction != "aucune":
        yield Issue("dates.reconduction_sans_terme", f"{path}.reconduction", {"mode": term.reconduction})
    if term.reconduction == "aucune" and term.renouvellements != 0:
        count = "sans limite" if term.renouvellements is None else term.renouvellements
        yield Issue("dates.renouvellement_sans_reconduction", f"{path}.renouvellements", {"nombre": count})
    if term.preavis_mois and length and term.preavis_mois >= length:
        params = {**_length(term), "preavis_mois": term.preavis_mois}
        yield Issue("dates.preavis_trop_long", f"{path}.preavis_mois", params)


def _length(term: Duree) -> dict[str, Any]:
    return {"duree_annees": term.annees, "duree_mois": term.mois}


def _stated_end(term: Duree, plan: Schedule, path: str) -> Iterator[Issue]:
    """A stated end is the end of one of the periods (or the next day), within the renewals allowed."""
    end, start = term.fin, plan.debut
    if end is None or start is None:
        return
    where = f"{path}.fin"
    if end <= start:
        yield Issue("dates.fin_avant_debut", where, {"fin": end, "debut": start})
        return
    ends = [period.fin for period in plan.periodes if period.fin is not None]
    if any(end in (stop, stop + timedelta(days=1)) for stop in ends):
        return
    if plan.fin_definitive is not None and end > plan.fin_definitive + timedelta(days=1):
        params = {"fin": end, "fin_max": plan.fin_definitive, "nombre": term.renouvellements}
        yield Issue("dates.renouvellement_excessif", where, params)
        return
    params = {**_length(term), "debut": start, "fin": end, "attendue": ends[0]}
    yield Issue("dates.fin_incoherente", where, params)
