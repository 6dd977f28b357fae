"""The clerk's door in a real browser (Debian's chromium, Playwright) against a real ``conventum
serve``: a secrétaire de mairie starts from the commune's name, sees each problem at its field as
soon as it can be known, adds blocks in place, downloads a PDF named after the partner; every page
and state passes axe-core; every type's form offers each choice once and only those that fit."""

from __future__ import annotations

import io
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from conventum.model.catalogue import available_types, load_type
from conventum.validation.validation import validate
from tests.serve_support import Server, running_server
from tests.support import SAMPLES, needs_libreoffice, normalise

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "out" / "captures"
TYPES = sorted(available_types())
# What a clerk must never read: a field path or an issue code.
TECHNICAL = re.compile(
    r"\w\[\d+\]|\b(?:field|parties|geo|dates|annexes|votes|services|calcul|montants|seance)\.[a-z_]+\b"
)
pytestmark = [
    needs_libreoffice,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium absent (lancez ./setup.sh)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server("--workers", "1", folder=tmp_path_factory.mktemp("clerk")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def new_page(browser: Any, width: int = 1280) -> Any:
    context = browser.new_context(
        accept_downloads=True, locale="fr-FR", viewport={"width": width, "height": 900}
    )
    return context.new_page()


def axe_violations(page: Any) -> list[str]:
    """axe-core's violations on the page as it is now (WCAG 2.x A and AA, best practices)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in found]


def visible_text(page: Any) -> str:
    return str(page.inner_text("body"))


def pdf_text(content: bytes) -> str:
    return normalise(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages))


def choose_commune(page: Any, typed: str, label: str) -> None:
    page.fill("#f-parties-0-nom", "")
    page.locator("#f-parties-0-nom").press_sequentially(typed, delay=40)
    page.get_by_role("option", name=label).click()


def fill_le_portel(page: Any) -> None:
    """The adhesion for Le Portel, from « Le Por »: the geography fills the rest of the party."""
    choose_commune(page, "Le Por", "Le Portel (62480) — Pas-de-Calais")
    assert page.input_value("#f-parties-0-nature") == "commune"
    assert page.input_value("#f-parties-0-adresse-code-postal") == "62480"
    assert page.input_value("#f-parties-0-adresse-commune") == "Le Portel"
    # The official codes are shown, not typed: their text follows the geography's choice.
    assert page.locator('[data-montre="parties[0].insee"]').text_content() == "62667"
    assert page.input_value('input[type=hidden][name="parties[0].insee"]') == "62667"
    assert page.locator("input:not([type=hidden])[name='parties[0].insee']").count() == 0
    page.fill("#f-parties-0-adresse-voie", "Place de l’Hôtel de Ville")
    page.select_option("#f-parties-0-representant-civilite", "Madame")
    page.fill("#f-parties-0-representant-prenom", "Sophie")
    page.fill("#f-parties-0-representant-nom", "Barbarin")
    page.select_option("#f-parties-0-representant-qualite", "maire")
    page.select_option("#f-parties-0-autorisation-0-organe", "conseil-municipal")
    page.fill("#f-parties-0-autorisation-0-date", "2026-02-10")
    page.fill("#f-parties-0-autorisation-0-numero", "2026-12")
    page.fill("#f-signature-lieu", "Le Portel")
    page.fill("#f-signature-date", "2026-03-02")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_clerk_starts_from_the_commune(server: Server, browser: Any, width: int) -> None:
    page = new_page(browser, width)
    page.goto(f"{server.url}/formulaire/adhesion-centrale-achats")
    # The postal code checked as soon as it is left, while everything else is still empty.
    page.fill("#f-parties-0-adresse-code-postal", "6282")
    page.keyboard.press("Tab")
    beside = page.locator("#f-parties-0-adresse-code-postal-erreur")
    beside.get_by_text("cinq chiffres").wait_for()
    field = page.locator("#f-parties-0-adresse-code-postal")
    assert field.get_attribute("aria-invalid") == "true"
    assert "f-parties-0-adresse-code-postal-erreur" in (field.get_attribute("aria-describedby") or "")
    assert field.evaluate("e => getComputedStyle(e).borderTopColor") == "rgb(176, 0, 32)"
    assert not TECHNICAL.search(visible_text(page))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"clerc-code-postal-{width}.png"))

    fill_le_portel(page)
    page.keyboard.press("Tab")
    page.wait_for_function(
        "!document.querySelector('#f-parties-0-adresse-code-postal').hasAttribute('aria-invalid')"
    )
    # Madame: the qualités agree; only those of a commune are offered.
    shown = page.evaluate(
        "[...document.querySelectorAll('#f-parties-0-representant-qualite option')]"
        ".filter(o => !o.hidden && o.value).map(o => o.textContent)"
    )
    assert "Maire" in shown and "Adjointe déléguée" in shown
    assert not any("Président" in label for label in shown)
    page.get_by_role("button", name="Vérifier").click()
    page.get_by_text("Aucun problème : le document peut être produit.").wait_for()
    page.screenshot(path=str(SCREENSHOTS / f"clerc-le-portel-{width}.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("button", name="Télécharger le PDF").click()
    assert info.value.suggested_filename == "convention-adhesion-commune-du-portel-2026-03-02.pdf"
    text = pdf_text(Path(info.value.path()).read_bytes())
    assert "Commune du Portel" in text
    assert "Sophie BARBARIN" in text
    assert "Maire" in text
    page.context.close()


def test_keyboard_only(server: Server, browser: Any) -> None:
    page = new_page(browser)
    page.goto(f"{server.url}/formulaire/adhesion-centrale-achats")
    page.locator("#f-parties-0-nom").focus()
    page.keyboard.type("Le Portel")
    page.locator("#f-parties-0-nom-liste [role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.input_value("#f-parties-0-adresse-commune") == "Le Portel"
    assert page.evaluate("document.activeElement.id") == "f-parties-0-adresse-voie"
    # Tab to « Ajouter : Autorisation de signer », Enter: the new block is there, focus inside it.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Ajouter : Autorisation de signer":
            break
    else:
        pytest.fail("« Ajouter » jamais atteint au clavier")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'f-parties-0-autorisation-1-organe'")
    assert page.input_value("#f-parties-0-adresse-commune") == "Le Portel"  # nothing typed is lost
    # Space ticks a checkbox.
    page.locator("#f-parties-0-adresse-cedex").focus()
    page.keyboard.press("Space")
    assert page.is_checked("#f-parties-0-adresse-cedex")
    page.context.close()


def test_every_page_and_state_passes_axe(server: Server, browser: Any) -> None:
    page = new_page(browser)
    states: dict[str, list[str]] = {}
    page.goto(server.url)
    states["accueil"] = axe_violations(page)
    page.goto(f"{server.url}/type/adhesion-centrale-achats")
    states["page du type"] = axe_violations(page)
    page.goto(f"{server.url}/lot")
    states["lot"] = axe_violations(page)
    page.goto(f"{server.url}/nulle-part")
    states["404"] = axe_violations(page)
    for name in TYPES:
        page.goto(f"{server.url}/formulaire/{name}")
        states[f"{name} vide"] = axe_violations(page)
    page.goto(f"{server.url}/formulaire/adhesion-centrale-achats")
    page.locator("#f-parties-0-nom").press_sequentially("Le Por", delay=30)
    page.locator("#f-parties-0-nom-liste [role=option]").first.wait_for()
    states["suggestions ouvertes"] = axe_violations(page)
    page.get_by_role("option", name="Le Portel (62480) — Pas-de-Calais").click()
    page.fill("#f-parties-0-adresse-code-postal", "6282")
    page.keyboard.press("Tab")
    page.locator("#f-parties-0-adresse-code-postal-erreur").get_by_text("cinq chiffres").wait_for()
    states["erreur de champ"] = axe_violations(page)
    page.locator("details.avance summary").first.click()
    states["informations avancées"] = axe_violations(page)
    page.get_by_role("button", name="Vérifier").click()
    page.locator("#resume").wait_for()
    states["résumé des problèmes"] = axe_violations(page)
    # A délibération loaded from its file: members by name, the presence table and the lists opened.
    page.goto(f"{server.url}/formulaire/deliberation")
    page.set_input_files("#donnees-yaml", str(SAMPLES / "deliberation-2023-338.yaml"))
    page.get_by_role("button", name="Charger", exact=True).click()
    page.locator(".presence summary").click()
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    states["délibération chargée"] = axe_violations(page)
    page.goto(f"{server.url}/dossier")
    states["dossier vide"] = axe_violations(page)
    page.set_input_files("#dossier-donnees", str(SAMPLES / "dossier-2023-338.yaml"))
    page.get_by_role("button", name="Charger dans le formulaire").click()
    page.locator("#f-convention-donnees-parties-0-nom").wait_for()
    states["dossier chargé"] = axe_violations(page)
    assert {state: found for state, found in states.items() if found} == {}


@pytest.mark.parametrize("name", TYPES)
def test_each_type_form_offers_each_choice_once_and_shows_no_path(
    server: Server, browser: Any, name: str
) -> None:
    page = new_page(browser)
    page.goto(f"{server.url}/formulaire/{name}")
    page.screenshot(path=str(SCREENSHOTS / f"type-{name}.png"), full_page=True)
    selects = page.evaluate(
        """() => [...document.querySelectorAll('select')].map(s => ({id: s.id,
            options: [...s.options].filter(o => !o.hidden).map(o => [o.value, o.textContent.trim()])}))"""
    )
    for select in selects:
        values = [value for value, _label in select["options"]]
        labels = [label for _value, label in select["options"]]
        assert len(values) == len(set(values)), (select["id"], values)
        assert len(labels) == len(set(labels)), (select["id"], labels)
    page.get_by_role("button", name="Vérifier").click()
    page.locator("#regles h2").wait_for()
    assert not TECHNICAL.search(visible_text(page)), TECHNICAL.search(visible_text(page))
    page.context.close()


@pytest.mark.parametrize("name", TYPES)
def test_no_choice_a_rule_would_refuse(name: str) -> None:
    """For each nature a party of each role may have, the qualités and organs the form shows for it:
    the rules accept every one (validated through ``validate``, whatever else is missing)."""
    from conventum.model.json_schema import json_schema
    from conventum.serve.formfields import find_field
    from conventum.serve.partyform import new_party
    from conventum.serve.schemaform import SchemaForm

    ctype = load_type(name)
    form = SchemaForm(ctype, json_schema(ctype))
    for role in ctype.roles:
        if ctype.default_party(role, {}) is not None:
            continue
        natures_field = find_field(
            form.fields({"parties": [new_party(ctype, role.role)]}), "parties[0].nature"
        )
        assert natures_field is not None
        for nature in [option.value for option in natures_field.shown_options]:
            party = {**new_party(ctype, role.role), "nature": nature}
            fields = form.fields({"parties": [party]})
            quality = find_field(fields, "parties[0].representant.qualite")
            assert quality is not None
            for option in quality.shown_options:
                data = {"parties": [{**party, "nom": "Essai", "representant": {"qualite": option.value}}]}
                codes = {issue.code for issue in validate(ctype, data).issues}
                assert "parties.qualite_nature" not in codes, (role.role, nature, option.value)
                assert "parties.nature_non_prevue" not in codes, (role.role, nature)
            authority = find_field(fields, "parties[0].representant.delegation.autorite")
            for option in authority.shown_options if authority is not None else []:
                person = {"prenom": "Anne", "nom": "Essai", "qualite": "vice-president"}
                person["delegation"] = {"autorite": option.value}
                data = {"parties": [{**party, "nom": "Essai", "representant": person}]}
                codes = {issue.code for issue in validate(ctype, data).issues}
                assert "parties.delegation_autorite" not in codes, (role.role, nature, option.value)


def test_geography_search_bounds(server: Server) -> None:
    with server.client() as client:
        found = client.get("/geographie", params={"q": "Le Por"}).json()["resultats"]
        assert "Le Portel (62480) — Pas-de-Calais" in [place["libelle"] for place in found]
        assert client.get("/geographie", params={"q": "246200729"}).json()["resultats"][0]["nature"] == (
            "communaute-d-agglomeration"
        )
        short = client.get("/geographie", params={"q": "L"})
        assert short.status_code == 200 and "au moins 2 caractères" in short.json()["message"]
        long = client.get("/geographie", params={"q": "x" * 10_000})
        assert long.status_code == 400 and "80 au plus" in long.json()["message"]
        none = client.get("/geographie", params={"q": "Zzyzzyx"}).json()
        assert none["resultats"] == [] and "Aucune collectivité" in none["message"]
        answers = [client.get("/geographie", params={"q": "Arras"}).status_code for _ in range(40)]
        assert 429 in answers  # past the allowance, the client waits
        assert client.get("/health").status_code == 200  # the server keeps serving


def test_hostile_input_is_shown_as_text(server: Server, browser: Any) -> None:
    page = new_page(browser)
    page.goto(f"{server.url}/formulaire/adhesion-centrale-achats")
    hostile = "<script>window.pirate = 1</script><img src=x onerror=window.pirate=2>Libercourtt"
    page.select_option("#f-parties-0-nature", "commune")
    page.fill("#f-parties-0-nom", hostile)
    page.keyboard.press("Tab")
    beside = page.locator("#f-parties-0-nom-erreur")
    beside.get_by_text("n’est le nom d’aucune commune").wait_for()
    assert "<script>" in beside.inner_text()  # written as text
    page.get_by_role("button", name="Vérifier").click()
    page.locator("#resume").wait_for()
    assert page.evaluate("typeof window.pirate") == "undefined"
    assert page.input_value("#f-parties-0-nom") == hostile
    page.context.close()


def test_preview_and_its_limit(server: Server, browser: Any) -> None:
    page = new_page(browser)
    page.goto(f"{server.url}/formulaire/adhesion-centrale-achats")
    fill_le_portel(page)
    page.get_by_role("button", name="Actualiser l’aperçu").click()
    page.locator("#apercu img").first.wait_for(timeout=60_000)
    assert page.locator("#apercu img").count() >= 2
    page.screenshot(path=str(SCREENSHOTS / "clerc-apercu.png"), full_page=False)
    page.context.close()
    form = {"parties[0].role": "adherent", "parties[0].nom": "Le Portel"}
    with server.client() as client:
        started = time.monotonic()
        answers = [
            client.post("/formulaire/adhesion-centrale-achats/apercu", data=form).text for _ in range(50)
        ]
        assert time.monotonic() - started < 30
        assert any("trop souvent" in answer for answer in answers)
        assert client.get("/health").status_code == 200


def test_a_file_that_is_not_yaml(server: Server, tmp_path: Path) -> None:
    with server.client() as client:
        files = {"donnees": ("donnees.yaml", b"\x89PNG\r\n\x1a\n\x00\x00binaire", "application/yaml")}
        answer = client.post("/formulaire/adhesion-centrale-achats/charger", files=files)
        assert answer.status_code == 400
        assert "UTF-8" in answer.text or "YAML" in answer.text
        files = {"donnees": ("donnees.yaml", b"parties: [\n  - a: b\n   c: d", "application/yaml")}
        answer = client.post("/formulaire/adhesion-centrale-achats/charger", files=files)
        assert answer.status_code == 400 and "mal formé" in answer.text
        assert not re.search(r"expected|found|mapping", answer.text)  # PyYAML's English stays out
        assert httpx.get(f"{server.url}/health").status_code == 200


def test_the_dossier_page(server: Server) -> None:
    sample = (SAMPLES / "dossier-2023-338.yaml").read_bytes()
    with server.client() as client:
        assert "Fichier du dossier" in client.get("/dossier").text
        assert client.get("/dossier/exemple.yaml").content == sample
        made = client.post("/dossier", files={"donnees": ("dossier.yaml", sample, "application/yaml")})
        assert made.status_code == 200 and made.headers["content-type"] == "application/pdf"
        text = pdf_text(made.content)
        assert "DÉLIBÉRATION" in text.upper() and "CONVENTION D’ADHÉSION" in text.upper()
        wrong = sample.replace(b'code_postal: "62018"', b'code_postal: "6201"')
        refused = client.post("/dossier", files={"donnees": ("dossier.yaml", wrong, "application/yaml")})
        assert refused.status_code == 422
        assert "Convention : Le code postal « 6201 »" in refused.text
        assert not TECHNICAL.search(re.sub(r"<[^>]+>", " ", refused.text))


def test_the_dossier_form_makes_the_pdf(server: Server, browser: Any) -> None:
    """The dossier loaded into its form, one field changed by hand, made: the PDF reads the change."""
    page = new_page(browser)
    page.goto(f"{server.url}/dossier")
    page.set_input_files("#dossier-donnees", str(SAMPLES / "dossier-2023-338.yaml"))
    page.get_by_role("button", name="Charger dans le formulaire").click()
    page.fill("#f-convention-donnees-parties-0-representant-prenom", "Jean-Claudette")
    page.keyboard.press("Tab")
    with page.expect_download() as info:
        page.get_by_role("button", name="Produire le dossier (PDF)").click()
    text = pdf_text(Path(info.value.path()).read_bytes())
    assert "DÉLIBÉRATION" in text.upper() and "CONVENTION D’ADHÉSION" in text.upper()
    assert "Jean-Claudette LEROY" in text
    page.screenshot(path=str(SCREENSHOTS / "dossier-charge.png"), full_page=True)
    page.context.close()


def test_the_batch_pages_speak_the_clerks_language(server: Server, browser: Any) -> None:
    with server.client() as client:
        model = client.get("/lot/modele/services-numeriques.xlsx")
        assert model.status_code == 200 and model.content.startswith(b"PK")
    rows = (SAMPLES / "batch" / "membres.csv").read_text("utf-8").replace(";62150;", ";6215;")
    sheet = Path(SCREENSHOTS.parent / "membres-erreur.csv")
    sheet.parent.mkdir(parents=True, exist_ok=True)
    sheet.write_text(rows, "utf-8")
    page = new_page(browser)
    page.goto(f"{server.url}/lot?type=services-numeriques")
    page.get_by_role(
        "link", name=re.compile("Tableur modèle : Convention relative aux prestations")
    ).wait_for()
    page.set_input_files("#lot-tableur", str(sheet))
    page.set_input_files("#lot-commun", str(SAMPLES / "batch" / "commun.yaml"))
    page.get_by_role("button", name="Lancer le lot").click()
    page.get_by_text("Rapport ligne par ligne").wait_for(timeout=120_000)
    report = page.inner_text("table")
    assert "Colonne C : Le code postal « 6215 »" in report  # the column a clerk sees, not a path
    assert not TECHNICAL.search(report)
    assert page.get_by_role("link", name=re.compile(r"^Ruitz-.*\.docx$")).count() == 1
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^Ruitz-.*\.docx$")).click()
    assert Path(info.value.path()).read_bytes().startswith(b"PK")
    assert axe_violations(page) == []
    page.context.close()
