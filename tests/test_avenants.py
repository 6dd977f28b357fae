"""Avenants to a registered convention: for each type, the avenant names exactly the articles its
changes change, quotes their consolidated text and its signatories sign it; the tracked-changes
document marks the planted changes and nothing else; the register lists the avenant and moves the
schedule; a groupement gains and loses members; every bad avenant is refused in French with its
field path and its own exit code, the register untouched."""

from __future__ import annotations

import io
import itertools
import json
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from lxml import etree

from conventum import render_document
from conventum.cli import main
from conventum.model.catalogue import load_type
from tests.support import docx_text, needs_libreoffice, normalise, sample

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_names = itertools.count()
TODAY = "2026-02-20"
REGISTERED = {  # the sample's data, and the representative the avenant replaces (rendered in capitals)
    "adhesion-centrale-achats": 0,
    "services-numeriques": 0,
    "plateforme-dematerialisation": 0,
    "groupement-commandes": 3,
}
# Per type, a change of another kind than a name: the term, a renewal choice, a number of the annex.
TERMS: dict[str, tuple[dict[str, Any], set[str]]] = {
    "adhesion-centrale-achats": (
        {
            "duree": {
                "debut": "2023-10-02",
                "indeterminee": False,
                "annees": 3,
                "reconduction": "tacite",
                "renouvellements": None,
                "preavis_mois": 3,
            }
        },
        {"l’article 2"},
    ),
    "services-numeriques": ({"reconduction": "expresse"}, {"l’article 3"}),
    "plateforme-dematerialisation": ({"duree.annees": 4}, {"l’article 5"}),
    "groupement-commandes": (
        {"duree": {"debut": "2024-01-01", "indeterminee": False, "annees": 4, "preavis_mois": 3}},
        {"l’article 2"},
    ),
}


def merged_data(name: str, changes: dict[str, Any]) -> dict[str, Any]:
    """The sample with the changes applied by hand (a dotted path, a list index in brackets; a field
    the sample leaves to its default starts from the type's default)."""
    data = sample(name)
    fields = load_type(name).fields
    for path, value in changes.items():
        node: Any = data
        steps = [int(part) if part.isdigit() else part for part in re.split(r"[.\[\]]+", path) if part]
        if len(steps) > 1 and steps[0] not in data:
            data[str(steps[0])] = dict(fields[str(steps[0])].default)
        for step in steps[:-1]:
            node = node[step]
        node[steps[-1]] = value
    return data


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def registered(folder: Path, name: str) -> str:
    """A register holding the sample of ``name`` as convention n°1."""
    base = str(folder / f"registre-{next(_names)}.sqlite")
    data = folder / f"{name}.yaml"
    data.write_text(yaml.safe_dump(sample(name), allow_unicode=True), encoding="utf-8")
    added = cli("registre", "ajouter", name, str(data), "--base", base, "--today", TODAY)
    assert added.exit_code == 0, added.output
    return base


def avenant_file(folder: Path, **sections: Any) -> Path:
    fields = {"date_effet": "2026-03-01", "signature": {"lieu": "Arras", "date": "2026-02-16"}}
    content = {"avenant": {**fields, **sections.pop("avenant", {})}, **sections}
    path = folder / f"avenant-{next(_names)}.yaml"
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return path


def amend(base: str, folder: Path, source: Path, *options: str, numero: str = "1") -> Result:
    output = folder / f"avenant-{next(_names)}.docx"
    return cli(
        "registre",
        "avenant",
        numero,
        str(source),
        "-o",
        str(output),
        "--base",
        base,
        "--today",
        TODAY,
        *options,
    )


