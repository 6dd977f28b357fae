"""services-numeriques: seed 002 word for word, the CDG and renewal choices, annex 2 from seed 001's grid."""

from __future__ import annotations

import io
import json
import re
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
from tests.support import (
    SAMPLES,
    between,
    docx_text,
    needs_libreoffice,
    normalise,
    sample,
    seed,
    signature_blocks,
)

TYPE = "services-numeriques"
ARTICLES = [f"ARTICLE {n}." for n in range(1, 10)]


def render_text(data: dict[str, Any]) -> str:
    return docx_text(render_document(TYPE, data).content)


def cdg59(**changes: Any) -> dict[str, Any]:
    """The sample with the default centre de gestion (CDG 59, seed 002), and so a commune of the
    Nord (a Pas-de-Calais commune joins the CDG 62): Caudry instead of Ruitz."""
    data = sample(TYPE)
    del data["cdg"]
    data["parties"][0]["nom"] = "Caudry"
    data["parties"][0]["adresse"] = {
        "voie": "Place de la Mairie",
        "code_postal": "59540",
        "commune": "Caudry",
    }
    data.update(changes)
    return data


@pytest.fixture(scope="module")
def rendered() -> str:
    return render_text(cdg59())


@pytest.fixture(scope="module")
def convention_seed() -> str:
    # The PDF extraction cut "Pas-de-Calais" over a page break.
    return corrected(TYPE, normalise(seed("002")).replace("Pas-de- Calais", "Pas-de-Calais"))


# The seed leaves the reader a choice ("la collectivité ou l’établissement public"); the
# document makes it from the party's nature (a commune is a collectivité): corrections of the seed.
CHOICES_MADE = (
    ("de la Collectivité ou de l’établissement public aux", "de la Collectivité aux"),
    ("au sein de la Collectivité ou de l’établissement sera", "au sein de la Collectivité sera"),
    ("La Collectivité ou l’établissement pourra résilier", "La Collectivité pourra résilier"),
)


def _choices_made(text: str) -> str:
    for choice, made in CHOICES_MADE:
        text = text.replace(choice, made)
    return text


@pytest.mark.parametrize("index", [0, 1, 3, 4, 5, 6, 7, 8])
def test_each_fixed_article_is_the_seed_word_for_word(
    rendered: str, convention_seed: str, index: int
) -> None:
    last = index + 1 == len(ARTICLES)
    seed_end = "Fait en" if last else ARTICLES[index + 1]
    expected = _choices_made(between(convention_seed, ARTICLES[index], seed_end))
    assert between(rendered, ARTICLES[index], "Fait à" if last else seed_end) == expected


def _article_3(seed_text: str) -> tuple[str, str, str]:
    article = between(seed_text, "ARTICLE 3.", "ARTICLE 4.")
    tacit_start = article.index("Dans le cadre d’une reconduction tacite")
    express_start = article.index("La Collectivité optant pour une reconduction expresse")
    return article[:tacit_start], article[tacit_start:express_start], article[express_start:]


def test_tacit_renewal_keeps_only_the_tacit_paragraph(rendered: str, convention_seed: str) -> None:
    common, tacit, _express = _article_3(convention_seed)
    assert between(rendered, "ARTICLE 3.", "ARTICLE 4.") == (common + tacit).strip()


def test_express_renewal_keeps_only_the_express_paragraph(convention_seed: str) -> None:
    common, _tacit, express = _article_3(convention_seed)
    text = render_text(cdg59(reconduction="expresse"))
    expected = (
        common.replace(
            "La Collectivité opte pour une reconduction tacite",
            "La Collectivité opte pour une reconduction expresse",
        )
        + express
    )
    assert between(text, "ARTICLE 3.", "ARTICLE 4.") == expected.strip()
    assert "Dans le cadre d’une reconduction tacite" not in text


