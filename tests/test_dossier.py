"""dossier: one data file, three documents that state the same facts, one PDF with an outline."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from conventum import Converter, render_dossier
from conventum.cli import main
from conventum.dossier import render_parts as render_docx_parts
from conventum.dossier import split_dossier
from conventum.errors import ExitCode, ValidationFailed
from conventum.ooxml.text import document_text
from conventum.pdf.merging import outline_titles, page_count
from tests.support import SAMPLES, needs_libreoffice, normalise, sample

DOSSIER_2023 = SAMPLES / "dossier-2023-338.yaml"
DESIGNATION = (
    "la convention d’adhésion à la centrale d’achat du Syndicat Mixte Nord-Pas-de-Calais Numérique "
    "(La Fibre Numérique 59 62)"
)


def _texts(data: dict[str, Any]) -> list[str]:
    documents, warnings = render_docx_parts(split_dossier(data))
    assert warnings == []
    return [normalise(document_text(part.content)) for part in documents]


def test_the_shared_facts_flow_into_every_part() -> None:
    deliberation, convention, rapport = _texts(sample("dossier-2023-338"))
    # The data's typewriter apostrophe is written typographically (’) once it is read.
    title = "ADHÉSION À LA CENTRALE D’ACHAT DU SYNDICAT MIXTE NORD-PAS-DE-CALAIS NUMÉRIQUE"
    assert title in deliberation and title in rapport
    assert "RÉUNION DU 18 SEPTEMBRE 2023" in deliberation and "RÉUNION DU 18 SEPTEMBRE 2023" in rapport
    assert f"pour le compte du Département, {DESIGNATION}, dans les termes" in deliberation
    assert f"pour le compte du Département, {DESIGNATION}, dans les termes" in rapport
    assert "rendu lors de sa réunion en date du 05/09/2023" in deliberation
    assert "lors de sa réunion du 05/09/2023" in rapport
    # The convention's authorising decision is the délibération itself.
    assert "de la Commission permanente du Conseil départemental du 18 septembre 2023" in convention


def test_changing_the_meeting_once_changes_all_three_parts() -> None:
    data = sample("dossier-2023-338")
    data["reunion"] = "2023-09-25"
    deliberation, convention, rapport = _texts(data)
    assert "RÉUNION DU 25 SEPTEMBRE 2023" in deliberation and "ARRAS, le 25 septembre 2023" in deliberation
    assert "RÉUNION DU 25 SEPTEMBRE 2023" in rapport
    assert "de la Commission permanente du Conseil départemental du 25 septembre 2023" in convention


def test_the_2025_deliberation_and_rapport_share_one_budget_line() -> None:
    parts = split_dossier(sample("dossier-2025-498"))
    assert parts.issues == []
    assert parts.convention_type == "plateforme-dematerialisation"
    from conventum import render_document

    deliberation = normalise(document_text(render_document("deliberation", parts.deliberation).content))
    rapport = normalise(document_text(render_document("rapport", parts.rapport).content))
    assert "Informatique fonctionnement 16 000,00 1 000,00 Dans les conditions" in deliberation
    assert "Informatique fonctionnement 16 000,00 4 000,00 1 000,00 3 000,00" in rapport
    # Seed 003's 7 "abstentions" were the 7 members taking no part (docs/types/deliberation.md).
    assert "Abstention : 0 voix" in deliberation and "Ne prennent pas part au vote : 7" in deliberation
    assert "(Adopté)" in deliberation
    assert "plateforme mutualisée marchéspublics596280.fr" in rapport


def _refused(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as caught:
        render_docx_parts(split_dossier(data))
    return [(issue.code, issue.path) for issue in caught.value.issues]


def test_a_shared_fact_cannot_be_repeated_in_a_part() -> None:
    data = sample("dossier-2023-338")
    data["rapport"]["reunion"] = "2023-09-19"
    data["convention"]["donnees"]["parties"][0]["autorisation"] = {"organe": "bureau", "date": "2023-09-01"}
    assert _refused(data) == [
        ("dossier.champ_partage", "rapport.reunion"),
        ("dossier.champ_partage", "convention.donnees.parties[0].autorisation"),
    ]


def test_problems_of_every_part_are_reported_together() -> None:
    data = sample("dossier-2023-338")
    data["deliberation"]["presents"][0] = "jean-claude-leroi"
    del data["rapport"]["numero"]
    data["convention"]["donnees"]["parties"][0]["representant"]["civilite"] = "Mlle"
    assert _refused(data) == [
        ("seance.membre_inconnu", "deliberation.presents[0]"),
        ("field.not_in_choices", "convention.donnees.parties[0].representant.civilite"),
        ("field.missing", "rapport.numero"),
    ]


def test_missing_authorised_party_is_reported() -> None:
    data = sample("dossier-2023-338")
    data["convention"]["autorisee"] = "centrale-inconnue"
    assert ("dossier.partie_autorisee_absente", "convention.autorisee") in _refused(data)


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, ["dossier", *args])


def test_cli_bad_dossier_exits_5_and_writes_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "dossier.yaml"
    broken.write_text(
        DOSSIER_2023.read_text(encoding="utf-8").replace("rang: 6", "rang: six"), encoding="utf-8"
    )
    target = tmp_path / "dossier.pdf"
    result = _run(str(broken), "-o", str(target), "--parties-dir", str(tmp_path))
    assert result.exit_code == ExitCode.INVALID_DATA
    assert result.output.count("commission.rang") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dossier.yaml"]


def test_cli_refuses_an_existing_output_and_a_docx(tmp_path: Path) -> None:
    target = tmp_path / "dossier.pdf"
    target.write_bytes(b"old")
    assert _run(str(DOSSIER_2023), "-o", str(target)).exit_code == ExitCode.OUTPUT
    assert target.read_bytes() == b"old"
    assert _run(str(DOSSIER_2023), "-o", str(tmp_path / "d.docx")).exit_code == ExitCode.USAGE
    assert not (tmp_path / "d.docx").exists()


def test_cli_unknown_convention_type_exits_4(tmp_path: Path) -> None:
    broken = tmp_path / "dossier.yaml"
    text = DOSSIER_2023.read_text(encoding="utf-8").replace(
        "type: adhesion-centrale-achats", "type: adhesion"
    )
    broken.write_text(text, encoding="utf-8")
    result = _run(str(broken), "-o", str(tmp_path / "d.pdf"))
    assert result.exit_code == ExitCode.UNKNOWN_TYPE
    assert "adhesion-centrale-achats" in result.output


def _first_page_text(pdf: bytes, index: int) -> str:
    return normalise(PdfReader(io.BytesIO(pdf)).pages[index].extract_text())


@needs_libreoffice
def test_dossier_pdf_has_its_parts_in_order_with_an_outline(tmp_path: Path) -> None:
    target = tmp_path / "dossier.pdf"
    parts_dir = tmp_path / "parties"
    parts_dir.mkdir()
    result = _run(str(DOSSIER_2023), "-o", str(target), "--parties-dir", str(parts_dir))
    assert result.exit_code == 0, result.output
    pdf = target.read_bytes()
    parts = [
        (parts_dir / name).read_bytes() for name in ("deliberation.pdf", "convention.pdf", "rapport.pdf")
    ]
    sizes = [page_count(part) for part in parts]
    assert page_count(pdf) == sum(sizes)
    starts = [0, sizes[0], sizes[0] + sizes[1]]
    assert outline_titles(pdf) == [
        ("Délibération n°2023-338", starts[0]),
        (
            "Convention d’adhésion à la centrale d’achats du Syndicat mixte La Fibre Numérique 59 62",
            starts[1],
        ),
        ("Rapport n°3", starts[2]),
    ]
    assert "DÉLIBÉRATION DE LA COMMISSION PERMANENTE" in _first_page_text(pdf, starts[0])
    assert "CONVENTION D’ADHÉSION" in _first_page_text(pdf, starts[1])
    assert "RAPPORT N°3" in _first_page_text(pdf, starts[2])
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None and metadata.title == sample("dossier-2023-338")["objet"]


@needs_libreoffice
def test_dossier_2025_renders_with_its_platform_convention(tmp_path: Path) -> None:
    dossier = render_dossier(SAMPLES / "dossier-2025-498.yaml", tmp_path / "dossier.pdf")
    assert [part.titre for part in dossier.parts][::2] == ["Délibération n°2025-498", "Rapport n°4"]
    assert page_count(dossier.pdf) == sum(page_count(part.content) for part in dossier.parts)


def test_the_other_parties_flow_from_the_convention() -> None:
    data = sample("dossier-2023-338")
    article = "D’autoriser le Président à signer avec {partenaires} {convention}."
    data["deliberation"]["articles"] = [article]
    data["convention"]["donnees"]["parties"].append({"role": "centrale", "nom": "La Fibre Numérique"})
    deliberation = _texts(data)[0]
    assert (
        f"D’autoriser le Président à signer avec le Syndicat mixte La Fibre Numérique {DESIGNATION}."
        in deliberation
    )


def test_the_dossier_envelope_is_checked_first() -> None:
    data = sample("dossier-2023-338")
    data["reunoin"] = data.pop("reunion")
    del data["convention"]["type"]
    with pytest.raises(ValidationFailed) as caught:
        split_dossier(data)
    found = {(issue.code, issue.path) for issue in caught.value.issues}
    assert found == {
        ("field.missing", "reunion"),
        ("field.unknown", "reunoin"),
        ("field.missing", "convention.type"),
    }


@needs_libreoffice
def test_library_writes_only_the_dossier_when_no_parts_dir_is_given(tmp_path: Path) -> None:
    with Converter(workers=1, restart_after=3) as converter:
        dossier = render_dossier(DOSSIER_2023, tmp_path / "dossier.pdf", converter=converter)
        assert converter.processes == []  # the caller's LibreOffice converted the three parts
    assert [path.name for path in tmp_path.iterdir()] == ["dossier.pdf"]
    assert (tmp_path / "dossier.pdf").read_bytes() == dossier.pdf
    assert [part.titre for part in dossier.parts][::2] == ["Délibération n°2023-338", "Rapport n°3"]


@needs_libreoffice
def test_the_dossiers_convention_is_finished_like_a_render(tmp_path: Path) -> None:
    # An annex file beside the dossier file, as a clerk would put it: appended after the
    # convention, in the dossier and in convention.pdf, with the signature fields of the parties.
    annex = PdfWriter()
    annex.add_blank_page(width=595, height=842)
    with (tmp_path / "statuts.pdf").open("wb") as stream:
        annex.write(stream)
    data = sample("dossier-2023-338")
    data["convention"]["donnees"]["annexes"] = [{"numero": 1, "titre": "Statuts", "fichier": "statuts.pdf"}]
    source = tmp_path / "dossier.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    parts_dir = tmp_path / "parties"
    parts_dir.mkdir()
    dossier = render_dossier(source, tmp_path / "dossier.pdf", parts_dir=parts_dir)
    convention = (parts_dir / "convention.pdf").read_bytes()
    last = page_count(convention) - 1
    assert outline_titles(convention)[-1] == ("Annexe 1 – Statuts", last)
    assert PdfReader(io.BytesIO(convention)).pages[last].extract_text() == ""  # the blank annex page
    fields = sorted((PdfReader(io.BytesIO(convention)).get_fields() or {}).keys())
    assert len(fields) == 2 and "Département du Pas-de-Calais" in fields
    assert sorted((PdfReader(io.BytesIO(dossier.pdf)).get_fields() or {}).keys()) == fields
    assert page_count(dossier.pdf) == sum(page_count(part.content) for part in dossier.parts)
