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
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.importfixtures import body
from tests.serve_support import Server, running_server
from tests.support import needs_libreoffice, normalise
from tests.test_hostile_word import docm
from tests.test_serve_clerk import (
    ARGS,
    CHROMIUM,
    SCREENSHOTS,
    axe_violations,
    fill_le_portel,
    new_page,
    visible_text,
)
from tests.wordsupport import FIXTURES
from tools.content_controls_fixture import build, paragraph, text_control

playwright_api = pytest.importorskip("playwright.sync_api")
# adhesion-controles.docx saved by LibreOffice as .doc and .odt, and encrypted (msoffcrypto-tool)
HOSTILE = FIXTURES / "importer"
NAME = "convention-maison"
TITLE = "Convention relative aux services numériques (modèle de la maison)"
SERVICES = "le service informatique\nle service juridique\nle service des ressources humaines"
LE_PORTEL = {
    "role": "collectivite",
    "nature": "commune",
    "nom": "Le Portel",
    "adresse": {"voie": "Place Henri Lebas", "code_postal": "62480", "commune": "Le Portel"},
    "representant": {"civilite": "Madame", "prenom": "Claire", "nom": "Dupont", "qualite": "maire"},
    "autorisation": {
        "organe": "conseil-municipal",
        "nature": "deliberation",
        "date": "2026-02-12",
        "numero": "2026-015",
    },
}


def office_convention(folder: Path) -> Path:
    """Seed 002's convention as an office writes it (its party's blanks content controls), with an
    article of its own: an amount and a service, two content controls of no party."""
    seeds = body("controles")

    def content() -> list[str]:
        paragraphs = seeds()
        closing = next(i for i, xml in enumerate(paragraphs) if "Fait en trois" in xml)
        article = [
            paragraph("Article 1 – Participation", bold=True),
            paragraph(
                "La participation annuelle de la collectivité s’élève à ",
                text_control("Montant de la participation."),
                " euros ; son suivi est confié à ",
                text_control("Service référent."),
                ".",
            ),
        ]
        return paragraphs[:closing] + article + paragraphs[closing:]

    return build(folder / "convention-maison.docx", content, footer=False)


pytestmark = [
    needs_libreoffice,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium absent (lancez ./setup.sh)"),
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("importer")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def word_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return office_convention(tmp_path_factory.mktemp("word"))


@pytest.fixture(scope="module")
def server(folder: Path) -> Iterator[Server]:
    # the server's working directory is its local types folder
    with running_server("--workers", "1", "--max-upload", "2", folder=folder) as running:
        yield running


def pdf_of(content: bytes) -> tuple[str, dict[str, Any]]:
    reader = PdfReader(io.BytesIO(content))
    text = normalise(" ".join(page.extract_text() or "" for page in reader.pages))
    return text, dict(reader.metadata or {})


def upload(page: Any, server: Server, word_file: Path) -> None:
    page.goto(f"{server.url}/importer")
    page.set_input_files("#document", str(word_file))
    page.get_by_role("button", name="Lire le modèle").click()
    page.get_by_text("Parties reconnues : 1").wait_for()


def row(page: Any, original: str) -> Any:
    return page.locator("tr", has=page.locator(f"input[name$='.origine'][value='{original}']"))


def clerk_fills(page: Any) -> None:
    """The new type's form filled from the commune's name, as a clerk fills a built-in type's."""
    # the act that authorises the party is asked at once, as in a built-in type (its paragraph cites it)
    page.locator("#f-parties-0-autorisation-0-organe").wait_for()
    assert page.locator("button[value='retirer:parties[0].autorisation[1]']").count() == 0  # one act, not two
    assert page.locator("legend", has_text="L’adhérent").count() == 1  # the party as the author named it
    fill_le_portel(page)
    page.fill("#f-participation", "1200")
    page.select_option("#f-service-referent", "le service juridique")


def undo_then_accept_the_party(page: Any) -> None:
    """Undo the party's recognition: its blanks become plain fields; then accept it again, under
    another label."""
    page.get_by_label("garder").uncheck()
    page.get_by_role("button", name="Appliquer les modifications").click()
    page.get_by_text("reconnaissance annulée").wait_for()
    assert row(page, "nom_de_l_adherent").count() == 1
    assert page.locator("aside p[id^='p-'] mark.partie").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "import-partie-annulee.png"), full_page=False)
    page.get_by_label("garder").check()
    page.get_by_label("Libellé de la partie « collectivite »").fill("L’adhérent")  # renamed as it is kept