def test_title_and_preamble_are_the_seed(rendered: str, convention_seed: str) -> None:
    assert between(rendered, "CONVENTION", "Le Syndicat") == between(
        convention_seed, "CONVENTION", "Le Syndicat"
    )
    assert between(rendered, "PRÉAMBULE", "ARTICLE 1.") == between(convention_seed, "PRÉAMBULE", "ARTICLE 1.")


def test_parties_are_written_by_the_clauses(rendered: str) -> None:
    # The seed's three paragraphs in the one grammar of conventum.clauses (the CDG's official name,
    # the seat as a postal address, the authorising act with its organ).
    assert (
        "Le Syndicat mixte Nord – Pas-de-Calais Numérique – La Fibre Numérique 59 62, sis 165 avenue de "
        "Bretagne, 59000 Lille, représenté par Monsieur Christophe COULON, son Président, dûment autorisé "
        "à signer la présente convention par délibération du comité syndical du 21 février 2024, "
        "Ci-après désigné « La Fibre Numérique 59 62 » D’une première part, Et :"
    ) in rendered
    assert "Le Centre de gestion de la fonction publique territoriale du Nord, sis " in rendered
    assert "Ci-après désigné « le CDG 59 » D’une deuxième part, Et :" in rendered
    assert (
        "La Commune de Caudry, sise Place de la Mairie, 59540 Caudry, représentée par Monsieur Jean-Pierre "
        "SANSEN, son Maire, dûment autorisé à signer la présente convention par délibération du conseil "
        "municipal du 30 juin 2025, Ci-après désignée « la Collectivité » D’une troisième part,"
    ) in rendered


def test_three_exemplaires_and_three_dated_signature_blocks(rendered: str) -> None:
    closing = rendered[
        rendered.index("Fait à") : rendered.index("Annexe n°1 : Présentation", rendered.index("Fait à"))
    ]
    assert closing.startswith("Fait à Bruay-la-Buissière, le 15 septembre 2025, en trois (3) exemplaires.")
    assert closing.count("Le 15 septembre 2025") == 3
    # Each block names the party in full, then the qualité with its article.
    blocks = signature_blocks(render_document(TYPE, cdg59()).content)
    assert blocks[0] == (
        "Le 15 septembre 2025 Pour le Syndicat mixte Nord – Pas-de-Calais Numérique – La Fibre Numérique "
        "59 62, Le Président, Christophe COULON"
    )
    assert blocks[1].startswith("Le 15 septembre 2025 Pour le Centre de gestion de la fonction publique")
    assert blocks[1].endswith("du Nord, Le Président, Éric DURAND")
    assert blocks[2] == "Le 15 septembre 2025 Pour la Commune de Caudry, Le Maire, Jean-Pierre SANSEN"


def test_cdg62_is_written_throughout_with_its_own_details() -> None:
    text = render_text(sample(TYPE))
    assert (
        "Le Centre de gestion de la fonction publique territoriale du Pas-de-Calais, sis Allée du Château, "
        "62702 Bruay-la-Buissière Cedex, représenté par Monsieur Joël DUQUENOY, son Président"
    ) in text
    assert "Ci-après désigné « le CDG 62 »" in text
    assert "ARTICLE 5.3. RESPONSABILITÉ DU CDG 62" in text
    assert (
        "Le 15 septembre 2025 Pour le Centre de gestion de la fonction publique territoriale du Pas-de-Calais, "
        "Le Président, Joël DUQUENOY"
    ) in signature_blocks(render_document(TYPE, sample(TYPE)).content)
    assert "CDG 59" not in text and "Éric DURAND" not in text and "du Nord et le SMO" not in text
    assert "euros de l’heure" not in text


