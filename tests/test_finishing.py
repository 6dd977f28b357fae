"""The finished PDF, for real: metadata, outline, annexes, signature fields, PDF/A, fonts, page counts."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import docx as python_docx
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject

from conventum import Converter, ValidationFailed, available_types, render, render_document
from conventum.cli import main
from conventum.errors import ExitCode
from conventum.model.catalogue import load_type
from conventum.pdf.finishing import Finish, PdfInfo, finish_pdf
from conventum.pdf.signature_fields import Signatory
from conventum.settings import Settings, applied
from tests.support import SAMPLES, needs_libreoffice, normalise, sample

TODAY = date(2026, 11, 23)

TYPE = "adhesion-centrale-achats"
SAMPLE = SAMPLES / f"{TYPE}.yaml"
TITLE = "Convention d’adhésion à la centrale d’achats du Syndicat mixte La Fibre Numérique 59 62"
CENTRALE = "Syndicat mixte Nord – Pas-de-Calais Numérique – La Fibre Numérique 59 62"
ADHERENT = "Département du Pas-de-Calais"
# Page count of each built-in type's sample, as LibreOffice lays it out with the installed fonts.
# Pages of each sample's PDF, as the templates lay them out with the installed fonts.
EXPECTED_PAGES = {
    "adhesion-centrale-achats": 5,
    "services-numeriques": 7,
    # 3 cm to sign in every block, the closing line kept with them; the CDG named in one heading.
    "plateforme-dematerialisation": 4,
    "groupement-commandes": 6,
    "deliberation-2023-338": 2,
    "deliberation-2025-498": 2,
    "rapport-2023-338": 2,
    "rapport-2025-498": 2,
}


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    with Converter(workers=1) as shared:
        yield shared


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_of(reader: PdfReader) -> str:
    return normalise(" ".join(page.extract_text() for page in reader.pages))


def signature_fields(reader: PdfReader) -> list[tuple[str, int]]:
    """(name, page number from 1) of every signature widget."""
    found = []
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if widget.get("/FT") == "/Sig":
                found.append((str(widget["/T"]), number))
    return found


def fonts(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every font dictionary used by the pages (Type0 fonts give their descendant)."""
    for page in reader.pages:
        for reference in (page["/Resources"].get_object().get("/Font") or {}).values():
            font = reference.get_object()
            yield from (d.get_object() for d in font.get("/DescendantFonts", [font]))


@needs_libreoffice
def test_sample_pdf_has_its_facts_metadata_outline_and_signature_fields(converter: Converter) -> None:
    reader = read(render_document(TYPE, SAMPLE, fmt="pdf", converter=converter).content)
    assert len(reader.pages) == 5
    text = text_of(reader)
    for fact in ("CONVENTION D’ADHÉSION", CENTRALE, ADHERENT, "Jean-Claude LEROY", "Christophe COULON"):
        assert fact in text
    info = reader.metadata
    assert info is not None
    # The title says whom the convention concerns: the adhérent, after the type's title.
    assert (info.title, info.author) == (f"{TITLE} — {ADHERENT}", "Syndicat mixte La Fibre Numérique 59 62")
    assert info.subject == f"Le {CENTRALE} et le {ADHERENT}"
    assert info["/Keywords"] == f"{TYPE}@{load_type(TYPE).version}"  # the type and version that made it
    # The title at the top of the outline, the headings' bookmarks nested under it.
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [(item.title, reader.get_destination_page_number(item)) for item in top] == [
        (f"{TITLE} — {ADHERENT}", 0)
    ]
    assert any("ARTICLE 1. OBJET" in title for title in outline_titles(reader.outline))
    assert signature_fields(reader) == [(CENTRALE, 5), (ADHERENT, 5)]
    assert set(reader.get_fields() or {}) == {CENTRALE, ADHERENT}


@needs_libreoffice
def test_signature_fields_sit_in_their_signatory_block(converter: Converter) -> None:
    reader = read(render_document(TYPE, SAMPLE, fmt="pdf", converter=converter).content)
    names: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        for name in ("Christophe COULON", "Jean-Claude LEROY"):
            if name in text:
                names[name] = (tm[4], tm[5])

    reader.pages[4].extract_text(visitor_text=visit)
    left, right = (widget.get_object()["/Rect"] for widget in reader.pages[4]["/Annots"])
    page_middle = float(reader.pages[4].mediabox.width) / 2
    assert float(left[2]) <= page_middle <= float(right[0])  # the centrale's field left, the adherent's right
    for rect, name in ((left, "Christophe COULON"), (right, "Jean-Claude LEROY")):
        x, y = names[name]
        assert float(rect[0]) - 60 < x < float(rect[2])  # under the signatory's name
        assert float(rect[3]) < y < float(rect[3]) + 30


