"""conventum publication: the séance's liste and feuillet de clôture (R.2121-9), the published acte
with its author and date online, the SCDL CSV valid for frictionless with votes that add up, and a
signed acte never broken."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from frictionless import Report, Resource, Schema
from pypdf import PdfReader

from conventum.actes.classification import read_classification
from conventum.errors import OutputError, ValidationFailed
from conventum.pdf.converter import Converter
from conventum.pdf.pdfa import declared_part
from conventum.pdf.pdfio import page_texts
from conventum.publication.mention import SignedActeError
from conventum.publication.seance import load_seance
from conventum.publication.writing import FEUILLET, LISTE, SCDL, write_publication
from tests.signed_pdf import sign, signature_intact
from tests.test_pdfa import preflight

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURES = ROOT / "tests" / "fixtures"
CLASSIFICATION = FIXTURES / "actes" / "classification.xml"
SCHEMA = FIXTURES / "scdl" / "deliberations-2.1.5.schema.json"
BLANK = FIXTURES / "actes" / "blank.pdf"


def _frictionless(path: Path) -> Report:
    """frictionless's validation of a CSV against the SCDL table schema (paths relative to a base)."""
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return Resource(path=path.name, basepath=str(path.parent), schema=schema).validate()


def _text(pdf: Path) -> str:
    return " ".join(" ".join(page_texts(pdf.read_bytes(), what=pdf.name)).split())


