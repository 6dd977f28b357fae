"""A convention's term as its type declares it: the ``duree`` field, its writing, its start date."""

from __future__ import annotations

from datetime import date
from typing import Any

from conventum.model.blocks import Convention, Duree
from conventum.model.catalogue import ConventionType
from conventum.model.specs import TermSpec
from conventum.terms.wording import Writing


def term_fields(ctype: ConventionType) -> dict[str, TermSpec]:
    """The type's fields of type ``duree`` (usually one, ``duree``), with how each is completed."""
    return {name: spec.term for name, spec in ctype.fields.items() if spec.term is not None}


def term_of(ctype: ConventionType, convention: Convention, name: str) -> Duree:
    """The term in the data, completed by the fields the schema names.

    With ``reconduction_champ``, the renewal mode is that field's value; with ``debut_champ``, a date
    in that field is the start (the term's own date, if it has one, prevails).
    """
    term = getattr(convention, name)
    assert isinstance(term, Duree)
    spec = term_fields(ctype)[name]
    update: dict[str, Any] = {}
    chosen = getattr(convention, spec.renewal_field, None) if spec.renewal_field else None
    if chosen is not None and chosen != term.reconduction:
        update["reconduction"] = chosen
    start = getattr(convention, spec.start_field, None) if spec.start_field else None
    if isinstance(start, date) and not isinstance(term.debut, date):
        update["debut"] = start
    return term.model_copy(update=update) if update else term


def writing_of(ctype: ConventionType, name: str) -> Writing:
    """How the type writes its numbers: ``lettres`` ("deux (2) ans", the default) or ``chiffres``."""
    return term_fields(ctype)[name].writing


def signed_on(convention: Convention) -> date | None:
    """The day the convention is signed by all: the latest signature date, if every party's is known."""
    shared = convention.signature.date if convention.signature is not None else None
    dates = [
        party.signature.date if party.signature and party.signature.date else shared
        for party in convention.parties
    ]
    if not dates and shared is not None:
        return shared
    if not dates or any(day is None for day in dates):
        return None
    return max(day for day in dates if day is not None)


def start_of(term: Duree, convention: Convention, notified: date | None = None) -> date | None:
    """The first day of the term: its date, the signature's, or the notification's (given apart)."""
    if isinstance(term.debut, date):
        return term.debut
    if term.debut == "signature":
        return signed_on(convention)
    return notified
