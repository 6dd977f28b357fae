"""What the import understood, for the author: parties, fields, closing, what was left and why."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from conventum.word.recognition.places import Place

ORIGINS = {
    "controle": "contrôle de contenu",
    "fusion": "champ de fusion",
    "blanc": "blanc",
    "surligne": "texte surligné",
    "formulaire": "ancien champ de formulaire",
}
SLOT_WORDS = {
    "nature": "nature",
    "nom": "nom",
    "voie": "adresse",
    "commune": "commune",
    "code_postal": "code postal",
    "representant": "représentant",
    "qualite": "qualité",
    "organe": "organe",
    "date": "date de l’acte",
    "numero": "numéro de l’acte",
}


@dataclass(frozen=True)
class PartyReport:
    """A party recognised: its role, where its paragraph was, what it became, its blanks."""

    role: str
    label: str
    designation: str | dict[str, str] | None
    place: Place
    became: str  # the template's text in its place: "{{ collectivite.comparution }}"
    slots: tuple[tuple[str, str], ...]  # (slot, the blank's label): what each blank held
    mentions: tuple[tuple[Place, str], ...] = ()  # its other mentions (signature block…) and their tag

    def as_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "libelle": self.label,
            "designation": self.designation,
            "lieu": self.place.as_dict(),
            "devient": self.became,
            "blancs": [{"sens": slot, "libelle": label} for slot, label in self.slots],
            "mentions": [{"lieu": place.as_dict(), "devient": tag} for place, tag in self.mentions],
        }


@dataclass(frozen=True)
class FieldReport:
    """A field of the type: its name, kind, the kind of blank it came from, label and places."""

    name: str
    kind: str  # the schema's type: texte, date, choix, booleen, liste
    origin: str  # controle, fusion, blanc, surligne
    label: str
    places: tuple[Place, ...]
    choices: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "nom": self.name,
            "type": self.kind,
            "origine": self.origin,
            "libelle": self.label,
            "choix": list(self.choices),
            "lieux": [place.as_dict() for place in self.places],
        }


@dataclass(frozen=True)
class LeftReport:
    """Something left as it is in the template, and why."""

    what: str
    reason: str
    place: Place | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "quoi": self.what,
            "raison": self.reason,
            "lieu": self.place.as_dict() if self.place else None,
        }


@dataclass(frozen=True)
class ImportReport:
    """Everything the import understood of one Word file."""

    name: str
    source: str
    parties: tuple[PartyReport, ...]
    fields: tuple[FieldReport, ...]
    closing: Place | None = None
    copies: int | None = None
    left: tuple[LeftReport, ...] = ()
    notes: tuple[str, ...] = field(default=())  # merged controls, macros dropped, what check says

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.name,
            "source": self.source,
            "parties": [party.as_dict() for party in self.parties],
            "champs": [item.as_dict() for item in self.fields],
            "cloture": {"lieu": self.closing.as_dict(), "exemplaires": self.copies} if self.closing else None,
            "laisses": [item.as_dict() for item in self.left],
            "remarques": list(self.notes),
        }

    def json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def text(self) -> str:
        """The report as an author reads it in a terminal."""
        lines = [f"Type « {self.name} » importé de {self.source}"]
        lines += _parties_text(self.parties)
        if self.closing:
            copies = f", {self.copies} exemplaire(s)" if self.copies else ""
            lines.append(f"Clôture ({self.closing.describe()}) : devient celle de conventum{copies}")
        lines.append(f"Champs ({len(self.fields)}) :" if self.fields else "Aucun champ simple.")
        for item in self.fields:
            where = "; ".join(place.describe() for place in item.places[:2])
            choices = f" [{', '.join(item.choices)}]" if item.choices else ""
            lines.append(
                f"  - {item.name} ({item.kind}{choices}, {ORIGINS[item.origin]}) « {item.label} » : {where}"
            )
        for left in self.left:
            where = f" — {left.place.describe()}" if left.place else ""
            lines.append(f"Laissé tel quel : {left.what} ({left.reason}){where}")
        lines += [f"Remarque : {note}" for note in self.notes]
        return "\n".join(lines)


def _parties_text(parties: tuple[PartyReport, ...]) -> list[str]:
    if not parties:
        return ["Aucune partie reconnue."]
    lines = []
    for party in parties:
        lines.append(f"Partie « {party.role} » ({party.label}) — {party.place.describe()}")
        lines.append(f"  devient {party.became}")
        held = ", ".join(f"{SLOT_WORDS[slot]} « {label} »" for slot, label in party.slots)
        lines.append(f"  blancs : {held}")
        lines += [f"  suit : {tag} — {place.describe()}" for place, tag in party.mentions]
    return lines
