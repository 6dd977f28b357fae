"""The words of a term article: "deux (2) ans, renouvelable une (1) fois pour une nouvelle durée de
deux (2) ans" (``lettres``, seed 002) or "3 ans puis renouvelée par tacite reconduction" (``chiffres``,
seed 003)."""

from __future__ import annotations

from typing import Any, Literal

from conventum.french.formatting import format_date, number_with_words
from conventum.model.blocks import Duree

Writing = Literal["lettres", "chiffres"]


def quantity(value: int, unit: str, writing: Writing, *, feminine: bool = False) -> str:
    """ "deux (2) ans" or "2 ans"; "un (1) an", "une (1) fois".

    >>> quantity(2, "ans", "lettres"), quantity(3, "ans", "chiffres"), quantity(1, "an", "lettres")
    ('deux (2) ans', '3 ans', 'un (1) an')
    """
    if writing == "chiffres":
        return f"{value} {unit}"
    return number_with_words(value, unit, feminine=feminine)


def length_words(years: int | None, months: int | None, writing: Writing) -> str:
    """ "deux (2) ans", "un (1) an et six (6) mois", "18 mois".

    >>> length_words(1, 6, "lettres")
    'un (1) an et six (6) mois'
    """
    parts = [quantity(years, "an" if years == 1 else "ans", writing)] if years else []
    parts += [quantity(months, "mois", writing)] if months else []
    return " et ".join(parts)


def _renewal(term: Duree, length: str, writing: Writing) -> str:
    """The words after the length: how the convention is renewed, if it is."""
    if term.reconduction == "aucune" or term.renouvellements == 0:
        return ""
    if term.renouvellements is None:
        if term.reconduction == "tacite":
            return " puis renouvelée par tacite reconduction jusqu’à dénonciation de l’une des parties"
        return " puis renouvelable par décision expresse des parties, sans limite de nombre"
    times = quantity(term.renouvellements, "fois", writing, feminine=True)
    each = " chacune" if term.renouvellements > 1 else ""
    return f", renouvelable {times} pour une nouvelle durée de {length}{each}"


def term_words(term: Duree, writing: Writing = "lettres") -> dict[str, Any]:
    """The phrases a template writes the term with, besides the term's own data.

    ``texte`` follows "conclue pour une durée": "de deux (2) ans, renouvelable une (1) fois pour une
    nouvelle durée de deux (2) ans", or "indéterminée"; ``preavis``: "trois (3) mois";
    ``entree_en_vigueur``: "à compter de la date de sa notification", "le 1er janvier 2025".

    >>> term_words(Duree(annees=2, reconduction="tacite", renouvellements=1))["texte"]
    'de deux (2) ans, renouvelable une (1) fois pour une nouvelle durée de deux (2) ans'
    """
    length = length_words(term.annees, term.mois, writing)
    text = "indéterminée" if term.indeterminee else f"de {length}{_renewal(term, length, writing)}"
    notice = quantity(term.preavis_mois, "mois", writing) if term.preavis_mois is not None else ""
    if isinstance(term.debut, str):
        start = f"à compter de la date de sa {term.debut}"
    else:
        start = f"le {format_date(term.debut)}"
    return {
        **term.model_dump(mode="python"),
        "duree": length,
        "texte": text,
        "preavis": notice,
        "entree_en_vigueur": start,
        "renouvelable": term.reconduction != "aucune" and term.renouvellements != 0,
    }
