"""``POST /v1/registre/{n}/avenants`` on a real ``conventum serve`` (loopback, its own register):
the avenant's document, the register following; 404, 409 and 422 as the command refuses them, in
French, the register untouched."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from conventum.cli import main
from tests.serve_support import Server, running_server
from tests.support import SAMPLES, docx_text

TOKEN = "jeton-avenant-28"
AVENANT = {
    "avenant": {
        "date_effet": "2026-03-01",
        "signature": {"lieu": "Ruitz", "date": "2026-02-16"},
        "autorisations": {
            "collectivite": {"organe": "conseil municipal", "date": "2026-02-02", "numero": "2026-07"}
        },
    },
    "modifications": {"reconduction": "expresse", "parties[0].representant.nom": "Durand"},
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve-avenants")
    base = folder / "registre.sqlite"
    for name in ("services-numeriques", "plateforme-dematerialisation"):
        done = CliRunner().invoke(
            main, ["registre", "ajouter", name, str(SAMPLES / f"{name}.yaml"), "--base", str(base)]
        )
        assert done.exit_code == 0, done.output
    (folder / "jetons.txt").write_text(f"{TOKEN}\n")
    options = ("--workers", "1", "--token-file", "jetons.txt", "--registre", str(base))
    with running_server(*options, folder=folder, token=TOKEN) as running:
        yield running


def post(client: httpx.Client, numero: int, body: dict[str, Any], **query: str) -> httpx.Response:
    return client.post(
        f"/v1/registre/{numero}/avenants", json=body, params={"aujourdhui": "2026-02-20", **query}
    )


def test_an_avenant_over_http_is_written_and_recorded(server: Server) -> None:
    with server.client() as client:
        before = client.get("/v1/registre/1").json()
        draft = post(client, 1, AVENANT, format="docx", brouillon="true")
        assert draft.status_code == 201, draft.text
        assert client.get("/v1/registre/1").json() == before  # a draft is not recorded
        answer = post(client, 1, AVENANT, format="docx")
        assert answer.status_code == 201, answer.text
        assert answer.headers["x-conventum-avenant"] == "1"
        assert answer.headers["content-disposition"] == 'attachment; filename="avenant-1.docx"'
        text = docx_text(answer.content)
        assert "Article 2 – Modification de l’article 3" in text
        assert "à signer le présent avenant par délibération n°2026-07 du conseil municipal" in text
        assert "Jean-Pierre DURAND" in text
        after = client.get("/v1/registre/1").json()
        assert [avenant["numero"] for avenant in after["avenants"]] == [1]
        assert {d["nature"] for d in after["echeances"]} != {d["nature"] for d in before["echeances"]}


def test_bad_avenants_over_http_are_refused_in_french(server: Server) -> None:
    with server.client() as client:
        before = client.get("/v1/registre/2").json()
        unknown = post(client, 9, AVENANT, format="docx")
        assert unknown.status_code == 404 and "aucune convention n°9" in unknown.json()["erreur"]["message"]
        bad = post(client, 2, {**AVENANT, "modifications": {"parties[0].representant.bar": 1}}, format="docx")
        assert bad.status_code == 422
        paths = {issue["path"]: issue["code"] for issue in bad.json()["problemes"]}
        assert paths.get("modifications.parties[0].representant.bar") == "field.unknown", bad.json()
        assert client.get("/v1/registre/2").json() == before
        ended = post(  # services-numeriques ends on 14 September 2029 at the latest
            client,
            1,
            {**AVENANT, "modifications": {"reconduction": "tacite"}},
            format="docx",
            aujourdhui="2035-01-01",
        )
        assert ended.status_code == 409 and ended.json()["erreur"]["code"] == "registre.expiree"


def test_the_clerks_page_drafts_an_avenant_from_the_fields_in_force(server: Server) -> None:
    with server.client() as client:
        page = client.get("/registre/2/avenant")
        assert page.status_code == 200
        assert "Rédiger un avenant à la convention n°2" in page.text
        assert 'name="champ:consultations_par_an" value="235" data-origine="235"' in page.text
        assert 'href="/registre/2/avenant"' in client.get("/registre").text
        labels = re.findall(r'<label for="c\d+">([^<]*)</label>.*?name="champ:([^"]+)"', page.text, re.S)
        by_path = {path: label for label, path in labels}
        assert by_path["consultations_par_an"] == "Consultations créées à l’année"  # the clerk's form's label
        assert by_path["parties[0].adresse.code_postal"] == "Code postal de la collectivité"
        assert not any(label == path for label, path in labels)  # never a bare path as a label
        form = {
            "date_effet": "2025-01-01",  # before the convention's signature (15 December 2025)
            "signature_lieu": "Arras",
            "signature_date": "2026-02-16",
            "champ:consultations_par_an": "240",
            "champ:parties[0].adresse.code_postal": "62018",  # unchanged: a text stays a text
        }
        refused = client.post("/registre/2/avenant", data=form)
        assert refused.status_code == 422
        assert (
            "Date d’effet (<code>avenant.date_effet</code>)" in refused.text
            and "précède la signature" in refused.text
        )
        assert '<tr class="modifie">' in refused.text and 'value="240"' in refused.text  # kept, highlighted
        assert client.get("/v1/registre/2").json()["avenants"] == []
        made = client.post(
            "/registre/2/avenant",
            data={
                **form,
                "date_effet": "2026-03-01",
                "acte_0_organe": "commission permanente",
                "acte_0_date": "2026-02-09",
            },
        )
        assert made.status_code == 200, made.text[:2000]
        assert made.headers["content-type"] == "application/pdf" and made.content.startswith(b"%PDF")
        shown = client.get("/v1/registre/2").json()
        assert [(a["numero"], a["articles"]) for a in shown["avenants"]] == [(1, ["l’annexe n°1"])]