def _seance(folder: Path, *, pdfs: dict[str, Path]) -> Path:
    """A séance of the two sample délibérations (their figures differ: 43-0-0 and 34-0-7)."""
    for name in ("deliberation-2023-338.yaml", "deliberation-2025-498.yaml"):
        shutil.copy(SAMPLES / name, folder / name)
    entries = [
        {
            "fichier": "deliberation-2023-338.yaml",
            "matiere": "1.4.2",
            "pdf": str(pdfs["338"]),
            "url": "https://www.pasdecalais.fr/deliberations/2023-338.pdf",
        },
        {"fichier": "deliberation-2025-498.yaml", "matiere": "1.4", "pdf": str(pdfs["498"])},
    ]
    seance = yaml.safe_load((SAMPLES / "seances" / "seance-2023-09-18.yaml").read_text(encoding="utf-8"))
    seance["deliberations"] = entries
    path = folder / "seance.yaml"
    path.write_text(yaml.safe_dump(seance, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    with Converter(workers=1) as started:
        yield started


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, converter: Converter) -> Path:
    folder = tmp_path_factory.mktemp("seance")
    seance = load_seance(_seance(folder, pdfs={"338": BLANK, "498": BLANK}))
    output = folder / "publication"
    write_publication(seance, read_classification(CLASSIFICATION), output, converter=converter)
    return output


def test_the_liste_and_the_feuillet_are_pdfa_1b_for_preflight(published: Path) -> None:
    for name in (LISTE, FEUILLET):
        verdict = preflight(published / name)
        assert "is a valid PDF/A-1b file" in verdict, (name, verdict)
    # an acte given as a plain PDF: its publication does not claim PDF/A (and says so)
    assert declared_part((published / "deliberation-2023-338.pdf").read_bytes()) is None


def test_a_rendered_deliberation_is_published_in_pdfa_1b(tmp_path: Path, converter: Converter) -> None:
    folder = tmp_path / "seance"
    folder.mkdir()
    path = _seance(folder, pdfs={"338": BLANK, "498": BLANK})
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in raw["deliberations"]:
        entry.pop("pdf")
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    seance = load_seance(path)
    done = write_publication(
        seance, read_classification(CLASSIFICATION), tmp_path / "pub", converter=converter
    )
    assert done.non_pdfa == {}
    for name in ("deliberation-2023-338.pdf", "deliberation-2025-498.pdf"):
        verdict = preflight(tmp_path / "pub" / name)
        assert "is a valid PDF/A-1b file" in verdict, (name, verdict)
        text = _text(tmp_path / "pub" / name)
        assert "Mis en ligne le" in text and "DÉCIDE" in text


def test_the_scdl_csv_is_valid_for_frictionless_and_its_votes_add_up(published: Path) -> None:
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    report = _frictionless(published / SCDL)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    raw = (published / SCDL).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert list(rows[0]) == [field.name for field in schema.fields] and len(rows[0]) == 17
    first, second = rows
    assert (first["DELIB_ID"], first["VOTE_POUR"], first["VOTE_CONTRE"], first["VOTE_ABSTENTION"]) == (
        "2023-338",
        "43",
        "0",
        "0",
    )
    # Seed 003 counted its 7 members taking no part as abstentions (docs/types/deliberation.md).
    assert (second["VOTE_POUR"], second["VOTE_ABSTENTION"]) == ("34", "0")
    for row in rows:
        cast = sum(int(row[key]) for key in ("VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"))
        assert cast == int(row["VOTE_REEL"]) <= int(row["VOTE_EFFECTIF"])
    assert first["VOTE_EFFECTIF"] == "44"  # 39 présents + 5 excusés: 43 votes, 1 absent sans délégation
    assert (
        first["DELIB_MATIERE_CODE"] == "1.4"
        and first["DELIB_MATIERE_NOM"] == "commande publique/autres types de contrats"
    )
    assert first["COLL_SIRET"] == "22620001200012" and first["DELIB_URL"].startswith("https://")


def test_a_semicolon_file_with_empty_votes_is_refused_by_the_same_check(tmp_path: Path) -> None:
    """The check is not vacuous: the file Mégalis's tool writes (semicolons) fails it."""
    bad = tmp_path / "megalis.csv"
    bad.write_text("COLL_NOM;COLL_SIRET;DELIB_ID\nDépartement;22620001200012;2023-338\n", encoding="utf-8")
    assert not _frictionless(bad).valid


def test_the_feuillet_de_cloture_holds_what_r2121_9_lists(published: Path) -> None:
    text = _text(published / FEUILLET)
    assert "Feuillet de clôture de la séance du 18 septembre 2023" in text
    assert (
        "1 2023-338 Adhésion à la centrale d'achat" in text
        and "2 2025-498 Signature d'une convention" in text
    )
    assert (
        "Membres présents" in text and "M. Jean-Claude LEROY" in text and "Mme Maïté MULOT-FRISCOURT" in text
    )
    assert "Le Président de séance Jean-Claude LEROY" in text or "Le Président de séance" in text
    assert "Zohra OUAGUEF" in text and "Maïté MULOT-FRISCOURT" in text  # the two secrétaires
    assert text.count("Signature :") == 3


def test_the_liste_des_deliberations_lists_numbers_objects_and_results(published: Path) -> None:
    text = _text(published / LISTE)
    assert "Liste des délibérations de la séance du 18 septembre 2023" in text
    assert "2023-338" in text and "2025-498" in text and text.count("Adoptée") == 2
    assert "Liste mise en ligne le 20 septembre 2023" in text


def test_the_published_acte_names_its_author_and_the_date_online(published: Path) -> None:
    pdf = published / "deliberation-2023-338.pdf"
    text = _text(pdf)
    assert "Auteur de l’acte : Jean-Claude LEROY, Président du Conseil départemental" in text
    assert "Mis en ligne le 20 septembre 2023" in text
    assert len(PdfReader(pdf).pages) == 1 + len(PdfReader(BLANK).pages)  # the acte whole, after its page


def test_a_signed_acte_is_refused_and_nothing_is_written(tmp_path: Path, converter: Converter) -> None:
    signed = tmp_path / "signe.pdf"
    signed.write_bytes(sign(BLANK.read_bytes()))
    seance = load_seance(_seance(tmp_path, pdfs={"338": signed, "498": BLANK}))
    with pytest.raises(SignedActeError) as caught:
        write_publication(
            seance, read_classification(CLASSIFICATION), tmp_path / "publication", converter=converter
        )
    assert "romprait sa signature" in caught.value.message and "DocMDP 2" in caught.value.message
    assert not (tmp_path / "publication").exists()


def test_a_signed_acte_is_published_attached_byte_for_byte(tmp_path: Path, converter: Converter) -> None:
    original = sign(BLANK.read_bytes())
    signed = tmp_path / "signe.pdf"
    signed.write_bytes(original)
    seance = load_seance(_seance(tmp_path, pdfs={"338": signed, "498": BLANK}))
    output = tmp_path / "publication"
    done = write_publication(
        seance, read_classification(CLASSIFICATION), output, converter=converter, attach=True
    )
    pdf = output / "deliberation-2023-338.pdf"
    # a PDF/A-1b joins no file: the publication says it is not one, and does not claim it
    assert "joint tel quel" in done.non_pdfa["deliberation-2023-338.pdf"]
    assert declared_part(pdf.read_bytes()) is None
    assert "Mis en ligne le 20 septembre 2023" in _text(pdf) and "joint à ce document" in _text(pdf)
    [attached] = PdfReader(pdf).attachments["signe.pdf"]
    assert attached == original and signature_intact(attached)
    assert signed.read_bytes() == original


def test_a_matiere_absent_from_the_classification_is_refused_before_anything_is_made(tmp_path: Path) -> None:
    path = _seance(tmp_path, pdfs={"338": BLANK, "498": BLANK})
    path.write_text(
        path.read_text(encoding="utf-8").replace("matiere: '1.4'", "matiere: '6.1'"), encoding="utf-8"
    )
    with pytest.raises(ValidationFailed) as caught:
        write_publication(load_seance(path), read_classification(CLASSIFICATION), tmp_path / "publication")
    assert [issue.message for issue in caught.value.issues] == [
        "La classification « 6.1 » n’existe pas dans la classification de la collectivité (version du 12 janvier 2023)."
    ]
    assert not (tmp_path / "publication").exists()


def test_the_sample_seance_gives_a_valid_scdl_file(tmp_path: Path) -> None:
    from conventum.publication.scdl import scdl_csv

    seance = load_seance(SAMPLES / "seances" / "seance-2023-09-18.yaml")
    assert [item.numero for item in seance.deliberations] == ["2023-338"]
    assert [person.name for person in seance.secretaires] == ["Zohra OUAGUEF"]
    (tmp_path / SCDL).write_bytes(scdl_csv(seance, read_classification(CLASSIFICATION)))
    assert _frictionless(tmp_path / SCDL).valid


def test_one_deliberation_through_the_command(tmp_path: Path) -> None:
    command = [
        str(ROOT / ".venv" / "bin" / "conventum"),
        "publication",
        str(SAMPLES / "deliberation-2025-498.yaml"),
        "--classification",
        str(CLASSIFICATION),
        "--pdf",
        str(BLANK),
        "--matiere",
        "1.4",
        "--siret",
        "22620001200012",
        "--collectivite",
        "Département du Pas-de-Calais",
        "--mise-en-ligne",
        "10/12/2025",
        "-o",
        str(tmp_path / "pub"),
    ]
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    text = _text(tmp_path / "pub" / "deliberation-2025-498.pdf")
    assert (
        "Mis en ligne le 10 décembre 2025" in text
        and "Jean-Claude LEROY, Président du Conseil départemental" in text
    )
    bad = subprocess.run(
        [*command[:-1], str(tmp_path / "autre"), "--siret", "22620001200013"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 5 and "SIRET" in bad.stderr and not (tmp_path / "autre").exists()
    late = subprocess.run(
        [*command[:-3], "2025-12-31", "-o", str(tmp_path / "tard")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (
        late.returncode == 0 and "plus d’une semaine après la séance du 8\u00a0décembre 2025" in late.stderr
    )
    early = subprocess.run(
        [*command[:-3], "2025-12-01", "-o", str(tmp_path / "tot")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert early.returncode == 5 and "précède la séance" in early.stderr and not (tmp_path / "tot").exists()
    as_json = subprocess.run(
        [*command[:-1], str(tmp_path / "json"), "--format", "json"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    assert report["mise_en_ligne"] == "2025-12-10" and report["auteur"]["nom"] == "LEROY"
    [item] = report["deliberations"]
    assert item["numero"] == "2025-498" and item["fichier"] in report["fichiers"]
    refused = subprocess.run(
        [*command[:-1], str(tmp_path / "autre"), "--siret", "22620001200013", "--format", "json"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert refused.returncode == 5 and not (tmp_path / "autre").exists()
    assert [p["path"] for p in json.loads(refused.stdout)["problemes"]] == ["collectivite.siret"]


def test_the_tables_list_every_deliberation_by_date_and_by_objet(
    tmp_path: Path, converter: Converter
) -> None:
    from conventum.publication.tables import write_tables

    folder = tmp_path / "seance"
    folder.mkdir()
    path = _seance(folder, pdfs={"338": BLANK, "498": BLANK})
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["deliberations"].reverse()  # n°1 « Signature … », n°2 « Adhésion … »: the two orders differ
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    later = load_seance(SAMPLES / "seances" / "seance-2025-12-08.yaml")
    target = write_tables([later, load_seance(path)], tmp_path / "tables.pdf", converter=converter)
    text = _text(target)
    assert "Tables du registre des délibérations (2023 à 2025)" in text
    chrono, by_objet = text.split("Table chronologique")[1].split("Table par objet")
    # by date: the séance of 2023 first, in its numéros d'ordre; then 2025
    assert chrono.index("1 2025-498 Signature") < chrono.index("2 2023-338 Adhésion")
    assert chrono.index("2023-338") < chrono.rindex("2025-498")
    assert chrono.count("18 septembre 2023") == 2 and chrono.count("8 décembre 2025") == 1
    # by objet: « Adhésion » before both « Signature » (one in each séance)
    assert by_objet.index("Adhésion") < by_objet.index("Signature") and by_objet.count("Signature") == 2
    assert "is a valid PDF/A-1b file" in preflight(target)
    with pytest.raises(OutputError, match="existe déjà"):
        write_tables([later], target, converter=converter)


def test_the_tables_command(tmp_path: Path) -> None:
    seances = [
        str(SAMPLES / "seances" / name) for name in ("seance-2023-09-18.yaml", "seance-2025-12-08.yaml")
    ]
    command = [str(ROOT / ".venv" / "bin" / "conventum"), "tables", *seances, "-o", str(tmp_path / "t.pdf")]
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, env={**os.environ, "COLUMNS": "200"}
    )
    assert done.returncode == 0, done.stderr
    assert "2 délibération(s), 2 séance(s)" in done.stderr
    text = _text(tmp_path / "t.pdf")
    assert text.index("2023-338") < text.index("2025-498")
