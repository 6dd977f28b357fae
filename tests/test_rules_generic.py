"""The rules that need other types' fields, on a small test-only type declaring them in its YAML."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest

from conventum.errors import TemplateError
from conventum.model.catalogue import ConventionType, load_type
from conventum.validation.validation import validate

TODAY = date(2026, 1, 15)

SCHEMA = """
titre: Convention d'essai
parties:
  - {role: membre, libelle: Membre, min: 2, max: null}
champs:
  coordonnateur: {type: texte}
  debut: {type: date}
  fin: {type: date}
  duree_annees: {type: entier}
  date_preavis: {type: date}
  seance: {type: date}
  avis_commission: {type: date}
  date_deliberation: {type: date}
  budget:
    type: liste
    element:
      type: objet
      champs: {disponible: {type: montant}, proposition: {type: montant}, solde: {type: montant}}
  total: {type: montant}
  membres_votants: {type: entier}
  vote:
    type: objet
    champs:
      pour: {type: entier}
      contre: {type: entier}
      abstention: {type: entier}
      resultat: {type: choix, choix: [Adopté, Rejeté]}
  agents: {type: entier}
  tarif: {type: montant}
  rapport: {type: objet, champs: {titre: {type: texte}, montant: {type: montant}}}
  deliberation: {type: objet, champs: {titre: {type: texte}, montant: {type: montant}}}
regles:
  - {nom: parties.coordonnateur, parametres: {champ: coordonnateur, role: membre}}
  - nom: dates.duree
    parametres: {debut: debut, fin: fin, duree_annees: {champ: duree_annees}, renouvellements: 1,
                 preavis_mois: 3, date_preavis: date_preavis}
  - {nom: dates.avis_commission, parametres: {avis: avis_commission, seance: seance}}
  - {nom: dates.deliberation_seance, parametres: {seance: seance, deliberation: date_deliberation}}
  - {nom: dates.signature_deliberation, parametres: {deliberation: date_deliberation, signature: signature.date}}
  - {nom: dates.passe, parametres: {champs: [seance]}}
  - {nom: montants.ligne_budgetaire, parametres: {lignes: "budget[*]"}}
  - {nom: montants.total, parametres: {lignes: "budget[*].proposition", total: total}}
  - {nom: montants.exemplaires, parametres: {par_partie: 2}}
  - {nom: votes.decompte, parametres: {vote: vote, membres: membres_votants}}
  - nom: montants.tarif_grille
    parametres:
      tarif: tarif
      criteres: {agents: agents}
      grille:
        - {agents: [0, 349], montant: "150.00"}
        - {agents: [350, null], montant: "300.00"}
  - nom: dossier.concordance
    parametres: {champs: [[rapport.titre, deliberation.titre], [rapport.montant, deliberation.montant, total]]}
