"""Rules on votes: figures non-negative, no more voters than members entitled, result matching."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from conventum.issues import Issue
from conventum.model.paths import resolve, value_at
from conventum.validation.rules.registry import Facts, rule

ADOPTED = ("adopte", "adoptee", "adopté", "adoptée", "oui")


@rule("votes.decompte")
def vote_count(  # noqa: PLR0913 - one keyword per path a type's YAML may name
    facts: Facts,
    *,
    vote: str,
    membres: str | Sequence[Any] | Mapping[str, Any] | None = None,
    pour: str = "pour",
    contre: str = "contre",
    abstention: str = "abstention",
    resultat: str | None = "resultat",
    adopte: Sequence[Any] = ADOPTED,
    non_participants: str | None = None,
) -> Iterator[Issue]:
    """A vote's figures are ≥ 0, add up to the members entitled, and match "Adopté".

    ``membres`` counts the members entitled (see ``head_count``); as ``{compte: …, moins: …}``
    it counts some and takes others away (those absent without delegation of their vote).
    For, against, abstentions and those who took no part (``non_participants``, a number or
    a list of members, under the vote) must make exactly the members entitled: more is
    ``votes.total_excessif``, fewer ``votes.total_incomplet``.
    """
    names = (pour, contre, abstention) + ((non_participants,) if non_participants else ())
    for path, ballot in resolve(facts.convention, vote):
        figures = {name: _figure(value_at(ballot, name)) for name in names}
        counted = {name: value for name, value in figures.items() if isinstance(value, int)}
        negative = [name for name, value in counted.items() if value < 0]
        for name in negative:
            yield Issue("votes.chiffre_negatif", f"{path}.{name}", {"chiffre": counted[name]})
        if negative:
            continue
        entitled = _entitled(facts.convention, membres) if membres else None
        total = sum(counted.values())
        if entitled is not None and total > entitled:
            yield Issue("votes.total_excessif", path, {"votants": total, "membres": entitled})
        elif entitled is not None and total < entitled:
            params = {"votants": total, "membres": entitled, "ecart": entitled - total}
            yield Issue("votes.total_incomplet", path, params)
        yield from _result(ballot, path, counted.get(pour, 0), counted.get(contre, 0), resultat, adopte)


def _figure(value: Any) -> Any:
    """A figure: a number, or a list of members counted by its length."""
    return len(value) if isinstance(value, list) else value


def _entitled(root: Any, membres: str | Sequence[Any] | Mapping[str, Any]) -> int | None:
    if not isinstance(membres, Mapping):
        return head_count(root, membres)
    counted = head_count(root, membres.get("compte") or ())
    return None if counted is None else counted - (head_count(root, membres.get("moins") or ()) or 0)


def head_count(root: Any, where: str | Sequence[Any]) -> int | None:
    """How many members the paths name: a number counts as itself, a list as its length.

    ``where`` is a path or a list of items, added up; an item that is itself a list of paths
    counts its first path present ("the figure given, else the members named").

    >>> data = {"presents": ["a", "b"], "excuses": ["c"], "absents": {"voix": None, "membres": ["c"]}}
    >>> head_count(data, ["presents", "excuses"]), head_count(data, [["absents.voix", "absents.membres"]])
    (3, 1)
    >>> head_count(data, "nulle_part") is None
    True
    """
    items = [where] if isinstance(where, str) else list(where)
    total: int | None = None
    named: set[str] = set()  # a member named in two lists counts once (the double is reported apart)
    for item in items:
        for path in [item] if isinstance(item, str) else item:
            value = value_at(root, path)
            if isinstance(value, (int, list)) and not isinstance(value, bool):
                total = (total or 0) + (value if isinstance(value, int) else _new_members(value, named))
                break
    return total


def _new_members(members: list[Any], named: set[str]) -> int:
    count = 0
    for member in members:
        if not isinstance(member, str) or member not in named:
            count += 1
        if isinstance(member, str):
            named.add(member)
    return count


def _result(
    ballot: Any, path: str, yes: int, no: int, field: str | None, adopted: Sequence[Any]
) -> Iterator[Issue]:
    """The stated result matches the figures: adopted when more for than against."""
    stated = value_at(ballot, field) if field else None
    if stated is None or yes == no:
        return
    says_adopted = stated is True or (isinstance(stated, str) and stated.strip().lower() in adopted)
    if says_adopted != (yes > no):
        params = {"resultat": str(stated), "pour": yes, "contre": no}
        yield Issue("votes.resultat_incoherent", f"{path}.{field}", params)