def shown(base: str) -> dict[str, Any]:
    result = cli("registre", "montre", "1", "--format", "json", "--base", base, "--today", TODAY)
    assert result.exit_code == 0, result.output
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def revisions(docx: bytes) -> dict[str, set[str]]:
    """The words the document marks as inserted and as deleted."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    found: dict[str, set[str]] = {"ins": set(), "del": set()}
    for kind in found:
        for mark in root.iter(f"{{{W}}}{kind}"):
            text = "".join(node.text or "" for node in mark.iter(f"{{{W}}}t", f"{{{W}}}delText"))
            found[kind] |= set(text.split())
    return found


def headings(text: str) -> set[str]:
    """What the avenant's articles amend: "Modification de l’article 3" → "l’article 3"."""
    named = set(
        re.findall(
            r"Article \d+ – (?:Modification|Remplacement|Ajout|Suppression) de (l’\w+ (?:n°)?[\d.]+)", text
        )
    )
    if "– Désignation des parties" in text:
        named.add("la désignation des parties")
    return named


# --- one avenant per type: the articles it names, the register, the schedule -------------------


@pytest.mark.parametrize("name", sorted(REGISTERED))
def test_an_avenant_names_exactly_the_changed_articles_and_moves_the_schedule(
    name: str, tmp_path: Path
) -> None:
    base = registered(tmp_path, name)
    before = shown(base)
    index = REGISTERED[name]
    term, articles = TERMS[name]
    changes = {f"parties[{index}].representant.nom": "Durand", **term}
    source = avenant_file(tmp_path, modifications=changes)
    output, consolidated, tracked = (
        tmp_path / f"{stem}.docx" for stem in ("avenant", "consolidee", "modifs")
    )
    result = cli(
        "registre", "avenant", "1", str(source), "-o", str(output), "--consolidee", str(consolidated),
        "--modifications", str(tracked), "--base", base, "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = docx_text(output.read_bytes())
    assert text.startswith("AVENANT N°1 À LA CONVENTION")
    assert headings(text) == {"la désignation des parties", *articles}
    assert "Les autres stipulations de la convention demeurent inchangées." in text
    assert "inscrite au registre des conventions sous le n°1" in text
    assert "Le présent avenant prend effet le 1er mars 2026." in text
    assert "DURAND" in text and "à signer la présente convention" not in text.split("PRÉAMBULE")[0]
    line = "Version consolidée au 1er mars 2026 (avenant n°1) "
    merged = render_document(name, merged_data(name, changes), today=date(2026, 2, 20)).content
    assert docx_text(consolidated.read_bytes()).replace(line, "") == docx_text(merged)
    assert "DURAND" in " ".join(revisions(tracked.read_bytes())["ins"])
    after = shown(base)
    assert [(a["numero"], a["date_effet"]) for a in after["avenants"]] == [(1, "2026-03-01")]
    assert set(after["avenants"][0]["articles"]) == {"la désignation des parties", *articles}
    moved = [(d["nature"], d["date"]) for d in after["echeances"]]
    assert moved != [(d["nature"], d["date"]) for d in before["echeances"]]


# --- tracked changes: the planted changes, and only them ---------------------------------------

PLANTED = {  # per type: the party whose name and street change
    "adhesion-centrale-achats": 0,
    "services-numeriques": 0,
    "plateforme-dematerialisation": 0,
    "groupement-commandes": 6,
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_the_tracked_changes_mark_the_planted_words_only(name: str, tmp_path: Path) -> None:
    base = registered(tmp_path, name)
    party = sample(name)["parties"][PLANTED[name]]
    old_name, old_street = party["representant"]["nom"], party["adresse"]["voie"]
    new_name, new_street = "Vasseur-Lemaire", "18 boulevard Carnot"
    changes = {
        f"parties[{PLANTED[name]}].representant.nom": new_name,
        f"parties[{PLANTED[name]}].adresse.voie": new_street,
    }
    tracked = tmp_path / "modifs.docx"
    result = amend(
        base, tmp_path, avenant_file(tmp_path, modifications=changes), "--modifications", str(tracked)
    )
    assert result.exit_code == 0, result.output
    old_words = set(old_name.upper().split()) | set(old_street.split())
    new_words = set(new_name.upper().split()) | set(new_street.split())
    expected = {"del": old_words - new_words, "ins": new_words - old_words}
    found = revisions(tracked.read_bytes())
    for kind in ("ins", "del"):
        right = found[kind] & expected[kind]
        assert len(right) / len(found[kind]) == 1.0, (kind, found[kind] - expected[kind])  # precision
        assert len(right) / len(expected[kind]) == 1.0, (kind, expected[kind] - found[kind])  # recall


def test_compare_marks_two_documents_word_by_word(tmp_path: Path) -> None:
    data = sample("plateforme-dematerialisation")
    first, second = tmp_path / "v1.docx", tmp_path / "v2.docx"
    for path, consultations in ((first, 235), (second, 240)):  # the same tranche (150 à 250)
        data["consultations_par_an"] = consultations
        source = tmp_path / f"{path.stem}.yaml"
        source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        rendered = cli("render", "plateforme-dematerialisation", str(source), "-o", str(path), "--force")
        assert rendered.exit_code == 0, rendered.output
    output = tmp_path / "modifications.docx"
    result = cli("compare", str(first), str(second), "-o", str(output))
    assert result.exit_code == 0, result.output
    assert revisions(output.read_bytes()) == {"ins": {"240"}, "del": {"235"}}
    again = cli("compare", str(first), str(second), "-o", str(output))
    assert again.exit_code == 8  # never overwritten without --force
    assert (
        cli("compare", str(first), str(tmp_path / "v1.yaml"), "-o", str(tmp_path / "x.docx")).exit_code == 3
    )


# --- a groupement gains a member and loses another ---------------------------------------------


def test_a_groupement_avenant_adds_a_member_and_removes_another(tmp_path: Path) -> None:
    base = registered(tmp_path, "groupement-commandes")
    member = {
        "role": "membre",
        "nature": "commune",
        "nom": "Le Portel",
        "adresse": {"voie": "Place Henri Lebas", "code_postal": "62480", "commune": "Le Portel"},
        "representant": {"civilite": "Madame", "prenom": "Claire", "nom": "Dupont", "qualite": "maire"},
    }
    source = avenant_file(
        tmp_path,
        avenant={
            "autorisations": {
                "parties[9]": {"organe": "conseil municipal", "date": "2026-02-02", "numero": "2026-015"}
            }
        },
        ajouter={"parties": [member]},
        retirer=["parties[6]"],  # the Syndicat Mixte Oise Très Haut Débit
    )
    output = tmp_path / "avenant.docx"
    result = cli("registre", "avenant", "1", str(source), "-o", str(output), "--base", base, "--today", TODAY)
    assert result.exit_code == 0, result.output
    text = docx_text(output.read_bytes())
    assert (
        "La Commune du Portel, sise Place Henri Lebas, 62480 Le Portel, représentée par Madame Claire DUPONT"
        in text
    )
    assert (
        "dûment autorisée à signer le présent avenant par délibération n°2026-015 du conseil municipal"
        in text
    )
    recital, amended = text.split("Ceci exposé")
    assert "le Syndicat mixte Oise Très Haut Débit" in recital  # it signed the convention
    assert "Oise Très Haut Débit" not in recital.split("PRÉAMBULE")[0]  # not the avenant
    assert "Pour la Commune du Portel," in amended and "Oise Très Haut Débit" not in amended
    # a member left: article 1 gives the parties as they now stand, all of them
    article = amended.split("Article 1 – Désignation des parties")[1].split("Article 2")[0]
    assert "elle se lit désormais comme suit" in article and article.count("représenté") == 10
    assert len(re.findall(r"Pour (?:le|la|l’)", amended)) == 10
    # the convention is made in two originals per member: the avenant too, for its ten signatories
    assert "en vingt (20) exemplaires." in amended and "deux (2) exemplaires" not in text
    parties = [party["denomination"] for party in shown(base)["parties"]]
    assert "la Commune du Portel" in parties and not any("Oise Très Haut Débit" in p for p in parties)
    assert len(parties) == 10
    # avenant n°2 cites the convention as its members concluded it, and avenant n°1
    second = avenant_file(
        tmp_path,
        avenant={"date_effet": "2026-05-01"},
        modifications={"objet": "environnement numérique de travail"},
    )
    result = cli(
        "registre",
        "avenant",
        "1",
        str(second),
        "-o",
        str(tmp_path / "a2.docx"),
        "--base",
        base,
        "--today",
        TODAY,
    )
    assert result.exit_code == 0, result.output
    recital = docx_text((tmp_path / "a2.docx").read_bytes()).split("PRÉAMBULE")[1].split("Ceci exposé")[0]
    assert "Oise Très Haut Débit" in recital and "Portel" not in recital
    assert "et modifiée par l’avenant n°1." in recital


# --- bad avenants: French, with their path and exit code; the register untouched --------------


@pytest.mark.parametrize(
    ("sections", "code", "path"),
    [
        (
            {"modifications": {"parties[0].representant.bar": 1}},
            "field.unknown",
            "modifications.parties[0].representant.bar",
        ),
        ({"modifications": {"inconnu.champ": 1}}, "avenant.champ_introuvable", "modifications.inconnu.champ"),
        ({"modifications": {"type": "deliberation"}}, "avenant.type", "modifications.type"),
        ({"retirer": ["parties[0]", "parties[1]", "parties[2]"]}, "avenant.sans_partie", "retirer"),
        ({"modifications": {"reconduction": "tacite"}}, "avenant.sans_modification", "modifications"),
        (
            {"avenant": {"date_effet": "2025-01-01"}, "modifications": {"reconduction": "expresse"}},
            "avenant.date_avant_signature",
            "avenant.date_effet",
        ),
        (
            {
                "avenant": {
                    "autorisations": {"maire": {"organe": "conseil municipal", "date": "2026-01-05"}}
                },
                "modifications": {"reconduction": "expresse"},
            },
            "avenant.autorisation_inconnue",
            "avenant.autorisations.maire",
        ),
    ],
)
def test_a_bad_avenant_is_refused_with_its_path_and_the_register_untouched(
    sections: dict[str, Any], code: str, path: str, tmp_path: Path
) -> None:
    base = registered(tmp_path, "services-numeriques")
    before = shown(base)
    output = tmp_path / "avenant.docx"
    source = avenant_file(tmp_path, **sections)
    result = cli(
        "registre",
        "avenant",
        "1",
        str(source),
        "-o",
        str(output),
        "--base",
        base,
        "--today",
        TODAY,
    )
    assert result.exit_code == 5, result.output
    assert f"{path} :" in result.stderr and f"({code})" in result.stderr
    assert not output.exists()
    assert shown(base) == before


def test_an_avenant_to_an_unknown_a_terminated_or_an_ended_convention_is_refused(tmp_path: Path) -> None:
    base = registered(tmp_path, "services-numeriques")
    source = avenant_file(tmp_path, modifications={"reconduction": "expresse"})
    unknown = amend(base, tmp_path, source, numero="7")
    assert unknown.exit_code == 10 and "aucune convention n°7" in unknown.stderr
    ended = cli(
        "registre",
        "avenant",
        "1",
        str(source),
        "-o",
        str(tmp_path / "a.docx"),
        "--base",
        base,
        "--today",
        "2030-01-02",
    )
    assert ended.exit_code == 14 and "a pris fin le 14 septembre 2029" in ended.stderr.replace("\u00a0", " ")
    assert (
        cli(
            "registre", "resilier", "1", "--date", "2026-01-31", "--motif", "Délibération", "--base", base
        ).exit_code
        == 0
    )
    terminated = amend(base, tmp_path, source)
    assert terminated.exit_code == 13 and "résiliée" in terminated.stderr
    assert shown(base)["avenants"] == []


def test_the_register_is_never_half_updated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while the schedule is replaced leaves the avenant unrecorded and the parties as they were."""
    from conventum.errors import RegisterError
    from conventum.register import amendments

    base = registered(tmp_path, "services-numeriques")
    before = shown(base)

    def broken(*_args: Any) -> None:
        raise RegisterError("disque plein")

    monkeypatch.setattr(amendments, "_replace_deadlines", broken)
    changes = {"reconduction": "expresse", "parties[0].representant.nom": "Durand"}
    output = tmp_path / "avenant.docx"
    source = avenant_file(tmp_path, modifications=changes)
    result = cli("registre", "avenant", "1", str(source), "-o", str(output), "--base", base, "--today", TODAY)
    assert result.exit_code == 9 and "disque plein" in result.stderr
    assert shown(base) == before and not output.exists()


# --- the avenant to the préfecture: nature 4, piece 42_AC ----------------------------------------


def test_an_avenant_goes_to_the_prefecture_as_nature_4_piece_42_ac(tmp_path: Path) -> None:
    from tests.test_actes import CLASSIFICATION, NS, _pdf, _valid_message

    signed = _pdf(tmp_path / "avenant-signe.pdf")
    data = str(Path(__file__).parent.parent / "samples" / "services-numeriques.yaml")
    common = (
        "--numero",
        "2026_AV1",
        "--siren",
        "216207274",
        "--departement",
        "062",
        "--date-decision",
        "2026-02-16",
    )
    result = cli("actes", "services-numeriques", data, "--avenant", "--pdf", str(signed), "-o", str(tmp_path / "envoi"),
                 "--matiere", "4.2", "--classification", str(CLASSIFICATION), *common)  # fmt: skip
    assert result.exit_code == 0, result.output
    root = _valid_message(tmp_path / "envoi")
    assert root.get(f"{NS}CodeNatureActe") == "4"
    assert (root.findtext(f"{NS}Document/{NS}NomFichier") or "").startswith("42_AC-062-216207274-20260216-")
    assert (root.findtext(f"{NS}Objet") or "").startswith("Avenant à la convention relative aux prestations")
    # Pastell's rule: a piece XY_… belongs to matière X.Y — 42_AC is refused for a 1.4 convention
    refused = cli("actes", "services-numeriques", data, "--avenant", "--pdf", str(signed), "-o", str(tmp_path / "b"),
                  "--matiere", "1.4.2", "--classification", str(CLASSIFICATION), *common)  # fmt: skip
    assert refused.exit_code == 5 and "(actes.piece_matiere)" in refused.stderr
    unsigned = cli("actes", "services-numeriques", data, "--avenant", "-o", str(tmp_path / "autre"), *common)
    assert unsigned.exit_code == 2 and "un avenant se transmet signé" in unsigned.stderr
    assert not (tmp_path / "autre").exists() and not (tmp_path / "b").exists()


# --- the calendar follows, on SQLite and PostgreSQL ---------------------------------------------


def calendar_events(base: str, folder: Path) -> dict[str, tuple[str, int, str]]:
    """UID → (date, SEQUENCE, STATUS) of the register's iCalendar export."""
    from icalendar import Calendar

    path = folder / f"echeances-{next(_names)}.ics"
    assert cli("registre", "ics", "-o", str(path), "--base", base).exit_code == 0
    found = {}
    for event in Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
        found[str(event["UID"])] = (
            event.decoded("DTSTART").isoformat(),
            int(event["SEQUENCE"]),
            str(event["STATUS"]),
        )
    return found


def test_the_calendar_moves_and_cancels_with_a_higher_sequence(base: str, tmp_path: Path) -> None:
    data = tmp_path / "plateforme.yaml"
    data.write_text(
        yaml.safe_dump(sample("plateforme-dematerialisation"), allow_unicode=True), encoding="utf-8"
    )
    added = cli(
        "registre", "ajouter", "plateforme-dematerialisation", str(data), "--base", base, "--today", TODAY
    )
    assert added.exit_code == 0, added.output
    before = calendar_events(base, tmp_path)
    longer = avenant_file(tmp_path, modifications={"duree.annees": 4})
    assert amend(base, tmp_path, longer).exit_code == 0
    after = calendar_events(base, tmp_path)
    first = next(uid for uid in before if uid.endswith("-reconduction-0@conventum"))
    assert (before[first][0], after[first][0]) == ("2029-01-01", "2030-01-01")  # same UID, moved a year
    assert after[first][1] > before[first][1]  # a higher SEQUENCE: the calendar replaces the event
    # avenant n°2, on the convention as n°1 left it: no more renewal, the renewals cancelled
    final = avenant_file(
        tmp_path, avenant={"date_effet": "2026-06-01"}, modifications={"duree.renouvellements": 0}
    )
    result = amend(base, tmp_path, final)
    assert result.exit_code == 0, result.output
    last = calendar_events(base, tmp_path)
    assert last[first][2] == "CANCELLED" and last[first][1] > after[first][1]
    assert [(day, status) for uid, (day, _s, status) in last.items() if "-fin-" in uid] == [
        ("2029-12-31", "CONFIRMED")
    ]
    entry = shown(base)
    assert [a["numero"] for a in entry["avenants"]] == [1, 2]
    assert "l’avenant n°1" in docx_text(Path(result.stderr.split("Écrit : ")[1].split()[0]).read_bytes())


# --- the consolidated version, as a PDF -----------------------------------------------------------


@needs_libreoffice
def test_the_consolidated_pdf_reads_as_the_convention_rendered_from_the_merged_data(tmp_path: Path) -> None:
    from pypdf import PdfReader

    def pdf_text(path: Path) -> str:
        return normalise(" ".join(page.extract_text() or "" for page in PdfReader(path).pages))

    base = registered(tmp_path, "services-numeriques")
    changes = {"reconduction": "expresse", "parties[0].adresse.voie": "12 rue Victor Hugo"}
    consolidated, avenant = tmp_path / "consolidee.pdf", tmp_path / "avenant.pdf"
    source = avenant_file(tmp_path, modifications=changes)
    result = cli("registre", "avenant", "1", str(source), "-o", str(avenant), "--consolidee", str(consolidated),
                 "--base", base, "--today", TODAY)  # fmt: skip
    assert result.exit_code == 0, result.output
    merged = sample("services-numeriques")
    merged["reconduction"] = "expresse"
    merged["parties"][0]["adresse"]["voie"] = "12 rue Victor Hugo"
    data = tmp_path / "fusion.yaml"
    data.write_text(yaml.safe_dump(merged, allow_unicode=True), encoding="utf-8")
    direct = tmp_path / "directe.pdf"
    assert cli("render", "services-numeriques", str(data), "-o", str(direct), "--today", TODAY).exit_code == 0
    line = "Version consolidée au 1er mars 2026 (avenant n°1)"
    text = pdf_text(consolidated)
    assert line in text
    assert text.replace(line + " ", "") == pdf_text(direct)
    assert "AVENANT N°1" in pdf_text(avenant) and "Page 1 sur" in " ".join(
        page.extract_text() or "" for page in PdfReader(avenant).pages
    )


@needs_libreoffice
def test_an_annex_supplied_as_a_file_is_joined_to_the_avenant(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    base = registered(tmp_path, "services-numeriques")
    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(595, 842)
    writer.write(tmp_path / "charte.pdf")
    charter = {"numero": 4, "titre": "Charte d’utilisation des services", "fichier": "charte.pdf"}
    source = avenant_file(tmp_path, ajouter={"annexes": [charter]})
    output = tmp_path / "avenant.pdf"
    result = cli("registre", "avenant", "1", str(source), "-o", str(output), "--base", base, "--today", TODAY)
    assert result.exit_code == 0, result.output
    pages = PdfReader(output).pages
    text = normalise(" ".join(page.extract_text() or "" for page in pages))
    assert "Article 1 – Ajout de l’annexe n°4" in text
    assert (
        "Il est ajouté à la convention l’annexe n°4 « Charte d’utilisation des services », jointe au présent avenant."
        in text
    )
    assert (
        not (pages[-1].extract_text() or "").strip() and not (pages[-2].extract_text() or "").strip()
    )  # the charter's
    assert shown(base)["avenants"][0]["articles"] == ["l’annexe n°4"]
