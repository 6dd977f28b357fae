"""Rules of a délibération and its rapport: known assembly and members, a vote that decides."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from conventum.issues import Issue
from conventum.seance.assemblyfile import assembly_keys, load_assembly
from conventum.seance.phrases import ALWAYS_KNOWN, ATTENDANCE, reference_values, references
from conventum.seance.tally import cast, tally
from conventum.validation.rules.registry import Facts, rule

MEMBER_LISTS = (
    *(key for key, _ in ATTENDANCE),
    "interesses.sans_participation",
    "interesses.excuses_sans_delegation",
)


def _data(facts: Facts) -> dict[str, Any]:
    """The convention's data, as plain values."""
    data: dict[str, Any] = facts.convention.model_dump(mode="python")
    return data


def _get(data: dict[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _member_paths(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for key in ("presidence", "secretaire"):
        if data.get(key):
            yield key, data[key]
    for dotted in (*MEMBER_LISTS, "vote.absents_sans_delegation.membres"):
        for index, value in enumerate(_get(data, dotted) or []):
            yield f"{dotted}[{index}]", value
    for index, proxy in enumerate(data.get("pouvoirs") or []):
        for role in ("mandant", "mandataire"):
            yield f"pouvoirs[{index}].{role}", proxy[role]


def _unknown_member(path: str, key: str, known: list[str]) -> Issue:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f" Vouliez-vous dire « {close[0]} » ?" if close else ""
    return Issue("seance.membre_inconnu", path, {"value": key, "hint": hint})


@rule("seance.membres")
def known_members(subject: Facts) -> Iterator[Issue]:
    """The assembly exists; every member, group cited is one of its own; nobody in two lists."""
    data = _data(subject)
    if data["assemblee"] not in assembly_keys():
        yield Issue(
            "seance.assemblee_inconnue", "assemblee", {"value": data["assemblee"], "choices": assembly_keys()}
        )
        return
    assembly = load_assembly(data["assemblee"])
    known = list(assembly["membres"])
    for path, key in _member_paths(data):
        if key not in assembly["membres"]:
            yield _unknown_member(path, key, known)
    yield from _doubles(data)
    yield from _groups(data, assembly)
    yield from _officer(data, assembly)


def _officer(data: dict[str, Any], assembly: dict[str, Any]) -> Iterator[Issue]:
    """The officer who signs a délibération by delegation (by default, the "dgs") is known."""
    if "signataire_delegue" not in data:
        return
    key = data["signataire_delegue"] or "dgs"
    if key not in assembly["officiers"]:
        choices = ", ".join(assembly["officiers"]) or "aucun"
        yield Issue("seance.officier_inconnu", "signataire_delegue", {"value": key, "choices": choices})


def _doubles(data: dict[str, Any]) -> Iterator[Issue]:
    seen: set[str] = set()
    for key, _ in ATTENDANCE:
        for index, value in enumerate(data.get(key) or []):
            if value in seen:
                yield Issue("seance.membre_en_double", f"{key}[{index}]", {"value": value})
            seen.add(value)


def _groups(data: dict[str, Any], assembly: dict[str, Any]) -> Iterator[Issue]:
    choices = list(assembly.get("groupes", {}))
    for line, value in (data.get("vote") or {}).items():
        for index, group in enumerate((value or {}).get("groupes") or [] if isinstance(value, dict) else []):
            if group not in choices:
                yield Issue(
                    "seance.groupe_inconnu",
                    f"vote.{line}.groupes[{index}]",
                    {"value": group, "choices": choices},
                )


@rule("seance.vote")
def deciding_vote(subject: Facts) -> Iterator[Issue]:
    """The figures decide (a tie needs the casting vote); absents named and counted agree."""
    vote = _data(subject)["vote"]
    pour, contre = vote["pour"]["voix"], vote["contre"]["voix"]
    if pour == contre and pour > 0 and not vote.get("voix_preponderante"):
        yield Issue("vote.partage", "vote.voix_preponderante", {"pour": pour, "contre": contre})
    absents = vote.get("absents_sans_delegation") or {}
    named = absents.get("membres") or []
    if named and absents.get("voix") is not None and absents["voix"] != len(named):
        params = {"voix": absents["voix"], "membres": len(named)}
        yield Issue("vote.absents_incoherents", "vote.absents_sans_delegation.voix", params)


@rule("seance.pouvoirs")
def proxies(subject: Facts) -> Iterator[Issue]:
    """A pouvoir goes from a member absent to a member present who takes part, one per mandataire."""
    data = _data(subject)
    present = set(data.get("presents") or [])
    apart = set((data.get("interesses") or {}).get("sans_participation") or [])
    undelegated = set(((data.get("vote") or {}).get("absents_sans_delegation") or {}).get("membres") or [])
    holders: dict[str, int] = {}
    for index, proxy in enumerate(data.get("pouvoirs") or []):
        giver, holder = proxy["mandant"], proxy["mandataire"]
        path = f"pouvoirs[{index}]"
        if giver in present:
            yield Issue("seance.pouvoir_mandant_present", f"{path}.mandant", {"value": giver})
        elif giver in undelegated:
            yield Issue("seance.pouvoir_sans_delegation", f"{path}.mandant", {"value": giver})
        if holder not in present:
            yield Issue("seance.pouvoir_mandataire_absent", f"{path}.mandataire", {"value": holder})
        elif holder in apart:
            yield Issue("seance.pouvoir_mandataire_interesse", f"{path}.mandataire", {"value": holder})
        if holder in holders:
            params = {"value": holder, "premier": f"pouvoirs[{holders[holder]}]"}
            yield Issue("seance.pouvoirs_multiples", f"{path}.mandataire", params)
        else:
            holders[holder] = index


@rule("seance.decompte")
def counted_as_the_law_counts(subject: Facts) -> Iterator[Issue]:
    """Pour + contre + abstentions = votants = présents who take part + members represented."""
    data = _data(subject)
    vote = data["vote"]
    negative = False
    for name in ("pour", "contre", "abstention"):
        figure = (vote.get(name) or {}).get("voix") or 0
        if figure < 0:
            negative = True
            yield Issue("votes.chiffre_negatif", f"vote.{name}.voix", {"chiffre": figure})
    if negative:
        return
    figures = tally(data)
    total = cast(vote)
    params = {
        "votants": figures.voters,
        "exprimes": total,
        "presents": figures.presents - figures.non_participants,
        "representes": figures.represented,
        "ecart": abs(figures.voters - total),
    }
    if total > figures.voters:
        yield Issue("votes.total_excessif", "vote", {**params, "membres": figures.voters, "votants": total})
    elif total < figures.voters:
        yield Issue("votes.total_incomplet", "vote", {**params, "membres": figures.voters, "votants": total})


def _texts(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for index, text in enumerate(data.get("articles") or []):
        yield f"articles[{index}]", text
    for index, block in enumerate(data.get("corps") or []):
        if block.get("texte"):
            yield f"corps[{index}].texte", block["texte"]
        for item_index, item in enumerate(block.get("liste") or []):
            yield f"corps[{index}].liste[{item_index}]", item


@rule("seance.references")
def known_references(subject: Facts) -> Iterator[Issue]:
    """Every "{convention}" in a text has a value to take ("{president}" always has one)."""
    data = _data(subject)
    known = {*reference_values(data), *ALWAYS_KNOWN}
    for path, text in _texts(data):
        for name in references(text):
            if name not in known:
                yield Issue("seance.reference_inconnue", path, {"value": name})
