"""Word files the import refuses, each with a French message naming the place, nothing written:
no blank at all, one party twice, a party without its address, a merge field inside another field's
code (in a table, in a text box), an encrypted file, an ODT or an old .doc renamed .docx."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from msoffcrypto.format.ooxml import OOXMLFile

from conventum import ImportRefused, prepare_import
from conventum.cli import main
from conventum.errors import ExitCode
from conventum.pdf.converter import find_soffice
from tests.importfixtures import CDG, FIBRE_002, HEREAFTER, convention, preamble
from tests.support import needs_libreoffice
from tests.test_hostile_word import assert_no_macro, docm
from tools.content_controls_fixture import NAMESPACES, build, paragraph

VML = "urn:schemas-microsoft-com:vml"
PLAIN_PARTY = (
    "La Commune de ……………, sise ……………, à …………… (……), représentée par ……………, ……………, dûment autorisé à"
    " signer la présente convention par délibération du ……………"
)


def _word(folder: Path, name: str, *paragraphs: str) -> Path:
    return build(folder / name, lambda: list(paragraphs), footer=False)


def _refused(path: Path) -> ImportRefused:
    with pytest.raises(ImportRefused) as refused:
        prepare_import(path.read_bytes(), name="essai", source=path.name)
    return refused.value


def _cli(path: Path, folder: Path, *extra: str) -> Result:
    return CliRunner().invoke(
        main, ["import", str(path), "--type", "essai", "--dossier", str(folder), *extra]
    )


def _nothing_written(folder: Path) -> bool:
    return not (folder / "templates").exists() and not (folder / "schemas").exists()


def test_a_file_without_any_blank_has_nothing_to_import(tmp_path: Path) -> None:
    word = _word(tmp_path, "sans-blanc.docx", paragraph(FIBRE_002), paragraph(CDG), paragraph(preamble()))
    refused = _refused(word)
    assert [problem.code for problem in refused.problems] == ["import.rien_a_importer"]
    result = _cli(word, tmp_path / "types")
    assert result.exit_code == ExitCode.TEMPLATE
    assert "sans-blanc.docx : aucun blanc à compléter" in result.output and "rien à importer" in result.output
    assert _nothing_written(tmp_path / "types")


def test_two_paragraphs_presenting_the_same_party_are_named_both(tmp_path: Path) -> None:
    word = _word(
        tmp_path,
        "deux-fois.docx",
        paragraph("Entre :"),
        paragraph(PLAIN_PARTY),
        paragraph(HEREAFTER),
        paragraph("Et :"),
        paragraph(PLAIN_PARTY.replace("délibération", "décision")),
        paragraph(HEREAFTER),
    )
    (problem,) = _refused(word).problems
    assert problem.code == "import.partie_en_double"
    assert "même partie « collectivite »" in problem.message
    assert (
        "paragraphe 2 « La Commune de" in problem.message
        and "paragraphe 5 « La Commune de" in problem.message
    )
    assert _cli(word, tmp_path / "types").exit_code == ExitCode.TEMPLATE and _nothing_written(
        tmp_path / "types"
    )


def test_a_party_without_its_address_is_refused_at_its_paragraph(tmp_path: Path) -> None:
    without = (
        "La Commune de ……………, représentée par ……………, ……………, dûment autorisé à signer par délibération du ……"
    )
    word = _word(
        tmp_path, "sans-adresse.docx", paragraph("Entre :"), paragraph(without), paragraph(HEREAFTER)
    )
    (problem,) = _refused(word).problems
    assert problem.code == "import.partie_sans_adresse"
    assert problem.place is not None and problem.place.paragraph == 2 and problem.place.page == 1
    result = _cli(word, tmp_path / "types", "--format", "json")
    assert result.exit_code == ExitCode.TEMPLATE
    report = json.loads(result.output)
    assert report["problemes"][0]["code"] == "import.partie_sans_adresse"
    assert report["problemes"][0]["lieu"]["texte"].startswith("La Commune de")
    assert "pas son adresse" in report["problemes"][0]["message"]
    assert _nothing_written(tmp_path / "types")


def _field_in_field_in_table_in_text_box() -> str:
    """An IF field whose code holds a MERGEFIELD, in a table cell, in a (VML) text box."""
    runs = (
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText xml:space='preserve'> IF </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        "<w:r><w:instrText xml:space='preserve'> MERGEFIELD Commune </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r><w:r><w:t>«Commune»</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
        '<w:r><w:instrText xml:space=\'preserve\'> = "" "……" "" </w:instrText></w:r>'
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r><w:r><w:t>……</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
    )
    cell = f"<w:tc><w:tcPr><w:tcW w:w='3000' w:type='dxa'/></w:tcPr><w:p>{runs}</w:p></w:tc>"
    table = f"<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w='3000'/></w:tblGrid><w:tr>{cell}</w:tr></w:tbl>"
    box = f"<v:shape id='zone' style='width:300pt;height:80pt'><v:textbox><w:txbxContent>{table}</w:txbxContent></v:textbox></v:shape>"
    return f"<w:p {NAMESPACES} xmlns:v='{VML}'><w:r><w:pict>{box}</w:pict></w:r></w:p>"


def test_a_merge_field_inside_a_field_code_in_a_table_in_a_text_box_is_named_where_it_is(
    tmp_path: Path,
) -> None:
    word = _word(
        tmp_path, "imbrique.docx", paragraph("Objet : ……………"), _field_in_field_in_table_in_text_box()
    )
    (problem,) = _refused(word).problems
    assert problem.code == "import.champ_dans_un_champ"
    assert "« Commune »" in problem.message and "(IF)" in problem.message
    assert problem.place is not None
    assert problem.place.containers == ("zone de texte", "tableau ligne 1, colonne 1")
    assert "zone de texte, tableau ligne 1, colonne 1, page 1" in problem.describe()
    assert _cli(word, tmp_path / "types").exit_code == ExitCode.TEMPLATE and _nothing_written(
        tmp_path / "types"
    )


def _encrypted(source: Path) -> bytes:
    out = io.BytesIO()
    with source.open("rb") as plain:
        OOXMLFile(plain).encrypt("secret", out)
    return out.getvalue()


def _opendocument(source: Path) -> bytes:
    """A minimal OpenDocument text (mimetype stored first, manifest, content) holding a blank."""
    content = (
        "<office:document-content xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'"
        " xmlns:text='urn:oasis:names:tc:opendocument:xmlns:text:1.0' office:version='1.3'>"
        "<office:body><office:text><text:p>La Commune de ……………</text:p></office:text></office:body>"
        "</office:document-content>"
    )
    manifest = (
        "<manifest:manifest xmlns:manifest='urn:oasis:names:tc:opendocument:xmlns:manifest:1.0' manifest:version='1.3'>"
        "<manifest:file-entry manifest:full-path='/' manifest:media-type='application/vnd.oasis.opendocument.text'/>"
        "<manifest:file-entry manifest:full-path='content.xml' manifest:media-type='text/xml'/></manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


FOREIGN: dict[str, tuple[Callable[[Path], bytes], str, str]] = {
    "chiffre": (_encrypted, "import.fichier_chiffre", "protégé par un mot de passe"),
    "odt": (_opendocument, "import.opendocument", "OpenDocument (text, LibreOffice), même nommé .docx"),
}


@pytest.mark.parametrize("case", list(FOREIGN))
def test_a_file_that_is_not_a_word_package_says_what_it_is(case: str, tmp_path: Path) -> None:
    make, code, words = FOREIGN[case]
    word = tmp_path / f"{case}.docx"
    word.write_bytes(make(convention("blancs", tmp_path)))
    (problem,) = _refused(word).problems
    assert problem.code == code and words in problem.message
    result = _cli(word, tmp_path / "types")
    assert result.exit_code == ExitCode.TEMPLATE and f"{case}.docx : " in result.output
    assert _nothing_written(tmp_path / "types")


@needs_libreoffice
@pytest.mark.libreoffice
def test_an_old_doc_renamed_docx_is_named_for_what_it_is(tmp_path: Path) -> None:
    source = convention("blancs", tmp_path)
    command = [
        find_soffice(),
        f"-env:UserInstallation=file://{tmp_path / 'profil'}",
        "--headless",
        "--norestore",
    ]
    command += ["--convert-to", "doc:MS Word 97", "--outdir", str(tmp_path / "doc"), str(source)]
    subprocess.run(command, capture_output=True, timeout=180, check=False)
    word = tmp_path / "ancien.docx"
    shutil.copyfile(tmp_path / "doc" / f"{source.stem}.doc", word)
    (problem,) = _refused(word).problems
    assert problem.code == "import.ancien_doc" and "Word 97-2003" in problem.message
    assert _cli(word, tmp_path / "types").exit_code == ExitCode.TEMPLATE and _nothing_written(
        tmp_path / "types"
    )


def test_a_macro_enabled_file_imports_without_its_macros(tmp_path: Path) -> None:
    word = tmp_path / "modele.docm"
    word.write_bytes(docm())
    prepared = prepare_import(word.read_bytes(), name="essai", source=word.name)
    assert any(note.startswith("macros retirées : word/vbaProject.bin") for note in prepared.report.notes)
    assert_no_macro(prepared.template)


def test_an_imported_type_is_replaced_only_with_force(tmp_path: Path) -> None:
    word = convention("fusion", tmp_path)
    folder = tmp_path / "types"
    assert _cli(word, folder).exit_code == 0
    schema = folder / "schemas" / "essai.yaml"
    before = schema.read_bytes()
    again = _cli(convention("blancs", tmp_path), folder)
    assert again.exit_code == ExitCode.OUTPUT and "--force" in again.output
    assert schema.read_bytes() == before
    assert _cli(convention("blancs", tmp_path), folder, "--force").exit_code == 0
    assert schema.read_bytes() != before
