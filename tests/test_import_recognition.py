"""An office's convention becomes a type as intelligent as the built-in ones, whatever its blanks are:
content controls, mail-merge fields or plain blanks. The fixtures are seed 002's text with the
collectivité's details as blanks of each kind (tests/importfixtures.py); each imported type renders
parties no sample has, its fixed text kept word for word, its postal codes checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from conventum import load_type, render_document
from conventum.cli import main
from conventum.errors import ValidationFailed
from conventum.serve.partyform import new_party
from conventum.word.recognition.prepare import prepare_import, write_prepared
from tests.importfixtures import CDG, FIBRE_002, KINDS, convention, preamble
from tests.support import docx_text, normalise
from tools.content_controls_fixture import build, paragraph, table

SIGNED = {"date": "2026-03-02"}


def _act(organe: str, numero: str) -> dict[str, Any]:
    return {"organe": organe, "nature": "deliberation", "date": "2026-02-12", "numero": numero}


def _person(civilite: str, prenom: str, nom: str, qualite: str, **delegation: Any) -> dict[str, Any]:
    person: dict[str, Any] = {"civilite": civilite, "prenom": prenom, "nom": nom, "qualite": qualite}
    if delegation:
        person["delegation"] = delegation
    return person


LE_PORTEL = {"voie": "Place Henri Lebas", "code_postal": "62480", "commune": "Le Portel"}
# (party data, its paragraph as the document must read it, its signature block's first two lines)
CASES: dict[str, tuple[dict[str, Any], str, tuple[str, str]]] = {
    "le-portel-maire": (
        {
            "nature": "commune",
            "nom": "Le Portel",
            "adresse": LE_PORTEL,
            "representant": _person("Madame", "Claire", "Dupont", "maire"),
            "autorisation": _act("conseil-municipal", "2026-015"),
        },
        "La Commune du Portel, sise Place Henri Lebas au Portel (62480), représentée par Madame Claire"
        " DUPONT, sa Maire, dûment autorisée à signer la présente convention par délibération n°2026-015"
        " du conseil municipal du 12 février 2026 Ci-après désignée « la Collectivité »",
        ("Pour la Commune du Portel,", "La Maire,"),
    ),
    "le-portel-adjointe": (
        {
            "nature": "commune",
            "nom": "Le Portel",
            "adresse": LE_PORTEL,
            "representant": _person(
                "Madame", "Claire", "Dupont", "premier-adjoint", nature="arrete", numero="2026-12", date="2026-01-05"
            ),
            "autorisation": _act("conseil-municipal", "2026-015"),
        },
        "La Commune du Portel, sise Place Henri Lebas au Portel (62480), représentée par Madame Claire"
        " DUPONT, sa Première adjointe, agissant par délégation du Maire en vertu de l’arrêté n°2026-12 du"
        " 5 janvier 2026, dûment autorisée à signer la présente convention",
        ("Pour le Maire et par délégation,", "La Première adjointe,"),
    ),
    "libercourt-maire": (
        {
            "nature": "commune",
            "nom": "Libercourt",
            "adresse": {"voie": "Place de la Mairie", "code_postal": "62820", "commune": "Libercourt"},
            "representant": _person("Monsieur", "Daniel", "Maciejasz", "maire"),
            "autorisation": _act("conseil-municipal", "2026-3"),
        },
        "La Commune de Libercourt, sise Place de la Mairie à Libercourt (62820), représentée par Monsieur"
        " Daniel MACIEJASZ, son Maire, dûment autorisé à signer",
        ("Pour la Commune de Libercourt,", "Le Maire,"),
    ),
    "ccas-maire-president": (
        {
            "nature": "ccas",
            "nom": "Le Portel",
            "adresse": {"voie": "Rue Carnot", "code_postal": "62480", "commune": "Le Portel"},
            "representant": _person("Monsieur", "Olivier", "Barbarin", "maire-president"),
            "autorisation": _act("conseil-d-administration", "2026-1"),
        },
        "Le Centre communal d’action sociale du Portel, sis Rue Carnot au Portel (62480), représenté par"
        " Monsieur Olivier BARBARIN, son Président, dûment autorisé à signer la présente convention par"
        " délibération n°2026-1 du conseil d’administration du 12 février 2026 Ci-après désigné"
        " « l’établissement public »",
        ("Pour le Centre communal d’action sociale du Portel,", "Le Maire, Président du conseil d’administration,"),
    ),
    "epci-vice-presidente": (
        {
            "nature": "communaute-d-agglomeration",
            "siren": "246200729",
            "adresse": {"voie": "1 boulevard du Bassin Napoléon", "code_postal": "62200", "commune": "Boulogne-sur-Mer"},
            "representant": _person(
                "Madame", "Anne", "Leroy", "vice-president", autorite="president", nature="arrete", numero="2024-7",
                date="2024-02-01",
            ),
            "autorisation": _act("conseil-communautaire", "2026-04"),
        },
        "La Communauté d’agglomération du Boulonnais, sise 1 boulevard du Bassin Napoléon à"
        " Boulogne-sur-Mer (62200), représentée par Madame Anne LEROY, sa Vice-présidente, agissant par"
        " délégation du Président en vertu de l’arrêté n°2024-7 du 1er février 2024, dûment autorisée",
        ("Pour le Président et par délégation,", "La Vice-présidente,"),
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder holding the three imported types (convention-controles, -fusion, -blancs)."""
    folder = tmp_path_factory.mktemp("types")
    for kind in KINDS:
        word = convention(kind, folder)
        write_prepared(prepare_import(word.read_bytes(), name=f"convention-{kind}", source=word.name), folder)
    return folder


