"""Rules on votes: figures non-negative, no more voters than members entitled, result matching."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from conventum.issues import Issue
from conventum.rules import Facts, rule
from conventum.rules.paths import resolve, value_at

ADOPTED = ("adopte", "adoptee", "adopté", "adoptée", "oui")


@rule("votes.decompte")
def vote_count(
    facts: Facts,
    *,
    vote: str,
    membres: str | None = None,
    pour: str = "pour",
    contre: str = "contre",
    abstention: str = "abstention",
    resultat: str | None = "resultat",
    adopte: Sequence[Any] = ADOPTED,
) -> Iterator[Issue]:
    """A vote's figures are ≥ 0, add up to at most the members entitled, and match "Adopté"."""
    for path, ballot in resolve(facts.convention, vote):
        figures = {name: value_at(ballot, name) for name in (pour, contre, abstention)}
        counted = {name: value for name, value in figures.items() if isinstance(value, int)}
        negative = [name for name, value in counted.items() if value < 0]
        for name in negative:
            yield Issue("votes.chiffre_negatif", f"{path}.{name}", {"chiffre": counted[name]})
        if negative:
            continue
        entitled = value_at(facts.convention, membres) if membres else None
        if isinstance(entitled, int) and sum(counted.values()) > entitled:
            params = {"votants": sum(counted.values()), "membres": entitled}
            yield Issue("votes.total_excessif", path, params)
        yield from _result(ballot, path, counted.get(pour, 0), counted.get(contre, 0), resultat, adopte)


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
