"""Rules on the parties: how many of each role."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from conventum.catalogue import ConventionType
from conventum.issues import Issue
from conventum.models import Convention
from conventum.rules import rule


@rule("parties.roles")
def role_counts(convention: Convention, *, ctype: ConventionType, **_: Any) -> Iterator[Issue]:
    """Each role the type declares appears between its min and max times."""
    for role in ctype.roles:
        count = sum(1 for party in convention.parties if party.role == role.role)
        upper = role.max if role.max is not None else "∞"
        if count == 0 and role.min > 0:
            yield Issue("parties.role_missing", "parties", {"role": role.role, "label": role.libelle})
        elif count < role.min or (role.max is not None and count > role.max):
            params = {"role": role.role, "label": role.libelle, "min": role.min, "max": upper, "count": count}
            yield Issue("parties.role_count", "parties", params)
