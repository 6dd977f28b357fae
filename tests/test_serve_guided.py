"""The forms as the clerk reads the documents (served pages, read as HTML): a type's fields under the
articles that write them, in the document's order; the legal term shown as a sentence, never as
inputs; the official identifiers of a party shown, never typed; a délibération's members by name;
every sample loaded then sent back unchanged; the dossier field by field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import anyio
import httpx
import lxml.html
import pytest
import yaml

from conventum.errors import TemplateError
from conventum.model.catalogue import available_types, read_type
from conventum.serve.app import create_app
from conventum.serve.sections import section_title
from conventum.serve.settings import Settings
from tests.support import SAMPLES

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
        "En-tête du document",
        "Article 3. Durée de la convention",
        "Annexe n°2 : Participation financière",
        "Annexe n°3 : Dispositions relatives au RGPD",
    ]
    assert found["En-tête du document"] == ["cdg"]  # the centre de gestion: the second party
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


def submitted(document: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """What a browser sends for the page's form as it is (ticked boxes, chosen options, hidden inputs)."""
    form = document.xpath('//form[@id="convention"]')[0]
    sent: dict[str, list[str]] = {}
    for name, value in form.form_values():
        sent.setdefault(name, []).append(value)
    return sent


def sample_of(name: str) -> Path:
    """A type's sample (a délibération's and a rapport's: those of dossier 2023-338)."""
    own = SAMPLES / f"{name}.yaml"
    return own if own.is_file() else SAMPLES / f"{name}-2023-338.yaml"


@pytest.mark.parametrize("name", TYPES)
def test_a_sample_loaded_then_sent_back_is_the_same(client: Client, name: str) -> None:
    """Every type's sample, loaded into the form and sent back untouched: no problem, the same data
    (the term kept, legacy spellings sent as their keys, the presence table giving back the five
    lists, members and groups by name)."""
    sample = sample_of(name)
    loaded = client.post(f"/formulaire/{name}/charger", files={"donnees": ("d.yaml", sample.read_bytes())})
    document = lxml.html.fromstring(loaded.text)
    sent = submitted(document)
    again = client.post(f"/formulaire/{name}", data={**sent, "action": "verifier"})
    assert "Aucun problème : le document peut être produit." in again.text, again.text[-3000:]
    if name == "deliberation":
        expected = yaml.safe_load(sample.read_text())
        data = yaml.safe_load(client.post(f"/formulaire/{name}", data={**sent, "action": "yaml"}).text)
        for key in ("presents", "excuses", "assistants_sans_voix", "excuses_sans_voix", "pouvoirs"):
            assert data.get(key) == expected.get(key), key
        for line in ("pour", "absents_sans_delegation"):
            assert data["vote"][line] | {"voix": 0} == expected["vote"][line] | {"voix": 0}


def dossier_sent(client: Client, sample: bytes) -> dict[str, list[str]]:
    loaded = client.post("/dossier", data={"action": "charger"}, files={"donnees": ("d.yaml", sample)})
    assert loaded.status_code == 200
    return submitted(lxml.html.fromstring(loaded.text))


def test_the_dossier_field_by_field(client: Client) -> None:
    """The dossier sample in the dossier's form: the séance once, the convention's own form, then the
    délibération's and the rapport's; sent back, no problem and the same dossier."""
    document = page(client, "/dossier")
    assert not document.xpath("//textarea[contains(@name, 'donnees')]")
    sample = (SAMPLES / "dossier-2023-338.yaml").read_bytes()
    sent = dossier_sent(client, sample)
    assert sent["convention.donnees.parties[0].nom"] == ["Pas-de-Calais"]
    assert sent["assemblee"] == ["pas-de-calais"] and "deliberation.assemblee" not in sent
    assert "deliberation.numero" in sent and "rapport.numero" in sent
    again = client.post("/dossier/formulaire", data={**sent, "action": "verifier"})
    assert "Aucun problème : le document peut être produit." in again.text
    saved = yaml.safe_load(client.post("/dossier/formulaire", data={**sent, "action": "yaml"}).text)
    expected = yaml.safe_load(sample)
    assert saved["deliberation"]["presents"] == expected["deliberation"]["presents"]
    assert saved["convention"]["donnees"]["parties"][0]["representant"]["nom"] == "Leroy"
    assert saved["convention"]["autorisee"] == "adherent"


def test_a_dossier_problem_is_at_its_field(client: Client) -> None:
    sent = dossier_sent(client, (SAMPLES / "dossier-2023-338.yaml").read_bytes())
    sent["convention.donnees.parties[0].adresse.code_postal"] = ["6201"]
    sent["deliberation.secretaire"] = [""]
    answer = client.post("/dossier/formulaire", data={**sent, "action": "verifier"})
    document = lxml.html.fromstring(answer.text)
    beside = document.xpath('//*[@id="f-convention-donnees-parties-0-adresse-code-postal-erreur"]')[0]
    assert "6201" in beside.text_content()
    summary = document.xpath('//*[@id="resume"]')[0].text_content()
    assert "Code postal de l’adhérent" in summary and "Secrétaire de séance" in summary
    assert not re.search(r"\w\[\d+\]|convention\.donnees|deliberation\.", summary)
    # nowhere on the page a field path or an issue code, only labels and messages
    shown = re.sub(r"\s+", " ", " ".join(t for t in document.xpath("//body//text()[not(ancestor::script)]")))
    assert not re.search(r"\w\[\d+\]\.|\b(?:field|parties|dates|seance|votes)\.[a-z_]+\b", shown), shown[:400]


def test_choosing_the_convention_type_draws_its_form(client: Client) -> None:
    answer = client.post(
        "/dossier/formulaire", data={"convention.type": "services-numeriques", "action": "actualiser"}
    )
    document = lxml.html.fromstring(answer.text)
    names = {e.get("name") for e in document.xpath(INPUTS)}
    assert "convention.donnees.parties[0].nom" in names and "convention.donnees.reconduction" in names
    added = client.post(
        "/dossier/formulaire", data={"convention.type": "groupement-commandes", "action": "actualiser"}
    )
    members = lxml.html.fromstring(added.text).xpath(
        '//button[@value="ajouter:convention.donnees.parties:membre"]'
    )
    assert members, "le groupement propose d’ajouter un membre"
    form = submitted(lxml.html.fromstring(added.text))
    more = client.post(
        "/dossier/formulaire", data={**form, "action": "ajouter:convention.donnees.parties:membre"}
    )
    names = {e.get("name") for e in lxml.html.fromstring(more.text).xpath(INPUTS)}
    count = sum(1 for name in names if re.fullmatch(r"convention\.donnees\.parties\[\d+\]\.nom", name or ""))
    assert count == 1 + sum(1 for n in form if re.fullmatch(r"convention\.donnees\.parties\[\d+\]\.nom", n))
