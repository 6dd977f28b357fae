"""The form in a real browser: Debian's chromium, headless, driven by Playwright, against a real
``conventum serve``; a clerk fills the adhesion, a groupement of three, and works without JavaScript."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from conventum import render_document
from conventum.ooxml.text import document_text
from tests.serve_support import Server, running_server
from tests.support import SAMPLES, needs_libreoffice, normalise

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
pytestmark = [
    needs_libreoffice,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium absent (lancez ./setup.sh)"),
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "out" / "captures"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server("--workers", "1", folder=tmp_path_factory.mktemp("form")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        accept_downloads=True, locale="fr-FR", viewport={"width": 1000, "height": 900}
    )
    yield context.new_page()
    context.close()


def fill_party(page: Any, index: int, party: dict[str, str]) -> None:
    prefix = f"#f-parties-{index}"
    page.select_option(f"{prefix}-nature", party["nature"])
    page.fill(f"{prefix}-nom", party["nom"])
    page.fill(f"{prefix}-adresse-voie", party["voie"])
    page.fill(f"{prefix}-adresse-code-postal", party["code_postal"])
    page.fill(f"{prefix}-adresse-commune", party["commune"])
    page.select_option(f"{prefix}-representant-civilite", party["civilite"])
    page.fill(f"{prefix}-representant-prenom", party["prenom"])
    page.fill(f"{prefix}-representant-nom", party["nom_representant"])
    page.select_option(f"{prefix}-representant-qualite", party["qualite"])


PAS_DE_CALAIS = {
    "nature": "departement",
    "nom": "Pas-de-Calais",
    "voie": "Hôtel du Département, rue Ferdinand Buisson",
    "code_postal": "62018",
    "commune": "Arras",
    "civilite": "Monsieur",
    "prenom": "Jean-Claude",
    "nom_representant": "Leroy",
    "qualite": "president-conseil-departemental",
}


def downloaded(page: Any, button: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    return Path(info.value.path()).read_bytes()


def pdf_text(content: bytes) -> str:
    return normalise(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages))


def fill_adhesion(page: Any) -> None:
    fill_party(page, 0, PAS_DE_CALAIS)
    page.check("#f-parties-0-adresse-cedex")  # 62018 is the Département's CEDEX code, not Arras's own
    page.select_option("#f-parties-0-autorisation-0-organe", "commission-permanente")
    page.select_option("#f-parties-0-autorisation-0-nature", "deliberation")
    page.fill("#f-parties-0-autorisation-0-date", "2023-09-18")
    page.fill("#f-parties-0-autorisation-0-numero", "2023-338")
    page.fill("#f-signature-lieu", "Arras")
    page.fill("#f-signature-date", "2023-10-02")


def test_a_clerk_fills_the_adhesion(server: Server, page: Any, tmp_path: Path) -> None:
    page.goto(server.url)
    page.get_by_role("link", name="Convention d’adhésion à la centrale d’achats").click()
    page.get_by_text("Nord – Pas-de-Calais Numérique").wait_for()  # the fixed party, from the type
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "formulaire-adhesion.png"), full_page=True)

    # A field left empty: the validator's message appears beside it, then goes once filled.
    name = page.locator("#f-parties-0-nom")
    assert page.locator("label[for=f-parties-0-nom]").inner_text().startswith("Nom")
    name.focus()
    page.keyboard.press("Tab")
    error = page.locator("#f-parties-0-nom-erreur")
    error.get_by_text("est obligatoire").wait_for()
    assert "field.missing" not in error.inner_text()  # codes stay in the API and the JSON reports
    page.screenshot(path=str(SCREENSHOTS / "formulaire-erreur-champ.png"))
    assert "f-parties-0-nom-erreur" in (name.get_attribute("aria-describedby") or "")
    name.fill("Pas-de-Calais")
    page.keyboard.press("Tab")
    page.wait_for_function("document.querySelector('#f-parties-0-nom-erreur').innerText.trim() === ''")

    fill_adhesion(page)
    page.get_by_role("button", name="Vérifier").click()
    page.get_by_text("Aucun problème : le document peut être produit.").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "formulaire-adhesion-rempli.png"), full_page=True)

    pdf = pdf_text(downloaded(page, "Télécharger le PDF"))
    assert "CONVENTION D’ADHÉSION" in pdf
    assert "Département du Pas-de-Calais" in pdf and "Jean-Claude LEROY" in pdf
    docx = downloaded(page, "Télécharger le DOCX")
    library = render_document(
        "adhesion-centrale-achats", SAMPLES / "adhesion-centrale-achats.yaml", fmt="docx"
    )
    assert document_text(docx) == document_text(library.content)  # the text of conventum render

    saved = tmp_path / "adhesion.yaml"
    saved.write_bytes(downloaded(page, "Enregistrer les données (YAML)"))
    page.goto(f"{server.url}/formulaire/adhesion-centrale-achats")
    page.set_input_files("#donnees-yaml", str(saved))
    page.get_by_role("button", name="Charger", exact=True).click()
    assert page.input_value("#f-parties-0-nom") == "Pas-de-Calais"
    assert page.input_value("#f-parties-0-autorisation-0-date") == "2023-09-18"


MEMBERS = [
    {**PAS_DE_CALAIS},
    {
        **PAS_DE_CALAIS,
        "nom": "Nord",
        "voie": "51, rue Gustave Delory",
        "code_postal": "59047",
        "commune": "Lille",
        "prenom": "Christian",
        "nom_representant": "Poiret",
    },
    {
        **PAS_DE_CALAIS,
        "nature": "region",
        "nom": "Hauts-de-France",
        "voie": "151 boulevard du Président Hoover",
        "code_postal": "59000",
        "commune": "Lille",
        "prenom": "Xavier",
        "nom_representant": "Bertrand",
        "qualite": "president-conseil-regional",
    },
]


def test_a_groupement_of_three_members(server: Server, page: Any) -> None:
    page.goto(f"{server.url}/formulaire/groupement-commandes")
    assert page.locator("fieldset legend", has_text="Membre fondateur n°").count() == 2
    page.get_by_role("button", name="Ajouter : Membre fondateur").click()
    page.locator("fieldset legend", has_text="Membre fondateur n°3").wait_for()  # in place, no reload
    for index, member in enumerate(MEMBERS):
        fill_party(page, index, member)
    page.fill("#f-coordonnateur", "Hauts-de-France")
    page.fill("#f-objet", "mise en œuvre d’un environnement numérique de travail")
    page.fill("#f-signature-lieu", "Lille")
    text = pdf_text(downloaded(page, "Télécharger le PDF"))
    for member in ("Département du Pas-de-Calais", "Département du Nord", "Région Hauts-de-France"):
        assert member in text


def test_without_javascript(server: Server, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/formulaire/adhesion-centrale-achats")
        fill_party(page, 0, {**PAS_DE_CALAIS, "code_postal": "6201"})
        page.get_by_role("button", name="Télécharger le PDF").click()  # refused: the page comes back
        summary = page.locator("#resume")
        summary.get_by_text("problème(s) à corriger").wait_for()
        beside = page.locator("#f-parties-0-adresse-code-postal-erreur").inner_text()
        assert "cinq chiffres" in beside or "cinq chiffres" in summary.inner_text()
        assert page.input_value("#f-parties-0-nom") == "Pas-de-Calais"  # what was typed is kept
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "formulaire-sans-javascript.png"), full_page=True)
        page.fill("#f-parties-0-adresse-code-postal", "62018")
        page.select_option("#f-parties-0-autorisation-0-organe", "commission-permanente")
        page.select_option("#f-parties-0-autorisation-0-nature", "deliberation")
        page.fill("#f-parties-0-autorisation-0-date", "2023-09-18")
        page.fill("#f-signature-lieu", "Arras")
        page.fill("#f-signature-date", "2023-10-02")
        docx = downloaded(page, "Télécharger le DOCX")
        assert "Pas-de-Calais" in document_text(docx)
    finally:
        context.close()


def test_keyboard_only_reaches_every_input_with_its_label(server: Server, page: Any) -> None:
    page.goto(f"{server.url}/formulaire/adhesion-centrale-achats")
    unlabeled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(e => !(e.labels && e.labels.length)).map(e => e.name)"""
    )
    assert unlabeled == []
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id"))
    assert {"f-parties-0-nom", "f-parties-0-adresse-voie", "f-signature-lieu"} <= reached
