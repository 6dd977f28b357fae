"""Where an issue belongs: the party or section of the convention it concerns, and its French heading."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from conventum.french.grammar import capitalise, denomination, vocabulary
from conventum.issues import Issue
from conventum.model.building import label_of
from conventum.model.catalogue import ConventionType

GENERAL = "général"
HEADINGS = {"parties": "Parties", "signature": "Signature", "annexes": "Annexes", GENERAL: "Général"}


def section_of(path: str) -> str:
    """The key an issue is grouped under: its party, else its top-level field.

    >>> section_of("parties[2].representant.qualite"), section_of("budget[0].solde"), section_of("")
    ('parties[2]', 'budget', 'général')
    """
    if path.startswith("parties["):
        return path.split("]", 1)[0] + "]"
    return path.split(".", 1)[0].split("[", 1)[0] or GENERAL


def grouped(issues: Iterable[Issue]) -> list[tuple[str, list[Issue]]]:
    """Issues by section: the parties in their order first, then the other sections; errors first."""
    groups: dict[str, list[Issue]] = {}
    for issue in issues:
        groups.setdefault(section_of(issue.path), []).append(issue)
    ordered = sorted(groups.items(), key=lambda item: _rank(item[0]))
    return [(key, sorted(items, key=lambda i: i.severity != "error")) for key, items in ordered]


def _rank(key: str) -> tuple[int, int]:
    if key.startswith("parties["):
        return (0, int(key[8:-1]))
    return (1 if key == "parties" else 2, 0)


def heading(key: str, *, data: Mapping[str, Any] | None = None, ctype: object = None) -> str:
    """A section's French heading: "Partie n°1 (L’adhérent) : le Département du Pas-de-Calais"."""
    if not isinstance(ctype, ConventionType):
        ctype = None
    if key.startswith("parties["):
        return _party_heading(int(key[8:-1]), data or {}, ctype)
    if key in HEADINGS:
        return HEADINGS[key]
    return capitalise(label_of(ctype.model, (key,))) if ctype is not None else key


def _party_heading(index: int, data: Mapping[str, Any], ctype: ConventionType | None) -> str:
    parties = data.get("parties")
    party = parties[index] if isinstance(parties, Sequence) and index < len(parties) else None
    title = f"Partie n°{index + 1}"
    if not isinstance(party, Mapping):
        return title
    role = ctype.role(str(party.get("role"))) if ctype is not None else None
    if role is not None:
        title += f" ({role.libelle})"
    nature, name = party.get("nature"), party.get("nom")
    if isinstance(nature, str) and nature in vocabulary()["natures"] and isinstance(name, str) and name:
        liaison, article = party.get("liaison"), party.get("article")
        title += " : " + denomination(  # the heading of raw data: values of another shape left out
            nature,
            name,
            liaison=liaison if isinstance(liaison, str) else None,
            article=article if isinstance(article, (str, int)) and not isinstance(article, bool) else None,
        )
    return title


def field_title(path: str, ctype: object = None) -> str:
    """A field as the clerk reads it under its section's heading (the party, or the type's field):
    "Adresse › Code postal", "Services à la carte n°1 › Quantité"; the path itself without a type.

    >>> from conventum.model.catalogue import load_type
    >>> field_title("parties[0].adresse.code_postal", load_type("adhesion-centrale-achats"))
    'Adresse › Code postal'
    """
    if not isinstance(ctype, ConventionType) or not path:
        return path
    location = tuple(int(part) if part.isdigit() else part for part in re.findall(r"[^.\[\]]+", path))
    if not location or location[0] not in ctype.model.model_fields:  # an avenant's own keys, say
        return path
    first = 2 if len(location) > 2 and location[0] == "parties" and isinstance(location[1], int) else 1
    words: list[str] = []
    for end in range(first, len(location)):
        part = location[end]
        if isinstance(part, int):
            if words:
                words[-1] += f" n°{part + 1}"
            continue
        label = label_of(ctype.model, location[: end + 1])
        if label == part:  # a key the type does not have: its path says it
            return path
        words.append(capitalise(label))
    return " › ".join(words) or capitalise(label_of(ctype.model, location))
