"""Bad input on the clauses: a delegation nobody can be named for, an act number that says
another nature; each an issue with its field path and a French message."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from conventum import render_document, validate
from conventum.clauses.acts import authorisation_phrase, nature_of_number
from conventum.clauses.closing import closing
from conventum.model.blocks import Autorisation
from tests.support import docx_text, sample

TYPE = "adhesion-centrale-achats"


def adherent(**representant: Any) -> dict[str, Any]:
    data = copy.deepcopy(sample(TYPE))
    data["parties"][0]["representant"].update(representant)
    return data


def found(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(i.code, i.path, i.severity) for i in validate(TYPE, data).issues]


def test_a_delegation_without_an_authority_that_can_be_inferred_is_an_error() -> None:
    # A Président du Conseil départemental holds his signature by himself: whose delegation is it?
    data = adherent(delegation={"nature": "arrete", "numero": "2024-1", "date": "2024-01-10"})
    path = "parties[0].representant.delegation.autorite"
    assert (
        "parties.delegation_autorite_manquante",
        path,
        "error",
    ) in found(data)
    (issue,) = [i for i in validate(TYPE, data).issues if i.path == path]
    assert "indiquez l’autorité délégante" in issue.message


def test_a_vice_president_without_authority_is_only_warned_the_president_is_written() -> None:
    data = adherent(qualite="vice-president", delegation={"nature": "arrete"})
    assert found(data) == [
        ("parties.delegation_sans_autorite", "parties[0].representant.delegation.autorite", "warning")
    ]


def test_an_act_number_announcing_another_nature_is_an_error() -> None:
    data = copy.deepcopy(sample(TYPE))
    data["parties"][0]["autorisation"]["numero"] = "ARR-2023-338"
    data["parties"][0]["representant"]["qualite"] = "vice-president"
    data["parties"][0]["representant"]["delegation"] = {
        "autorite": "president-conseil-departemental",
        "nature": "arrete",
        "numero": "DEL-2021-4",
    }
    result = validate(TYPE, data)
    codes = [(i.code, i.path) for i in result.issues if i.code == "parties.numero_nature"]
    assert codes == [
        ("parties.numero_nature", "parties[0].autorisation[0].numero"),
        ("parties.numero_nature", "parties[0].representant.delegation.numero"),
    ]
    message = next(i.message for i in result.issues if i.code == "parties.numero_nature")
    assert message.startswith(
        "Le numéro « ARR-2023-338 » annonce un(e) arrêté, mais l’acte est déclaré délibération"
    )


def test_numbers_without_a_nature_word_say_nothing() -> None:
    assert [nature_of_number(n) for n in ("2026-015", "n° 12", "CS-2026-2", "DCM2026_1")] == [
        None,
        None,
        None,
        "deliberation",
    ]


def test_acts_of_one_organ_are_written_together() -> None:
    from datetime import date

    acts = [
        Autorisation(
            organe="comite-syndical", nature="deliberation", date=date(2022, 1, 19), numero="2022-03"
        ),
        Autorisation(organe="comite-syndical", nature="deliberation", date=date(2023, 2, 2)),
        Autorisation(organe="bureau", nature="decision", date=date(2023, 3, 1), numero="n°7"),
    ]
    assert authorisation_phrase(acts, "syndicat-mixte").replace("\u00a0", " ") == (
        "par délibérations du comité syndical n°2022-03 du 19 janvier 2022 et du 2 février 2023 "
        "et par décision n°7 du Bureau du 1er mars 2023"
    )


def test_the_closing_names_a_town_never_a_sorting_office() -> None:
    assert closing("Le Touquet-Paris-Plage CEDEX", "", "deux (2) exemplaires") == (
        "Fait au Touquet-Paris-Plage, le ……………………………, en deux (2) exemplaires."
    )


CCAS = {
    "nature": "ccas",
    "nom": "Le Portel",
    "adresse": {"voie": "Place Henri Lebas", "code_postal": "62480", "commune": "Le Portel"},
    "autorisation": [
        {
            "organe": "conseil-d-administration",
            "nature": "deliberation",
            "date": "2023-09-12",
            "numero": "2023-15",
        }
    ],
}


@pytest.mark.parametrize(
    ("party", "autorite", "written"),
    [
        ({}, "president", "par délégation du Président du Conseil départemental"),
        (CCAS, "president", "par délégation du Président du conseil d’administration"),
        (CCAS, "maire", "par délégation du Président du conseil d’administration"),
    ],
)
def test_the_presiding_authority_is_named_as_the_clerk_says_it(
    party: dict[str, Any], autorite: str, written: str
) -> None:
    # « président » of a département, « maire » or « président » of a CCAS: the one who presides it.
    data = adherent(
        civilite="Madame",
        qualite="vice-president",
        delegation={"autorite": autorite, "nature": "arrete", "numero": "2023-4", "date": "2023-01-05"},
    )
    data["parties"][0].update(copy.deepcopy(party))
    assert [code for code, _, severity in found(data) if severity == "error"] == []
    text = " ".join(docx_text(render_document(TYPE, data).content).split())
    assert f"sa Vice-présidente, agissant {written} en vertu de l’arrêté n°2023-4 du 5 janvier 2023" in text
    assert f"Pour le {written.removeprefix('par délégation du ')} et par délégation" in text


def test_a_maire_cannot_delegate_for_a_departement() -> None:
    data = adherent(qualite="vice-president", delegation={"autorite": "maire", "nature": "arrete"})
    assert ("parties.delegation_autorite", "parties[0].representant.delegation.autorite", "error") in found(
        data
    )
