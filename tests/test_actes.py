"""conventum actes: the ACTES message valid against the ministry's schema for every sample, the
TdTs' rules refused in French, hostile classifications refused, nothing written on a fault."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pypdf import PdfWriter

from conventum.actes.classification import read_classification
from conventum.actes.envoi import MAX_TOTAL_BYTES
from conventum.actes.message import actes_schema
from conventum.actes.pastell import MANIFEST, TYPOLOGY, read_manifest
from conventum.actes.sources import Request
from conventum.actes.writing import write_envoi
from conventum.errors import DataFileError, ValidationFailed
from conventum.model.loading import load_data

ROOT = Path(__file__).resolve().parent.parent
CLASSIFICATION = ROOT / "tests" / "fixtures" / "actes" / "classification.xml"
SAMPLES = ROOT / "samples"
CONVENTIONS = [
    "adhesion-centrale-achats",
    "groupement-commandes",
    "plateforme-dematerialisation",
    "services-numeriques",
]
NS = "{http://www.interieur.gouv.fr/ACTES#v1.1-20040216}"


def _pdf(path: Path, pages: int = 1) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.write(path)
    return path


def _no_render(type_name: str, data: Mapping[str, Any]) -> bytes:
    """Stands for LibreOffice where the test gives the signed PDF itself or checks only metadata."""
    return (Path(__file__).parent / "fixtures" / "actes" / "blank.pdf").read_bytes()


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = Path(__file__).parent / "fixtures" / "actes" / "blank.pdf"
    if not path.exists():
        _pdf(path)
    return path


def _request(pdf: Path, **changes: Any) -> Request:
    values: dict[str, Any] = {
        "transmission": dt.date(2026, 1, 15),
        "numero": "2023_338",
        "matiere": "1.4.2",
        "siren": "226200012",
        "pdf": pdf,
    }
    values.update(changes)
    return Request(**values)


def _valid_message(folder: Path) -> etree._Element:
    [message] = folder.glob("*-1-1_0.xml")
    document = etree.parse(str(message))
    assert actes_schema().validate(document), actes_schema().error_log
    return document.getroot()


@pytest.mark.parametrize("name", CONVENTIONS)
def test_every_sample_convention_gives_a_valid_acte_message(name: str, blank: Path, tmp_path: Path) -> None:
    data = load_data(SAMPLES / f"{name}.yaml")
    signed = (data.get("signature") or {}).get("date")  # an unsigned sample: its decision date is given
    request = _request(
        blank, autorisation=blank, departement="062", decision=None if signed else dt.date(2025, 11, 3)
    )
    written = write_envoi(name, data, request, tmp_path / "envoi", classification=CLASSIFICATION)
    root = _valid_message(tmp_path / "envoi")
    assert root.get(f"{NS}CodeNatureActe") == "4"
    document = root.findtext(f"{NS}Document/{NS}NomFichier")
    assert document is not None and document.startswith("99_CO-062-226200012-")
    assert document.endswith("-2023_338-CC-1-1_1.pdf")
    [annexe] = root.iterfind(f"{NS}Annexes/{NS}Annexe/{NS}NomFichier")
    assert annexe.text is not None and annexe.text.startswith("10_DE-") and annexe.text.endswith("_2.pdf")
    objet = root.findtext(f"{NS}Objet") or ""
    assert 0 < len(objet) <= 499 and "\n" not in objet
    assert (tmp_path / "envoi" / document).read_bytes() == blank.read_bytes()
    # The glaneur's manifest parses back to the same fields as the ls-actes JSON.
    [drop] = (tmp_path / "envoi").glob("glaneur-*.zip")
    with zipfile.ZipFile(drop) as archive:
        manifest = read_manifest(archive.read(MANIFEST))
        assert sorted(archive.namelist()) == sorted([MANIFEST, document, annexe.text, TYPOLOGY])
        typology = json.loads(archive.read(TYPOLOGY))
        root = etree.fromstring(archive.read(MANIFEST))
    # laid out as Pastell's glaneur reads it: <flux type>, a ticked checkbox is "on"
    assert root.tag == "flux" and root.get("type") == "actes-generique"
    assert typology == [
        {"filename": document, "typologie": "99_CO"},
        {"filename": annexe.text, "typologie": "10_DE"},
    ]
    fields = json.loads((tmp_path / "envoi" / "pastell-ls-actes.json").read_text())["donnees"]
    assert manifest["numero_de_lacte"] == fields["numero_de_lacte"] == written.envoi.numero
    assert manifest["objet"] == fields["objet"] == objet
    assert manifest["classification"] == "1.4.2" and manifest["acte_nature"] == "4"
    assert manifest["arrete"] == [document] and manifest["autre_document_attache"] == [annexe.text]
    assert json.loads(manifest["type_pj"]) == ["10_DE"]
    assert manifest["flux"] == "actes-generique" and manifest["envoi_tdt"] == "on"
    assert manifest["type_piece_fichier"] == [TYPOLOGY] and "document_papier" not in manifest
    assert fields["envoi_tdt_actes"] == "on"


@pytest.mark.parametrize("name", ["deliberation-2023-338", "deliberation-2025-498"])
def test_every_sample_deliberation_gives_a_valid_acte_message(name: str, blank: Path, tmp_path: Path) -> None:
    data = load_data(SAMPLES / f"{name}.yaml")
    request = _request(
        blank,
        numero=str(data["numero"]).replace("-", "_"),
        matiere="1.4",
        siren="226200012",
        departement="062",
    )
    write_envoi("deliberation", data, request, tmp_path / "envoi", classification=CLASSIFICATION)
    root = _valid_message(tmp_path / "envoi")
    assert root.get(f"{NS}CodeNatureActe") == "1"
    assert root.get(f"{NS}Date") == str(data["reunion"])
    assert root.findtext(f"{NS}Objet") == data["objet"]
    assert (root.findtext(f"{NS}Document/{NS}NomFichier") or "").startswith("99_DE-062-226200012-")


@pytest.mark.parametrize("name", ["dossier-2023-338", "dossier-2025-498"])
def test_every_sample_dossier_sends_the_deliberation_with_its_convention(
    name: str, blank: Path, tmp_path: Path
) -> None:
    data = load_data(SAMPLES / f"{name}.yaml")
    numero = str(data["deliberation"]["numero"]).replace("-", "_")
    written = write_envoi(
        None,
        data,
        _request(blank, numero=numero, matiere="1.4", departement=None),
        tmp_path / "envoi",
        classification=CLASSIFICATION,
        render=_no_render,
    )
    root = _valid_message(tmp_path / "envoi")
    assert written.envoi.nature == 1 and written.envoi.departement == "062"
    assert root.findtext(f"{NS}Objet") == data["objet"]
    assert [piece.role for piece in written.envoi.pieces] == ["acte", "convention"]
    assert root.find(f"{NS}Annexes").get(f"{NS}Nombre") == "1"  # type: ignore[union-attr]


PLANTED = {
    "numero avec un tiret": ({"numero": "2023-338"}, "actes.numero_forme", "« - »"),
    "numero de 16 caracteres": ({"numero": "A" * 16}, "actes.numero_forme", "16 caractères"),
    "objet de 600 caracteres": ({"objet": "x" * 600}, "actes.objet_trop_long", "600 caractères"),
    "objet sur deux lignes": (
        {"objet": "Adhésion\nà la centrale"},
        "actes.objet_retour_ligne",
        "une seule ligne",
    ),
    "matiere absente de la classification": ({"matiere": "6.1"}, "actes.matiere_inconnue", "« 6.1 »"),
    "decision apres transmission": (
        {"transmission": dt.date(2023, 9, 1)},
        "actes.decision_apres_transmission",
        "postérieure",
    ),
}


@pytest.mark.parametrize("case", PLANTED, ids=list(PLANTED))
def test_planted_faults_are_refused_in_french_and_nothing_is_written(
    case: str, blank: Path, tmp_path: Path
) -> None:
    changes, code, words = PLANTED[case]
    data = load_data(SAMPLES / "adhesion-centrale-achats.yaml")
    with pytest.raises(ValidationFailed) as caught:
        write_envoi(
            "adhesion-centrale-achats",
            data,
            _request(blank, **changes),
            tmp_path / "envoi",
            classification=CLASSIFICATION,
        )
    assert [issue.code for issue in caught.value.issues] == [code]
    assert words in caught.value.issues[0].message
    assert list(tmp_path.iterdir()) == []


def test_a_deliberation_piece_on_a_contract_is_refused(blank: Path, tmp_path: Path) -> None:
    data = load_data(SAMPLES / "adhesion-centrale-achats.yaml")
    request = _request(blank, annexes=[(blank, "99_DE")], numero="2023-338")
    with pytest.raises(ValidationFailed) as caught:
        write_envoi(
            "adhesion-centrale-achats", data, request, tmp_path / "envoi", classification=CLASSIFICATION
        )
    codes = [issue.code for issue in caught.value.issues]
    assert codes == ["actes.numero_forme", "actes.piece_inconnue"]  # every problem at once
    message = caught.value.issues[1].message
    assert "« 99_DE »" in message and "Contrats, conventions et avenants" in message
    assert list(tmp_path.iterdir()) == []


def test_an_authorising_deliberation_of_another_matiere_is_refused(blank: Path, tmp_path: Path) -> None:
    data = load_data(SAMPLES / "adhesion-centrale-achats.yaml")
    with pytest.raises(ValidationFailed) as caught:
        write_envoi(
            "adhesion-centrale-achats",
            data,
            _request(blank, matiere="7.5", autorisation=blank),
            tmp_path / "envoi",
            classification=CLASSIFICATION,
        )
    assert [issue.code for issue in caught.value.issues] == ["actes.piece_matiere"]


def test_an_acte_over_150_mb_is_refused_without_writing_150_mb(blank: Path, tmp_path: Path) -> None:
    big = tmp_path / "gros.pdf"
    with big.open("wb") as handle:  # a sparse file: its size is read from stat, nothing is read whole
        handle.write(blank.read_bytes())
        handle.truncate(MAX_TOTAL_BYTES + 1)
    data = load_data(SAMPLES / "adhesion-centrale-achats.yaml")
    with pytest.raises(ValidationFailed) as caught:
        write_envoi(
            "adhesion-centrale-achats", data, _request(big), tmp_path / "envoi", classification=CLASSIFICATION
        )
    assert [issue.code for issue in caught.value.issues] == ["actes.envoi_trop_grand"]
    assert "150,0 Mo" in caught.value.issues[0].message
    assert not (tmp_path / "envoi").exists()


HOSTILE = {
    "pas du XML": b"%PDF-1.7 ceci n'est pas une classification",
    "entites": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><r>&b;</r>',
    "autre XML": b"<?xml version='1.0'?><facture/>",
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_classifications_are_refused_in_french(case: str, tmp_path: Path) -> None:
    path = tmp_path / "classification.xml"
    path.write_bytes(HOSTILE[case])
    with pytest.raises(DataFileError) as caught:
        read_classification(path)
    assert "classification" in caught.value.message or "DTD" in caught.value.message


def test_a_one_gigabyte_classification_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "classification.xml"
    with path.open("wb") as handle:
        handle.truncate(1_000_000_000)  # sparse: no gigabyte written
    with pytest.raises(DataFileError, match="trop grand"):
        read_classification(path)


def test_the_command_writes_the_envoi_and_refuses_a_fault_with_its_exit_code(
    blank: Path, tmp_path: Path
) -> None:
    command = [
        str(ROOT / ".venv" / "bin" / "conventum"),
        "actes",
        "adhesion-centrale-achats",
        str(SAMPLES / "adhesion-centrale-achats.yaml"),
        "--classification",
        str(CLASSIFICATION),
        "--pdf",
        str(blank),
        "--matiere",
        "1.4.2",
        "--siren",
        "226200012",
        "--date-transmission",
        "2023-10-05",
    ]
    env = {**os.environ, "COLUMNS": "200"}
    bad = subprocess.run(
        [*command, "--numero", "2023-338", "-o", str(tmp_path / "e")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 5, bad.stderr
    assert "refusé par @CTES" in bad.stderr and not (tmp_path / "e").exists()
    good = subprocess.run(
        [*command, "--numero", "2023_338", "-o", str(tmp_path / "e")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert good.returncode == 0, good.stderr
    assert (tmp_path / "e" / "062-226200012-20231002-2023_338-CC-1-1_0.xml").is_file()
    again = subprocess.run(
        [*command, "--numero", "2023_338", "-o", str(tmp_path / "e")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert again.returncode == 8 and "existe déjà" in again.stderr
    # --format json: the same envoi for a program, and a refusal as the report of validate
    done = subprocess.run(
        [*command, "--numero", "2023_338", "-o", str(tmp_path / "j"), "--format", "json"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["acte"] == "062-226200012-20231002-2023_338-CC" and report["nature"] == 4
    assert [piece["type_piece"] for piece in report["pieces"]] == ["99_CO"]
    assert report["message"] in report["fichiers"] and report["pieces"][0]["fichier"] in report["fichiers"]
    refused = subprocess.run(
        [*command, "--numero", "2023-338", "-o", str(tmp_path / "k"), "--format", "json"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert refused.returncode == 5 and not (tmp_path / "k").exists()
    problems = json.loads(refused.stdout)["problemes"]
    assert [(p["code"], p["path"]) for p in problems] == [("actes.numero_forme", "numero")]


def test_every_code_of_actes_and_publication_has_a_french_sentence() -> None:
    from conventum.messages import MESSAGES

    sources = [
        *(ROOT / "conventum" / "actes").glob("*.py"),
        *(ROOT / "conventum" / "publication").glob("*.py"),
    ]
    import re

    emitted = {
        code
        for path in sources
        for code in re.findall(r'"((?:actes|publication)\.[a-z_]+)"', path.read_text())
        if code != "actes.yaml"  # the data file's name, not a code
    }
    assert len(emitted) > 15
    assert sorted(emitted - MESSAGES.keys()) == []


def test_a_dossier_without_pdf_is_rendered_by_libreoffice(tmp_path: Path) -> None:
    """The default path: the délibération and its convention made from the dossier, on one LibreOffice."""
    command = [
        str(ROOT / ".venv" / "bin" / "conventum"),
        "actes",
        str(SAMPLES / "dossier-2023-338.yaml"),
        "--classification",
        str(CLASSIFICATION),
        "--numero",
        "2023_338",
        "--matiere",
        "1.4",
        "--siren",
        "226200012",
        "--date-transmission",
        "2023-09-25",
        "-o",
        str(tmp_path / "envoi"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    root = _valid_message(tmp_path / "envoi")
    acte = tmp_path / "envoi" / (root.findtext(f"{NS}Document/{NS}NomFichier") or "")
    from conventum.pdf.pdfio import page_texts

    text = " ".join(page_texts(acte.read_bytes(), what="acte"))
    assert "DÉLIBÉRATION DE LA COMMISSION PERMANENTE" in text and "2023-338" in text
    [annexe] = (tmp_path / "envoi").glob("99_AU-*-1-1_2.pdf")
    assert "centrale" in " ".join(page_texts(annexe.read_bytes(), what="annexe")).lower()


def test_without_the_classification_the_unchecked_types_are_said(blank: Path, tmp_path: Path) -> None:
    from conventum.actes.writing import envoi_json, warnings

    data = load_data(SAMPLES / "adhesion-centrale-achats.yaml")
    request = _request(blank, annexes=[(blank, None)])
    written = write_envoi("adhesion-centrale-achats", data, request, tmp_path / "e", classification=None)
    [issue] = warnings(written.envoi)
    assert issue.code == "actes.types_non_controles" and issue.severity == "warning"
    assert "(99_CO, 99_AU)" in issue.message
    assert envoi_json(written)["avertissements"][0]["code"] == "actes.types_non_controles"
    checked = write_envoi(
        "adhesion-centrale-achats", data, request, tmp_path / "f", classification=CLASSIFICATION
    )
    assert warnings(checked.envoi) == []