def test_cdg59_states_its_hourly_rate(rendered: str) -> None:
    assert "sur la base d’un coût de 50 euros de l’heure" in rendered
    # Another CDG's tariff délibération is never cited: the CDG 59 has none in the grid.
    assert "CDG 62" not in rendered
    # After the comparutions, the body names La Fibre by its designation only (the blocks by its name).
    assert "Pas-de-Calais Numérique" not in between(rendered, "D’une troisième part", "Fait à")
    annex = annex_2(rendered)
    assert "Tarifs de la grille en vigueur depuis le 1er janvier 2023." in annex
    assert "Tarifs arrêtés" not in annex


def test_cdg62_cites_its_tariff_deliberation_by_its_designation() -> None:
    annex = annex_2(render_text(sample(TYPE)))
    assert (
        "Tarifs arrêtés par la délibération du conseil d’administration du CDG 62 du 9 février 2023." in annex
    )


def test_every_reference_to_a_party_is_its_designation_for_an_etablissement() -> None:
    data = cdg59()
    party = data["parties"][0]
    party.update(nature="ccas", nom="Caudry")
    party["representant"]["qualite"] = "maire-president"
    party["autorisation"]["organe"] = "conseil-d-administration"
    text = render_text(data)
    assert "Ci-après désigné « l’Établissement »" in text
    rgpd = text[text.rindex("Annexe n°3 : Dispositions relatives au RGPD") :]
    assert rgpd.startswith(
        "Annexe n°3 : Dispositions relatives au RGPD Pour les traitements de données à caractère personnel "
        "mis en œuvre au moyen des services souscrits, l’Établissement est responsable de traitement ; "
        "La Fibre Numérique 59 62 et le CDG 59 agissent en qualité de sous-traitants"
    )
    assert "instruction documentée de l’Établissement" in rgpd and "notifient à l’Établissement" in rgpd
    assert "Collectivité" not in text.split("D’une troisième part")[1].replace("Collectivités", "")
    assert "ARTICLE 5.1. RESPONSABILITÉ DE L’ÉTABLISSEMENT" in text
    assert "Article 4.2.1. MODALITÉS DE RÈGLEMENT AU CDG 59" in text


def test_paragraphs_of_its_own_replace_the_rgpd_annex() -> None:
    text = render_text(
        cdg59(annexe3_rgpd=["Les Parties appliquent la convention RGPD signée le 3 mars 2025."])
    )
    rgpd = text[text.rindex("Annexe n°3 : Dispositions relatives au RGPD") :]
    assert (
        rgpd
        == "Annexe n°3 : Dispositions relatives au RGPD Les Parties appliquent la convention RGPD signée le 3 mars 2025."
    )


def test_the_cdg_party_can_still_be_overridden() -> None:
    person = {"civilite": "Madame", "prenom": "Anne", "nom": "Noël", "qualite": "president"}
    data = sample(TYPE)
    data["parties"].append({"role": "cdg", "representant": person})
    text = render_text(data)
    assert "représenté par Madame Anne NOËL, sa Présidente, dûment autorisée" in text
    assert "Allée du Château" in text


def test_annexes_one_to_three_are_listed_and_present(rendered: str) -> None:
    listed = between(rendered, "ARTICLE 9.", "Fait à")
    annexes = rendered[rendered.index("Fait à") :]
    for title in (
        "Annexe n°1 : Présentation des services proposés en commun par La Fibre Numérique 59 62 et le CDG 59",
        "Annexe n°2 : Participation financière de la Collectivité",
        "Annexe n°3 : Dispositions relatives au RGPD",
    ):
        assert title in listed
        assert title in annexes
    assert "Clé de signature" in annexes and "article 28 du règlement (UE) 2016/679" in annexes


def annex_2(text: str) -> str:
    """The annex itself, not its mention in article 9."""
    return between(text[text.index("Fait à") :], "Annexe n°2 : Participation", "Annexe n°3 :")


