"""Rules across a dossier: the délibération, the rapport and the convention state the same facts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from conventum.issues import Issue
from conventum.model.paths import resolve
from conventum.validation.rules.registry import Facts, rule


@rule("dossier.concordance")
def same_facts(facts: Facts, *, champs: Sequence[Sequence[str]]) -> Iterator[Issue]:
    """Each group of paths (title, parties, amounts, dates in each document) holds one value."""
    for group in champs:
        found = [(path, value) for field in group for path, value in resolve(facts.convention, field)]
        if not found:
            continue
        first_path, first = found[0]
        for path, value in found[1:]:
            if _comparable(value) != _comparable(first):
                params = {"valeur": value, "reference": first, "champ_reference": first_path}
                yield Issue("dossier.discordance", path, params)


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    return value
