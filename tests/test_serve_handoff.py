"""``POST /v1/actes`` and ``POST /v1/publications`` through a real ``conventum serve``: the envoi and
the publication as ZIPs, the same report as the command's ``--format json``, refusals as reports,
files named by the data only among those sent."""

from __future__ import annotations

import io
import json
import subprocess
import urllib.parse
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.serve_support import Server, running_server
from tests.support import SAMPLES, needs_libreoffice

pytestmark = needs_libreoffice
ROOT = Path(__file__).resolve().parent.parent
CLASSIFICATION = ROOT / "tests" / "fixtures" / "actes" / "classification.xml"
BLANK = ROOT / "tests" / "fixtures" / "actes" / "blank.pdf"
OPTIONS = {"matiere": "1.4.2", "siren": "226200012", "date_transmission": "2023-10-05"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server("--workers", "1", folder=tmp_path_factory.mktemp("serve-handoff")) as running:
        yield running


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http


def _report(answer: httpx.Response) -> Any:
    return json.loads(urllib.parse.unquote(answer.headers["X-Conventum-Rapport"]))


def _files(**paths: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [
        (field, (path.name, path.read_bytes(), "application/octet-stream")) for field, path in paths.items()
    ]


def test_an_envoi_over_http_is_the_commands(client: httpx.Client, tmp_path: Path) -> None:
    data = (SAMPLES / "adhesion-centrale-achats.yaml").read_text(encoding="utf-8")
    form = {"type": "adhesion-centrale-achats", "donnees": data, "numero": "2023_338", **OPTIONS}
    answer = client.post("/v1/actes", data=form, files=_files(classification=CLASSIFICATION, pdf=BLANK))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert "062-226200012-20231002-2023_338-CC-1-1_0.xml" in names and "pastell-ls-actes.json" in names
    command = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "conventum"), "actes", "adhesion-centrale-achats",
         str(SAMPLES / "adhesion-centrale-achats.yaml"), "--classification", str(CLASSIFICATION),
         "--pdf", str(BLANK), "--numero", "2023_338", "--matiere", "1.4.2", "--siren", "226200012",
         "--date-transmission", "2023-10-05", "-o", str(tmp_path / "e"), "--format", "json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert command.returncode == 0, command.stderr
    expected = json.loads(command.stdout)
    expected.pop("dossier")
    assert _report(answer) == expected and sorted(names) == sorted(expected["fichiers"])


def test_a_refused_envoi_is_its_report_and_a_form_is_required(client: httpx.Client) -> None:
    data = (SAMPLES / "adhesion-centrale-achats.yaml").read_text(encoding="utf-8")
    form = {"type": "adhesion-centrale-achats", "donnees": data, "numero": "2023-338", **OPTIONS}
    refused = client.post("/v1/actes", data=form, files=_files(classification=CLASSIFICATION, pdf=BLANK))
    assert refused.status_code == 422
    assert [(p["code"], p["path"]) for p in refused.json()["problemes"]] == [("actes.numero_forme", "numero")]
    as_json = client.post("/v1/actes", json={"type": "adhesion-centrale-achats"})
    assert as_json.status_code == 415 and "multipart/form-data" in as_json.json()["erreur"]["message"]
    missing = client.post("/v1/actes", data={"type": "adhesion-centrale-achats"}, files=_files(pdf=BLANK))
    assert missing.status_code == 400 and "« donnees »" in missing.json()["erreur"]["message"]


def test_a_seance_is_published_over_http(client: httpx.Client) -> None:
    seance = {
        "assemblee": "pas-de-calais",
        "date": "2023-09-18",
        "collectivite": {"nom": "Département du Pas-de-Calais", "siret": "22620001200012"},
        "auteur": {"prenom": "Jean-Claude", "nom": "LEROY", "qualite": "Président du Conseil départemental"},
        "mise_en_ligne": "2023-09-20",
        "deliberations": [{"fichier": "deliberation-2023-338.yaml", "matiere": "1.4.2", "pdf": "blank.pdf"}],
    }
    files = [
        *_files(classification=CLASSIFICATION),
        *_files(fichiers=SAMPLES / "deliberation-2023-338.yaml"),
        *_files(fichiers=BLANK),
    ]
    answer = client.post("/v1/publications", data={"seance": json.dumps(seance)}, files=files)
    assert answer.status_code == 200, answer.text
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert sorted(names) == sorted(
        [
            "deliberation-2023-338.pdf",
            "deliberations-scdl.csv",
            "feuillet-de-cloture.pdf",
            "liste-des-deliberations.pdf",
        ]
    )
    report = _report(answer)
    assert (
        report["mise_en_ligne"] == "2023-09-20"
        and "n’est pas un PDF/A" in report["non_pdfa"]["deliberation-2023-338.pdf"]
    )
    # a séance naming a file of the server's disk, or one not sent: refused, nothing read
    seance["deliberations"][0]["fichier"] = "../../etc/passwd"
    refused = client.post("/v1/publications", data={"seance": json.dumps(seance)}, files=files)
    assert refused.status_code == 422 and refused.json()["erreur"]["code"] == "requete.nom_fichier"


def test_the_openapi_document_describes_both(client: httpx.Client) -> None:
    document = client.get("/openapi.json").json()
    for path, field in (("/v1/actes", "donnees"), ("/v1/publications", "seance")):
        operation = document["paths"][path]["post"]
        body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
        assert field in body["properties"] and body["properties"]["classification"]["format"] == "binary"
        assert list(operation["responses"]["200"]["content"]) == ["application/zip"]
        assert "X-Conventum-Rapport" in operation["responses"]["200"]["headers"]
