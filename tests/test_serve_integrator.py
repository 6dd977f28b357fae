"""The integrator's door, through a real ``conventum serve`` on loopback: the register over HTTP
(list, show, résiliation, calendar subscription with its token), the same answers as the command
line for the same inputs, the full report of a rendered document, and Schemathesis run against the
OpenAPI document (no server error, every answer as documented)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import typing
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from click.testing import CliRunner, Result
from icalendar import Calendar

from conventum.cli import main
from tests.serve_support import Server, running_server
from tests.support import SAMPLES, needs_libreoffice, sample

pytestmark = needs_libreoffice
TOKEN = "jeton-integrateur-51c3"
TODAY = "2026-01-01"


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite register holding Ruitz (services) and the Département's platform."""
    folder = tmp_path_factory.mktemp("registre")
    base = folder / "registre.sqlite"
    ruitz = sample("services-numeriques")
    ruitz["parties"][0] = {**ruitz["parties"][0], "siren": "216207274", "insee": "62727"}
    (folder / "ruitz.yaml").write_text(yaml.safe_dump(ruitz, allow_unicode=True), encoding="utf-8")
    for name, data in (
        ("services-numeriques", folder / "ruitz.yaml"),
        ("plateforme-dematerialisation", SAMPLES / "plateforme-dematerialisation.yaml"),
    ):
        assert cli("registre", "ajouter", name, str(data), "--base", str(base)).exit_code == 0
    return base


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, register: Path) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve-integrateur")
    (folder / "jetons.txt").write_text(f"{TOKEN}\n")
    options = ("--workers", "1", "--token-file", "jetons.txt", "--registre", str(register))
    with running_server(*options, folder=folder, token=TOKEN) as running:
        yield running


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http


def cli_json(*args: str) -> Any:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- the register over HTTP ---------------------------------------------------------------------


def test_the_register_reads_the_same_through_both_doors(client: httpx.Client, register: Path) -> None:
    base = str(register)
    for query, options in (
        ({}, []),
        ({"partenaire": "RUITZ"}, ["--partenaire", "RUITZ"]),
        ({"partenaire": "62727"}, ["--partenaire", "62727"]),
        ({"partenaire": "%' OR '1'='1"}, ["--partenaire", "%' OR '1'='1"]),
        ({"type": "plateforme-dematerialisation"}, ["--type", "plateforme-dematerialisation"]),
        ({"echeance_avant": "30/06/2027"}, ["--echeance-avant", "30/06/2027"]),
    ):
        answer = client.get("/v1/registre", params={**query, "aujourdhui": TODAY})
        assert answer.status_code == 200, answer.text
        command = cli_json(
            "registre", "liste", "--format", "json", "--today", TODAY, "--base", base, *options
        )
        assert answer.json() == command, query
    listed = client.get("/v1/registre", params={"partenaire": "ruitz", "aujourdhui": TODAY}).json()
    assert [c["partenaire"] for c in listed["conventions"]] == ["Commune de Ruitz"]
    shown = client.get("/v1/registre/1", params={"aujourdhui": "01/01/2026"}).json()
    assert shown == cli_json("registre", "montre", "1", "--format", "json", "--today", TODAY, "--base", base)
    assert shown["modele_sha256"] and shown["parties"][0]["siren"] == "216207274"


def test_register_errors_have_their_status_and_french(client: httpx.Client) -> None:
    for numero in ("99", "99999999999999999999"):
        answer = client.get(f"/v1/registre/{numero}")
        assert answer.status_code == 404
        assert answer.json()["erreur"]["message"].startswith(f"aucune convention n°{numero}")
    answer = client.get("/v1/registre/un")
    assert answer.status_code == 400 and "« numero » vaut « un »" in answer.json()["erreur"]["message"]
    answer = client.get("/v1/registre", params={"echeance_avant": "31/02/2027"})
    assert answer.status_code == 400
    assert answer.json()["erreur"]["message"] == (
        "Le paramètre « echeance_avant » n’est pas une date : le 31 février 2027 n’existe pas."
    )
    early = client.post("/v1/registre/1/resiliation", json={"date": "2020-01-01", "motif": "essai"})
    assert early.status_code == 422 and "précède la signature" in early.json()["erreur"]["message"]
    missing = client.post("/v1/registre/1/resiliation", json={"date": "2026-12-31"})
    assert missing.status_code == 400 and "« motif »" in missing.json()["erreur"]["message"]
    assert client.get("/v1/registre/1").json()["statut"] == "en_cours"  # nothing changed


