"""The HTTP API through a real ``conventum serve`` on a loopback port: each endpoint, each error
status with its French JSON body, tokens, size limits, slow clients, a crashed worker, the shutdown."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from conventum import render_document
from conventum.ooxml.text import document_text
from tests.serve_support import Server, running_server
from tests.support import SAMPLES, needs_libreoffice, normalise

pytestmark = needs_libreoffice
TOKEN = "jeton-de-test-8f2c"
ADHESION = "adhesion-centrale-achats"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve")
    (folder / "jetons.txt").write_text(f"# jetons du test\n\n{TOKEN}\nautre-jeton\n")
    options = ("--workers", "2", "--max-upload", "2", "--header-timeout", "1.5")
    options += ("--token-file", "jetons.txt", "--cors-origin", "https://parapheur.example")
    with running_server(*options, folder=folder, token=TOKEN) as running:
        yield running


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http


def sample_yaml(name: str) -> bytes:
    return (SAMPLES / f"{name}.yaml").read_bytes()


def pdf_text(content: bytes) -> str:
    return normalise(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages))


def error_of(response: httpx.Response) -> dict[str, str]:
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, dict[str, str]] = response.json()
    return body["erreur"]


def test_types_and_schema(client: httpx.Client) -> None:
    types = client.get("/v1/types").json()
    assert ADHESION in [item["type"] for item in types]
    # every built-in type declares its version, and the list says it (the register records it)
    assert {item["type"]: item["version"] for item in types}[ADHESION] == "1"
    assert all(item["version"] for item in types)
    schema = client.get(f"/v1/types/{ADHESION}/schema").json()
    assert schema["title"].startswith("Convention d’adhésion")
    assert "parties" in schema["properties"]
    openapi = client.get("/openapi.json").json()  # documented at /docs
    assert f"/v1/types/{ADHESION}/render" in openapi["paths"] and "/v1/batches" in openapi["paths"]
    assert not [path for path in openapi["paths"] if path.startswith(("/formulaire", "/lot"))]


def test_unknown_type_is_404_with_close_matches(client: httpx.Client) -> None:
    response = client.get("/v1/types/adhesion-centrale/schema")
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "type.inconnu"
    assert "adhesion-centrale-achats" in error["message"]


def test_validate_reports_like_the_cli(client: httpx.Client) -> None:
    valid = client.post(
        f"/v1/types/{ADHESION}/validate",
        content=sample_yaml(ADHESION),
        headers={"content-type": "application/yaml"},
    )
    assert valid.status_code == 200
    assert valid.json()["valide"] is True
    bad = (SAMPLES / "invalid" / f"{ADHESION}.parties.code_postal_invalide.yaml").read_bytes()
    report = client.post(
        f"/v1/types/{ADHESION}/validate", content=bad, headers={"content-type": "application/yaml"}
    ).json()
    assert report["valide"] is False
    codes = {(item["code"], item["path"]) for item in report["problemes"]}
    assert any(code == "parties.code_postal_invalide" for code, _path in codes)
    assert all(item["message"] for item in report["problemes"])


def test_a_field_of_the_wrong_type_is_reported_with_its_path(client: httpx.Client) -> None:
    report = client.post(f"/v1/types/{ADHESION}/validate", json={"parties": "Arras"}).json()
    assert report["valide"] is False
    assert {"code": "field.invalid_list", "path": "parties"}.items() <= report["problemes"][0].items()


def test_malformed_json_is_400_in_french(client: httpx.Client) -> None:
    response = client.post(
        f"/v1/types/{ADHESION}/validate",
        content=b'{"parties": [',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "requete.json_invalide"
    assert "JSON mal formé" in error["message"] and "ligne 1" in error["message"]


def test_not_an_object_is_400(client: httpx.Client) -> None:
    response = client.post(f"/v1/types/{ADHESION}/validate", json=[1, 2])
    assert response.status_code == 400
    assert error_of(response)["code"] == "requete.json_objet"


def test_wrong_content_type_is_415(client: httpx.Client) -> None:
    response = client.post(
        f"/v1/types/{ADHESION}/render", content=b"parties: []", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415
    assert "text/plain" in error_of(response)["message"]


def test_bad_query_parameter_is_400(client: httpx.Client) -> None:
    response = client.post(f"/v1/types/{ADHESION}/render?format=odt", json={})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "requete.parametre" and "format" in error["message"]


def test_render_pdf_has_the_words_of_the_cli_document(client: httpx.Client) -> None:
    response = client.post(
        f"/v1/types/{ADHESION}/render?format=pdf",
        content=sample_yaml(ADHESION),
        headers={"content-type": "application/yaml"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="adhesion-centrale-achats.pdf"' in response.headers["content-disposition"]
    text = pdf_text(response.content)
    assert "CONVENTION D’ADHÉSION" in text
    assert "Département du Pas-de-Calais" in text


def test_render_docx_is_the_text_of_conventum_render(client: httpx.Client) -> None:
    response = client.post(
        f"/v1/types/{ADHESION}/render?format=docx",
        content=sample_yaml(ADHESION),
        headers={"content-type": "application/yaml"},
    )
    assert response.status_code == 200
    library = render_document(ADHESION, SAMPLES / f"{ADHESION}.yaml", fmt="docx")
    assert document_text(response.content) == document_text(library.content)


def test_render_of_invalid_data_is_422_with_the_report(client: httpx.Client) -> None:
    bad = (SAMPLES / "invalid" / f"{ADHESION}.dates.autorisation_apres_signature.yaml").read_bytes()
    response = client.post(
        f"/v1/types/{ADHESION}/render", content=bad, headers={"content-type": "application/yaml"}
    )
    assert response.status_code == 422
    report = response.json()
    assert report["valide"] is False and report["type"] == ADHESION
    assert "dates.autorisation_apres_signature" in [item["code"] for item in report["problemes"]]


def test_pdfa(client: httpx.Client) -> None:
    response = client.post(
        f"/v1/types/{ADHESION}/render?format=pdf&pdfa=true",
        content=sample_yaml(ADHESION),
        headers={"content-type": "application/yaml"},
    )
    assert response.status_code == 200
    assert b"pdfaid" in response.content


def test_dossier(client: httpx.Client) -> None:
    response = client.post(
        "/v1/dossiers", content=sample_yaml("dossier-2023-338"), headers={"content-type": "application/yaml"}
    )
    assert response.status_code == 200, response.text
    text = pdf_text(response.content)
    assert "DÉLIBÉRATION" in text.upper() and "RAPPORT" in text.upper()


def test_an_annex_naming_a_server_file_is_refused(client: httpx.Client) -> None:
    data = {"annexes": [{"numero": 1, "titre": "Mots de passe", "fichier": "/etc/passwd"}]}
    response = client.post(f"/v1/types/{ADHESION}/render", json=data)
    assert response.status_code == 422
    assert error_of(response)["code"] == "requete.nom_fichier"
    data["annexes"][0]["fichier"] = "tarifs.pdf"
    response = client.post(f"/v1/types/{ADHESION}/validate", json=data)
    assert response.status_code == 422
    assert error_of(response)["code"] == "requete.annexe_sans_fichier"


def test_a_path_in_an_uploaded_file_name_is_refused(client: httpx.Client) -> None:
    files = {"fichiers": ("../../evil.pdf", b"%PDF-1.4", "application/pdf")}
    response = client.post(f"/v1/types/{ADHESION}/render", data={"donnees": "{}"}, files=files)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "requete.nom_fichier" and "../../evil.pdf" in error["message"]
    assert not list(Path("/tmp").glob("evil.pdf"))


def test_an_annex_sent_with_the_data(client: httpx.Client, tmp_path: Path) -> None:
    data = dict(__import__("yaml").safe_load(sample_yaml(ADHESION)))
    data["annexes"] = [{"numero": 1, "titre": "Liste des marchés", "fichier": "marches.docx"}]
    annex = render_document(ADHESION, SAMPLES / f"{ADHESION}.yaml", fmt="docx").content
    response = client.post(
        f"/v1/types/{ADHESION}/validate",
        data={"donnees": json.dumps(data, default=str)},
        files={"fichiers": ("marches.docx", annex, "application/octet-stream")},
    )
    assert response.status_code == 200
    codes = [item["code"] for item in response.json()["problemes"]]
    assert not [code for code in codes if code.startswith("annexes.fichier")]


def docx_count(client: httpx.Client) -> int:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith('conventum_documents_total{format="docx"}'):
            return int(line.split()[-1])
    return 0


def test_batch_runs_and_gives_a_zip(client: httpx.Client) -> None:
    counted = docx_count(client)
    files = {"tableur": ("membres.csv", (SAMPLES / "batch" / "membres.csv").read_bytes(), "text/csv")}
    form = {"type": "services-numeriques", "commun": (SAMPLES / "batch" / "commun.yaml").read_text()}
    response = client.post("/v1/batches", data=form, files=files)
    assert response.status_code == 202, response.text
    job = response.json()["id"]
    assert response.headers["location"] == f"/v1/batches/{job}"
    deadline = time.monotonic() + 120
    while (status := client.get(f"/v1/batches/{job}").json())["statut"] not in ("termine", "echec"):
        assert time.monotonic() < deadline
        time.sleep(0.3)
    assert status["statut"] == "termine", status
    assert status["bilan"].get("ecrit", 0) >= 1
    rows = status["rapport"]["lignes"]
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/v1/batches/{job}/documents.zip").content))
    names = archive.namelist()
    assert "rapport-lot.csv" in names
    assert {row["fichier"] for row in rows if row["statut"] == "ecrit"} <= set(names)
    assert docx_count(client) == counted + status["bilan"]["ecrit"]  # /metrics counts batch documents


def test_unknown_batch_is_404(client: httpx.Client) -> None:
    assert client.get("/v1/batches/" + "0" * 32).status_code == 404
    escaped = client.get("/v1/batches/..%2F..%2Fetc%2Fpasswd")
    assert escaped.status_code == 404
    assert error_of(escaped)["code"] in ("lot.inconnu", "page.introuvable")
    page = client.get("/lot/" + "0" * 32)  # the form's page of a batch: HTML, in French
    assert page.status_code == 404 and "Aucun lot" in page.text


def test_not_a_spreadsheet(client: httpx.Client) -> None:
    junk = {"tableur": ("membres.xlsx", os.urandom(2000), "application/octet-stream")}
    response = client.post("/v1/batches", data={"type": "services-numeriques"}, files=junk)
    assert response.status_code == 422
    assert error_of(response)["code"] == "tableur.illisible"
    text = {"tableur": ("membres.exe", b"MZ", "application/octet-stream")}
    response = client.post("/v1/batches", data={"type": "services-numeriques"}, files=text)
    assert response.status_code == 415
    assert "n’est pas un tableur" in error_of(response)["message"]


def test_tokens(server: Server) -> None:
    assert httpx.get(f"{server.url}/v1/types").status_code == 401
    wrong = httpx.get(f"{server.url}/v1/types", headers={"Authorization": "Bearer faux"})
    assert wrong.status_code == 401
    assert error_of(wrong)["code"] == "auth.jeton_invalide"
    assert "Bearer" in wrong.headers["www-authenticate"]
    assert (
        httpx.get(f"{server.url}/v1/types", headers={"Authorization": "Bearer autre-jeton"}).status_code
        == 200
    )
    assert httpx.get(f"{server.url}/", auth=("greffe", TOKEN)).status_code != 401  # the form, from a browser
    assert httpx.get(f"{server.url}/health").status_code == 200  # probes need no token


def test_cors_only_for_the_given_origin(client: httpx.Client) -> None:
    allowed = client.get("/v1/types", headers={"Origin": "https://parapheur.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://parapheur.example"
    other = client.get("/v1/types", headers={"Origin": "https://ailleurs.example"})
    assert "access-control-allow-origin" not in other.headers


def raw_request(server: Server, head: bytes, body: bytes = b"", timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as conn:
        conn.sendall(head + body)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
        return received


def test_a_100_mb_upload_is_413_at_once(server: Server) -> None:
    head = (
        f"POST /v1/types/{ADHESION}/render HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
        "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n"
    ).encode()
    started = time.monotonic()
    answer = raw_request(server, head, b"{" * 1000)
    assert answer.startswith(b"HTTP/1.1 413")
    assert "dépasse la taille permise (2 Mo)".encode() in answer
    assert time.monotonic() - started < 5


def test_a_chunked_body_over_the_limit_is_413(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(30):
            yield b" " * 100_000

    response = client.post(
        f"/v1/types/{ADHESION}/validate", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "requete.trop_grande"


def test_slowloris_is_cut_and_others_are_served(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as slow:
        started = time.monotonic()
        request = b"GET /v1/types HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        answered = b""
        for byte in request:
            try:
                slow.sendall(bytes([byte]))
            except OSError:
                break
            # meanwhile, another client is served at once
            assert httpx.get(f"{server.url}/health", timeout=2).status_code == 200
            time.sleep(0.1)
        while chunk := slow.recv(65536):
            answered += chunk
        assert answered.startswith(b"HTTP/1.1 408")
        assert "La requête n’est pas arrivée à temps".encode() in answered
        assert time.monotonic() - started < 6


def test_a_killed_worker_costs_nothing_but_a_restart(server: Server, client: httpx.Client) -> None:
    before = client.get("/health").json()
    os.killpg(before["processus"][0], signal.SIGKILL)
    server.worker_groups.update(before["processus"])
    with ThreadPoolExecutor(4) as pool:
        responses = list(
            pool.map(
                lambda _: client.post(
                    f"/v1/types/{ADHESION}/render",
                    content=sample_yaml(ADHESION),
                    headers={"content-type": "application/yaml"},
                ),
                range(4),
            )
        )
    assert [r.status_code for r in responses] == [200] * 4
    after = client.get("/health").json()
    assert after["workers_vivants"] == 2 and after["redemarrages"] >= before["redemarrages"] + 1
    server.note_workers()
    metrics = client.get("/metrics").text
    assert "conventum_worker_restarts" in metrics and 'conventum_documents_total{format="pdf"}' in metrics


@pytest.fixture(scope="module")
def narrow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One worker, no queue, a short deadline: the server under pressure."""
    folder = tmp_path_factory.mktemp("narrow")
    with running_server("--workers", "1", "--queue", "0", "--deadline", "0.3", folder=folder) as running:
        yield running


