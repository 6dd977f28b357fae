"""The form as the clerk reads the document: the type's fields under the articles that write them,
in the document's order; the legal term shown as a sentence, never as inputs; the official
identifiers of a party shown, never typed (served pages, read as HTML)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import httpx
import lxml.html
import pytest

from conventum.errors import TemplateError
from conventum.model.catalogue import available_types, read_type
from conventum.serve.app import create_app
from conventum.serve.sections import section_title
from conventum.serve.settings import Settings

TYPES = sorted(available_types())
INPUTS = ".//input|.//select|.//textarea"
TECHNICAL = ("insee", "siren", "siret", "departement", "article", "liaison", "designation")


class Client:
    """The application called in process (its pages need no LibreOffice)."""

    def __init__(self, folder: Path) -> None:
        self.app = create_app(Settings(start_pool=False, jobs_dir=folder))

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
                return await client.request(method, path, **kwargs)

        return anyio.run(call)

    def get(self, path: str) -> httpx.Response:
        return self._call("GET", path)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self._call("POST", path, **kwargs)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Client:
    return Client(tmp_path_factory.mktemp("lots"))


def page(client: Client, path: str) -> lxml.html.HtmlElement:
    answer = client.get(path)
    assert answer.status_code == 200, answer.text
    return lxml.html.fromstring(answer.text)


def sections(document: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """Each section's title → the names of the inputs a clerk fills in it, in the page's order."""
    found: dict[str, list[str]] = {}
    for fieldset in document.xpath('//fieldset[@class="rubrique"]'):
        title = fieldset.xpath("./legend")[0].text_content().strip()
        found[title] = [e.get("name") for e in fieldset.xpath(INPUTS) if e.get("type") != "hidden"]
    return found


def test_services_numeriques_follows_its_articles(client: Client) -> None:
    document = page(client, "/formulaire/services-numeriques")
    found = sections(document)
    assert list(found) == [
        "Préambule",
        "Article 3. Durée de la convention",
        "Annexe n°2 : Participation financière",
        "Annexe n°3 : Dispositions relatives au RGPD",
    ]
    assert found["Préambule"] == ["cdg"]  # the centre de gestion: named in the preamble
    assert found["Article 3. Durée de la convention"] == ["reconduction"]  # the clerk's choice only
    assert "services.debut" in found["Annexe n°2 : Participation financière"]
    # the parties first, the signature last
    legends = [legend.text_content().strip() for legend in document.xpath('//form[@id="convention"]//legend')]
    assert legends[0] == "Parties" and legends[-1].startswith("Lieu et date de signature")


def test_the_deliberation_follows_its_sections(client: Client) -> None:
    found = sections(page(client, "/formulaire/deliberation"))
    assert list(found)[:3] == ["La séance", "Présences", "L’affaire"]
    assert found["La séance"][:2] == ["assemblee", "numero"]
    assert "vote.pour.voix" in found["Le vote"]


@pytest.mark.parametrize("name", TYPES)
def test_the_term_is_shown_not_edited(client: Client, name: str) -> None:
    document = page(client, f"/formulaire/{name}")
    typed = [e.get("name") for e in document.xpath(INPUTS) if e.get("type") != "hidden"]
    assert not [n for n in typed if n and n.startswith("duree.")]
    if name in ("adhesion-centrale-achats", "services-numeriques", "plateforme-dematerialisation"):
        shown = document.xpath('//*[@data-montre="duree"]')[0].text_content()
        assert shown.startswith("Conclue pour une durée ")


@pytest.mark.parametrize("name", TYPES)
def test_no_technical_field_is_typed(client: Client, name: str) -> None:
    document = page(client, f"/formulaire/{name}")
    typed = [e.get("name") or "" for e in document.xpath(INPUTS) if e.get("type") != "hidden"]
    assert not [n for n in typed if n.startswith("parties[") and n.rsplit(".", 1)[-1] in TECHNICAL]


def test_a_loaded_term_is_kept_unchanged(client: Client) -> None:
    """A term a data file changed is shown as it is and sent back by the form as it came."""
    data = "parties: []\nduree: {debut: signature, annees: 3, reconduction: aucune}\n"
    answer = client.post("/formulaire/adhesion-centrale-achats/charger", files={"donnees": ("d.yaml", data)})
    document = lxml.html.fromstring(answer.text)
    assert "de trois (3) ans" in document.xpath('//*[@data-montre="duree"]')[0].text_content()
    kept = {
        e.get("name"): e.get("value")
        for e in document.xpath('//input[@type="hidden"][starts-with(@name, "duree")]')
    }
    assert kept == {"duree.debut": "signature", "duree.annees": "3", "duree.reconduction": "aucune"}


def test_headings_become_titles() -> None:
    assert (
        section_title("ARTICLE 4. CONTRIBUTION FINANCIÈRE {{ x.TITRE_DE }}")
        == "Article 4. Contribution financière"
    )
    assert section_title("Annexe n°1 : Présentation des services par La Fibre et le {{ t.sigle }}") == (
        "Annexe n°1 : Présentation des services par La Fibre"
    )


def test_declared_sections_name_known_fields(tmp_path: Path) -> None:
    raw = {
        "titre": "Essai",
        "champs": {"objet": {"type": "texte", "libelle": "Objet"}},
        "rubriques": [{"titre": "L’objet", "champs": ["objt"]}],
    }
    with pytest.raises(TemplateError) as caught:
        read_type(tmp_path / "essai.yaml", raw)
    assert "rubriques[0].champs : champ inconnu « objt » ; vouliez-vous dire « objet » ?" in str(caught.value)
