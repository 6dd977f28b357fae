"""The paragraphs that introduce a party whose details are blanks, and what each blank holds.

"La Commune de …… sise ……, à …… (……), représentée par ……, …… dûment autorisé(e) … par
délibération du …… du ……", over one paragraph or several ("Représenté(e) par …", "Agissant …"),
followed or not by "Ci-après désigné(e) « la Collectivité »".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from conventum.word.controls import Control
from conventum.word.fields import identifier
from conventum.word.recognition.places import Place, PlaceIndex
from conventum.word.recognition.problems import ImportProblem
from conventum.word.recognition.rewrite import atoms, paragraph_text
from conventum.word.recognition.slots import plain, slot_of

CONTINUATION = re.compile(
    r"^(?:represente|dont (?:le|la|l')|sise?\b|situee?|agissant|dument|domicilie|en vertu|ayant son siege)"
)
HEREAFTER = re.compile(
    r"ci-apr[eè]s,?\s+(?:d[ée]sign[ée]e?s?|d[ée]nomm[ée]e?s?|appel[ée]e?s?)(?:\s*\(e\))?", re.I
)
QUOTED = re.compile(r"[«\"“]\s*([^»\"”]+?)\s*[»\"”]")
ARTICLE = re.compile(r"^(?:la|le|les|l[’'])\s*", re.IGNORECASE)
LOOKAHEAD = 3


@dataclass
class PartyMatch:
    """A party recognised: its paragraphs, its blanks by slot, its "ci-après" names and role."""

    paragraphs: list[etree._Element]
    slots: list[tuple[str, Control]]
    place: Place
    unslotted: list[Control] = field(default_factory=list)
    designations: list[str] = field(default_factory=list)
    hereafter: etree._Element | None = None  # the paragraph holding "Ci-après désigné(e) …"
    role: str = ""
    became: str = ""  # the template's text in the paragraph's place ("{{ collectivite.comparution }}")

    def slot_names(self) -> dict[str, str]:
        """Field name → slot, for every blank of the paragraph."""
        return {control.name: slot for slot, control in self.slots}

    def has(self, *slots: str) -> bool:
        return any(slot in slots for slot, _control in self.slots)

    @property
    def seat(self) -> str:
        """ "ligne" when the town comes before its postal code in brackets (« à Lille (59000) »)."""
        order = [slot for slot, _control in self.slots]
        if (
            "code_postal" in order
            and "commune" in order
            and order.index("commune") < order.index("code_postal")
        ):
            return "ligne"
        return "postale"


def find_parties(
    paragraphs: list[etree._Element], controls: dict[etree._Element, Control], places: PlaceIndex
) -> tuple[list[PartyMatch], list[ImportProblem]]:
    """The parties of a story's paragraphs, named; the problems (no address, one party twice)."""
    found: list[PartyMatch] = []
    taken: set[etree._Element] = set()
    for index, paragraph in enumerate(paragraphs):
        if paragraph in taken:
            continue
        match = _match(paragraphs, index, controls, places)
        if match is not None:
            found.append(match)
            taken.update(match.paragraphs)
    problems = [problem for match in found for problem in _missing(match)]
    problems += _name_roles(found)
    return found, problems


def _match(
    paragraphs: list[etree._Element], index: int, controls: dict[etree._Element, Control], places: PlaceIndex
) -> PartyMatch | None:
    first = paragraphs[index]
    if not any(atom.control for atom in atoms(first, controls)):
        return None
    group = [first]
    for following in paragraphs[index + 1 : index + LOOKAHEAD + 1]:
        if not CONTINUATION.match(plain(paragraph_text(following, controls))):
            break
        group.append(following)
    text = plain(" ".join(paragraph_text(p, controls) for p in group))
    if "represente" not in text:
        return None
    match = PartyMatch(group, [], places.of(first))
    _read_slots(match, controls)
    if not match.has("nom"):
        return None
    _read_hereafter(match, paragraphs[index + len(group) : index + len(group) + LOOKAHEAD], controls)
    return match


def _read_slots(match: PartyMatch, controls: dict[etree._Element, Control]) -> None:
    before, previous = "", None
    for paragraph in match.paragraphs:
        for atom in atoms(paragraph, controls):
            if atom.control is None:
                before += atom.text
                continue
            slot = slot_of(atom.control, before, previous)
            if (
                previous == "nom"
                and len(match.slots) == 1
                and re.fullmatch(r"(?:de|du|d[’'])", before.strip())
            ):
                match.slots[0] = ("nature", match.slots[0][1])  # "…… de ……": a nature, then the name
                slot = "nom"
            if slot is None:
                match.unslotted.append(atom.control)
            else:
                match.slots.append((slot, atom.control))
                previous = slot
            before = ""
        before += " "


def _read_hereafter(
    match: PartyMatch, following: list[etree._Element], controls: dict[etree._Element, Control]
) -> None:
    for paragraph in [match.paragraphs[-1], *following]:
        text = paragraph_text(paragraph, controls)
        found = HEREAFTER.search(text)
        if found:
            rest = text[found.end() :]
            quoted = QUOTED.findall(rest)
            bare = rest.strip(" :,").split(",")[0].strip(" .;")
            match.designations = quoted or ([bare] if bare else [])
            match.hereafter = paragraph
            return
        if text.strip() and paragraph is not match.paragraphs[-1]:
            return


def designation_key(designation: str) -> str:
    """ "la Collectivité" → "collectivite": a role named by its "ci-après"."""
    return identifier(ARTICLE.sub("", designation.strip()))


def _name_roles(found: list[PartyMatch]) -> list[ImportProblem]:
    problems: list[ImportProblem] = []
    by_role: dict[str, PartyMatch] = {}
    for rank, match in enumerate(found, start=1):
        key = designation_key(match.designations[0]) if match.designations else ""
        match.role = key or f"partie_{rank}"
        twin = by_role.get(match.role) or _sharing_blanks(match, by_role.values())
        if twin is not None:
            problems.append(_twice(twin, match))
        by_role[match.role] = match
    return problems


def _sharing_blanks(match: PartyMatch, others: Iterable[PartyMatch]) -> PartyMatch | None:
    names = set(match.slot_names())
    return next((other for other in others if names & set(other.slot_names())), None)


def _twice(first: PartyMatch, second: PartyMatch) -> ImportProblem:
    return ImportProblem(
        "import.partie_en_double",
        f"deux paragraphes semblent présenter la même partie « {first.role} » : {first.place.describe()}"
        f" et {second.place.describe()} ; gardez-en un, ou donnez à chacun son « Ci-après désigné(e) »",
        second.place,
    )


def _missing(match: PartyMatch) -> list[ImportProblem]:
    if match.has("voie", "commune", "code_postal"):
        return []
    return [
        ImportProblem(
            "import.partie_sans_adresse",
            "ce paragraphe présente une partie (nom et représentant à compléter) mais pas son adresse :"
            " ajoutez un blanc après « sis(e) » ou « dont le siège est situé » pour l’adresse",
            match.place,
        )
    ]
