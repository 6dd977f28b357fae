"""groupement-commandes: seed 004 word for word, any number of members, the coordinator they name."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from conventum import render, render_document, validate
from conventum.cli import main
from conventum.errors import ExitCode
from tests.errata import corrected
from tests.support import SAMPLES, between, docx_text, needs_libreoffice, normalise, sample, seed

TYPE = "groupement-commandes"
ARTICLES = [f"Article {n} -" for n in range(1, 12)] + ["Fait à"]


def render_text(data: dict[str, Any]) -> str:
    return docx_text(render_document(TYPE, data).content)


@pytest.fixture(scope="module")
def rendered() -> str:
    return render_text(sample(TYPE))


@pytest.fixture(scope="module")
def convention_seed() -> str:
    # Words cut at a line end by the PDF extraction, put back together.
    text = normalise(seed("004"))
    for cut, whole in (("Hauts- de-France", "Hauts-de-France"), ("Hauts-de- France", "Hauts-de-France")):
        text = text.replace(cut, whole)
    return corrected(TYPE, text.replace("l’ usage", "l’usage").replace("d’ apurement", "d’apurement"))


def article(text: str, index: int) -> str:
    return between(text, ARTICLES[index], ARTICLES[index + 1])


@pytest.mark.parametrize("index", [1, 3, 4, 5, 6, 7, 8, 9, 10])
def test_each_fixed_article_is_the_seed_word_for_word(
    rendered: str, convention_seed: str, index: int
) -> None:
    assert article(rendered, index) == article(convention_seed, index)


def test_article_1_states_the_object_field(rendered: str, convention_seed: str) -> None:
    # Two corrections of the original: "l ‘article", and the closing quote of the object.
    expected = (
        article(convention_seed, 0)
        .replace("l ‘article", "l’article")
        .replace('Hauts-de-France".', "Hauts-de-France ».")
    )
    assert article(rendered, 0) == expected


def test_article_3_names_the_coordinator(rendered: str, convention_seed: str) -> None:
    expected = article(convention_seed, 2).replace(
        "la Région des Hauts-de-France", "la Région Hauts-de-France"
    )
    assert article(rendered, 2) == expected


def test_preamble_visas_are_the_seed(rendered: str, convention_seed: str) -> None:
    assert between(rendered, "Préambule", "Article 1 -") == between(
        convention_seed, "Préambule", "Article 1 -"
    )


@pytest.mark.parametrize("name", ["de l’Aisne", "de l’Oise", "du Pas-de-Calais", "de la Somme"])
def test_departements_are_named_as_in_the_seed(rendered: str, convention_seed: str, name: str) -> None:
    # The seed's name of each département; its paragraph is the comparution of conventum.clauses.
    assert f"le Département {name}, dont le siège" in convention_seed
    assert f"Le Département {name}, sis à l’Hôtel du Département" in rendered


def test_each_member_appears_in_the_given_order(rendered: str) -> None:
    members = between(rendered, "Entre :", "désignés ci-après")
    expected = [
        "Le Département de l’Aisne,",
        "Le Département du Nord, sis à l’Hôtel du Département, 51, rue Gustave Delory, 59047 Lille Cedex, "
        "représenté par Monsieur Christian POIRET, son Président,",
        "Le Département de l’Oise,",
        "Le Département du Pas-de-Calais,",
        "Le Département de la Somme,",
        "L’Agence Départementale d’Ingénierie pour les collectivités de l’Aisne, sise 11 bis rue de Signier, "
        "02000 Laon, représentée par Monsieur Nicolas FRICOTEAUX, son Président,",
        "Le Syndicat mixte Oise Très Haut Débit,",
        "Le Syndicat mixte ouvert « Nord-Pas-de-Calais Numérique », sis 165 avenue de Bretagne, 59000 Lille, "
        "représenté par Monsieur Christophe COULON, son Président,",
        "Le Syndicat mixte « Somme Numérique »,",
        "La Région Hauts-de-France, sise 151 boulevard du Président Hoover, 59000 Lille, représentée par "
        "Monsieur Xavier BERTRAND, son Président,",
    ]
    positions = [members.index(phrase) for phrase in expected]
    assert positions == sorted(positions)


def test_two_exemplaires_per_member_and_one_signature_block_each(rendered: str) -> None:
    closing = rendered[rendered.index("La présente convention a été établie") :]
    assert closing.startswith(
        "La présente convention a été établie en 2 exemplaires originaux par membre du groupement. Fait à Lille, le"
    )
    assert closing.count("Pour ") == 10
    # A pair of blocks is two rows, the titles then the names (so that the names align).
    for title, name in (
        ("Pour le Département de l’Oise, La Présidente du Conseil départemental,", "Nadège LEFEBVRE"),
        ("Pour le Syndicat mixte « Somme Numérique », Le Président,", "Philippe VARLET"),
        ("Pour la Région Hauts-de-France, Le Président du Conseil régional,", "Xavier BERTRAND"),
    ):
        assert title in closing and closing.index(name) > closing.index(title)
    assert closing.index("Pour le Département de l’Aisne") < closing.index("Pour la Région Hauts-de-France")


def three_members(**changes: Any) -> dict[str, Any]:
    data = sample(TYPE)
    data["parties"] = data["parties"][-3:]
    data.update(changes)
    return data


def test_an_odd_number_of_members_leaves_no_empty_block() -> None:
    text = render_text(three_members())
    closing = text[text.index("Fait à") :]
    assert closing.count("Pour ") == 3
    assert closing.endswith(
        "Pour la Région Hauts-de-France, Le Président du Conseil régional, Xavier BERTRAND"
    )


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("Somme Numérique", "le Syndicat mixte « Somme Numérique »"),
        ("le Syndicat mixte ouvert « Nord-Pas-de-Calais Numérique »", "le Syndicat mixte ouvert"),
        ("HAUTS-DE-FRANCE", "la Région Hauts-de-France"),
    ],
)
def test_the_coordinator_is_found_by_name_designation_or_denomination(name: str, phrase: str) -> None:
    text = render_text(three_members(coordonnateur=name))
    assert f"Le coordonnateur est {phrase}" in text


def test_without_a_place_the_convention_is_made_at_the_coordinator_seat() -> None:
    data = three_members(coordonnateur="Somme Numérique", signature={"date": "2024-03-01"})
    assert "Fait à Amiens, le 1er mars 2024" in render_text(data)


def test_a_coordinator_who_is_no_member_is_a_validation_issue() -> None:
    result = validate(TYPE, three_members(coordonnateur="Région Grand Est"))
    issues = [issue for issue in result.issues if issue.path == "coordonnateur"]
    assert [issue.code for issue in issues] == ["parties.coordonnateur_non_membre"]
    assert "« Région Grand Est » n’est pas membre du groupement" in issues[0].message
    assert "Hauts-de-France" in issues[0].message


def test_cli_refuses_an_unknown_coordinator_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "data.yaml"
    source.write_text(yaml.safe_dump(three_members(coordonnateur="Grand Est"), allow_unicode=True), "utf-8")
    target = tmp_path / "out.docx"
    result = CliRunner().invoke(main, ["render", TYPE, str(source), "-o", str(target)])
    assert result.exit_code == ExitCode.INVALID_DATA
    assert "coordonnateur" in result.output and "Grand Est" in result.output
    assert not target.exists()


def test_a_single_member_is_not_a_groupement() -> None:
    data = three_members()
    data["parties"] = data["parties"][-1:]
    assert "parties.role_count" in {issue.code for issue in validate(TYPE, data).issues}


def test_missing_object_is_reported_with_its_path() -> None:
    data = sample(TYPE)
    del data["objet"]
    assert ("field.missing", "objet") in {(i.code, i.path) for i in validate(TYPE, data).issues}


@needs_libreoffice
def test_sample_renders_to_a_pdf_with_ten_signature_blocks(tmp_path: Path) -> None:
    target = tmp_path / "convention.pdf"
    render(TYPE, SAMPLES / f"{TYPE}.yaml", target)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    # Six pages since each block leaves 3 cm to sign (five before, with one line of room).
    assert len(reader.pages) == 6
    text = normalise(" ".join(page.extract_text() for page in reader.pages))
    assert "CONVENTION CONSTITUTIVE D’UN GROUPEMENT DE COMMANDES" in text
    assert "établie en 2 exemplaires originaux par membre du groupement" in text
    pages = [normalise(page.extract_text()) for page in reader.pages[-2:]]
    assert sum(page.count("Pour ") for page in pages) == 10 and "Xavier BERTRAND" in pages[-1]
    # "Fait à Lille" stands with the first blocks, never alone at the foot of a page.
    assert "Fait à Lille" in pages[0] and pages[0].count("Pour ") >= 2


def test_another_groupement_gets_no_text_of_the_seed_s_own_case() -> None:
    # Seed 004's environnement numérique de travail is the sample's data, not the type's text.
    data = sample(TYPE)
    for name in ("finalite", "conditions_adhesion", "experts"):
        del data[name]
    data["objet"] = "achat d’énergie et de fournitures d’électricité"
    text = render_text(data)
    for seed_case in ("autorités académiques", "numérique éducatif", "apprenants", "environnement numérique"):
        assert seed_case not in text
    assert "en vue de passer et exécuter les marchés nécessaires à la réalisation de son objet." in text
    assert "Le coordonnateur associera des experts aux travaux du groupe technique" in text
    assert "ouvert à de nouveaux membres, sis en Hauts-de-France, intéressés par son objet." in text