def _render(folder: Path, kind: str, party: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(folder)
    data = {"parties": [{"role": "collectivite", **party}], "signature": SIGNED}
    return docx_text(render_document(f"convention-{kind}", data).content)


@pytest.mark.typographie_libre  # the seed's own text keeps its plain spaces inside « »
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("kind", KINDS)
def test_the_party_reads_as_in_a_built_in_type(
    kind: str, case: str, imported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    party, paragraph, (pour, title) = CASES[case]
    text = _render(imported, kind, party, monkeypatch)
    assert normalise(paragraph) in text
    assert f"{pour} {title}" in text  # the signature block follows the party
    assert "D’une troisième part," in text
    assert "en trois (3) exemplaires." in text


@pytest.mark.typographie_libre
@pytest.mark.parametrize("kind", KINDS)
def test_the_text_around_the_blanks_is_the_seeds_word_for_word(
    kind: str, imported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _render(imported, kind, CASES["le-portel-maire"][0], monkeypatch)
    for fixed in (
        FIBRE_002,
        CDG,
        preamble(),
        "Ci-après désigné « le CDG 59 »",
        "Pour La Fibre Numérique 59 62",
    ):
        assert normalise(fixed) in text
    assert "Fait au Portel, le 2 mars 2026, en trois (3) exemplaires." in text
    assert "Le 2 mars 2026 Pour La Fibre Numérique 59 62 Le Président Christophe COULON" in text
    assert "Le 2 mars 2026 Pour la Commune du Portel, La Maire, Claire DUPONT" in text


@pytest.mark.parametrize("kind", KINDS)
def test_a_postal_code_of_another_town_is_refused_with_its_geography_error(
    kind: str, imported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    party = {**CASES["le-portel-maire"][0], "adresse": {**LE_PORTEL, "code_postal": "62200"}}
    with pytest.raises(ValidationFailed) as refused:
        _render(imported, kind, party, monkeypatch)
    codes = {(issue.code, issue.path) for issue in refused.value.issues if issue.severity == "error"}
    assert ("geo.ville_code_postal", "parties[0].adresse.code_postal") in codes


@pytest.mark.parametrize("kind", KINDS)
def test_the_schema_declares_the_party_and_no_field_for_its_blanks(kind: str, imported: Path) -> None:
    schema = yaml.safe_load((imported / "schemas" / f"convention-{kind}.yaml").read_text(encoding="utf-8"))
    (role,) = schema["parties"]
    assert role["role"] == "collectivite"
    assert role["designation"] == {
        "collectivite": "la Collectivité",
        "etablissement": "l’établissement public",
    }
    assert schema["exemplaires"] == 3
    assert schema["champs"] == {}
    # its paragraph cites the act that authorises it: required, and the form opens it, as a built-in type's
    assert schema["regles"] == [{"nom": "parties.autorisation", "parametres": {"roles": ["collectivite"]}}]


@pytest.mark.parametrize("kind", KINDS)
def test_an_imported_party_without_its_authorising_act_is_refused_and_the_form_asks_it(
    kind: str, imported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    party = {key: value for key, value in CASES["le-portel-maire"][0].items() if key != "autorisation"}
    with pytest.raises(ValidationFailed) as refused:
        _render(imported, kind, party, monkeypatch)
    codes = {(issue.code, issue.path) for issue in refused.value.issues if issue.severity == "error"}
    assert ("parties.autorisation_manquante", "parties[0].autorisation") in codes
    assert new_party(load_type(f"convention-{kind}"), "collectivite") == {
        "role": "collectivite",
        "autorisation": [{}],
    }


@pytest.mark.parametrize("kind", KINDS)
def test_the_report_says_what_each_blank_became(kind: str, tmp_path: Path) -> None:
    word = convention(kind, tmp_path)
    report = prepare_import(word.read_bytes(), name="essai", source=word.name).report
    (party,) = report.parties
    assert party.role == "collectivite" and party.became == "{{ collectivite.comparution_ligne }}"
    assert party.place.page == 1 and party.place.text.startswith(party.place.text[:10])
    held = [slot for slot, _label in party.slots]
    assert held[:5] == ["nature", "nom", "voie", "commune", "code_postal"]
    assert {"representant", "qualite", "organe", "date"} <= set(held)
    assert [tag for _place, tag in party.mentions] == ["bloc de signature : date, pour, titre, nom"]
    assert report.copies == 3 and report.closing is not None
    assert "Fait en trois (3) exemplaires" in report.closing.text
    data = report.as_dict()
    assert data["parties"][0]["lieu"]["page"] == 1 and data["cloture"]["exemplaires"] == 3


SEED_003_SHAPE = [  # seed 003's collectivité over three paragraphs, its "/" alternatives, brackets
    "La Commune de [ville] / l'Établissement Public de Coopération Intercommunal [EPCI],",
    "Représenté(e) par son maire, [Nom-Prénom] / Président [Nom-Prénom], dont la mairie / le siège est situé"
    " [adresse],",
    "Agissant au compte de la délibération en date du [date],",
    "ci-après dénommé(e) la collectivité,",
]


@pytest.mark.typographie_libre
def test_a_party_over_three_paragraphs_and_a_plain_signature_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        paragraph("CONVENTION D’ACCÈS À LA PLATEFORME AVEC LA COMMUNE DE ……………"),
        paragraph("Entre les soussignés"),
        *map(paragraph, SEED_003_SHAPE),
        paragraph("La présente convention est conclue pour une durée de …… ans."),
        paragraph("Fait à ……………, le ……………"),
        table(
            [paragraph("Pour la Commune de ……………,"), paragraph("Le Maire,"), paragraph("……………")],
            [paragraph("Pour le CdG62,"), paragraph("Le Président,"), paragraph("……………")],
        ),
    ]
    word = build(tmp_path / "seed-003.docx", lambda: lines, footer=False)
    prepared = prepare_import(word.read_bytes(), name="plateforme-import", source=word.name)
    (party,) = prepared.report.parties
    assert party.role == "collectivite" and party.designation == "la collectivité"
    assert [(field.name, field.label) for field in prepared.report.fields] == [
        ("duree_ans", "pour une durée de … ans"),
        ("nom_signataire_le_cdg62", "Nom du signataire (Pour le CdG62)"),  # the other party's signer
    ]
    write_prepared(prepared, tmp_path)
    monkeypatch.chdir(tmp_path)
    data = {"parties": [{"role": "collectivite", **CASES["le-portel-adjointe"][0]}], "signature": SIGNED}
    data |= {"duree_ans": "3", "nom_signataire_le_cdg62": "Joël DUQUENOY"}
    text = docx_text(render_document("plateforme-import", data).content)
    assert (
        "AVEC LA COMMUNE DU PORTEL Entre les soussignés La Commune du Portel, sise Place Henri Lebas" in text
    )
    assert ("{{ collectivite.denomination|upper }}", 1) in [
        (tag, place.paragraph) for place, tag in party.mentions
    ]
    assert (
        "ci-après désignée « la collectivité », La présente convention est conclue pour une durée de 3 ans."
        in text
    )
    assert (
        "Fait au Portel, le 2 mars 2026 Pour le Maire et par délégation, La Première adjointe, Claire DUPONT"
        in text
    )


def test_the_command_gives_the_report_as_json(tmp_path: Path) -> None:
    word = convention("fusion", tmp_path)
    args = [
        "import",
        str(word),
        "--type",
        "essai-json",
        "--dossier",
        str(tmp_path / "types"),
        "--format",
        "json",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    (party,) = report["parties"]
    assert party["role"] == "collectivite" and party["devient"] == "{{ collectivite.comparution_ligne }}"
    assert party["lieu"]["paragraphe"] == 11 and party["lieu"]["texte"].startswith(
        "«Nature» de «Nom_adherent»"
    )
    assert {"sens": "code_postal", "libelle": "Code postal"} in party["blancs"]
    assert report["cloture"]["exemplaires"] == 3 and report["champs"] == []
    assert (tmp_path / "types" / "schemas" / "essai-json.yaml").is_file()
