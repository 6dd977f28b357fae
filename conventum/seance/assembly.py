"""An assembly's members, groups and officers, read from data files, and the lists written from them.

>>> members = {"a": {"civilite": "Monsieur", "prenom": "René", "nom": "HOCQ"},
...            "b": {"civilite": "Madame", "prenom": "Sylvie", "nom": "MEYFROIDT"}}
>>> attendance([MemberRef("a", members["a"]), MemberRef("b", members["b"])])
'M.\xa0René HOCQ, Mme\xa0Sylvie MEYFROIDT'
>>> interested_phrase([MemberRef("b", members["b"])], excused=True)[:60]
'Madame Sylvie MEYFROIDT, intéressée à l’affaire et excusée, '
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from conventum.french.formatting import join_words
from conventum.french.grammar import agree

ABBREVIATIONS = {"Monsieur": "M.", "Madame": "Mme"}


@dataclass(frozen=True)
class MemberRef:
    """One elected member, by key, with civilité, prénom and nom."""

    key: str
    data: dict[str, Any]

    @property
    def feminine(self) -> bool:
        return str(self.data["civilite"]) == "Madame"

    @property
    def name(self) -> str:
        return f"{self.data['prenom']} {self.data['nom']}"

    @property
    def short(self) -> str:
        # "M." and "Mme" held to the name by a no-break space: never alone at a line's end.
        return f"{ABBREVIATIONS[self.data['civilite']]}\u00a0{self.name}"

    @property
    def full(self) -> str:
        return f"{self.data['civilite']} {self.name}"


_TITLE_HEAD = re.compile(
    r"^(?:(Le|LE|le) )?(Vice-[Pp]résident|VICE-PRESIDENT|Président|PRESIDENT|PRÉSIDENT)\b"
)


def agreed_title(title: str, feminine: bool) -> str:
    """An assembly's title ("Le Président du Conseil départemental") agreed with the person holding it.

    >>> agreed_title("Le Président du Conseil départemental", True)
    'La Présidente du Conseil départemental'
    >>> agreed_title("LE PRESIDENT DU CONSEIL DEPARTEMENTAL", True), agreed_title("Président", False)
    ('LA PRESIDENTE DU CONSEIL DEPARTEMENTAL', 'Président')
    """
    if not feminine:
        return title

    def feminise(match: re.Match[str]) -> str:
        article = {"Le": "La ", "LE": "LA ", "le": "la "}.get(match.group(1) or "", "")
        noun = match.group(2)
        return article + noun + ("E" if noun.isupper() else "e")

    return _TITLE_HEAD.sub(feminise, title, count=1)


def member(assembly: dict[str, Any], key: str) -> MemberRef:
    """The member of that key (KeyError if unknown: the rules report unknown keys first)."""
    return MemberRef(key, assembly["membres"][key])


def members(assembly: dict[str, Any], keys: Iterable[str]) -> list[MemberRef]:
    """Several members, in the order given."""
    return [member(assembly, key) for key in keys]


def attendance(people: Sequence[MemberRef]) -> str:
    """An attendance list: "M. Jean-Claude LEROY, Mme Mireille HINGREZ-CÉRÉDA"."""
    return ", ".join(person.short for person in people)


def group_gender(people: Sequence[MemberRef]) -> str:
    """French agreement of a group: feminine only when every one is a woman."""
    return "f" if people and all(person.feminine for person in people) else "m"


def _named(people: Sequence[MemberRef], *, follows: bool) -> str:
    """ "Madame X" / "Messieurs A et B"; lower-case title when it follows another group."""
    women = people[0].feminine
    if len(people) == 1:
        title = "Madame" if women else "Monsieur"
        return f"{title} {people[0].name}" if not follows else f"{title.lower()} {people[0].name}"
    title = "Mesdames" if women else "Messieurs"
    title = title.lower() if follows else title
    names = [person.name for person in people]
    return f"{title} {join_words(names)}"


def named_members(people: Sequence[MemberRef]) -> str:
    """Men first, then women: "Messieurs A, B, ainsi que mesdames C et D"."""
    men = [person for person in people if not person.feminine]
    women = [person for person in people if person.feminine]
    if not men or not women:
        return _named(men or women, follows=False)
    first = _named(men, follows=False)
    if len(men) > 1:
        first = "Messieurs " + ", ".join(person.name for person in men)
    return f"{first}, ainsi que {_named(women, follows=True)}"


def interested_phrase(people: Sequence[MemberRef], *, excused: bool) -> str:
    """The sentence on members "intéressés à l’affaire", agreed in gender and number."""
    gender = group_gender(people)
    plural = len(people) > 1
    concerned = agree("intéressé", gender) + ("s" if plural else "")
    verb = "n’ont" if plural else "n’a"
    if excused:
        absent = agree("excusé", gender) + ("s" if plural else "")
        tail = f"{concerned} à l’affaire et {absent}, {verb} pas donné de délégation de vote pour ce rapport."
    else:
        tail = f"{concerned} à l’affaire, {verb} pris part ni au débat, ni au vote."
    return f"{named_members(people)}, {tail}"
