"""The vote's outcome is derived from its figures, never typed; its lines read like the seeds."""

from __future__ import annotations

from typing import Any

import pytest

from conventum import render_document, validate
from conventum.seance.votes import TieError, outcome
from tests.support import docx_text, sample

TYPE = "deliberation"


@pytest.mark.parametrize(
    ("pour", "contre", "casting", "expected"),
    [
        (43, 0, None, "Adopté"),
        (34, 0, None, "Adopté"),
        (1, 0, None, "Adopté"),
        (10, 12, None, "Rejeté"),
        (0, 1, None, "Rejeté"),
        (0, 0, None, "Rejeté"),
        (5, 5, "pour", "Adopté"),
        (5, 5, "contre", "Rejeté"),
    ],
)
def test_outcome_follows_the_votes_cast(pour: int, contre: int, casting: str | None, expected: str) -> None:
    assert outcome(pour, contre, casting=casting) == expected


def test_a_tie_without_casting_vote_does_not_decide() -> None:
    with pytest.raises(TieError):
        outcome(5, 5)


def _vote_text(vote: dict[str, Any]) -> str:
    data = sample("deliberation-2025-498")
    data["vote"] = vote
    text = docx_text(render_document(TYPE, data).content)
    return text[text.index("Dans les conditions de vote") : text.index("……")]


def test_rejected_when_contre_outnumbers_pour_abstentions_do_not_count() -> None:
    text = _vote_text(
        {
            "pour": {"voix": 10, "groupes": ["rn"]},
            "contre": {"voix": 12, "groupes": ["src"]},
            # 10 + 12 + 15: the 37 voters (35 present − 7 taking no part + 9 excused or absent)
            "abstention": {"voix": 15},
        }
    )
    assert "Pour : 10 voix (Groupe Rassemblement National)" in text
    assert "Contre : 12 voix (Groupe Socialiste, Républicain et Citoyen)" in text
    assert "Abstention : 15 " in text
    assert text.endswith("(Rejeté) ")
    assert "sans délégation" not in text


def test_casting_vote_decides_a_tie() -> None:
    vote = {
        "pour": {"voix": 5},
        "contre": {"voix": 5},
        "abstention": {"voix": 27},
        "voix_preponderante": "pour",
    }
    text = _vote_text(vote)
    assert "(Adopté) Les voix étant partagées, la voix du Président de séance, M. Jean-Claude LEROY, " in text
    assert "prépondérante, s’est portée pour : la proposition est adoptée." in text


def test_absents_without_delegation_agree_with_the_members_named() -> None:
    # "pour": the 37 voters (28 present taking part, 9 excused or absent) but the absents named.
    base = {"contre": {"voix": 0}, "abstention": {"voix": 0}}
    one_man = {**base, "pour": {"voix": 36}, "absents_sans_delegation": {"membres": ["rene-hocq"]}}
    assert "Absent sans délégation de vote : 1 " in _vote_text(one_man)
    two_women = {
        **base,
        "pour": {"voix": 35},
        "absents_sans_delegation": {"membres": ["caroline-matrat", "stephanie-rigaux"]},
    }
    assert "Absentes sans délégation de vote : 2 " in _vote_text(two_women)
    by_figure = {**base, "pour": {"voix": 34}, "absents_sans_delegation": {"voix": 3, "groupes": ["upc"]}}
    assert "Absents sans délégation de vote : 3 (Groupe Union pour le Pas-de-Calais)" in _vote_text(by_figure)


def _issues(vote: dict[str, Any]) -> list[tuple[str, str]]:
    data = sample("deliberation-2025-498")
    data["vote"] = vote
    return [(issue.code, issue.path) for issue in validate(TYPE, data).issues]


def test_tie_without_casting_vote_is_an_error_before_rendering() -> None:
    vote = {"pour": {"voix": 5}, "contre": {"voix": 5}, "abstention": {"voix": 27}}
    assert _issues(vote) == [("vote.partage", "vote.voix_preponderante")]


def test_absents_counted_and_named_must_agree() -> None:
    vote = {
        "pour": {"voix": 35},
        "contre": {"voix": 0},
        "abstention": {"voix": 0},
        "absents_sans_delegation": {"voix": 2, "membres": ["caroline-matrat"]},
    }
    assert _issues(vote) == [("vote.absents_incoherents", "vote.absents_sans_delegation.voix")]


def test_the_outcome_cannot_be_typed() -> None:
    data = sample("deliberation-2025-498")
    data["vote"]["resultat"] = "Adopté"
    assert [(i.code, i.path) for i in validate(TYPE, data).issues] == [("field.unknown", "vote.resultat")]
