"""Who votes in a délibération, the way the law counts them (CGCT L.2121-20, L.3121-14, L.4132-13).

Members present vote, except those who take no part (intéressés à l’affaire); members
absent vote through a pouvoir given to a member present (one pouvoir per mandataire).
Without pouvoirs given as data, an absent or excused member counts as represented unless
named "sans délégation de vote" (the seeds' practice, which lists only those).
présents votants + représentés = votants = pour + contre + abstentions.

>>> data = {"presents": ["a", "b", "c"], "excuses": ["d"], "absents": ["e"],
...         "interesses": {"sans_participation": ["c"]},
...         "pouvoirs": [{"mandant": "d", "mandataire": "a"}], "vote": {}}
>>> tally(data)
Tally(presents=3, non_participants=1, represented=1, voters=3, by_proxy=True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Tally:
    """The figures of a vote's attendance: who was there, who took no part, who was represented."""

    presents: int
    non_participants: int
    represented: int
    voters: int
    by_proxy: bool  # the pouvoirs were given as data (else represented is inferred)


def _keys(value: Any) -> list[str]:
    return [str(item) for item in value or [] if isinstance(item, str)]


def tally(data: dict[str, Any]) -> Tally:
    """The attendance figures of a délibération's data (plain values, as validated)."""
    presents = _keys(data.get("presents"))
    interested = data.get("interesses") or {}
    apart = [key for key in _keys(interested.get("sans_participation")) if key in presents]
    proxies = [p for p in data.get("pouvoirs") or [] if isinstance(p, dict)]
    if proxies:
        represented = len(proxies)
    else:
        # A member listed twice (reported by seance.membres) counts once, present first.
        away = len(set(_keys(data.get("excuses")) + _keys(data.get("absents"))) - set(presents))
        represented = max(away - without_delegation(data), 0)
    voting = len(presents) - len(apart)
    return Tally(len(presents), len(apart), represented, voting + represented, bool(proxies))


def without_delegation(data: dict[str, Any]) -> int:
    """The absents without delegation of their vote: the figure given, else the members named."""
    absents = (data.get("vote") or {}).get("absents_sans_delegation") or {}
    figure = absents.get("voix")
    return int(figure) if isinstance(figure, int) else len(_keys(absents.get("membres")))


def cast(vote: dict[str, Any]) -> int:
    """Pour + contre + abstentions: the votes the délibération states."""
    return sum(int((vote.get(name) or {}).get("voix") or 0) for name in ("pour", "contre", "abstention"))
