"""The coordinator of a groupement de commandes: the member the field ``coordonnateur`` names."""

from __future__ import annotations

from typing import Any

from conventum.context.calculations.registry import calculation
from conventum.context.parties import party_view
from conventum.errors import CalculationError
from conventum.french.grammar import denomination, normalise_key
from conventum.issues import Issue
from conventum.model.blocks import Convention, Partie
from conventum.model.catalogue import ConventionType


def member_names(party: Partie) -> set[str]:
    """The names a clerk may use for a member: its name, designation or full denomination."""
    names = {party.nom, denomination(party.nature, party.nom, liaison=party.liaison, article=party.article)}
    if party.designation:
        names.add(party.designation)
    return {normalise_key(name) for name in names}


def find_coordinator(convention: Convention, role: str, field: str) -> tuple[int, Partie] | None:
    """The (rank, member) the field names, rank counted among the role's parties from 1."""
    wanted = normalise_key(str(getattr(convention, field)))
    members = [party for party in convention.parties if party.role == role]
    for rank, party in enumerate(members, start=1):
        if wanted in member_names(party):
            return rank, party
    return None


def coordinator_issue(convention: Convention, role: str, field: str) -> Issue:
    """The issue saying the field names no member, with the names it could take."""
    choices = [party.nom for party in convention.parties if party.role == role]
    return Issue(
        "groupement.coordonnateur_inconnu", field, {"value": getattr(convention, field), "choices": choices}
    )


@calculation("coordonnateur", reads=("coordonnateur",))
def coordinator(
    convention: Convention, *, ctype: ConventionType, role: str = "membre", champ: str = "coordonnateur"
) -> dict[str, Any]:
    """Context key ``coordonnateur_partie``: the coordinating member as templates write a party."""
    found = find_coordinator(convention, role, champ)
    if found is None:
        raise CalculationError([coordinator_issue(convention, role, champ)])
    rank, party = found
    count = sum(1 for p in convention.parties if p.role == role)
    return {"coordonnateur_partie": party_view(ctype, party, rank, count, convention.signature)}