def test_an_author_imports_renames_saves_and_a_clerk_fills_the_new_type(
    server: Server, browser: Any, folder: Path, word_file: Path
) -> None:
    page = new_page(browser)
    upload(page, server, word_file)
    # The report beside the template: the party recognised, its paragraph marked; the fields' places.
    parties = page.locator("table.parties").inner_text()
    assert "page 1, paragraphe 11" in parties and "rôle « collectivite »" in parties
    assert page.get_by_label("Libellé de la partie « collectivite »").input_value() == "La Collectivité"
    first = page.locator("aside p[id^='p-'] mark.partie").first
    assert first.inner_text() == "Partie « La Collectivité » : comparution"
    assert "page 1, paragraphe 19" in row(page, "montant_de_la_participation").locator("td.ou").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "import-rapport.png"), full_page=True)
    undo_then_accept_the_party(page)
    # Rename a field and make it an amount; make another blank a choice with its items.
    amount = row(page, "montant_de_la_participation")
    amount.locator("input[name$='.nom']").fill("participation")
    amount.locator("input[name$='.libelle']").fill("Participation annuelle")
    amount.locator("select").select_option("montant")
    service = row(page, "service_referent")
    service.locator("select").select_option("choix")
    service.locator("textarea").fill(SERVICES)
    page.fill("#nom-type", NAME)
    page.fill("#titre-type", TITLE)
    page.get_by_role("button", name="Appliquer les modifications").click()
    page.locator("aside mark[data-champ='participation']").wait_for()
    assert first.inner_text() == "Partie « L’adhérent » : comparution"
    assert page.locator("aside mark[data-champ='participation']").inner_text() == "Participation annuelle"
    assert (
        page.locator("aside p[id^='p-'] mark.partie").count() >= 1
        and row(page, "nom_de_l_adherent").count() == 0
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Enregistrer le type").click()
    page.get_by_text(f"Type « {NAME} » enregistré : version 1.").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "import-enregistre.png"), full_page=False)
    assert (folder / "schemas" / f"{NAME}.yaml").is_file()
    # At once in the list of conventions, with its form: a clerk fills it from the commune's name.
    page.goto(server.url)
    page.get_by_role("link", name=TITLE).click()
    clerk_fills(page)
    page.get_by_role("button", name="Vérifier").click()
    page.get_by_text("Aucun problème : le document peut être produit.").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "import-formulaire.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("button", name="Télécharger le PDF").click()
    text, metadata = pdf_of(Path(info.value.path()).read_bytes())
    assert "La Commune du Portel, sise Place de l’Hôtel de Ville au Portel (62480)" in text
    assert "représentée par Madame Sophie BARBARIN, sa Maire, dûment autorisée" in text
    assert "La participation annuelle de la collectivité s’élève à 1 200,00 euros" in text
    assert "son suivi est confié à le service juridique." in text
    assert "Pour la Commune du Portel," in text
    assert metadata["/Keywords"] == f"{NAME}@1"
    page.context.close()


def test_the_new_type_has_its_spreadsheet_model_and_api(server: Server) -> None:
    listed = {item["type"]: item for item in httpx.get(f"{server.url}/v1/types").json()}
    assert listed[NAME]["version"] == "1"
    schema = httpx.get(f"{server.url}/v1/types/{NAME}/schema").json()
    assert schema["properties"]["participation"]["title"] == "Participation annuelle"
    assert "parties" in schema["properties"]
    openapi = httpx.get(f"{server.url}/openapi.json").json()
    assert f"/v1/types/{NAME}/render" in openapi["paths"]
    model = httpx.get(f"{server.url}/lot/modele/{NAME}.xlsx")
    assert model.status_code == 200
    headers = [cell.value for cell in next(load_workbook(io.BytesIO(model.content)).active.iter_rows())]
    assert any("Participation annuelle" in str(header) for header in headers)


def save_in_the_browser(
    browser: Any, server: Server, word_file: Path, name: str, version: int, **names: str
) -> str:
    """The type saved from the import page, its amount renamed (``names``), and, in version 1, its
    service made a choice: the page's text once saved."""
    page = new_page(browser)
    upload(page, server, word_file)
    page.fill("#nom-type", name)
    page.get_by_role("button", name="Appliquer les modifications").click()
    row(page, "montant_de_la_participation").locator("input[name$='.nom']").fill(names["montant"])
    if version == 1:
        service = row(page, "service_referent")
        service.locator("select").select_option("choix")
        service.locator("textarea").fill(SERVICES)
    else:
        page.get_by_text("l’enregistrer en fera la version suivante").wait_for()
    page.get_by_role("button", name="Enregistrer le type").click()
    page.get_by_text(f"Type « {name} » enregistré : version {version}.").wait_for()
    text = visible_text(page)
    page.context.close()
    return text