def test_annex_2_pack_after_2023_with_hardware(rendered: str) -> None:
    annex = annex_2(rendered)
    assert "Offre souscrite : Pack « Socle numérique de base » – Début des prestations post 2023." in annex
    first = between(annex, "Prestations première année", "Prestations deuxième année")
    assert "Services forfait 1 755,00 € HT 755,00 € —" in first
    assert "Accompagnement forfait 1 375,00 € TTC — 375,00 €" in first
    assert "Option matériel forfait 1 1 225,00 € HT 1 225,00 € —" in first
    assert first.endswith("Total 1 980,00 € 375,00 €")
    assert between(annex, "Prestations années suivantes", "Total pour").endswith("Total 755,00 € 150,00 €")
    assert "(deux (2) ans) : 2 735,00 € HT pour les services et 750,00 € TTC pour l’accompagnement." in annex


def test_annex_2_pack_started_in_2023_uses_the_two_year_price() -> None:
    data = cdg59(services={"debut": "2023-06-01", "socle": True, "option_materiel": True})
    annex = annex_2(render_text(data))
    period = between(
        annex, "Contribution pour les deux premières années", "Contribution pour les années suivantes"
    )
    assert "Services forfait 1 570,00 € HT" in period and "Option matériel forfait 1 200,00 € HT" in period
    assert period.endswith("Total 770,00 € 225,00 €")
    assert "(deux (2) ans) : 770,00 € HT pour les services et 225,00 € TTC" in annex


def a_la_carte(**services: Any) -> dict[str, Any]:
    lines = [
        {"service": "messagerie-5go", "quantite": 3},
        {"service": "messagerie-mise-en-service", "quantite": 3},
        {"service": "nom-de-domaine"},
    ]
    return cdg59(services={"debut": "2025-10-01", "lignes": lines, "demarches_simplifiees": True, **services})


def test_annex_2_a_la_carte_with_demarches_simplifiees_for_a_commune() -> None:
    annex = annex_2(render_text(a_la_carte(population=1600)))
    assert "Catégorie « Démarches simplifiées » retenue : B (population de 1 600 habitants)." in annex
    first = between(annex, "Première année", "Années suivantes")
    assert "Messagerie compte 5 Go par compte et par an 3 16,10 € HT 48,30 € —" in first
    assert "Messagerie - accompagnement 3 boîte(s) 1 50,00 € TTC — 50,00 €" in first
    assert "Démarches simplifiées – catégorie B mise en service 1 50,00 € TTC" in first
    assert first.endswith("Total 132,35 € 150,00 €")
    following = between(annex, "Années suivantes (par an)", "Total pour")
    assert "mise en service" not in following
    assert following.endswith("Total 102,35 € 100,00 €")
    assert "234,70 € HT pour les services et 250,00 € TTC" in annex


def test_demarches_category_of_another_body_comes_from_its_staff() -> None:
    data = a_la_carte(agents=45)
    party = data["parties"][0]
    party.update(nature="communaute-de-communes", nom="Pays Solesmois")  # a CC of the Nord: the CDG 59
    party["representant"]["qualite"] = "president"
    party["autorisation"]["organe"] = "conseil-communautaire"
    assert "retenue : D (45 agents)" in annex_2(render_text(data))


def test_many_mailboxes_pay_by_started_tranche_of_twenty() -> None:
    data = a_la_carte(population=800)
    data["services"]["lignes"] = [{"service": "messagerie-illimitee", "quantite": 45}]
    assert "Messagerie - accompagnement 45 boîte(s) 1 250,00 € TTC" in annex_2(render_text(data))


def issues_of(data: dict[str, Any]) -> set[tuple[str, str]]:
    return {(issue.code, issue.path) for issue in validate(TYPE, data).issues}


def test_bad_choices_are_reported_with_their_path() -> None:
    assert ("field.not_in_choices", "cdg") in issues_of(cdg59(cdg="63"))
    assert ("field.not_in_choices", "reconduction") in issues_of(cdg59(reconduction="implicite"))
    assert ("field.missing", "services.debut") in issues_of(cdg59(services={"socle": True}))


