"""The phrases of a délibération and of its rapport (conventum/seance.py), as calculators."""

from __future__ import annotations

from typing import Any

from conventum.context.calculations.registry import calculation
from conventum.model.blocks import Convention
from conventum.model.catalogue import ConventionType
from conventum.seance.phrases import deliberation_context, rapport_context

MEETING = ("assemblee", "reunion", "objet", "commission", "imputations", "convention")


@calculation(
    "deliberation",
    reads=(
        *MEETING,
        *("presidence", "secretaire", "presents", "excuses", "absents", "assistants_sans_voix"),
        *("excuses_sans_voix", "visas", "interesses", "pouvoirs", "articles", "vote", "signataire_delegue"),
    ),
)
def deliberation(convention: Convention, *, ctype: ConventionType) -> dict[str, Any]:
    """Attendance lists, visas, articles, vote and outcome, "Fait à …" of a délibération."""
    return deliberation_context(convention)


@calculation(
    "rapport",
    reads=(*MEETING, "avis", "pole", "direction", "service", "territoires", "cantons", "epci", "corps"),
)
def rapport(convention: Convention, *, ctype: ConventionType) -> dict[str, Any]:
    """Services, places, text and the commission's opinion of a rapport."""
    return rapport_context(convention)