def test_a_full_queue_answers_429_with_retry_after(narrow: Server) -> None:
    with narrow.client() as http, ThreadPoolExecutor(6) as pool:
        responses = list(
            pool.map(
                lambda _: http.post(
                    f"/v1/types/{ADHESION}/render",
                    content=sample_yaml(ADHESION),
                    headers={"content-type": "application/yaml"},
                ),
                range(6),
            )
        )
    statuses = [r.status_code for r in responses]
    assert 429 in statuses and set(statuses) <= {200, 429, 503}
    busy = next(r for r in responses if r.status_code == 429)
    assert int(busy.headers["retry-after"]) >= 1
    assert error_of(busy)["code"] == "service.occupe"
    for response in responses:
        if response.status_code == 200:
            assert pdf_text(response.content).startswith("CONVENTION")


def settled(http: httpx.Client, seconds: float = 60) -> None:
    """Wait until no work runs: a request answered at its deadline holds its place until its
    work reaches its next step."""
    until = time.monotonic() + seconds
    while http.get("/health").json()["en_cours"] and time.monotonic() < until:
        time.sleep(0.1)


def test_past_its_deadline_a_request_is_503_and_the_server_goes_on(narrow: Server) -> None:
    with narrow.client() as http:
        settled(http)
        response = http.post(
            "/v1/dossiers",
            content=sample_yaml("dossier-2023-338"),
            headers={"content-type": "application/yaml"},
        )
        assert response.status_code == 503, response.text[:300]
        assert error_of(response)["code"] == "service.delai"
        assert "0.3 secondes" in error_of(response)["message"]
        settled(http)  # answered at its deadline, its work stops at its next step and frees its place
        # the place is free again (a document within 0.3 s is not asked of a loaded machine)
        assert http.get("/health").json()["en_cours"] == 0
        assert http.get("/v1/types").status_code == 200
        assert http.get("/health").status_code in (200, 503)
        narrow.note_workers()


