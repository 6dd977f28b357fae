"""« Importer un modèle » in a real browser (Debian's chromium, Playwright) against a real
``conventum serve``: an author uploads an office's Word convention, reads what conventum understood
beside the template with its fields marked, renames a field, makes a blank a choice, saves; the type
is at once in the list with its form, spreadsheet model and API, and its PDF reads as filled.
Saving it again keeps the earlier version, which still makes its documents, and each document says
which version made it. Hostile files are refused with a French reason and nothing is written."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.serve_support import Server, running_server
from tests.support import needs_libreoffice, normalise
from tests.test_hostile_word import docm
from tests.test_serve_clerk import ARGS, CHROMIUM, SCREENSHOTS, axe_violations, new_page, visible_text
from tests.wordsupport import FIXTURES

playwright_api = pytest.importorskip("playwright.sync_api")
FIXTURE = FIXTURES / "adhesion-controles.docx"
HOSTILE = FIXTURES / "importer"  # the fixture saved by LibreOffice as .doc and .odt, and encrypted
NAME = "adhesion-maison"
pytestmark = [
    needs_libreoffice,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium absent (lancez ./setup.sh)"),
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("importer")


@pytest.fixture(scope="module")
def server(folder: Path) -> Iterator[Server]:
    # the server's working directory is its local types folder
    with running_server("--workers", "1", "--max-upload", "2", folder=folder) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def pdf_of(content: bytes) -> tuple[str, dict[str, Any]]:
    reader = PdfReader(io.BytesIO(content))
    text = normalise(" ".join(page.extract_text() or "" for page in reader.pages))
    return text, dict(reader.metadata or {})


def upload(page: Any, server: Server) -> None:
    page.goto(f"{server.url}/importer")
    page.set_input_files("#document", str(FIXTURE))
    page.get_by_role("button", name="Lire le modèle").click()
    page.get_by_text("Ce que conventum a compris : 10 champs").wait_for()


def row(page: Any, original: str) -> Any:
    return page.locator("tr", has=page.locator(f"input[name$='.origine'][value='{original}']"))


def fill_the_new_form(page: Any) -> None:
    page.select_option("#f-nature", label="La Commune")
    page.fill("#f-nom-adherent", "Libercourt")
    page.fill("#f-adresse", "Place de la Mairie à Libercourt (62820)")
    page.fill("#f-nom-du-representant-legal", "Madame Claire DUPONT")
    page.select_option("#f-qualite", label="Maire")
    page.select_option("#f-nom-de-l-assemblee-deliberante", "du conseil communautaire")
    page.fill("#f-date-de-la-decision", "2026-02-10")
    page.fill("#f-date-signature", "2026-03-02")
    page.fill("#f-numero-de-la-convention", "2026-014")
    page.fill("#f-signature-lieu", "Libercourt")
    page.fill("#f-signature-date", "2026-03-02")


def test_an_author_imports_renames_saves_and_a_clerk_fills_the_new_type(
    server: Server, browser: Any, folder: Path
) -> None:
    page = new_page(browser)
    upload(page, server)
    # The report beside the template: the field's place, its text marked under its label.
    place = row(page, "adresse").locator("td.ou")
    assert "« La Commune de [Nom de l’adhérent]" in place.inner_text() or "[Adresse]" in place.inner_text()
    assert page.locator("aside mark[data-champ='adresse']").first.inner_text() == "Adresse"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "import-rapport.png"), full_page=True)
    # Rename a field, relabel it; make a blank (plain text) a choice with its items.
    adherent = row(page, "nom_de_l_adherent")
    adherent.locator("input[name$='.nom']").fill("nom_adherent")
    adherent.locator("input[name$='.libelle']").fill("Nom de la collectivité adhérente")
    assembly = row(page, "nom_de_l_assemblee_deliberante")
    assembly.locator("select").select_option("choix")
    items = "du conseil municipal\ndu conseil communautaire\ndu comité syndical"
    assembly.locator("textarea").fill(items)
    page.fill("#nom-type", NAME)
    page.fill("#titre-type", "Convention d’adhésion (modèle de la maison)")
    page.get_by_role("button", name="Appliquer les modifications").click()
    page.locator("aside mark[data-champ='nom_adherent']").first.wait_for()
    assert page.locator("aside mark[data-champ='nom_adherent']").first.inner_text() == (
        "Nom de la collectivité adhérente"
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Enregistrer le type").click()
    page.get_by_text(f"Type « {NAME} » enregistré : version 1.").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "import-enregistre.png"), full_page=False)
    assert (folder / "schemas" / f"{NAME}.yaml").is_file()
    # At once in the list of conventions, with its form.
    page.goto(server.url)
    page.get_by_role("link", name="Convention d’adhésion (modèle de la maison)").click()
    fill_the_new_form(page)
    page.get_by_role("button", name="Vérifier").click()
    page.get_by_text("Aucun problème : le document peut être produit.").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "import-formulaire.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("button", name="Télécharger le PDF").click()
    text, metadata = pdf_of(Path(info.value.path()).read_bytes())
    assert "La Commune de Libercourt, sise Place de la Mairie à Libercourt (62820)" in text
    assert "représentée par Madame Claire DUPONT" in text
    assert "du conseil communautaire" in text
    assert metadata["/Keywords"] == f"{NAME}@1"
    page.context.close()


def test_the_new_type_has_its_spreadsheet_model_and_api(server: Server) -> None:
    listed = {item["type"]: item for item in httpx.get(f"{server.url}/v1/types").json()}
    assert listed[NAME]["version"] == "1"
    schema = httpx.get(f"{server.url}/v1/types/{NAME}/schema").json()
    assert schema["properties"]["nom_adherent"]["title"] == "Nom de la collectivité adhérente"
    openapi = httpx.get(f"{server.url}/openapi.json").json()
    assert f"/v1/types/{NAME}/render" in openapi["paths"]
    model = httpx.get(f"{server.url}/lot/modele/{NAME}.xlsx")
    assert model.status_code == 200
    headers = [cell.value for cell in next(load_workbook(io.BytesIO(model.content)).active.iter_rows())]
    assert any("Nom de la collectivité adhérente" in str(header) for header in headers)


def test_saving_again_makes_version_2_and_version_1_still_renders(
    server: Server, browser: Any, folder: Path
) -> None:
    page = new_page(browser)
    upload(page, server)
    page.fill("#nom-type", NAME)
    adherent = row(page, "nom_de_l_adherent")
    adherent.locator("input[name$='.nom']").fill("nom_adherent")
    adherent.locator("input[name$='.libelle']").fill("Collectivité adhérente")
    page.get_by_role("button", name="Appliquer les modifications").click()
    page.get_by_text("l’enregistrer en fera la version suivante").wait_for()
    page.get_by_role("button", name="Enregistrer le type").click()
    page.get_by_text(f"Type « {NAME} » enregistré : version 2.").wait_for()
    assert "Les versions précédentes (1) sont gardées" in visible_text(page)
    page.context.close()
    assert sorted(path.name for path in (folder / "versions" / NAME).iterdir()) == ["1", "2"]
    data = {
        "nature": "commune",
        "nom_adherent": "Libercourt",
        "adresse": "Place de la Mairie à Libercourt (62820)",
        "nom_du_representant_legal": "Madame Claire DUPONT",
        "qualite": "maire",
        "nom_de_l_assemblee_deliberante": "du conseil municipal",
        "date_de_la_decision": "2026-02-10",
        "date_signature": "2026-03-02",
        "numero_de_la_convention": "2026-014",
    }
    # Version 1 made the assembly a choice; version 2 (saved from the file again) left it free text.
    for version, assembly in (("1", "du conseil communautaire"), ("2", "de l’assemblée de la structure")):
        answer = httpx.post(
            f"{server.url}/v1/types/{NAME}@{version}/render?format=pdf",
            json={**data, "nom_de_l_assemblee_deliberante": assembly},
            timeout=120,
        )
        assert answer.status_code == 200, answer.text
        text, metadata = pdf_of(answer.content)
        assert metadata["/Keywords"] == f"{NAME}@{version}"  # the document says which version made it
        assert f"par délibération {assembly}" in text or assembly in text
    refused = httpx.post(
        f"{server.url}/v1/types/{NAME}@1/render",
        json={**data, "nom_de_l_assemblee_deliberante": "de l’assemblée de la structure"},
        timeout=60,
    )
    assert refused.status_code == 422  # version 1 keeps its choice's items
    assert "nom_de_l_assemblee_deliberante" in json.dumps(refused.json(), ensure_ascii=False)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("chiffre.docx", (HOSTILE / "chiffre.docx").read_bytes(), "protégé par un mot de passe"),
        ("ancien.docx", (HOSTILE / "ancien.doc").read_bytes(), "ancien format (.doc)"),
        (
            "libre.docx",
            (HOSTILE / "opendocument.odt").read_bytes(),
            "OpenDocument (LibreOffice, .odt) renommé",
        ),
        ("macros.docm", docm(), "contient des macros"),
        ("vide.docx", b"", "est vide"),
        ("texte.docx", b"Ceci n'est pas un document Word.", "n’est pas un document Word"),
    ],
)
def test_hostile_files_are_refused_in_french_and_nothing_is_written(
    server: Server, folder: Path, name: str, content: bytes, reason: str
) -> None:
    before = sorted(str(path) for path in folder.rglob("*.yaml"))
    answer = httpx.post(
        f"{server.url}/importer",
        files={"document": (name, content, "application/octet-stream")},
        data={"type": "piege", "action": "enregistrer"},
        headers={"Origin": server.url},
    )
    assert answer.status_code in (400, 422)
    assert reason in answer.text and f"« {name} »" in answer.text
    assert sorted(str(path) for path in folder.rglob("*.yaml")) == before


def test_a_word_file_without_any_field_says_there_is_nothing_to_import(server: Server) -> None:
    empty = io.BytesIO()
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("Convention sans aucun champ à remplir.")
    document.save(empty)
    answer = httpx.post(
        f"{server.url}/importer",
        files={"document": ("sans-champ.docx", empty.getvalue(), "application/octet-stream")},
    )
    assert answer.status_code == 422
    assert "ne contient aucun champ à importer" in answer.text


def test_another_site_cannot_post_and_a_file_too_big_is_refused(server: Server) -> None:
    files = {"document": ("modele.docx", FIXTURE.read_bytes(), "application/octet-stream")}
    crossed = httpx.post(
        f"{server.url}/importer", files=files, headers={"Origin": "https://ailleurs.example"}
    )
    assert crossed.status_code == 403 and "autre origine" in crossed.text
    big = {"document": ("gros.docx", b"PK" + b"0" * 2_500_000, "application/octet-stream")}
    assert httpx.post(f"{server.url}/importer", files=big).status_code == 413


def test_a_built_in_name_or_a_bad_name_is_refused(server: Server, browser: Any) -> None:
    page = new_page(browser)
    upload(page, server)
    page.fill("#nom-type", "adhesion-centrale-achats")
    page.get_by_role("button", name="Enregistrer le type").click()
    page.get_by_text("est un type intégré de conventum").wait_for()
    page.fill("#nom-type", "Médecine Préventive")
    page.get_by_role("button", name="Enregistrer le type").click()
    page.get_by_text("nom de type « Médecine Préventive » invalide").wait_for()
    adherent = row(page, "nom_de_l_adherent")
    adherent.locator("input[name$='.nom']").fill("adresse")
    page.get_by_role("button", name="Appliquer les modifications").click()
    page.get_by_text("le nom « adresse » est donné à deux champs").first.wait_for()
    problems = page.get_by_role("alert").inner_text()
    assert "champ « Nom de l’adhérent » : le nom « adresse » est donné à deux champs" in problems
    assert "champ « Adresse » : le nom « adresse » est donné à deux champs" in problems
    page.screenshot(path=str(SCREENSHOTS / "import-erreurs.png"), full_page=False)
    page.context.close()
