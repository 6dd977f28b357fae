"""The acts a party signs by: its authorisation ("par délibération n°… du conseil municipal du …")
and the act of a delegation ("l’arrêté n°2024-15 du 3 mars 2024").

>>> from datetime import date
>>> from conventum.model.blocks import Autorisation
>>> one = Autorisation(
...     organe="conseil-municipal", nature="deliberation", date=date(2026, 2, 12), numero="2026-015")
>>> authorisation_phrase([one], "commune").replace("\\u00a0", " ")
'par délibération n°2026-015 du conseil municipal du 12 février 2026'
>>> cp = Autorisation(organe="commission-permanente", nature="deliberation", date=date(2023, 9, 18))
>>> authorisation_phrase([cp], "departement").replace("\\u00a0", " ")
'par délibération de la Commission permanente du Conseil départemental du 18 septembre 2023'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Protocol

from conventum.french.formatting import format_date, join_words
from conventum.french.grammar import DECISION_WORDS, of_noun, organ_phrase, with_article

# The organs whose name says whose they are ("le conseil municipal"): an act of another organ
# ("le conseil d’administration") names its body after it where several parties have one.
SELF_NAMING_ORGANS = (
    "conseil-municipal",
    "conseil-communautaire",
    "conseil-metropolitain",
    "conseil-departemental",
    "conseil-regional",
    "commission-permanente",
)
# The assembly a commission permanente (or a bureau) belongs to, named in full after it.
PARENT_ASSEMBLIES = {"departement": "Conseil départemental", "region": "Conseil régional"}
DELEGATED_ORGANS = ("commission-permanente",)


def full_organ(organe: str, nature: str | None) -> str:
    """The organ with its article, and its assembly where it is a part of one.

    >>> full_organ("commission-permanente", "region"), full_organ("conseil-municipal", "commune")
    ('la Commission permanente du Conseil régional', 'le conseil municipal')
    """
    organ = organ_phrase(organe)
    parent = PARENT_ASSEMBLIES.get(nature or "") if organe in DELEGATED_ORGANS else None
    return f"{organ} du {parent}" if parent else organ


def numbered(numero: str | None) -> str:
    """ " n°2026-015", or "" without a number; a "n°" typed by the clerk is not doubled.

    >>> numbered("n° 2024-15"), numbered("2024-15"), numbered(None)
    (' n°2024-15', ' n°2024-15', '')
    """
    if not numero:
        return ""
    return " n°" + re.sub(r"^\s*(?:n°|no\.?|n\.|numéro)\s*", "", numero.strip(), flags=re.IGNORECASE)


def _when(day: date) -> str:
    return f"du {format_date(day)}"


class Decision(Protocol):
    """What an act needs to be written: nature, organ, date, number (an Autorisation block)."""

    @property
    def nature(self) -> str: ...
    @property
    def organe(self) -> str: ...
    @property
    def date(self) -> date: ...
    @property
    def numero(self) -> str | None: ...


def authorisation_phrase(decisions: Sequence[Decision], nature: str | None) -> str:
    """ "par délibération n°2026-015 du conseil municipal du 12 février 2026", one act or several.

    Acts of one nature and organ are written together ("par délibérations du comité syndical
    n°2022-03 du 19 janvier 2022 et du 2 février 2023"); others each with their own words.
    """
    if not decisions:
        return ""
    groups: list[list[Decision]] = []
    for decision in decisions:
        if groups and (groups[-1][0].nature, groups[-1][0].organe) == (decision.nature, decision.organe):
            groups[-1].append(decision)
        else:
            groups.append([decision])
    return " et ".join(_group_phrase(group, nature) for group in groups)


def _group_phrase(group: Sequence[Decision], nature: str | None) -> str:
    first = group[0]
    word = DECISION_WORDS[first.nature][0]
    organ = of_noun(full_organ(first.organe, nature))
    if len(group) == 1:
        return f"par {word}{numbered(first.numero)} {organ} {_when(first.date)}"
    acts = join_words([f"{numbered(d.numero).strip()} {_when(d.date)}".strip() for d in group])
    return f"par {word}s {organ} {acts}"


def named_act(decision: Decision, nature: str | None, body: str = "") -> str:
    """ "la délibération n°2025-498 de la Commission permanente du Conseil départemental du 8 décembre 2025".

    >>> from conventum.model.blocks import Autorisation
    >>> act = Autorisation(organe="conseil-municipal", nature="deliberation", date=date(2026, 2, 12))
    >>> named_act(act, "commune").replace("\u00a0", " ")
    'la délibération du conseil municipal du 12 février 2026'

    ``body`` names whose organ it is, after it ("du CdG62"), unless the organ says it already
    ("du conseil municipal").
    """
    noun, gender = DECISION_WORDS[decision.nature]
    owner = f" {body}" if body and decision.organe not in SELF_NAMING_ORGANS else ""
    organ = of_noun(full_organ(decision.organe, nature)) + owner
    return f"{with_article(noun, gender)}{numbered(decision.numero)} {organ} {_when(decision.date)}"


def act_phrase(nature: str, numero: str | None, day: date | None) -> str:
    """ "l’arrêté n°2024-15 du 3 mars 2024", as much of it as is known ("" when nothing is).

    >>> act_phrase("arrete", "2024-15", date(2024, 3, 3)).replace("\\u00a0", " ")
    'l’arrêté n°2024-15 du 3 mars 2024'
    >>> act_phrase("arrete", None, None)
    ''
    """
    if numero is None and day is None:
        return ""
    noun, gender = DECISION_WORDS[nature]
    return with_article(noun, gender) + numbered(numero) + (f" {_when(day)}" if day else "")


# The words a number may open with, and the nature each says: "ARR-2024-15" is an arrêté.
NUMBER_NATURES = {
    "arrete": ("arr", "arrete", "arrêté", "ar"),
    "deliberation": ("del", "delib", "deliberation", "délibération", "dl", "dcm", "dcc", "dcs"),
    "decision": ("dec", "decision", "décision", "dp"),
}
_OPENING_WORD = re.compile(r"^\s*(?:n°\s*)?([A-Za-zÀ-ÿ]+)[\s._/-]*\d")


def nature_of_number(numero: str) -> str | None:
    """The nature an act's number announces by its prefix, or None when it says none.

    >>> nature_of_number("ARR-2024-15"), nature_of_number("DEL2026_015"), nature_of_number("2026-015")
    ('arrete', 'deliberation', None)
    """
    match = _OPENING_WORD.match(numero)
    if not match:
        return None
    word = match.group(1).casefold()
    for nature, prefixes in NUMBER_NATURES.items():
        if word in prefixes:
            return nature
    return None