def test_no_cors_without_the_option(narrow: Server) -> None:
    response = httpx.get(f"{narrow.url}/v1/types", headers={"Origin": "https://parapheur.example"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_a_body_that_stops_arriving_is_408(server: Server) -> None:
    head = (
        f"POST /v1/types/{ADHESION}/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
        "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    ).encode()
    started = time.monotonic()
    answer = raw_request(server, head, b'{"parties": ')
    assert answer.startswith(b"HTTP/1.1 408")
    assert b"requete.trop_lente" in answer
    assert 1 < time.monotonic() - started < 6


def test_a_stop_finishes_the_work_in_flight_and_a_batch_resumes(tmp_path: Path) -> None:
    """SIGTERM while a document is made and a PDF batch runs: the document is delivered, the server
    exits 0 without soffice; started again on the same folder, it finishes the batch."""
    files = {"tableur": ("membres.csv", (SAMPLES / "batch" / "membres.csv").read_bytes(), "text/csv")}
    form = {
        "type": "services-numeriques",
        "commun": (SAMPLES / "batch" / "commun.yaml").read_text(),
        "format": "pdf",
    }
    first = Server("--workers", "1", folder=tmp_path)
    with first.client() as http:
        job = http.post("/v1/batches", data=form, files=files).json()["id"]
        while http.get(f"/v1/batches/{job}").json()["faites"] < 1:
            time.sleep(0.1)
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(
                http.post,
                f"/v1/types/{ADHESION}/render?format=pdf",
                content=sample_yaml(ADHESION),
                headers={"content-type": "application/yaml"},
            )
            time.sleep(0.3)
            first.process.send_signal(signal.SIGTERM)
            response = pending.result()
    assert response.status_code in (200, 503)
    if response.status_code == 200:
        assert pdf_text(response.content).startswith("CONVENTION")
    else:
        assert error_of(response)["code"] in ("service.arret", "service.conversion")
    assert first.process.wait(timeout=90) == 0
    assert first.leftover_workers() == []
    state = json.loads((tmp_path / "lots" / job / "lot.json").read_text())
    assert state["statut"] in ("en_cours", "termine")
    with running_server("--workers", "1", folder=tmp_path) as second, second.client() as http:
        deadline = time.monotonic() + 120
        while (status := http.get(f"/v1/batches/{job}").json())["statut"] != "termine":
            assert status["statut"] != "echec" and time.monotonic() < deadline
            time.sleep(0.3)
        assert status["lignes"] == status["faites"]
        names = zipfile.ZipFile(io.BytesIO(http.get(f"/v1/batches/{job}/documents.zip").content)).namelist()
        assert len([name for name in names if name.endswith(".pdf")]) == status["bilan"].get(
            "ecrit", 0
        ) + status["bilan"].get("repris", 0)
