"""Délibérations whose votes the seeds do not have: pouvoirs, members taking no part, a tie, a
rejection, a woman presiding. The printed figures are the validator's, and the text reads right."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from conventum import render_document, validate
from conventum.seance.assemblyfile import assembly_files
from conventum.seance.tally import cast, tally
from tests.support import docx_text, sample

TYPE = "deliberation"


def data(**changes: Any) -> dict[str, Any]:
    """Seed 003's délibération (35 present, 7 taking no part, 6 excused, 3 absent), changed."""
    base = copy.deepcopy(sample("deliberation-2025-498"))
    base.update(changes)
    return base


def issues(given: dict[str, Any]) -> list[tuple[str, str]]:
    return [(issue.code, issue.path) for issue in validate(TYPE, given).issues]


def text_of(given: dict[str, Any]) -> str:
    return docx_text(render_document(TYPE, given).content)


def test_members_taking_no_part_are_not_voters_and_have_their_line() -> None:
    given = data()
    figures = tally(given)
    assert (figures.presents, figures.non_participants, figures.represented, figures.voters) == (35, 7, 6, 34)
    assert cast(given["vote"]) == figures.voters == 34
    text = text_of(given)
    assert "Pour : 34 voix" in text and "Abstention : 0 voix" in text
    assert "Ne prennent pas part au vote : 7 (Adopté)" in text


def test_counting_the_non_participants_as_voters_is_refused_with_agreed_messages() -> None:
    # The seed's figures (34 pour + 7 abstentions) count the 7 who took no part: 41 for 34 voters.
    given = data()
    given["vote"]["abstention"] = {"voix": 7}
    result = validate(TYPE, given)
    assert [(i.code, i.path) for i in result.issues] == [("votes.total_excessif", "vote")]
    assert result.issues[0].message.startswith("41 voix sont décomptées pour 34 membres appelés à voter")
    given["vote"]["pour"] = {"voix": 33}
    given["vote"]["abstention"] = {"voix": 0}
    (one,) = validate(TYPE, given).issues
    assert "33 voix sont décomptées" in one.message and ": 1 voix manque (" in one.message
    given["vote"]["pour"] = {"voix": 32}
    (two,) = validate(TYPE, given).issues
    assert ": 2 voix manquent (" in two.message


PROXIES = [
    {"mandant": "caroline-matrat", "mandataire": "jean-claude-dissaux"},
    {"mandant": "pierre-georget", "mandataire": "laurence-louchaert"},
    {"mandant": "daniel-maciejasz", "mandataire": "etienne-perin"},
]


def with_proxies(pour: int, **changes: Any) -> dict[str, Any]:
    given = data(pouvoirs=copy.deepcopy(PROXIES), **changes)
    given["vote"] = {"pour": {"voix": pour}, "contre": {"voix": 0}, "abstention": {"voix": 0}}
    return given


def test_pouvoirs_are_counted_and_shown() -> None:
    # 35 present − 7 taking no part + 3 pouvoirs = 31 voters; the others absent are not represented.
    given = with_proxies(31)
    assert tally(given).voters == 31 and issues(given) == []
    text = text_of(given)
    assert (
        "Pouvoirs : Mme Caroline MATRAT à M. Jean-Claude DISSAUX, M. Pierre GEORGET à Mme Laurence "
        "LOUCHAERT, M. Daniel MACIEJASZ à M. Etienne PERIN." in text
    )
    assert "Pour : 31 voix" in text
    assert issues(with_proxies(34)) == [("votes.total_excessif", "vote")]


def test_bad_pouvoirs_are_each_an_issue_with_its_path() -> None:
    given = with_proxies(31)
    given["pouvoirs"] += [
        {"mandant": "rene-hocq", "mandataire": "marc-sarpaux"},  # René HOCQ is present
        {"mandant": "bruno-cousein", "mandataire": "steeve-briois"},  # Steeve BRIOIS is excused
        {"mandant": "stephanie-rigaux", "mandataire": "jean-claude-dissaux"},  # he holds one already
        {"mandant": "brigitte-passebosc", "mandataire": "sylvie-meyfroidt"},  # she takes no part
    ]
    found = validate(TYPE, given).issues
    codes = [(i.code, i.path) for i in found if i.code.startswith("seance.")]
    assert codes == [
        ("seance.pouvoir_mandant_present", "pouvoirs[3].mandant"),
        ("seance.pouvoir_mandataire_absent", "pouvoirs[4].mandataire"),
        ("seance.pouvoirs_multiples", "pouvoirs[5].mandataire"),
        ("seance.pouvoir_mandataire_interesse", "pouvoirs[6].mandataire"),
    ]
    messages = {i.code: i.message for i in found}
    assert "un élu ne peut en détenir qu’un seul" in messages["seance.pouvoirs_multiples"]
    assert "pouvoirs[0]" in messages["seance.pouvoirs_multiples"]