def test_termination_over_http_cancels_the_subscribed_events(server: Server, client: httpx.Client) -> None:
    url = f"{server.url}/v1/registre/echeances.ics"
    refused = httpx.get(url)  # a calendar client without the token
    assert refused.status_code == 401 and "?jeton=" in refused.json()["erreur"]["message"]
    assert httpx.get(url, params={"jeton": "faux"}).status_code == 401
    before = httpx.get(url, params={"jeton": TOKEN})
    assert before.status_code == 200 and before.headers["content-type"].startswith("text/calendar")
    ended = client.post(
        "/v1/registre/2/resiliation", json={"date": "31/12/2026", "motif": "Délibération du 3 décembre 2026"}
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["statut"] == "resiliee" and ended.json()["echeances"] == []
    again = client.post("/v1/registre/2/resiliation", json={"date": "2027-01-31", "motif": "encore"})
    assert again.status_code == 409 and "déjà résiliée" in again.json()["erreur"]["message"]
    after = Calendar.from_ical(httpx.get(url, params={"jeton": TOKEN}).content)
    events = [e for e in after.walk("VEVENT") if "Département du Pas-de-Calais" in str(e["SUMMARY"])]
    assert events and all(str(e["STATUS"]) == "CANCELLED" for e in events)
    old = {str(e["UID"]): int(str(e["SEQUENCE"])) for e in Calendar.from_ical(before.content).walk("VEVENT")}
    assert all(int(str(e["SEQUENCE"])) > old[str(e["UID"])] for e in events)
    page = client.get("/registre", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Commune de Ruitz" in page.text and "résiliée" in page.text
    assert "14/06/2027" in page.text or "prochaine" in page.text.lower() or "2027" in page.text


def test_the_page_form_refuses_in_french_and_changes_nothing(server: Server, client: httpx.Client) -> None:
    form = {"date": "2020-01-01", "motif": "essai"}
    page = {"Accept": "text/html", "Origin": server.url}
    early = client.post("/registre/1/resiliation", data=form, headers=page)
    assert early.status_code == 422 and "précède la signature" in early.text and "<h1>" in early.text
    empty = client.post("/registre/1/resiliation", data={"date": "2026-12-31"}, headers=page)
    assert empty.status_code == 400 and "« motif »" in empty.text
    elsewhere = client.post(
        "/registre/1/resiliation",
        data={**form, "date": "2026-12-31"},
        headers={**page, "Origin": "https://ailleurs.example"},
    )
    assert elsewhere.status_code == 403
    assert client.post("/registre/99/resiliation", data=form, headers=page).status_code == 404
    assert client.get("/v1/registre/1").json()["statut"] == "en_cours"  # nothing changed


# --- one behaviour, two doors -------------------------------------------------------------------

PARITY = [  # (type, sample changes, today): each as the CLI and the API check it
    ("services-numeriques", {}, "31/12/2025"),
    ("services-numeriques", {}, "2025-12-31"),
    ("services-numeriques", {"signature": {"lieu": "Ruitz", "date": "2027-01-01"}}, "2026-01-01"),
    ("plateforme-dematerialisation", {"agents": -3}, "2026-01-01"),
    ("adhesion-centrale-achats", {"parties": []}, None),
]


@pytest.mark.parametrize(("type_name", "changes", "today"), PARITY)
def test_validate_answers_as_the_command(
    client: httpx.Client, tmp_path: Path, type_name: str, changes: dict[str, Any], today: str | None
) -> None:
    data = {**sample(type_name), **changes}
    path = tmp_path / "donnees.json"
    path.write_text(json.dumps(data, default=str, ensure_ascii=False), encoding="utf-8")
    options = ["--today", today] if today else []
    result = cli("validate", type_name, str(path), "--format", "json", *options)
    command = json.loads(result.stdout)
    params = {"today": today} if today else {}
    answer = client.post(f"/v1/types/{type_name}/validate", params=params, content=path.read_bytes(),
                         headers={"Content-Type": "application/json"})  # fmt: skip
    assert answer.status_code == 200, answer.text
    over_http = answer.json()
    for report in (command, over_http):
        report.pop("type", None)
        report.pop("strict", None)
    assert over_http == command


def test_bad_values_read_as_the_command_says_them(client: httpx.Client) -> None:
    body = sample_json("services-numeriques")
    answer = client.post("/v1/types/services-numeriques/render", params={"format": "odt"}, content=body)
    assert answer.status_code == 400
    assert answer.json()["erreur"]["message"] == (
        "Le paramètre « format » vaut « odt » ; valeurs possibles : pdf, docx."
    )
    answer = client.post("/v1/types/services-numeriques/validate", params={"today": "fin 2025"}, content=body)
    assert answer.status_code == 400 and "« today » n’est pas une date" in answer.json()["erreur"]["message"]
    command = cli(
        "validate", "services-numeriques", str(SAMPLES / "services-numeriques.yaml"), "--today", "fin 2025"
    )
    assert command.exit_code == 2
    # the same reason, worded once for both doors
    reason = answer.json()["erreur"]["message"].split(" : ", 1)[1].rstrip(".")
    assert reason in command.stderr


def sample_json(name: str) -> bytes:
    return json.dumps(sample(name), default=str, ensure_ascii=False).encode()


def test_a_rendered_document_carries_its_full_report(client: httpx.Client) -> None:
    data = sample("services-numeriques")
    answer = client.post(
        "/v1/types/services-numeriques/render",
        params={"format": "docx", "today": "31/12/2025"},
        content=json.dumps(data, default=str, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.content[:2] == b"PK"
    report = json.loads(urllib.parse.unquote(answer.headers["X-Conventum-Rapport"]))
    assert report["valide"] is True and report["type"] == "services-numeriques"
    assert report["avertissements"] == int(answer.headers["X-Conventum-Avertissements"])
    assert len(report["problemes"]) == report["avertissements"]


# --- the OpenAPI document, proved by Schemathesis -------------------------------------------------


def test_openapi_tells_the_truth(client: httpx.Client) -> None:
    document = client.get("/openapi.json").json()
    render = document["paths"]["/v1/types/services-numeriques/render"]["post"]
    assert render["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Donnees_services_numeriques"
    }
    assert render["requestBody"]["content"]["application/json"]["example"]["parties"][0]["nom"] == "Ruitz"
    assert set(render["responses"]["200"]["content"]) == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    zipped = document["paths"]["/v1/batches/{job_id}/documents.zip"]["get"]["responses"]["200"]
    assert list(zipped["content"]) == ["application/zip"]
    text = json.dumps(document, ensure_ascii=False)
    assert "HTTPValidationError" not in text and "Successful Response" not in text
    for path in document["paths"].values():
        for operation in path.values():
            for status, answer in operation["responses"].items():
                if status.startswith("4") and status != "422":
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorAnswer"}, (
                        operation["summary"],
                        status,
                    )


def test_schemathesis_finds_no_server_error_and_no_lie(server: Server) -> None:
    """Schemathesis (its command, as an integrator runs it) over every operation but those that make
    documents (each a LibreOffice or docxtpl run: proved by the tests above): the validation of each
    type with its own body schema, the register, types, health, metrics."""
    command = [
        str(Path(sys.executable).with_name("st")),
        "run",
        f"{server.url}/openapi.json",
        "--checks",
        "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        "--phases",
        # the coverage phase (≈1,700 requests, a minute on an idle machine) with CONVENTUM_SCHEMATHESIS_COMPLET=1
        "examples,coverage,fuzzing"
        if os.environ.get("CONVENTUM_SCHEMATHESIS_COMPLET")
        else "examples,fuzzing",
        "--max-examples",
        "4",
        "--seed",
        "25",
        "--exclude-path-regex",
        "render|dossiers|batches|resiliation|actes|publications",
        "--header",
        f"Authorization: Bearer {TOKEN}",
        "--no-color",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "Tested: " in result.stdout


# --- the documentation and the register page in a real browser, offline --------------------------


def test_docs_work_without_any_request_leaving_the_server(server: Server) -> None:
    if shutil.which("chromium") is None:
        pytest.skip("chromium absent (lancez ./setup.sh)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    elsewhere: list[str] = []
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        try:
            context = browser.new_context(
                locale="fr-FR", viewport={"width": 1100, "height": 900}, extra_http_headers=server.headers
            )

            def route(handled: Any) -> None:
                if handled.request.url.startswith(server.url):
                    handled.continue_()
                else:  # the intranet: nothing but the server answers
                    elsewhere.append(handled.request.url)
                    handled.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.goto(f"{server.url}/docs")
            page.wait_for_selector(".opblock", timeout=30_000)
            listed = page.locator(".opblock-summary-path").all_inner_texts()
            assert "/v1/registre" in [text.strip().replace("\u200b", "") for text in listed]
            assert any("services-numeriques/render" in text.replace("\u200b", "") for text in listed)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "docs-hors-ligne.png"))
            page.goto(f"{server.url}/registre")
            assert page.locator("table tbody tr").count() >= 2
            assert "Commune de Ruitz" in page.locator("table").inner_text()
            page.screenshot(path=str(SCREENSHOTS / "registre.png"), full_page=True)
            # the clerk ends convention n°1 from the page: its form, then the page says so
            page.get_by_text("Résilier la convention n°1").click()
            page.fill("#date-1", "2026-12-31")
            page.fill("#motif-1", "Délibération du 3 décembre 2026")
            page.get_by_role("button", name="Résilier").first.click()
            page.wait_for_selector("[role=status]")
            assert "La convention n°1 est résiliée" in page.locator("[role=status]").inner_text()
            row = page.locator("table tbody tr", has_text="Commune de Ruitz").inner_text()
            assert "résiliée" in row and "Délibération du 3 décembre 2026" in row
            page.screenshot(path=str(SCREENSHOTS / "registre-resiliation.png"), full_page=True)
        finally:
            browser.close()
    assert elsewhere == []


SCREENSHOTS = Path(__file__).resolve().parent.parent / "out" / "captures"


# --- a client generated from /openapi.json --------------------------------------------------------

BINARY = {
    "application/pdf": "application/octet-stream",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "application/octet-stream",
    "application/zip": "application/octet-stream",
    "text/calendar": "application/octet-stream",
}


def test_a_generated_client_renders_and_reads_a_report(server: Server, tmp_path: Path) -> None:
    """openapi-python-client (dev dependency) on the live document: a typed function per type renders
    the sample as DOCX, and a 422 comes back as the report model with its problem's code and path."""
    generator = Path(sys.executable).with_name("openapi-python-client")
    if not generator.exists():
        pytest.skip("openapi-python-client absent (pip install -e '.[dev]')")
    (tmp_path / "openapi.json").write_bytes(
        httpx.get(f"{server.url}/openapi.json", headers=server.headers).content
    )
    (tmp_path / "config.yaml").write_text(json.dumps({"content_type_overrides": BINARY}))
    generated = subprocess.run(
        [str(generator), "generate", "--path", "openapi.json", "--meta", "none", "--output-path",
         "conventum_client", "--config", "config.yaml"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "Unable to" not in generated.stdout and "WARNING parsing" not in generated.stdout, generated.stdout
    sys.path.insert(0, str(tmp_path))
    try:
        from conventum_client import AuthenticatedClient  # type: ignore[import-not-found]
        from conventum_client.api.default import render_services_numeriques  # type: ignore[import-not-found]
        from conventum_client.models import (  # type: ignore[import-not-found]
            RenderServicesNumeriquesFormat,
            Report,
        )

        # the body's class, named by the generator after the type's title
        body_class = typing.get_type_hints(render_services_numeriques.sync_detailed)["body"]
        assert body_class.__name__.startswith("ConventionRelativeAuxPrestations")

        with AuthenticatedClient(base_url=server.url, token=TOKEN, timeout=httpx.Timeout(120)) as client:
            data = json.loads(json.dumps(sample("services-numeriques"), default=str))
            body = body_class.from_dict(data)
            made = render_services_numeriques.sync_detailed(
                client=client, body=body, format_=RenderServicesNumeriquesFormat.DOCX, today="31/12/2025"
            )
            assert made.status_code == 200 and made.content[:2] == b"PK"
            assert "X-Conventum-Rapport" in made.headers
            data["parties"][0]["nom"] = "Évin-Malmaison"  # its address stays in Ruitz: refused
            refused = render_services_numeriques.sync_detailed(
                client=client, body=body_class.from_dict(data), today="31/12/2025"
            )
            assert refused.status_code == 422
            report = refused.parsed
            assert isinstance(report, Report) and report.valide is False and report.erreurs >= 1
            assert "parties[0].adresse.commune" in [problem.path for problem in report.problemes]
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.startswith("conventum_client")]:
            del sys.modules[name]