@needs_libreoffice
def test_pdfa_identifies_itself_embeds_every_font_and_agrees_with_its_info(converter: Converter) -> None:
    reader = read(render_document(TYPE, SAMPLE, fmt="pdf", pdfa=True, converter=converter).content)
    xmp = reader.xmp_metadata
    assert xmp is not None
    packet = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>2</pdfaid:part>" in packet
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in packet
    assert xmp.dc_title == {"x-default": f"{TITLE} — {ADHERENT}"}
    assert xmp.dc_creator == ["Syndicat mixte La Fibre Numérique 59 62"]
    assert xmp.pdf_keywords == f"{TYPE}@{load_type(TYPE).version}"
    used = list(fonts(reader))
    assert used
    for font in used:
        descriptor = font["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
    # Arial in the template, Liberation Sans (same metrics) on the page.
    assert all("LiberationSans" in str(font["/BaseFont"]) for font in used)
    assert signature_fields(reader) == [(CENTRALE, 5), (ADHERENT, 5)]


def annex_pdf(path: Path, pages: int) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.write(path)
    return path


def annex_docx(path: Path, text: str) -> Path:
    document = python_docx.Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


def data_with_annexes(folder: Path, annexes: list[dict[str, Any]]) -> Path:
    data = sample(TYPE) | {"annexes": annexes}
    target = folder / "donnees.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


@needs_libreoffice
def test_annexes_follow_the_convention_in_numbered_order_with_outline(
    tmp_path: Path, converter: Converter
) -> None:
    annex_pdf(tmp_path / "plan.pdf", 2)
    annex_docx(tmp_path / "tarifs.docx", "Grille tarifaire annexée à la convention")
    annexes = [
        {"numero": 2, "titre": "Plan", "fichier": "plan.pdf"},
        {"numero": 1, "titre": "Tarifs", "fichier": "tarifs.docx"},
    ]
    output = tmp_path / "convention.pdf"
    render(TYPE, data_with_annexes(tmp_path, annexes), output, converter=converter)
    reader = read(output.read_bytes())
    assert len(reader.pages) == 5 + 1 + 2
    assert "Grille tarifaire annexée" in reader.pages[5].extract_text()
    top = [item for item in reader.outline if not isinstance(item, list)]
    outline = [(item.title, reader.get_destination_page_number(item)) for item in top]
    assert outline == [(f"{TITLE} — {ADHERENT}", 0), ("Annexe 1 – Tarifs", 5), ("Annexe 2 – Plan", 6)]


def outline_titles(outline: Any) -> list[str]:
    """Every title of an outline, nested entries included."""
    titles: list[str] = []
    for item in outline:
        titles += outline_titles(item) if isinstance(item, list) else [str(item.title)]
    return titles


def encrypted_pdf(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret")
    writer.write(path)
    return path


BAD_ANNEXES = {
    "annexes.fichier_introuvable": lambda folder: folder / "absente.pdf",
    "annexes.pdf_chiffre": lambda folder: encrypted_pdf(folder / "protegee.pdf"),
    "annexes.pdf_invalide": lambda folder: (
        (folder / "abimee.pdf").write_bytes(b"%PDF-1.7 garbage") and "abimee.pdf"
    ),
    "annexes.format": lambda folder: (folder / "notes.txt").write_text("notes") and "notes.txt",
}


@pytest.mark.parametrize("code", BAD_ANNEXES)
def test_unusable_annex_is_a_validation_error_before_any_conversion(tmp_path: Path, code: str) -> None:
    # With no LibreOffice at all, reaching the conversion would be a ConversionError instead.
    name = Path(str(BAD_ANNEXES[code](tmp_path))).name
    data = data_with_annexes(tmp_path, [{"numero": 1, "titre": "Pièce", "fichier": name}])
    output = tmp_path / "convention.pdf"
    no_soffice = Settings(soffice=str(tmp_path / "no-soffice"))
    with pytest.raises(ValidationFailed) as failure, applied(no_soffice):
        render(TYPE, data, output)
    assert [(issue.code, issue.path) for issue in failure.value.issues] == [(code, "annexes[0].fichier")]
    assert name in failure.value.issues[0].message
    assert not output.exists()
    result = CliRunner().invoke(main, ["render", TYPE, str(data), "-o", str(output)])
    assert result.exit_code == ExitCode.INVALID_DATA
    assert not output.exists()


def test_pdfa_option_needs_a_pdf_output(tmp_path: Path) -> None:
    target = tmp_path / "convention.docx"
    result = CliRunner().invoke(main, ["render", TYPE, str(SAMPLE), "-o", str(target), "--pdfa"])
    assert result.exit_code == ExitCode.USAGE
    assert not target.exists()


def type_of_sample(stem: str) -> str | None:
    """The type a sample renders: its name, or the type its name starts with (deliberation-2023-338)."""
    matches = [name for name in available_types() if stem == name or stem.startswith(name + "-")]
    return max(matches, key=len) if matches else None


BUILT_IN = sorted(path.stem for path in SAMPLES.glob("*.yaml") if type_of_sample(path.stem))


def test_every_built_in_type_has_a_sample_with_a_page_count() -> None:
    sampled = {type_of_sample(stem) for stem in BUILT_IN}
    assert sampled == set(available_types()) - {"dossier"}
    assert set(BUILT_IN) == set(EXPECTED_PAGES)


@needs_libreoffice
@pytest.mark.parametrize("name", BUILT_IN)
def test_built_in_convention_keeps_its_page_count(name: str, converter: Converter) -> None:
    pdf = render_document(
        str(type_of_sample(name)), SAMPLES / f"{name}.yaml", fmt="pdf", converter=converter, today=TODAY
    ).content
    assert len(read(pdf).pages) == EXPECTED_PAGES[name]


@needs_libreoffice
def test_no_signature_field_when_anchors_and_signatories_differ(
    tmp_path: Path, converter: Converter, caplog: pytest.LogCaptureFixture
) -> None:
    plain = converter.convert(
        annex_docx(tmp_path / "sans-ancre.docx", "Aucun bloc de signature").read_bytes()
    )
    info = PdfInfo("Titre", "Émetteur", "Parties", "type")
    finished = read(finish_pdf(plain, Finish(info, signatories=[Signatory("Commune de Libercourt", "")])))
    assert signature_fields(finished) == []
    assert "0 ancre(s) de signature pour 1 signataire(s)" in caplog.text
    assert finished.metadata is not None and finished.metadata.title == "Titre"


@needs_libreoffice
def test_word_fonts_are_replaced_by_their_metric_compatible_twins(
    tmp_path: Path, converter: Converter
) -> None:
    document = python_docx.Document()
    for font in ("Arial", "Calibri", "Times New Roman", "Cambria"):
        document.add_paragraph().add_run(f"Texte en {font}").font.name = font
    document.save(str(tmp_path / "polices.docx"))
    pdf = read(converter.convert((tmp_path / "polices.docx").read_bytes()))
    names = {str(font["/BaseFont"]).split("+")[-1] for font in fonts(pdf)}
    assert names == {"LiberationSans", "Carlito", "LiberationSerif", "Caladea-Regular"}


def test_validate_resolves_annex_paths_from_the_data_file_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conventum import validate

    annex_pdf(tmp_path / "plan.pdf", 1)
    source = data_with_annexes(tmp_path, [{"numero": 1, "titre": "Plan", "fichier": "plan.pdf"}])
    monkeypatch.chdir("/")
    assert [issue.code for issue in validate(TYPE, source, today=TODAY).issues] == []
    (tmp_path / "plan.pdf").unlink()
    codes = [(issue.code, issue.path) for issue in validate(TYPE, source, today=TODAY).issues]
    assert codes == [("annexes.fichier_introuvable", "annexes[0].fichier")]


@needs_libreoffice
def test_each_annex_file_is_read_once_per_document(
    tmp_path: Path, converter: Converter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validation checks the annex files, the PDF/A check and the PDF append them: from one reading."""
    annex_pdf(tmp_path / "plan.pdf", 1)
    annex_docx(tmp_path / "tarifs.docx", "Grille tarifaire annexée à la convention")
    annexes = [
        {"numero": 1, "titre": "Tarifs", "fichier": "tarifs.docx"},
        {"numero": 2, "titre": "Plan", "fichier": "plan.pdf"},
    ]
    source = data_with_annexes(tmp_path, annexes)
    reads: dict[str, int] = {}
    original = Path.read_bytes

    def counted(path: Path) -> bytes:
        reads[path.name] = reads.get(path.name, 0) + 1
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    document = render_document(TYPE, source, fmt="pdf", pdfa="1b", converter=converter)
    assert len(read(document.content).pages) == 5 + 1 + 1
    assert (reads["plan.pdf"], reads["tarifs.docx"]) == (1, 1)
    assert [issue.code for issue in document.issues] == ["annexes.pdfa_non_conforme"]
