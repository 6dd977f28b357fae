"""plateforme-dematerialisation: the convention of seed 003 word for word, commune or EPCI, its computed tranche."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from conventum import render, render_document, validate
from tests.errata import corrected
from tests.support import SAMPLES, between, docx_text, needs_libreoffice, normalise, sample, seed

TYPE = "plateforme-dematerialisation"
ARTICLES = [
    "Article 1 - Objet",
    "Article 2 - Présentation",
    "Article 3 - Assurance",
    "Article 4 - Mode",
    "Article 5 - Durée",
    "Article 6 - Litiges",
    "Article 7 - Annexe",
    "Fait à Bruay-la-Buissière, le",
]


def render_text(data: dict[str, Any]) -> str:
    return docx_text(render_document(TYPE, data).content)


@pytest.fixture(scope="module")
def rendered() -> str:
    return render_text(sample(TYPE))


@pytest.fixture(scope="module")
def convention_seed() -> str:
    text = seed("003")
    start = text.index("CENTRE DE GESTION\nDE LA FONCTION")
    end = text.index("DEPARTEMENT DU PAS-DE-CALAIS", start)
    # The extraction marked italics and bold with asterisks (Markdown): not text.
    return corrected(TYPE, normalise(text[start:end].replace("*", "")))


@pytest.mark.parametrize("index", [0, 1, 2, 3, 4, 6])
def test_each_article_is_the_seed_word_for_word(rendered: str, convention_seed: str, index: int) -> None:
    start, end = ARTICLES[index], ARTICLES[index + 1]
    assert between(rendered, start, end) == between(convention_seed, start, end)


def test_article_6_names_the_collectivite_without_the_alternative(
    rendered: str, convention_seed: str
) -> None:
    expected = between(convention_seed, ARTICLES[5], ARTICLES[6]).replace(
        "la collectivité / l’Établissement public.", "la collectivité."
    )
    assert between(rendered, ARTICLES[5], ARTICLES[6]) == expected


def test_heading_considerants_and_preamble_are_the_seed(rendered: str, convention_seed: str) -> None:
    for start, end in (("CENTRE DE GESTION", "Le Centre de gestion"), ("Considérant", "Article 1 -")):
        assert between(rendered, start, end) == between(convention_seed, start, end)


def test_visas_end_with_the_deliberations_of_both_parties(rendered: str, convention_seed: str) -> None:
    # The seed's visas, the two authorising acts written by the clause (number, full organ, date).
    expected = between(convention_seed, "Vu -", "Considérant").replace(
        "- La délibération du conseil d’administration du CdG62 en date du 10 décembre 2024 ; "
        "- La délibération de la Commission Permanente du Conseil départemental en date du 08 décembre 2025 ;",
        "- La délibération du conseil d’administration du CdG62 du 10 décembre 2024 ; "
        "- La délibération n°2025-498 de la Commission permanente du Conseil départemental du 8 décembre 2025 ;",
    )
    assert between(rendered, "Vu -", "Considérant") == expected


def test_cdg_paragraph_is_the_clause(rendered: str) -> None:
    assert (
        "Entre les soussignés Le Centre de gestion de la fonction publique territoriale du Pas-de-Calais, "
        "sis Allée du Château, 62702 Bruay-la-Buissière Cedex, représenté par Monsieur Joël DUQUENOY, son "
        "Président, dûment autorisé à signer la présente convention par délibération du conseil "
        "d’administration du 10 décembre 2024, en application de l’article 28 du décret n°85-643 du "
        "26 juin 1985, Ci-après désigné « le CdG62 », D’une part, et"
    ) in rendered


def commune() -> dict[str, Any]:
    data = sample(TYPE)
    party = data["parties"][0]
    party.update(nature="commune", nom="Libercourt")
    party["adresse"] = {"voie": "Place de la Mairie", "code_postal": "62820", "commune": "Libercourt"}
    party["representant"] = {"civilite": "Madame", "prenom": "Ana", "nom": "Dupré", "qualite": "maire"}
    party["autorisation"] = {"organe": "conseil municipal", "date": "2025-11-12"}
    data.update(agents=60, consultations_par_an=12)
    return data


def test_a_commune_is_represented_by_its_mayor() -> None:
    assert (
        "La Commune de Libercourt, sise Place de la Mairie, 62820 Libercourt, représentée par Madame Ana "
        "DUPRÉ, sa Maire, dûment autorisée à signer la présente convention par délibération du conseil "
        "municipal du 12 novembre 2025, Ci-après désignée « la collectivité », D’autre part, Vu -"
    ) in render_text(commune())


def test_an_epci_is_represented_by_its_president() -> None:
    data = commune()
    party = data["parties"][0]
    party.update(nature="communaute-d-agglomeration", nom="Béthune-Bruay, Artois-Lys Romane")
    party["liaison"] = "apposition"
    party["representant"] = {
        "civilite": "Monsieur",
        "prenom": "Olivier",
        "nom": "Gacquerre",
        "qualite": "president",
    }
    party["autorisation"] = {"organe": "conseil communautaire", "date": "2025-11-20"}
    text = render_text(data)
    assert (
        "La Communauté d’agglomération Béthune-Bruay, Artois-Lys Romane, sise Place de la Mairie, 62820 "
        "Libercourt, représentée par Monsieur Olivier GACQUERRE, son Président, dûment autorisé à signer "
        "la présente convention par délibération du conseil communautaire du 20 novembre 2025"
    ) in text
    assert "la mairie" not in text
    assert (
        "Le Président, Olivier GACQUERRE" in text
        or "Le Président, Olivier GACQUERRE".replace(",", "") in text
    )


def test_annex_grid_has_the_seed_tranches(rendered: str, convention_seed: str) -> None:
    annex = rendered[rendered.index("Annexe 1") :]
    assert annex.startswith(
        "Annexe 1 Grille des contributions Tranches Communes et établissements de moins de 350 agents"
    )
    for tranche in (
        "Tranche 1 Moins de 50 Gratuit Moins de 50 250,00 €",
        "Tranche 5 Plus de 350 Gratuit Plus de 350 4 000,00 €",
    ):
        assert tranche in annex
    assert "Tranche 3\tDe 150 à 250\tGratuit\tDe 150 à 250\t1000 €" in seed("003")


def test_sample_contribution_is_the_amount_of_seed_003_report(rendered: str) -> None:
    assert "La contribution de la collectivité est estimée à 1 000 euros par an" in normalise(seed("003"))
    assert "la tranche applicable est la Tranche 3 (de 150 à 250 consultations à l’année" in rendered
    assert "plus de 350 agents" in rendered
    assert "s’élève à 1 000,00 € (mille euros)." in rendered
    assert "prorata temporis :" not in rendered


def contribution_text(**changes: Any) -> str:
    data = sample(TYPE)
    data.update(changes)
    text = render_text(data)
    return text[text.index("Contribution de la collectivité") :]


@pytest.mark.parametrize(
    ("consultations", "tranche"), [(0, "Tranche 1"), (49, "Tranche 1"), (50, "Tranche 2"), (350, "Tranche 5")]
)
def test_tranche_boundaries(consultations: int, tranche: str) -> None:
    assert f"la tranche applicable est la {tranche} " in contribution_text(consultations_par_an=consultations)


def test_under_350_agents_access_is_free() -> None:
    text = contribution_text(agents=349, consultations_par_an=400)
    assert "Tranche 5" in text and "moins de 350 agents" in text
    assert "est gratuit pour la collectivité" in text and "€" not in text


def test_incomplete_first_year_is_charged_pro_rata() -> None:
    text = contribution_text(debut="2026-03-01")
    assert (
        "La convention prenant effet le 1er mars 2026, la contribution de l’année 2026 est calculée" in text
    )
    assert "1 000,00 € × 306 / 365 jours, soit 838,36 €." in text
    leap = contribution_text(debut="2028-07-01", consultations_par_an=300)
    assert "2 000,00 € × 184 / 366 jours, soit 1 005,46 €." in leap


def test_bad_input_is_reported_with_its_path() -> None:
    data = sample(TYPE)
    del data["agents"]
    data["consultations_par_an"] = "beaucoup"
    found = {(issue.code, issue.path) for issue in validate(TYPE, data).issues}
    assert ("field.missing", "agents") in found
    assert ("field.invalid_integer", "consultations_par_an") in found
    early = sample(TYPE)
    early["debut"] = "2024-06-01"
    issues = validate(TYPE, early).issues
    assert ("calcul.grille_absente", "debut") in {(issue.code, issue.path) for issue in issues}
    assert "Aucune grille de tarifs" in issues[-1].message


@needs_libreoffice
def test_sample_renders_to_a_pdf(tmp_path: Path) -> None:
    target = tmp_path / "convention.pdf"
    render(TYPE, SAMPLES / f"{TYPE}.yaml", target)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    # Four pages: the closing line goes with the signatures, and each block leaves 3 cm to sign.
    assert len(reader.pages) == 4
    pages = [normalise(page.extract_text()) for page in reader.pages]
    assert "PLATEFORME DE DÉMATÉRIALISATION" in pages[0]
    assert "Fait à Bruay-la-Buissière, le" in pages[2] and "Joël DUQUENOY" in pages[2]
    assert "Grille des contributions" in pages[3] and "1 000,00 €" in pages[3]


def test_negative_counts_are_refused() -> None:
    data = sample(TYPE)
    data.update(agents=-3, consultations_par_an=-1)
    found = {(issue.code, issue.path) for issue in validate(TYPE, data).issues}
    assert {("field.too_small", "agents"), ("field.too_small", "consultations_par_an")} <= found


def test_the_cdg62_platform_serves_the_pas_de_calais_only() -> None:
    data = sample(TYPE)
    data["parties"][0] |= {
        "nom": "Nord",
        "adresse": {"voie": "51 rue Gustave Delory", "code_postal": "59000", "commune": "Lille"},
    }
    found = {(issue.code, issue.path) for issue in validate(TYPE, data).issues}
    assert ("parties.hors_territoire", "parties[0].adresse.code_postal") in found


def test_no_blank_of_the_original_survives(rendered: str) -> None:
    for blank in (
        "[ville]",
        "[EPCI]",
        "[Nom-Prénom]",
        "[adresse]",
        "[date]",
        "_____",
        "Représenté(e)",
        "dénommé(e)",
    ):
        assert blank not in rendered


def test_without_any_date_the_latest_grid_applies() -> None:
    data = sample(TYPE)
    del data["debut"], data["signature"]
    text = render_text(data)
    assert "Fait à Bruay-la-Buissière, le ……………………………, en deux (2) exemplaires." in text
    assert "s’élève à 1 000,00 € (mille euros)." in text


def test_a_ccas_act_says_whose_conseil_d_administration_it_is() -> None:
    # Beside the CDG's own conseil d'administration, the CCAS's act names its body.
    data = commune()
    party = data["parties"][0]
    party.update(nature="ccas", nom="Libercourt")
    party["representant"]["qualite"] = "maire-president"
    party["autorisation"] = {"organe": "conseil-d-administration", "date": "2025-11-20", "numero": "2025-7"}
    visas = between(render_text(data), "Vu -", "Considérant")
    assert "- La délibération du conseil d’administration du CdG62 du 10 décembre 2024 ;" in visas
    assert (
        "- La délibération n°2025-7 du conseil d’administration de l’établissement du 20 novembre 2025 ;"
    ) in visas