def test_computation_problems_are_validation_issues_with_their_path() -> None:
    unknown = a_la_carte(population=800)
    unknown["services"]["lignes"][1]["service"] = "fax"
    assert ("services.service_inconnu", "services.lignes[1].service") in issues_of(unknown)
    assert ("services.effectif_manquant", "services.population") in issues_of(a_la_carte())
    too_early = cdg59(services={"debut": "2022-05-01", "socle": True})
    assert ("calcul.grille_absente", "services.debut") in issues_of(too_early)
    both = a_la_carte(population=800, socle=True)
    assert ("services.socle_et_carte", "services.socle") in issues_of(both)
    assert ("services.aucun_service", "services") in issues_of(cdg59(services={"debut": "2025-01-01"}))


def test_cli_refuses_an_unknown_service_and_writes_nothing(tmp_path: Path) -> None:
    data = a_la_carte(population=800)
    data["services"]["lignes"][0]["service"] = "fax"
    source = tmp_path / "data.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    target = tmp_path / "out.docx"
    result = CliRunner().invoke(main, ["render", TYPE, str(source), "-o", str(target)])
    assert result.exit_code == ExitCode.INVALID_DATA
    assert "services.lignes[0].service" in result.output
    assert "n’est pas dans la grille de tarifs" in result.output
    assert not target.exists()
    report = CliRunner().invoke(main, ["validate", TYPE, str(source), "--format", "json"])
    assert report.exit_code == ExitCode.INVALID_DATA
    assert "services.service_inconnu" in {p["code"] for p in json.loads(report.output)["problemes"]}


@needs_libreoffice
def test_sample_renders_to_a_pdf_with_its_annexes(tmp_path: Path) -> None:
    target = tmp_path / "convention.pdf"
    render(TYPE, SAMPLES / f"{TYPE}.yaml", target)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert len(reader.pages) == 7
    pages = [normalise(page.extract_text()) for page in reader.pages]
    text = " ".join(pages)
    assert "CONVENTION RELATIVE AUX PRESTATIONS" in text
    assert "en trois (3) exemplaires." in text
    assert re.search(r"Annexe n°2 : Participation financière de la Collectivité", pages[5])
    assert "1 980,00 €" in pages[5] and "2 735,00 € HT" in pages[5]
    assert "Annexe n°3" in pages[6]


def test_a_quantity_below_one_is_refused_with_its_limit() -> None:
    data = a_la_carte(population=800)
    data["services"]["lignes"][2]["quantite"] = 0
    issues = [issue for issue in validate(TYPE, data).issues if issue.path == "services.lignes[2].quantite"]
    assert [issue.code for issue in issues] == ["field.too_small"]
    assert "minimum : 1" in issues[0].message


def test_a_collectivite_outside_nord_and_pas_de_calais_is_refused() -> None:
    data = sample(TYPE)
    data["parties"][0]["nom"] = "Amiens"
    data["parties"][0]["adresse"] |= {"code_postal": "80000", "commune": "Amiens"}
    assert ("parties.hors_territoire", "parties[0].adresse.code_postal") in issues_of(data)


def test_a_line_with_a_service_and_a_support_price_gives_both() -> None:
    data = a_la_carte(population=800)
    data["services"].update(demarches_simplifiees=False)
    data["services"]["lignes"] = [
        {"service": "sauvegarde-mise-en-place"},
        {"service": "sauvegarde-abonnement"},
    ]
    annex = annex_2(render_text(data))
    first = between(annex, "Première année", "Années suivantes")
    assert "Sauvegarde 40 Go - mise en place par compte 1 92,00 € HT 92,00 € —" in first
    assert "Sauvegarde 40 Go - mise en place par compte 1 75,00 € TTC — 75,00 €" in first
    assert first.endswith("Total 477,88 € 125,00 €")
    assert between(annex, "Années suivantes (par an)", "Total pour").endswith("Total 385,88 € 50,00 €")
