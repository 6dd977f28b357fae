"""The vote of an assembly: its lines as the délibération writes them, and the outcome they give.

The outcome is never typed: it follows from the figures. A délibération is adopted
by the majority of the votes cast (pour against contre; abstentions and absents
do not count); on a tie the président's casting vote decides (CGCT L.3121-14).

>>> outcome(43, 0)
'Adopté'
>>> outcome(10, 12)
'Rejeté'
>>> outcome(5, 5, casting="pour"), outcome(5, 5, casting="contre")
('Adopté', 'Rejeté')
>>> vote_line("Abstention", 7, ["Groupe A", "Groupe B"], always_voix=False)
'Abstention : 7 (Groupe A ; Groupe B)'
>>> vote_line("Contre", 0, [], always_voix=True)
'Contre : 0 voix'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from conventum.errors import TieError
from conventum.french.grammar import agree
from conventum.seance.assembly import MemberRef, group_gender, members

Outcome = Literal["Adopté", "Rejeté"]


def outcome(pour: int, contre: int, *, casting: str | None = None) -> Outcome:
    """ "Adopté" when pour outnumbers contre, or on a tie the président breaks for it."""
    if pour != contre:
        return "Adopté" if pour > contre else "Rejeté"
    if pour == 0:
        return "Rejeté"
    if casting is None:
        raise TieError(f"partage des voix ({pour} pour, {contre} contre) sans voix prépondérante")
    return "Adopté" if casting == "pour" else "Rejeté"


def vote_line(label: str, count: int, groups: Sequence[str], *, always_voix: bool) -> str:
    """ "Pour : 43 voix (Groupe … ; …)"; "voix" is written for pour, contre, and any zero."""
    figure = f"{count} voix" if always_voix or count == 0 else str(count)
    suffix = f" ({' ; '.join(groups)})" if groups else ""
    return f"{label} : {figure}{suffix}"


def absent_label(people: Sequence[MemberRef], count: int) -> str:
    """ "Absente", "Absent" or "Absents", agreed with the members named (else with the figure)."""
    gender = group_gender(people) if people else "m"
    return agree("Absent", gender) + ("s" if count > 1 else "")


def absent_count(line: dict[str, Any]) -> int:
    """The absents without delegation: the figure given, else the number of members named."""
    voix = line.get("voix")
    return int(voix) if voix is not None else len(line.get("membres") or [])


def vote_view(
    vote: dict[str, Any],
    assembly: dict[str, Any],
    *,
    apart: Sequence[MemberRef] = (),
    chair: MemberRef | None = None,
) -> dict[str, Any]:
    """The vote's lines, and the outcome derived from them.

    ``apart`` are the members present who took no part in the vote (a line of their own: they
    are no voters); ``chair`` the président de séance, whose casting vote a tie names.
    """
    names = assembly.get("groupes", {})

    def groups(line: dict[str, Any]) -> list[str]:
        return [names.get(key, key) for key in line.get("groupes") or []]

    lines = [
        vote_line("Pour", vote["pour"]["voix"], groups(vote["pour"]), always_voix=True),
        vote_line("Contre", vote["contre"]["voix"], groups(vote["contre"]), always_voix=True),
        vote_line("Abstention", vote["abstention"]["voix"], groups(vote["abstention"]), always_voix=False),
    ]
    absents = vote.get("absents_sans_delegation")
    if absents and absent_count(absents):
        count = absent_count(absents)
        label = absent_label(members(assembly, absents.get("membres") or []), count)
        lines.append(vote_line(f"{label} sans délégation de vote", count, groups(absents), always_voix=False))
    if apart:
        verb = "Ne prennent pas part au vote" if len(apart) > 1 else "Ne prend pas part au vote"
        own = sorted({names.get(p.data["groupe"], p.data["groupe"]) for p in apart if p.data.get("groupe")})
        lines.append(vote_line(verb, len(apart), own, always_voix=False))
    pour, contre = vote["pour"]["voix"], vote["contre"]["voix"]
    casting = vote.get("voix_preponderante")
    result = outcome(pour, contre, casting=casting)
    tie = ""
    if pour == contre and pour > 0 and casting:
        who = chair_title(chair)
        side = "pour" if casting == "pour" else "contre"
        tie = (
            f"Les voix étant partagées, la voix {who}, prépondérante, s’est portée {side}\u00a0: "
            f"la proposition est {result.lower()}e."
        )
    return {"lignes": lines, "resultat": result, "adopte": result == "Adopté", "partage": tie}


def chair_title(chair: MemberRef | None) -> str:
    """ "du Président de séance, M. René HOCQ", "de la Présidente de séance, Mme …"."""
    if chair is None:
        return "du Président de séance"
    head = "de la Présidente" if chair.feminine else "du Président"
    return f"{head} de séance, {chair.short}"