def test_a_rejected_proposal_is_not_decided() -> None:
    given = data()
    # 37 voters: 28 present taking part, 9 excused or absent voting by delegation.
    given["vote"] = {"pour": {"voix": 10}, "contre": {"voix": 20}, "abstention": {"voix": 7}}
    text = text_of(given)
    assert "DÉCIDE" not in text
    assert "Après en avoir délibéré, REJETTE LA PROPOSITION SUIVANTE : Article 1 :" in text
    assert "(Rejeté)" in text


def test_a_tie_names_the_casting_vote_of_the_chair() -> None:
    given = data(presidence="mireille-hingrez-cereda")
    given["vote"] = {
        "pour": {"voix": 15},
        "contre": {"voix": 15},
        "abstention": {"voix": 7},
        "voix_preponderante": "contre",
    }
    assert issues(given) == []
    text = text_of(given)
    assert "PRÉSIDENCE DE MADAME MIREILLE HINGREZ-CÉRÉDA" in text
    assert (
        "(Rejeté) Les voix étant partagées, la voix de la Présidente de séance, Mme Mireille HINGREZ-CÉRÉDA, "
        "prépondérante, s’est portée contre : la proposition est rejetée."
    ) in text
    assert "DÉCIDE" not in text


@pytest.fixture
def presided_by_a_woman(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of the Pas-de-Calais assembly whose president is a woman, in ./assemblees."""
    assembly = yaml.safe_load(assembly_files()["pas-de-calais"].read_text(encoding="utf-8"))
    assembly["president"]["membre"] = "mireille-hingrez-cereda"
    (tmp_path / "assemblees").mkdir()
    target = tmp_path / "assemblees" / "presidente.yaml"
    target.write_text(yaml.safe_dump(assembly, allow_unicode=True), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return "presidente"


def test_a_woman_presiding_the_assembly_gets_feminine_titles(presided_by_a_woman: str) -> None:
    text = text_of(data(assemblee=presided_by_a_woman))
    assert "Vu le rapport de la Présidente du Conseil départemental, ci-annexé" in text
    assert "LA PRÉSIDENTE DU CONSEIL DÉPARTEMENTAL, Mireille HINGREZ-CÉRÉDA" in text
    assert "Pour la Présidente du Conseil départemental, La Directrice générale des services" in text
    assert "Article 1 : D’autoriser la Présidente du Conseil départemental à signer" in text  # {president}
    assert "du Présidente" not in text and "le Présidente" not in text and "le Président" not in text
    rapport = copy.deepcopy(sample("rapport-2025-498"))
    rapport["assemblee"] = presided_by_a_woman
    assert "La Présidente du Conseil départemental SIGNÉ Mireille HINGREZ-CÉRÉDA" in docx_text(
        render_document("rapport", rapport).content
    )


def test_absences_with_and_without_pouvoir() -> None:
    # Without pouvoirs as data, the excused and absent vote by delegation unless named without one.
    given = data()
    given["vote"]["absents_sans_delegation"] = {"membres": ["daniel-maciejasz"]}
    given["vote"]["pour"] = {"voix": 36}  # 28 taking part + 9 away − 1 without delegation
    assert tally(given).voters == 36 and issues(given) == []
    assert "Absent sans délégation de vote : 1" in text_of(given)
    # A member named without delegation cannot also give a pouvoir.
    given["pouvoirs"] = [{"mandant": "daniel-maciejasz", "mandataire": "etienne-perin"}]
    given["vote"]["pour"] = {"voix": 29}
    assert ("seance.pouvoir_sans_delegation", "pouvoirs[0].mandant") in issues(given)