def test_saving_again_makes_version_2_and_version_1_still_renders(
    server: Server, browser: Any, folder: Path, word_file: Path
) -> None:
    name = "convention-versionnee"
    save_in_the_browser(browser, server, word_file, name, 1, montant="participation")
    saved = save_in_the_browser(browser, server, word_file, name, 2, montant="participation_annuelle")
    assert "Les versions précédentes (1) sont gardées" in saved
    assert sorted(path.name for path in (folder / "versions" / name).iterdir()) == ["1", "2"]
    signed = {"parties": [LE_PORTEL], "signature": {"lieu": "Le Portel", "date": "2026-03-02"}}
    # Version 1 named the amount « participation », made the service a choice; version 2 did neither.
    sent = {
        "1": {**signed, "participation": "1200", "service_referent": "le service juridique"},
        "2": {**signed, "participation_annuelle": "900 €", "service_referent": "la direction des finances"},
    }
    for version, data in sent.items():
        answer = httpx.post(
            f"{server.url}/v1/types/{name}@{version}/render?format=pdf", json=data, timeout=120
        )
        assert answer.status_code == 200, answer.text
        text, metadata = pdf_of(answer.content)
        assert metadata["/Keywords"] == f"{name}@{version}"  # the document says which version made it
        report = json.loads(urllib.parse.unquote(answer.headers["X-Conventum-Rapport"]))
        assert (report["type"], report["type_version"]) == (f"{name}@{version}", version)
        assert "La Commune du Portel, sise Place Henri Lebas au Portel (62480)" in text
        assert f"son suivi est confié à {data['service_referent']}." in text
    refused = httpx.post(f"{server.url}/v1/types/{name}@1/render", json=sent["2"], timeout=60)
    assert refused.status_code == 422  # version 1 keeps its own fields and choices
    assert refused.json()["type_version"] == "1"
    assert "participation" in json.dumps(refused.json(), ensure_ascii=False)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("chiffre.docx", (HOSTILE / "chiffre.docx").read_bytes(), "protégé par un mot de passe"),
        ("ancien.docx", (HOSTILE / "ancien.doc").read_bytes(), "ancien format Word (.doc"),
        (
            "libre.docx",
            (HOSTILE / "opendocument.odt").read_bytes(),
            "document OpenDocument (text, LibreOffice)",
        ),
        ("macros.docm", docm(), "contient des macros"),
        ("vide.docx", b"", "est vide"),
        ("texte.docx", b"Ceci n'est pas un document Word.", "n’est pas un fichier Word"),
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
    assert reason in answer.text and name in answer.text
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
    assert "aucun blanc à compléter dans ce fichier" in answer.text and "rien à importer" in answer.text


def test_another_site_cannot_post_and_a_file_too_big_is_refused(server: Server, word_file: Path) -> None:
    files = {"document": ("modele.docx", word_file.read_bytes(), "application/octet-stream")}
    crossed = httpx.post(
        f"{server.url}/importer", files=files, headers={"Origin": "https://ailleurs.example"}
    )
    assert crossed.status_code == 403 and "autre origine" in crossed.text
    big = {"document": ("gros.docx", b"PK" + b"0" * 2_500_000, "application/octet-stream")}
    assert httpx.post(f"{server.url}/importer", files=big).status_code == 413


def test_a_built_in_name_or_a_bad_name_is_refused(server: Server, browser: Any, word_file: Path) -> None:
    page = new_page(browser)
    upload(page, server, word_file)
    page.fill("#nom-type", "adhesion-centrale-achats")
    page.get_by_role("button", name="Enregistrer le type").click()
    page.get_by_text("est un type intégré de conventum").wait_for()
    page.fill("#nom-type", "Médecine Préventive")
    page.get_by_role("button", name="Enregistrer le type").click()
    page.get_by_text("nom de type « Médecine Préventive » invalide").wait_for()
    row(page, "service_referent").locator("input[name$='.nom']").fill("montant_de_la_participation")
    page.get_by_role("button", name="Appliquer les modifications").click()
    problems = page.get_by_role("alert").inner_text()
    twice = "le nom « montant_de_la_participation » est donné à deux champs"
    assert f"champ « Service référent » : {twice}" in problems
    assert f"champ « Montant de la participation » : {twice}" in problems
    row(page, "service_referent").locator("input[name$='.nom']").fill("collectivite")
    page.get_by_role("button", name="Appliquer les modifications").click()
    problems = page.get_by_role("alert").inner_text()
    assert "champ « Service référent » : le nom « collectivite » est celui d’une partie du modèle" in problems
    page.screenshot(path=str(SCREENSHOTS / "import-erreurs.png"), full_page=False)
    page.context.close()
