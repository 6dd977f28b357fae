"""Mutation tests: one fact of the adhesion sample changed, the exact code and path reported."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import conventum
from tests.support import sample

TYPE = "adhesion-centrale-achats"
TODAY = date(2026, 1, 15)
Mutation = Callable[[dict[str, Any]], None]


def found(data: dict[str, Any], today: date = TODAY) -> list[tuple[str, str, str]]:
    result = conventum.validate(TYPE, data, today=today)
    return sorted((issue.code, issue.path, issue.severity) for issue in result.issues)


def adherent(data: dict[str, Any]) -> dict[str, Any]:
    party: dict[str, Any] = data["parties"][0]
    return party


def test_sample_has_no_issue() -> None:
    assert found(sample(TYPE)) == []


def _set(path: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = adherent(data)
        for name in parents:
            node = node[name]
        node[last] = value

    return mutate


def _two_decisions_late(data: dict[str, Any]) -> None:
    data["signature"]["date"] = date(2023, 1, 15)


def _annex(**annex: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["annexes"] = [{"titre": "Présentation des services", **annex}]

    return mutate


def _centrale(**fields: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["parties"].append({"role": "centrale", **fields})

    return mutate


ADHERENT = "parties[0]"
CASES: dict[str, tuple[Mutation, list[tuple[str, str, str]]]] = {
    "décision après la signature": (
        _set("autorisation.date", date(2023, 10, 5)),
        [("dates.autorisation_apres_signature", f"{ADHERENT}.autorisation[0].date", "error")],
    ),
    "signature avant les deux décisions": (
        _two_decisions_late,
        [
            ("dates.autorisation_apres_signature", f"{ADHERENT}.autorisation[0].date", "error"),
            ("dates.autorisation_apres_signature", "parties[1].autorisation[1].date", "error"),
        ],
    ),
    "un département signé par un maire": (
        _set("representant.qualite", "maire"),
        [("parties.qualite_nature", f"{ADHERENT}.representant.qualite", "error")],
    ),
    "Madame le Président": (
        _set(
            "representant",
            {
                "civilite": "Madame",
                "prenom": "A",
                "nom": "B",
                "qualite": "Président du Conseil départemental",
            },
        ),
        [("parties.civilite_qualite", f"{ADHERENT}.representant.qualite", "warning")],
    ),
    "code postal de quatre chiffres": (
        _set("adresse.code_postal", "6201"),
        [("parties.code_postal_invalide", f"{ADHERENT}.adresse.code_postal", "error")],
    ),
    "code postal hors du Nord et du Pas-de-Calais": (
        lambda data: adherent(data).update(
            nom="Somme",
            adresse={"voie": "43 rue de la République", "code_postal": "80000", "commune": "Amiens"},
        ),
        [("parties.hors_territoire", f"{ADHERENT}.adresse.code_postal", "error")],
    ),
    "adhérent sans décision": (
        _set("autorisation", []),
        [("parties.autorisation_manquante", f"{ADHERENT}.autorisation", "error")],
    ),
    "adhérent d'une nature non prévue": (
        _set("nature", "agence"),
        [
            ("parties.nature_non_prevue", f"{ADHERENT}.nature", "error"),
            ("parties.qualite_nature", f"{ADHERENT}.representant.qualite", "error"),
        ],
    ),
    "adhérent qui porte le nom de la centrale": (
        _set("designation", "la Fibre Numérique 59 62"),
        [("parties.designation_en_double", f"{ADHERENT}.designation", "error")],
    ),
    "centrale et adhérent identiques": (
        _centrale(
            nom="Pas-de-Calais",
            nature="departement",
            representant={
                "civilite": "Monsieur",
                "prenom": "J",
                "nom": "L",
                "qualite": "president-conseil-departemental",
            },
        ),
        [
            ("parties.nature_non_prevue", "parties[1].nature", "error"),
            ("parties.nom_en_double", "parties[1].nom", "error"),
        ],
    ),
    "annexe numérotée 2 sans annexe 1": (
        _annex(numero=2),
        [("annexes.numerotation", "annexes[0].numero", "error")],
    ),
    "fichier d'annexe absent": (
        _annex(numero=1, fichier="/nonexistent/annexe1.pdf"),
        [("annexes.fichier_introuvable", "annexes[0].fichier", "error")],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_one_fact_changed_one_issue(case: str) -> None:
    mutate, expected = CASES[case]
    data = sample(TYPE)
    mutate(data)
    assert found(data) == sorted(expected)


def test_decision_not_yet_taken_is_a_warning() -> None:
    assert found(sample(TYPE), today=date(2023, 9, 1)) == [
        ("dates.decision_future", f"{ADHERENT}.autorisation[0].date", "warning")
    ]


def test_signature_date_left_blank_is_not_checked() -> None:
    data = sample(TYPE)
    del data["signature"]["date"]
    assert found(data) == []


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"not a pdf at all", "annexes.pdf_invalide"),
        (None, "annexes.pdf_vide"),
        ("encrypted", "annexes.pdf_chiffre"),
    ],
)
def test_supplied_pdf_is_opened(tmp_path: Path, content: bytes | str | None, code: str) -> None:
    target = tmp_path / "annexe.pdf"
    target.write_bytes(_pdf(content))
    data = sample(TYPE)
    _annex(numero=1, fichier=str(target))(data)
    assert found(data) == [(code, "annexes[0].fichier", "error")]


def test_readable_pdf_annex_is_accepted(tmp_path: Path) -> None:
    target = tmp_path / "annexe.pdf"
    target.write_bytes(_pdf("one page"))
    data = sample(TYPE)
    _annex(numero=1, fichier=str(target))(data)
    assert found(data) == []


def _pdf(kind: bytes | str | None) -> bytes:
    import io

    from pypdf import PdfWriter

    if isinstance(kind, bytes):
        return kind
    writer = PdfWriter()
    if kind is not None:
        writer.add_blank_page(width=595, height=842)
    if kind == "encrypted":
        writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_annexes_may_be_listed_in_any_order_but_not_twice() -> None:
    data = sample("adhesion-centrale-achats")
    data["annexes"] = [{"numero": 2, "titre": "B"}, {"numero": 1, "titre": "A"}]
    assert found(data) == []
    data["annexes"] = [{"numero": 1, "titre": "A"}, {"numero": 1, "titre": "A bis"}]
    assert found(data) == [("annexes.numerotation", "annexes[1].numero", "error")]
