"""Build tests/fixtures/adhesion-controles.docx: a French Word form shaped like seeds 000 and 002.

No public French Word file with drop-downs or date pickers exists (see the corpus MANIFEST), so
this one is written the way French Word 365 writes them: drop-downs whose first item is the
instruction ("Choisissez une nature"), date pickers in fr-FR showing "Cliquez ou appuyez ici pour
entrer une date.", text controls with the author's own placeholder text, the localised
"Placeholder Text" style id (Textedelespacerserv), a checkbox, and a control in the footer.

    .venv/bin/python tools/content_controls_fixture.py
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import quoteattr

from docx import Document
from docx.oxml import parse_xml
from docx.shared import Pt

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tests" / "fixtures" / "adhesion-controles.docx"
SERVICES = ROOT / "tests" / "fixtures" / "services-controles.docx"
GENERIC_LIST = "Choisissez un élément."
NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
)
STYLE_ID = "Textedelespacerserv"
DATE_PLACEHOLDER = "Cliquez ou appuyez ici pour entrer une date."
NATURES = [
    ("commune", "La Commune"),
    ("departement", "Le Département"),
    ("region", "La Région"),
    ("communaute-de-communes", "La Communauté de communes"),
    ("syndicat-mixte", "Le Syndicat mixte"),
]
QUALITES = [
    ("maire", "Maire"),
    ("president", "Président"),
    ("presidente", "Présidente"),
    ("president-conseil-departemental", "Président du Conseil départemental"),
]
SYNDICAT = (
    "Le Syndicat mixte Nord – Pas-de-Calais Numérique - La Fibre Numérique 59 62, sis 335 allée du "
    "Général Girard – Quartier des Trois Parallèles – la Citadelle, à Arras (62000), représenté par "
    "Christophe COULON, son Président en exercice, dûment autorisé à signer la présente convention par "
    "délibérations du comité syndical des 19 janvier 2022 et 2 février 2023,"
)

DATE_PART = "DefaultPlaceholder_-1854013437"
GLOSSARY_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml"
GLOSSARY_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/glossaryDocument"

_ids = iter(range(-1_200_000_000, 0, 7919))
_parts: dict[str, str] = {}


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sdt(kind_xml: str, placeholder: str, *, alias: str | None = None, tag: str | None = None) -> str:
    """A run-level content control showing its placeholder, in the placeholder style."""
    part = (
        DATE_PART
        if placeholder == DATE_PLACEHOLDER
        else hashlib.md5(placeholder.encode()).hexdigest().upper()
    )
    _parts[part] = placeholder
    names = (f"<w:alias w:val={quoteattr(alias)}/>" if alias else "") + (
        f"<w:tag w:val={quoteattr(tag)}/>" if tag else ""
    )
    return (
        f"<w:sdt {NAMESPACES}><w:sdtPr>{names}<w:id w:val='{next(_ids)}'/>"
        f"<w:placeholder><w:docPart w:val='{part}'/></w:placeholder><w:showingPlcHdr/>{kind_xml}"
        f"</w:sdtPr><w:sdtContent><w:r><w:rPr><w:rStyle w:val='{STYLE_ID}'/></w:rPr>"
        f"<w:t xml:space='preserve'>{_text(placeholder)}</w:t></w:r></w:sdtContent></w:sdt>"
    )


def drop_down(placeholder: str, items: list[tuple[str, str]], **names: str) -> str:
    entries = f"<w:listItem w:value={quoteattr(placeholder)}/>" + "".join(
        f"<w:listItem w:displayText={quoteattr(label)} w:value={quoteattr(value)}/>" for value, label in items
    )
    return sdt(f"<w:dropDownList>{entries}</w:dropDownList>", placeholder, **names)


def date_picker(word_format: str, **names: str) -> str:
    kind = (
        f"<w:date><w:dateFormat w:val='{word_format}'/><w:lid w:val='fr-FR'/>"
        "<w:storeMappedDataAs w:val='dateTime'/><w:calendar w:val='gregorian'/></w:date>"
    )
    return sdt(kind, DATE_PLACEHOLDER, **names)


def text_control(placeholder: str, **names: str) -> str:
    return sdt("<w:text/>", placeholder, **names)


def checkbox(alias: str) -> str:
    kind = (
        "<w14:checkbox><w14:checked w14:val='0'/>"
        "<w14:checkedState w14:val='2612' w14:font='MS Gothic'/>"
        "<w14:uncheckedState w14:val='2610' w14:font='MS Gothic'/></w14:checkbox>"
    )
    control = sdt(kind, "☐", alias=alias)
    _parts.pop(hashlib.md5("☐".encode()).hexdigest().upper())
    control = control.replace("<w:showingPlcHdr/>", "").replace(f"<w:rStyle w:val='{STYLE_ID}'/>", "")
    return control.split("<w:placeholder>")[0] + control.split("</w:placeholder>")[1]


def paragraph(*pieces: str, bold: bool = False) -> str:
    """A justified paragraph of plain runs and controls (pieces starting with '<' are XML)."""
    properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    runs = "".join(
        piece
        if piece.startswith("<")
        else f"<w:r>{properties}<w:t xml:space='preserve'>{_text(piece)}</w:t></w:r>"
        for piece in pieces
    )
    return f"<w:p {NAMESPACES}><w:pPr><w:jc w:val='both'/></w:pPr>{runs}</w:p>"


def body() -> list[str]:
    adherent = [
        drop_down("Choisissez une nature", NATURES),
        " de ",
        text_control("Nom de la collectivité ou de l’établissement public", alias="Nom de l’adhérent"),
        ", sise ",
        text_control("Adresse"),
        ", représentée par ",
        text_control("Nom du représentant légal."),
        ", ",
        drop_down("Choisissez une qualité", QUALITES),
        ", dûment autorisé à signer la présente convention par décision ",
        text_control("Nom de l’assemblée délibérante"),
        " du ",
        date_picker("d MMMM yyyy", alias="Date de la décision"),
        ",",
    ]
    return [
        paragraph("CONVENTION D’ADHESION", bold=True),
        paragraph("A LA CENTRALE D’ACHATS", bold=True),
        paragraph("DU SYNDICAT MIXTE LA FIBRE NUMERIQUE 59 62", bold=True),
        paragraph(SYNDICAT),
        paragraph("Ci-après désigné « La Fibre Numérique 59 62 »"),
        paragraph("D’une part,"),
        paragraph("ET"),
        paragraph(*adherent),
        paragraph("Ci-après désignée « l’adhérent »"),
        paragraph("D’autre part,"),
        paragraph(checkbox("Facturation électronique"), " L’adhérent accepte la facturation électronique."),
        paragraph("Fait en deux (2) exemplaires,"),
        paragraph("Le ", date_picker("dd/MM/yyyy", tag="date_signature")),
        paragraph("Pour La Fibre Numérique 59 62"),
    ]


CDG = (
    "Le Centre de Gestion de la Fonction publique Territoriale du Nord, sis 14 rue Jeanne Maillote à "
    "Lille (59000) représenté par Monsieur Éric DURAND, son Président, dûment autorisé à signer la "
    "présente convention par décision conseil d’administration du 23 juin 2025"
)
FIBRE_002 = (
    "Le Syndicat mixte Nord - Pas-de-Calais Numérique - La Fibre Numérique 59 62, sis 165 avenue de "
    "Bretagne à Lille (59000), représenté par Monsieur Christophe COULON, son Président, dûment autorisé "
    "à signer la présente convention par délibération du comité syndical du 21 février 2024"
)


def table(*cells: list[str]) -> str:
    """A one-row table without borders, one cell per list of paragraphs (the signature blocks)."""
    grid = "<w:gridCol w:w='3200'/>" * len(cells)
    body = "".join(
        f"<w:tc><w:tcPr><w:tcW w:w='3200' w:type='dxa'/></w:tcPr>{''.join(c)}</w:tc>" for c in cells
    )
    properties = "<w:tblPr><w:tblW w:w='0' w:type='auto'/></w:tblPr>"
    return f"<w:tbl {NAMESPACES}>{properties}<w:tblGrid>{grid}</w:tblGrid><w:tr>{body}</w:tr></w:tbl>"


def services_body() -> list[str]:
    """Seed 002's parties and signatures: Word's generic texts, the same tag on repeated blanks."""
    collectivite = [
        drop_down(GENERIC_LIST, NATURES),
        " de ",
        text_control("Nom de l’adhérent."),
        " sise ",
        text_control("Adresse."),
        ", à ",
        text_control("Commune."),
        " (",
        text_control("Code postal."),
        "), représentée par ",
        text_control("Nom du représentant.", tag="representant"),
        ", ",
        drop_down(GENERIC_LIST, QUALITES, tag="qualite"),
        " dûment autorisé à signer la présente convention par décision ",
        text_control("Organe délibérant."),
        " du ",
        date_picker("d MMMM yyyy"),
    ]
    signed = [paragraph("Le ", date_picker("d MMMM yyyy"))]
    return [
        paragraph(
            "CONVENTION RELATIVE AUX PRESTATIONS ET A L’ACCOMPAGNEMENT SUR DES SERVICES NUMERIQUES", bold=True
        ),
        paragraph("Entre :"),
        paragraph(FIBRE_002),
        paragraph("Ci-après désigné « La Fibre Numérique 59 62 »"),
        paragraph("D’une première part,"),
        paragraph("Et :"),
        paragraph(CDG),
        paragraph("Ci-après désigné « le CDG 59 »"),
        paragraph("D’une deuxième part,"),
        paragraph("Et :"),
        paragraph(*collectivite),
        paragraph("Ci-après désignée « la Collectivité » ou « l’établissement public »"),
        paragraph("D’une troisième part,"),
        paragraph("Fait en trois (3) exemplaires,"),
        table(
            [
                *signed,
                paragraph("Pour La Fibre Numérique 59 62"),
                paragraph("Le Président"),
                paragraph("Christophe COULON"),
            ],
            [
                paragraph("Le ", date_picker("d MMMM yyyy")),
                paragraph("Pour le CDG59"),
                paragraph("Le Président"),
                paragraph("Éric DURAND"),
            ],
            [
                paragraph("Le ", date_picker("d MMMM yyyy")),
                paragraph("Pour la Collectivité / l’établissement"),
                paragraph(drop_down(GENERIC_LIST, QUALITES, tag="qualite")),
                paragraph(text_control("Nom du représentant.", tag="representant")),
            ],
        ),
        paragraph(""),
    ]


def build(path: Path = OUTPUT, content: Callable[[], list[str]] = body, *, footer: bool = True) -> Path:
    """Write a fixture; the same bytes each time but for the zip timestamps."""
    _parts.clear()
    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    document.styles.element.append(
        parse_xml(
            f"<w:style {NAMESPACES} w:type='character' w:styleId='{STYLE_ID}'>"
            "<w:name w:val='Placeholder Text'/><w:rPr><w:color w:val='808080'/></w:rPr></w:style>"
        )
    )
    section = document.element.body[-1]
    for xml in content():
        section.addprevious(parse_xml(xml))
    if footer:
        numero = paragraph("Convention n° ", text_control("Numéro de la convention."))
        document.sections[0].footer.paragraphs[0]._p.addnext(parse_xml(numero))
    buffer = io.BytesIO()
    document.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(with_glossary(buffer.getvalue()))
    return path


def glossary_xml() -> str:
    """The glossary part where Word keeps each control's placeholder text (one docPart each)."""
    parts = "".join(
        f"<w:docPart><w:docPartPr><w:name w:val={quoteattr(name)}/><w:category><w:name w:val='Général'/>"
        "<w:gallery w:val='placeholder'/></w:category><w:types><w:type w:val='bbPlcHdr'/></w:types>"
        "<w:behaviors><w:behavior w:val='content'/></w:behaviors></w:docPartPr><w:docPartBody><w:p>"
        f"<w:r><w:rPr><w:rStyle w:val='{STYLE_ID}'/></w:rPr><w:t>{_text(text)}</w:t></w:r></w:p>"
        "</w:docPartBody></w:docPart>"
        for name, text in sorted(_parts.items())
    )
    declaration = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>"
    return (
        f"{declaration}<w:glossaryDocument {NAMESPACES}><w:docParts>{parts}</w:docParts></w:glossaryDocument>"
    )


def with_glossary(data: bytes) -> bytes:
    """The package with word/glossary/document.xml added, related from the main document."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                override = f'<Override PartName="/word/glossary/document.xml" ContentType="{GLOSSARY_TYPE}"/>'
                content = content.replace(b"</Types>", override.encode() + b"</Types>")
            if item.filename == "word/_rels/document.xml.rels":
                rel = f'<Relationship Id="rIdGlossary" Type="{GLOSSARY_REL}" Target="glossary/document.xml"/>'
                content = content.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            target.writestr(item.filename, content)
        target.writestr("word/glossary/document.xml", glossary_xml())
    return buffer.getvalue()


if __name__ == "__main__":
    print(build())
    print(build(SERVICES, services_body, footer=False))