"""


def member(
    nom: str, nature: str = "departement", qualite: str = "president-conseil-departemental"
) -> dict[str, Any]:
    return {
        "role": "membre",
        "nature": nature,
        "nom": nom,
        "adresse": {
            "voie": "rue Ferdinand Buisson",
            "code_postal": "62018",
            "commune": "Arras",
            "cedex": True,
        },
        "representant": {"civilite": "Madame", "prenom": "Anne", "nom": "Dupré", "qualite": qualite},
        "autorisation": {"organe": "commission-permanente", "date": date(2024, 12, 2)},
    }


VALID: dict[str, Any] = {
    "parties": [member("Pas-de-Calais"), member("Nord"), member("Somme")],
    "signature": {"lieu": "Arras", "date": date(2024, 12, 20)},
    "coordonnateur": "Nord",
    "debut": date(2025, 1, 1),
    "fin": date(2026, 12, 31),
    "duree_annees": 2,
    "date_preavis": date(2026, 9, 30),
    "avis_commission": date(2024, 11, 25),
    "seance": date(2024, 12, 2),
    "date_deliberation": date(2024, 12, 2),
    "budget": [
        {"disponible": Decimal("1000.00"), "proposition": Decimal("250.00"), "solde": Decimal("750.00")},
        {"disponible": Decimal("500.00"), "proposition": Decimal("500.00"), "solde": Decimal("0.00")},
    ],
    "total": Decimal("750.00"),
    "membres_votants": 41,  # 34 + 0 + 7: every member entitled is counted
    "vote": {"pour": 34, "contre": 0, "abstention": 7, "resultat": "Adopté"},
    "agents": 350,
    "tarif": Decimal("300.00"),
    "rapport": {"titre": "Convention d'essai", "montant": Decimal("750.00")},
    "deliberation": {"titre": "Convention  d'essai", "montant": Decimal("750.00")},
}


@pytest.fixture
def ctype(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ConventionType]:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "essai-regles.yaml").write_text(SCHEMA, encoding="utf-8")
    (tmp_path / "templates").mkdir()
    document = docx.Document()
    document.add_paragraph("Les services sont décrits en annexe n°1 et les tarifs en Annexe n° 2.")
    document.save(str(tmp_path / "templates" / "essai-regles.docx"))
    monkeypatch.chdir(tmp_path)
    yield load_type("essai-regles")


def found(ctype: ConventionType, data: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((issue.code, issue.path) for issue in validate(ctype, data, today=TODAY).issues)


def valid() -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    data["annexes"] = [{"numero": 1, "titre": "Services"}, {"numero": 2, "titre": "Tarifs"}]
    return data


def test_valid_data_has_no_issue(ctype: ConventionType) -> None:
    assert found(ctype, valid()) == []


def test_coordinator_given_by_denomination(ctype: ConventionType) -> None:
    data = valid()
    data["coordonnateur"] = "le Département du Nord"
    assert found(ctype, data) == []


def _with(path: str, value: Any) -> dict[str, Any]:
    data = valid()
    node: Any = data
    *parents, last = path.split(".")
    for name in parents:
        node = node[int(name)] if name.isdigit() else node[name]
    node[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("coordonnateur", "Oise", [("parties.coordonnateur_non_membre", "coordonnateur")]),
        ("fin", date(2026, 6, 30), [("dates.fin_incoherente", "fin")]),
        ("fin", date(2028, 12, 31), []),  # the one renewal
        ("fin", date(2030, 12, 31), [("dates.fin_incoherente", "fin")]),
        ("fin", date(2024, 6, 1), [("dates.fin_avant_debut", "fin")]),
        ("date_preavis", date(2026, 10, 1), [("dates.preavis_tardif", "date_preavis")]),
        ("avis_commission", date(2024, 12, 3), [("dates.avis_apres_seance", "avis_commission")]),
        ("date_deliberation", date(2024, 12, 3), [("dates.deliberation_hors_seance", "date_deliberation")]),
        (
            "signature.date",
            date(2024, 12, 1),
            [
                ("dates.autorisation_apres_signature", "parties[0].autorisation[0].date"),
                ("dates.autorisation_apres_signature", "parties[1].autorisation[0].date"),
                ("dates.autorisation_apres_signature", "parties[2].autorisation[0].date"),
                ("dates.signature_avant_deliberation", "signature.date"),
            ],
        ),
        ("budget.0.solde", Decimal("700.00"), [("montants.solde_faux", "budget[0].solde")]),
        (
            "budget.1.proposition",
            Decimal("600.00"),
            [
                ("montants.proposition_excessive", "budget[1].proposition"),
                ("montants.solde_faux", "budget[1].solde"),
                ("montants.total_faux", "total"),
            ],
        ),
        (
            "total",
            Decimal("760.00"),
            [
                ("dossier.discordance", "total"),
                ("montants.total_faux", "total"),
            ],
        ),
        (
            "budget.0.disponible",
            Decimal("-1.00"),
            [
                ("montants.negatif", "budget[0].disponible"),
                ("montants.proposition_excessive", "budget[0].proposition"),
                ("montants.solde_faux", "budget[0].solde"),
            ],
        ),
        ("vote.contre", -1, [("votes.chiffre_negatif", "vote.contre")]),
        ("vote.abstention", 11, [("votes.total_excessif", "vote")]),
        ("vote.resultat", "Rejeté", [("votes.resultat_incoherent", "vote.resultat")]),
        ("tarif", Decimal("150.00"), [("montants.tarif_hors_grille", "tarif")]),
        ("agents", -5, [("montants.grille_sans_tranche", "tarif")]),
        ("deliberation.titre", "Autre convention", [("dossier.discordance", "deliberation.titre")]),
        (
            "1.nom",
            "Pas-de-Calais",
            [
                ("parties.coordonnateur_non_membre", "coordonnateur"),
                ("parties.nom_en_double", "parties[1].nom"),
            ],
        ),
    ],
)
def test_one_fact_changed(
    ctype: ConventionType, path: str, value: Any, expected: list[tuple[str, str]]
) -> None:
    data = _with(path, value) if not path[0].isdigit() else _party_with(path, value)
    assert found(ctype, data) == sorted(expected)


def _party_with(path: str, value: Any) -> dict[str, Any]:
    data = valid()
    index, field = path.split(".")
    data["parties"][int(index)][field] = value
    return data


def test_meeting_in_the_future_is_a_warning(ctype: ConventionType) -> None:
    result = validate(ctype, valid(), today=date(2024, 12, 1))
    found_codes = sorted((i.code, i.path, i.severity) for i in result.issues)
    assert ("dates.date_future", "seance", "warning") in found_codes
    assert all(severity == "warning" for _, _, severity in found_codes)


def test_annex_cited_in_the_template_must_be_listed(ctype: ConventionType) -> None:
    data = valid()
    data["annexes"] = data["annexes"][:1]
    assert found(ctype, data) == [("annexes.citee_absente", "annexes")]


def test_tariff_message_states_the_grid_figure(ctype: ConventionType) -> None:
    issues = validate(ctype, _with("tarif", Decimal("150.00")), today=TODAY).issues
    assert "300,00" in issues[0].message


def _copies_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header: str, field: str = ""
) -> ConventionType:
    schema = SCHEMA.replace("titre: Convention d'essai", f"titre: Essai\n{header}")
    schema = schema.replace("champs:\n", f"champs:\n{field}", 1)
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "essai-exemplaires.yaml").write_text(schema, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return load_type("essai-exemplaires")


def test_copies_per_party_in_the_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # With par_partie, the schema's figure is the number per party ("2 exemplaires par membre").
    ctype = _copies_type(tmp_path, monkeypatch, "exemplaires: 3")
    assert found(ctype, valid()) == [("montants.exemplaires_par_partie", "exemplaires")]


def test_copies_per_party_as_a_total_in_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ctype = _copies_type(tmp_path, monkeypatch, "exemplaires: 2", "  exemplaires: {type: entier}\n")
    assert found(ctype, {**valid(), "exemplaires": 6}) == []
    assert found(ctype, {**valid(), "exemplaires": 4}) == [("montants.exemplaires", "exemplaires")]


@pytest.mark.parametrize(
    ("rule", "match"),
    [
        ("{nom: parties.territoire, parametres: {departement: ['62']}}", "inconnu.*departement"),
        ("{nom: parties.territoire}", "manquant.*departements"),
        ("{nom: parties.inexistante}", "règle inconnue"),
        (
            "{nom: montants.total, parametres: {lignes: 'budget[x]', total: total}}",
            "chemin de données invalide",
        ),
    ],
)
def test_schema_rule_mistakes_are_template_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rule: str, match: str
) -> None:
    (tmp_path / "schemas").mkdir()
    schema = f"titre: X\nregles:\n  - {rule}\n"
    (tmp_path / "schemas" / "essai-parametre.yaml").write_text(schema, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TemplateError, match=match):
        validate(load_type("essai-parametre"), {}, today=TODAY)


def test_grid_from_a_file_beside_the_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "grille-essai.yaml").write_text(
        "lignes:\n  - {agents: [0, 349], montant: 150.00}\n  - {agents: [350, null], montant: 300.00}\n",
        encoding="utf-8",
    )
    schema = (
        "titre: X\nchamps: {agents: {type: entier}, tarif: {type: montant}}\nregles:\n"
        "  - {nom: montants.tarif_grille, parametres: {tarif: tarif, criteres: {agents: agents},"
        " grille_fichier: grille-essai.yaml}}\n"
    )
    (tmp_path / "schemas" / "essai-grille.yaml").write_text(schema, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ctype = load_type("essai-grille")
    assert found(ctype, {"agents": 12, "tarif": Decimal("150.00")}) == []
    assert found(ctype, {"agents": 400, "tarif": Decimal("150.00")}) == [
        ("montants.tarif_hors_grille", "tarif")
    ]


def test_listed_annex_must_be_supplied_unless_generated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "schemas").mkdir()
    schema = "titre: X\nregles:\n  - {nom: annexes.fournies, parametres: {generees: [2]}}\n"
    (tmp_path / "schemas" / "essai-annexes.yaml").write_text(schema, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    annexes = [{"numero": 1, "titre": "Services"}, {"numero": 2, "titre": "Participation financière"}]
    assert found(load_type("essai-annexes"), {"annexes": annexes}) == [
        ("annexes.non_fournie", "annexes[0].fichier")
    ]
